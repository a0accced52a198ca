"""The time rules as pure functions (no database): phase split, client's
midnight, refusals, cut-off approvals, tacit approval, hour pool."""
from datetime import date, datetime, timedelta

import pytest

from odoo.addons.emergency_support_timesheet import rules

NORM, MITI, CLOSED = "normalization", "mitigation", "closed"
OPENED = datetime(2026, 3, 2, 10, 0)
NORMALIZED = datetime(2026, 3, 2, 14, 0)
CLOSURE = datetime(2026, 3, 4, 9, 0)
HISTORY = [
    ("evaluation", datetime(2026, 3, 2, 8, 0), datetime(2026, 3, 2, 8, 30)),
    ("proposed", datetime(2026, 3, 2, 8, 30), datetime(2026, 3, 2, 9, 0)),
    ("accepted", datetime(2026, 3, 2, 9, 0), OPENED),
    (NORM, OPENED, NORMALIZED),
    (MITI, NORMALIZED, CLOSURE),
    (CLOSED, CLOSURE, None),
]


def pieces(start, hours, tz="UTC", history=HISTORY):
    return rules.work_pieces(start, hours, history, tz)


def test_work_inside_one_phase_and_day_is_one_piece():
    [piece] = pieces(datetime(2026, 3, 2, 11, 0), 2)
    assert piece == (NORM, datetime(2026, 3, 2, 11, 0), datetime(2026, 3, 2, 13, 0),
                     date(2026, 3, 2), 2.0)


def test_work_spanning_the_normalization_is_split_at_that_moment():
    first, second = pieces(datetime(2026, 3, 2, 13, 0), 2.5)
    assert (first.phase, first.end, first.hours) == (NORM, NORMALIZED, 1.0)
    assert (second.phase, second.start, second.hours) == (MITI, NORMALIZED, 1.5)


def test_work_ending_exactly_at_the_normalization_stays_in_normalization():
    [piece] = pieces(datetime(2026, 3, 2, 13, 0), 1)
    assert piece.phase == NORM and piece.end == NORMALIZED


def test_work_starting_exactly_at_the_normalization_is_mitigation():
    [piece] = pieces(NORMALIZED, 1)
    assert piece.phase == MITI


def test_caracas_midnight_splits_the_day_of_the_client():
    # Caracas is UTC-4: its midnight of 3 March is 04:00 UTC
    first, second = pieces(datetime(2026, 3, 3, 3, 0), 2, tz="America/Caracas")
    assert (first.day, first.hours) == (date(2026, 3, 2), 1.0)
    assert (second.day, second.start, second.hours) == (
        date(2026, 3, 3), datetime(2026, 3, 3, 4, 0), 1.0)
    # the same work is one UTC day
    assert len(pieces(datetime(2026, 3, 3, 3, 0), 2)) == 1


def test_kiritimati_is_a_day_ahead_of_utc():
    # Kiritimati is UTC+14: 2 March 11:00 UTC is 3 March 01:00 there
    [piece] = pieces(datetime(2026, 3, 2, 11, 0), 1, tz="Pacific/Kiritimati")
    assert piece.day == date(2026, 3, 3)
    # its midnight of 4 March is 3 March 10:00 UTC
    assert rules.local_midnights(datetime(2026, 3, 3, 9, 0), datetime(2026, 3, 3, 11, 0),
                                 "Pacific/Kiritimati") == [datetime(2026, 3, 3, 10, 0)]


def test_a_phase_change_and_a_midnight_in_one_span_give_three_pieces():
    history = [(NORM, datetime(2026, 3, 2, 10, 0), datetime(2026, 3, 3, 2, 0)),
               (MITI, datetime(2026, 3, 3, 2, 0), None)]
    result = pieces(datetime(2026, 3, 2, 23, 0), 5, history=history)
    assert [(p.phase, p.day, p.hours) for p in result] == [
        (NORM, date(2026, 3, 2), 1.0), (NORM, date(2026, 3, 3), 2.0),
        (MITI, date(2026, 3, 3), 2.0)]
    assert sum(p.hours for p in result) == 5


def test_hours_add_up_exactly_with_awkward_fractions():
    result = pieces(datetime(2026, 3, 2, 13, 20), 1 / 3.0 + 2.0, tz="America/Caracas")
    assert sum(p.hours for p in result) == 1 / 3.0 + 2.0


@pytest.mark.parametrize("start, hours, problem", [
    (datetime(2026, 3, 2, 9, 30), 0.25, rules.BEFORE_OPENING),
    (datetime(2026, 3, 2, 7, 0), 0.5, rules.BEFORE_OPENING),  # before any phase
    (datetime(2026, 3, 4, 9, 0), 1, rules.AFTER_CLOSURE),
    (datetime(2026, 3, 2, 11, 0), 0, rules.ZERO),
])
def test_pieces_outside_the_open_service_are_refused(start, hours, problem):
    assert rules.piece_problem(pieces(start, hours)[0]) == problem


