"""The next step of an emergency and who must act, and the catalogue's
verdict, as pure functions (no database) (issue 14)."""
import pytest

from odoo.addons.emergency_support import rules
from odoo.addons.emergency_support_timesheet import rules as time_rules


@pytest.mark.parametrize("phase, expected", [
    (rules.EVALUATION, ("evaluate", rules.TEAM)),
    (rules.PROPOSED, ("accept", rules.CLIENT)),
    (rules.ACCEPTED, ("pay_guarantee", rules.CLIENT)),
    (rules.AWAITING_GUARANTEE, ("pay_guarantee", rules.CLIENT)),
    (rules.NORMALIZATION, ("normalize", rules.TEAM)),
    (rules.MITIGATION, ("mitigate", rules.TEAM)),
    (rules.CLOSED, ("none", rules.NOBODY)),
    (rules.REJECTED, ("none", rules.NOBODY)),
    (rules.CANCELLED, ("none", rules.NOBODY)),
])
def test_each_phase_says_its_step_and_who_acts(phase, expected):
    assert rules.next_step(phase) == expected


def test_every_phase_has_a_next_step():
    assert set(rules.PHASE_NEXT_STEP) == set(rules.PHASES)


def test_not_an_emergency_has_no_step():
    assert rules.next_step(False) == (None, None)
    assert rules.next_step(None, [("approve_cutoff", rules.TEAM, "C1")]) == (None, None)


def test_a_waiting_step_of_an_addon_comes_first():
    due = [("approve_cutoff", rules.TEAM, "HT1/1"), ("validate_invoice", rules.ACCOUNTANT, "x")]
    assert rules.next_step(rules.NORMALIZATION, due) == due[0]
    # after the closure, time still to approve is what the emergency waits for
    assert rules.next_step(rules.CLOSED, due[1:]) == due[1]


@pytest.mark.parametrize("state, staff, client, expected", [
    (time_rules.DRAFT, False, False, ("submit_cutoff", rules.TEAM)),
    (time_rules.SUBMITTED, False, False, ("approve_cutoff", rules.TEAM)),
    (time_rules.SUBMITTED, False, True, ("approve_cutoff", rules.TEAM)),
    (time_rules.SUBMITTED, True, False, ("client_approves_cutoff", rules.CLIENT)),
    (time_rules.DISPUTED, True, False, ("correct_cutoff", rules.TEAM)),
    # a corrected cut-off waits for nothing: its correction is the one that waits
    (time_rules.CORRECTED, True, False, None),
    (time_rules.APPROVED, True, True, None),
])
def test_what_a_daily_cutoff_waits_for(state, staff, client, expected):
    assert time_rules.cutoff_next_step(state, staff, client) == expected


@pytest.mark.parametrize("flags, other, covered", [
    ([True, True], "", True),
    ([True], "  ", True),
    ([], "", False),  # nothing named: not covered
    ([True, False], "", False),  # known, outside the commitment
    ([True], "FortiGate", False),  # named, not in the catalogue
])
def test_the_catalogue_covers_the_products(flags, other, covered):  # R5
    assert rules.products_covered(flags, other) is covered
