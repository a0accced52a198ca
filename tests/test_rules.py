"""The plan's rules as pure functions (no database): rate choice, guarantee, phases."""
from datetime import date, datetime

import pytest

from odoo.addons.emergency_support import rules

PLAN = rules.Agreement(id=7, date_start=date(2026, 1, 1), date_end=date(2026, 6, 30),
                       area_ids=frozenset({1, 2}), express_rate=30.0, ondemand_rate=20.0)
EXPRESS, ONDEMAND = 35.0, 25.0


def rate(phase, day, area=1, agreements=(PLAN,)):
    return rules.resolve_rate(phase, day, area, list(agreements), EXPRESS, ONDEMAND)


def test_without_plan_the_list_prices_apply():  # R4, R16, R17
    assert rate(rules.NORMALIZATION, date(2026, 3, 1), agreements=()) == (
        rules.EXPRESS, 35.0, None)
    assert rate(rules.MITIGATION, date(2026, 3, 1), agreements=()) == (
        rules.ONDEMAND, 25.0, None)


def test_a_covering_plan_gives_its_rates():  # R2, R3
    assert rate(rules.NORMALIZATION, date(2026, 3, 1)) == (rules.EXPRESS, 30.0, 7)
    assert rate(rules.MITIGATION, date(2026, 3, 1)) == (rules.ONDEMAND, 20.0, 7)


def test_mitigation_takes_the_lower_of_plan_and_ondemand_rate():  # R16
    dear = PLAN._replace(ondemand_rate=40.0)
    assert rate(rules.MITIGATION, date(2026, 3, 1), agreements=[dear]) == (
        rules.ONDEMAND, 25.0, 7)


@pytest.mark.parametrize("day, area, covered", [
    (date(2026, 1, 1), 1, True),     # first day, inclusive
    (date(2026, 6, 30), 2, True),    # last day, inclusive
    (date(2025, 12, 31), 1, False),  # before the period
    (date(2026, 7, 1), 1, False),    # after the period: judged by the work's date
    (date(2026, 3, 1), 3, False),    # area not covered
])
def test_coverage_is_judged_by_the_date_of_the_work_and_the_area(day, area, covered):
    assert rules.agreement_applies(PLAN, day, area) is covered
    assert (rate(rules.NORMALIZATION, day, area).agreement_id == 7) is covered


def test_the_cheapest_covering_plan_wins():
    cheaper = PLAN._replace(id=8, express_rate=28.0)
    assert rate(rules.NORMALIZATION, date(2026, 3, 1), agreements=[PLAN, cheaper]) == (
        rules.EXPRESS, 28.0, 8)


@pytest.mark.parametrize("phase", [rules.EVALUATION, rules.PROPOSED, rules.ACCEPTED,
                                   rules.AWAITING_GUARANTEE])
def test_evaluation_and_steps_before_the_service_are_free(phase):  # R9
    assert rate(phase, date(2026, 3, 1)) == (rules.FREE, 0.0, None)


@pytest.mark.parametrize("hours, has_plan, valid", [
    (1, False, True), (8, False, True), (0, False, False), (9, False, False),
    (-1, False, False), (0, True, True), (1, True, False),
])
def test_guarantee_hours(hours, has_plan, valid):  # R3, R11
    assert rules.guarantee_hours_valid(hours, has_plan) is valid


def test_guarantee_is_required_without_plan_unless_waived():  # R3, R12
    assert rules.guarantee_required(False, rules.CHARGED)
    assert rules.guarantee_required(False, rules.CREDITED)
    assert not rules.guarantee_required(False, rules.WAIVED)
    assert not rules.guarantee_required(True, rules.CHARGED)


def test_guarantee_credit_never_turns_an_invoice_negative():  # R12
    assert rules.guarantee_credit(rules.CREDITED, 70.0, 200.0) == 70.0
    assert rules.guarantee_credit(rules.CREDITED, 70.0, 50.0) == 50.0
    assert rules.guarantee_credit(rules.CREDITED, 70.0, 200.0, already_credited=50.0) == 20.0
    assert rules.guarantee_credit(rules.CREDITED, 70.0, 200.0, already_credited=70.0) == 0.0
    assert rules.guarantee_credit(rules.CHARGED, 70.0, 200.0) == 0.0
    assert rules.guarantee_credit(rules.WAIVED, 70.0, 200.0) == 0.0


def test_the_phases_follow_their_order():
    order = [rules.EVALUATION, rules.PROPOSED, rules.ACCEPTED, rules.AWAITING_GUARANTEE,
             rules.NORMALIZATION, rules.MITIGATION, rules.CLOSED]
    for current, target in zip(order, order[1:]):
        assert rules.can_transition(current, target)
    assert rules.can_transition(rules.ACCEPTED, rules.NORMALIZATION)  # plan or waived
    assert not rules.can_transition(rules.EVALUATION, rules.NORMALIZATION)
    assert not rules.can_transition(rules.NORMALIZATION, rules.CLOSED)
    assert not rules.can_transition(rules.MITIGATION, rules.NORMALIZATION)
    assert not rules.can_transition(rules.NORMALIZATION, rules.CANCELLED)
    for final in (rules.CLOSED, rules.REJECTED, rules.CANCELLED):
        assert not any(rules.can_transition(final, p) for p in rules.PHASES)


def test_phase_at_a_moment_uses_half_open_intervals():
    history = [
        (rules.EVALUATION, datetime(2026, 3, 1, 8), datetime(2026, 3, 1, 9)),
        (rules.NORMALIZATION, datetime(2026, 3, 1, 9), datetime(2026, 3, 2, 9)),
        (rules.MITIGATION, datetime(2026, 3, 2, 9), None),
    ]
    assert rules.phase_at(history, datetime(2026, 3, 1, 7)) is None
    assert rules.phase_at(history, datetime(2026, 3, 1, 8, 59)) == rules.EVALUATION
    assert rules.phase_at(history, datetime(2026, 3, 1, 9)) == rules.NORMALIZATION
    assert rules.phase_at(history, datetime(2026, 3, 2, 9)) == rules.MITIGATION
    assert rules.phase_at(history, datetime(2030, 1, 1)) == rules.MITIGATION


def test_evaluation_deadline_and_response_time():  # R9
    request = datetime(2026, 3, 1, 8, 0)
    assert rules.evaluation_deadline(request, 60) == datetime(2026, 3, 1, 9, 0)
    assert rules.response_minutes(request, datetime(2026, 3, 1, 8, 45)) == 45.0
    assert rules.response_minutes(request, datetime(2026, 3, 1, 7, 0)) == 0.0