def test_work_just_before_the_opening_is_refused_only_for_that_piece():
    before, inside = pieces(datetime(2026, 3, 2, 9, 30), 1)
    assert rules.piece_problem(before) == rules.BEFORE_OPENING
    assert rules.piece_problem(inside) is None


def test_daily_cap_is_24_hours():
    assert not rules.over_day_cap(20, 4)
    assert rules.over_day_cap(20, 4.01)


@pytest.mark.parametrize("state, already, problem", [
    (rules.SUBMITTED, False, None),
    (rules.SUBMITTED, True, "twice"),
    (rules.APPROVED, True, "twice"),
    (rules.DISPUTED, False, "disputed"),
    (rules.CORRECTED, False, "disputed"),
    (rules.DRAFT, False, "not_submitted"),
])
def test_approval_problems(state, already, problem):
    assert rules.approval_problem(state, already) == problem


def test_two_approvals_make_an_approved_cutoff():
    assert rules.state_after_approval(True, False) == rules.SUBMITTED
    assert rules.state_after_approval(False, True) == rules.SUBMITTED
    assert rules.state_after_approval(True, True) == rules.APPROVED


def test_correction_hours():
    assert rules.correction_hours(3.0, 2.5) == -0.5
    assert rules.correction_hours(1.0, 1.25) == 0.25


def test_tacit_reminder_is_24_hours_before_and_never_before_submission():
    sent = datetime(2026, 3, 3, 20, 0)
    assert rules.tacit_moments(sent, 72) == (sent + timedelta(hours=48),
                                             sent + timedelta(hours=72))
    assert rules.tacit_moments(sent, 12) == (sent, sent + timedelta(hours=12))


def test_cutoff_due_once_a_day_after_the_hour():
    assert not rules.cutoff_due(datetime(2026, 3, 3, 19, 59), 20, None)
    assert rules.cutoff_due(datetime(2026, 3, 3, 20, 0), 20, None)
    assert rules.cutoff_due(datetime(2026, 3, 3, 23, 0), 20, date(2026, 3, 2))
    assert not rules.cutoff_due(datetime(2026, 3, 3, 23, 0), 20, date(2026, 3, 3))


def test_pool_warns_past_the_margin_only():
    assert not rules.pool_status(3.3, 2, 3.0, 10).over_estimate
    assert rules.pool_status(3.31, 2, 3.0, 10).over_estimate
    assert rules.pool_status(2.5, 2, 3.0, 10).over_pool
    assert not rules.pool_status(5, 0, 0, 10).over_estimate  # no estimate, no warning


# --- the client's hour pool on the portal -----------------------------------------

def test_a_line_is_approved_pending_or_disputed_for_the_client():
    kind = rules.line_hours_kind
    assert kind("approved", False, False) == rules.APPROVED_HOURS
    assert kind("approved", True, False) == rules.APPROVED_HOURS  # settled dispute
    assert kind("approved", False, True) == rules.APPROVED_HOURS
    for state in (None, "draft", "submitted", "corrected"):
        assert kind(state, False, False) == rules.PENDING_HOURS
    assert kind("disputed", True, False) == rules.DISPUTED_HOURS
    assert kind("disputed", False, False) == rules.PENDING_HOURS  # an undisputed line
    # the team's correcting line counts with the dispute it answers
    assert kind("draft", False, True) == rules.DISPUTED_HOURS


def test_pool_hours_add_up_per_phase_and_kind():
    hours = rules.pool_hours([
        (NORM, "approved", False, False, 2.0),
        (NORM, None, False, False, 1.0),
        (NORM, None, True, False, 3.0),
        (NORM, None, False, True, -2.0),  # the client proposed 1 h of the 3
        (MITI, None, False, False, 0.5),
    ])
    assert hours == {NORM: {"approved": 2.0, "pending": 1.0, "disputed": 1.0},
                     MITI: {"pending": 0.5}}


def _rows(hours, estimates, guarantee, margin=0.0):
    return {row.phase: row for row in rules.hour_pool(hours, estimates, guarantee, margin)}


def test_hour_pool_has_a_row_per_phase_and_the_total():
    rows = _rows({NORM: {"approved": 2.0, "pending": 1.0, "disputed": 1.0},
                  MITI: {"pending": 0.5}}, {NORM: 4.0, MITI: 2.0}, 2)
    assert [row.phase for row in rules.hour_pool({}, {}, 0)] == [NORM, MITI, None]
    norm, miti, total = rows[NORM], rows[MITI], rows[None]
    assert (norm.approved, norm.pending, norm.disputed, norm.used, norm.estimate) == (
        2.0, 1.0, 1.0, 4.0, 4.0)
    assert (miti.approved, miti.pending, miti.disputed, miti.used) == (0.0, 0.5, 0.0, 0.5)
    assert (total.approved, total.pending, total.disputed, total.used) == (2.0, 1.5, 1.0, 4.5)
    assert (total.estimate, total.guarantee) == (6.0, 2)
    # the guarantee is one pool for the emergency: on the total only
    assert norm.guarantee == miti.guarantee == 0.0
    assert total.over_pool and not total.over_estimate and not norm.over_estimate
    # the chart: widths on the row's largest figure
    assert norm.bars == {"approved": 50.0, "pending": 25.0, "disputed": 25.0,
                         "estimate": 100.0, "guarantee": None}
    assert miti.bars["pending"] == 25.0 and miti.bars["estimate"] == 100.0
    assert total.scale == 6.0 and total.bars["guarantee"] == 33.3


def test_hour_pool_without_guarantee_or_estimate():
    rows = _rows({NORM: {"pending": 3.0}}, {}, 0)
    total = rows[None]
    assert (total.used, total.estimate, total.guarantee) == (3.0, 0.0, 0.0)
    assert not total.over_pool and not total.over_estimate
    assert total.bars == {"approved": 0.0, "pending": 100.0, "disputed": 0.0,
                          "estimate": None, "guarantee": None}
    empty = _rows({}, {}, 0)[MITI]
    assert empty.used == 0.0 and empty.scale == 0.0
    assert empty.bars["pending"] == 0.0 and empty.bars["estimate"] is None


def test_hour_pool_over_the_estimate_and_the_guarantee():
    rows = _rows({NORM: {"approved": 6.0, "pending": 2.0}, MITI: {"approved": 1.0}},
                 {NORM: 4.0, MITI: 2.0}, 4, margin=10.0)
    norm, miti, total = rows[NORM], rows[MITI], rows[None]
    assert norm.over_estimate and not miti.over_estimate
    assert total.over_estimate and total.over_pool
    # the bars never pass 100 %; the marks stay inside the bar
    assert norm.scale == 8.0
    assert norm.bars["approved"] + norm.bars["pending"] == 100.0
    assert norm.bars["estimate"] == 50.0
    assert total.bars["guarantee"] == round(4 / 9.0 * 100, 1)
    # inside the margin: no warning
    assert not _rows({NORM: {"approved": 4.4}}, {NORM: 4.0}, 0, margin=10.0)[NORM].over_estimate


def test_hour_pool_ignores_negative_figures():
    row = _rows({NORM: {"pending": -1.0, "approved": 2.0}}, {}, 0)[NORM]
    assert row.pending == 0.0 and row.used == 2.0 and row.bars["approved"] == 100.0


def test_why_the_time_is_covered():
    coverage = rules.pool_coverage
    assert coverage(True, "charged", False, 0) == rules.COVERED_BY_PLAN
    assert coverage(False, "credited", True, 2) == rules.COVERED_BY_GUARANTEE
    # a charged guarantee is a compensation, not a cover; a waived one was not paid
    assert coverage(False, "charged", True, 2) == rules.LIST_RATES
    assert coverage(False, "waived", False, 1) == rules.LIST_RATES
    assert coverage(False, "credited", False, 2) == rules.LIST_RATES
    assert coverage(False, "credited", True, 0) == rules.LIST_RATES


# --- issue 13: proposed hours, daily cap of corrections, future time ----------

def test_proposed_hours_are_numbers():
    assert rules.parse_hours(1) == 1.0
    assert rules.parse_hours("0,25") == 0.25
    assert rules.parse_hours(" 1.5 ") == 1.5
    for value in ("abc", "", None, True, [1], float("nan"), float("inf"), "1e400"):
        assert rules.parse_hours(value) is None, value


def test_proposed_hours_go_up_to_the_daily_cap():
    # a 2 h line of a person with 10 h that day: up to 16 h (24 h that day)
    assert rules.proposed_hours_max(2.0, 10.0) == 16.0
    # a correcting line of -0.5 h: the day without it decides
    assert rules.proposed_hours_max(-0.5, 0.5) == 23.0
    assert rules.proposed_hours_max(1.0, 25.0) == 0.0


def test_a_correction_adds_only_the_room_left_under_the_cap():
    assert rules.correction_room(22.0) == 2.0
    assert rules.correction_room(25.0) == 0.0
    assert rules.correction_hours(10.0, 14.0, room=2.0) == 2.0
    assert rules.correction_hours(10.0, 4.0, room=0.0) == -6.0  # a reduction always fits
    assert rules.correction_hours(1.0, 1.0, room=5.0) == 0.0


def test_work_ending_after_now_beyond_the_tolerance():
    now = datetime(2026, 3, 2, 12, 0)
    assert not rules.ends_in_future(datetime(2026, 3, 2, 11, 0), 1, now)
    assert not rules.ends_in_future(datetime(2026, 3, 2, 11, 0), 1 + 5 / 60.0, now)
    assert rules.ends_in_future(datetime(2026, 3, 2, 11, 0), 1 + 6 / 60.0, now)
    assert rules.ends_in_future(datetime(2026, 3, 5, 9, 0), 0.25, now)


def test_moments_in_the_users_time_zone():
    moment = datetime(2026, 3, 2, 9, 30)
    assert rules.local_text(moment, "America/Caracas") == "2026-03-02 05:30"
    assert rules.local_text(moment, None) == "2026-03-02 09:30"
