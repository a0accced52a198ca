# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
"""The time rules of the Express / Emergency plan (R13, R15-R17, R19, R21),
as pure functions: no ORM, naive datetimes in UTC as Odoo stores them.

The models pass plain values in and turn the answers into records and
translated errors.
"""
import math
from collections import namedtuple
from datetime import datetime, time, timedelta

import pytz

from odoo.addons.emergency_support import rules as core

#: the longest a person may log on one calendar day
DAY_CAP_HOURS = 24.0
#: hours are compared with this tolerance (floats from the screen)
EPSILON = 1e-6
#: how far past "now" logged work may end: clocks differ by a little, and a
#: line is often typed in the minutes its work ends (R15: time is logged once
#: it is done)
FUTURE_TOLERANCE = timedelta(minutes=5)

# --- refusals -----------------------------------------------------------------

ZERO = "zero"
BEFORE_OPENING = "before_opening"
AFTER_CLOSURE = "after_closure"

#: phases in which time is logged: the service is open (R13, R16, R17)
BILLABLE_PHASES = core.WORK_PHASES

Piece = namedtuple("Piece", "phase start end day hours")


def _utc(moment):
    return pytz.utc.localize(moment)


def client_day(moment, tz_name):
    """The client's calendar day of ``moment`` (naive UTC) in ``tz_name``."""
    tz = pytz.timezone(tz_name or "UTC")
    return _utc(moment).astimezone(tz).date()


def local_midnights(start, end, tz_name):
    """The client's midnights strictly inside ``(start, end)``, as naive UTC."""
    tz = pytz.timezone(tz_name or "UTC")
    result = []
    day = client_day(start, tz_name) + timedelta(days=1)
    while True:
        midnight = tz.localize(datetime.combine(day, time(0, 0)))
        moment = midnight.astimezone(pytz.utc).replace(tzinfo=None)
        if moment >= end:
            return result
        if moment > start:
            result.append(moment)
        day += timedelta(days=1)


def phase_changes(history, start, end):
    """The moments strictly inside ``(start, end)`` where a phase started."""
    return sorted({phase_start for _phase, phase_start, _end in history
                   if start < phase_start < end})


def split_span(start, end, cuts):
    """``[start, end)`` cut at each moment of ``cuts`` strictly inside it,
    as a list of ``(start, end)`` in order."""
    points = [start] + sorted(c for c in set(cuts) if start < c < end) + [end]
    return list(zip(points[:-1], points[1:]))


def work_pieces(start, hours, history, tz_name):
    """Work of ``hours`` hours started at ``start`` (naive UTC), split at the
    phase changes of ``history`` (``[(phase, start, end)]``) and at the
    client's midnights: ``[Piece(phase, start, end, day, hours)]``. The hours
    of the pieces add up to ``hours`` exactly."""
    end = start + timedelta(hours=hours)
    cuts = phase_changes(history, start, end) + local_midnights(start, end, tz_name)
    pieces = []
    for piece_start, piece_end in split_span(start, end, cuts):
        pieces.append(Piece(
            core.phase_at(history, piece_start), piece_start, piece_end,
            client_day(piece_start, tz_name),
            (piece_end - piece_start).total_seconds() / 3600.0))
    if len(pieces) > 1:  # float drift lands on the last piece
        last = pieces[-1]
        pieces[-1] = last._replace(hours=hours - sum(p.hours for p in pieces[:-1]))
    return pieces


def piece_problem(piece):
    """Why a piece of work cannot be logged, or None: work is logged only
    while the service is open (normalization, mitigation)."""
    if piece.hours <= EPSILON:
        return ZERO
    if piece.phase in BILLABLE_PHASES:
        return None
    if piece.phase == core.CLOSED:
        return AFTER_CLOSURE
    return BEFORE_OPENING


def over_day_cap(logged, new, cap=DAY_CAP_HOURS):
    """True when ``new`` hours on top of ``logged`` pass the daily cap."""
    return logged + new > cap + EPSILON


def ends_in_future(start, hours, now, tolerance=FUTURE_TOLERANCE):
    """True when work of ``hours`` hours started at ``start`` ends after
    ``now`` by more than ``tolerance`` (all naive UTC)."""
    return start + timedelta(hours=hours) > now + tolerance


def local_text(moment, tz_name):
    """``moment`` (naive UTC) as ``YYYY-MM-DD HH:MM`` in ``tz_name``."""
    tz = pytz.timezone(tz_name or "UTC")
    return _utc(moment).astimezone(tz).strftime("%Y-%m-%d %H:%M")


def parse_hours(value):
    """``value`` (a number, or a text such as ``"1,5"``) as a finite float
    of hours, or None when it is not a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip().replace(",", "."))
        except ValueError:
            return None
    if not isinstance(value, (int, float)):
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def proposed_hours_max(line_hours, day_hours, cap=DAY_CAP_HOURS):
    """The most hours a client may propose for a line of ``line_hours``
    whose person logged ``day_hours`` that day (the line included): more
    than logged is allowed, as long as the correction keeps the person's day
    within the daily cap."""
    return max(round(cap - (day_hours - line_hours), 6), 0.0)


def correction_room(day_hours, cap=DAY_CAP_HOURS):
    """How many hours a correction may still add to a person's day that
    holds ``day_hours`` hours (never negative)."""
    return max(round(cap - day_hours, 6), 0.0)


# --- daily cut-offs (R15) -------------------------------------------------------

DRAFT = "draft"
SUBMITTED = "submitted"
DISPUTED = "disputed"
CORRECTED = "corrected"
APPROVED = "approved"

#: states in which the lines of a cut-off can no longer change
LOCKED_STATES = (SUBMITTED, DISPUTED, CORRECTED, APPROVED)


def approval_problem(state, already_approved):
    """Why a party cannot approve a cut-off now, or None."""
    if already_approved:
        return "twice"
    if state == DISPUTED or state == CORRECTED:
        return "disputed"
    if state != SUBMITTED:
        return "not_submitted"
    return None


def state_after_approval(staff_approved, client_approved):
    """Approved once both parties approved, else still submitted."""
    return APPROVED if staff_approved and client_approved else SUBMITTED


def correction_hours(hours, proposed, room=None):
    """The correcting line that turns ``hours`` into the ``proposed`` hours;
    an increase is limited to the ``room`` left under the daily cap."""
    change = round(proposed - hours, 6)
    if room is not None and change > room:
        change = round(room, 6)
    return change


def tacit_moments(submitted, hours):
    """``(reminder, approval)`` moments of a submitted cut-off under tacit
    approval after ``hours`` hours: the reminder goes 24 h before (never
    before the submission)."""
    approval = submitted + timedelta(hours=hours)
    reminder = max(approval - timedelta(hours=24), submitted)
    return reminder, approval


def cutoff_due(local_now, cutoff_hour, last_day):
    """True when the daily cut-offs of the local day of ``local_now`` are due:
    the cut-off hour passed and they were not made yet that day."""
    return local_now.hour >= cutoff_hour and (
        last_day is None or last_day < local_now.date())


# --- hour pool and estimates (R13, R21) ---------------------------------------

PoolStatus = namedtuple("PoolStatus", "used guarantee estimate over_estimate over_pool")


def pool_status(used, guarantee, estimate, margin_percent):
    """The hour pool: hours ``used`` against the ``guarantee`` hours and the
    ``estimate``; ``over_estimate`` once past the estimate by more than
    ``margin_percent``."""
    limit = estimate * (1 + (margin_percent or 0.0) / 100.0)
    return PoolStatus(
        used, guarantee, estimate,
        bool(estimate) and used > limit + EPSILON,
        bool(guarantee) and used > guarantee + EPSILON)


# --- the client's hour pool on the portal (R13, R15, R19, R21) ------------------

#: how a line of time stands for the client
APPROVED_HOURS = "approved"
PENDING_HOURS = "pending"
DISPUTED_HOURS = "disputed"
HOUR_KINDS = (APPROVED_HOURS, PENDING_HOURS, DISPUTED_HOURS)

#: why the client's time is covered
COVERED_BY_PLAN = "plan"
COVERED_BY_GUARANTEE = "guarantee"
LIST_RATES = "list"

#: ``phase`` is None on the row of the total; ``bars`` are the widths (in % of
#: the row's ``scale``) of the approved, pending and disputed hours, and the
#: places of the estimate and guarantee marks
PoolRow = namedtuple(
    "PoolRow", "phase approved pending disputed used estimate guarantee "
               "over_estimate over_pool scale bars")


def line_hours_kind(cutoff_state, disputed, corrects_a_line):
    """How a line of time stands for the client (R15, R19): *approved* once
    its cut-off is approved by both parties; *disputed* while the client's
    objection to it (or the team's correcting line answering it) waits for
    the approval; else *pending* (no cut-off yet, or a cut-off in draft,
    submitted or corrected)."""
    if cutoff_state == APPROVED:
        return APPROVED_HOURS
    if disputed or corrects_a_line:
        return DISPUTED_HOURS
    return PENDING_HOURS


def pool_hours(groups):
    """Hours per phase and kind, ``{phase: {kind: hours}}``, from groups of
    lines ``(phase, cutoff_state, disputed, corrects_a_line, hours)``."""
    result = {}
    for phase, cutoff_state, disputed, corrects, hours in groups:
        kind = line_hours_kind(cutoff_state, disputed, corrects)
        phases = result.setdefault(phase, {})
        phases[kind] = phases.get(kind, 0.0) + (hours or 0.0)
    return result


def logged_hours(groups):
    """The hours the team logged, from the same groups as ``pool_hours``:
    the lines that correct a disputed line aside (they are the client's
    answer, not work), so that a day disputed, even corrected down to
    nothing, still shows the hours disputed."""
    return sum(hours or 0.0 for _phase, _state, _disputed, corrects, hours in groups
               if not corrects)


def _percent(value, scale):
    if scale <= EPSILON:
        return 0.0
    return round(min(max(value / scale * 100.0, 0.0), 100.0), 1)


def _pool_row(phase, hours, estimate, guarantee, margin_percent):
    figures = {kind: max(hours.get(kind, 0.0), 0.0) for kind in HOUR_KINDS}
    used = sum(figures.values())
    status = pool_status(used, guarantee, estimate, margin_percent)
    scale = max(used, estimate, guarantee, 0.0)
    bars = {kind: _percent(figures[kind], scale) for kind in HOUR_KINDS}
    bars.update(estimate=_percent(estimate, scale) if estimate else None,
                guarantee=_percent(guarantee, scale) if guarantee else None)
    return PoolRow(phase, figures[APPROVED_HOURS], figures[PENDING_HOURS],
                   figures[DISPUTED_HOURS], used, estimate, guarantee,
                   status.over_estimate, status.over_pool, scale, bars)


def hour_pool(hours, estimates, guarantee, margin_percent=0.0):
    """The client's hour pool (R13, R21): a row per work phase and the total.

    ``hours`` is ``{phase: {kind: hours}}`` with the kinds of
    ``line_hours_kind``; ``estimates`` is ``{phase: hours}``; ``guarantee``
    the guarantee hours paid (0 without one). The guarantee is one pool for
    the whole emergency: it shows on the total only. Each row carries the
    widths of a chart on a scale of its own largest figure."""
    hours = hours or {}
    estimates = estimates or {}
    rows = [_pool_row(phase, hours.get(phase, {}), estimates.get(phase) or 0.0,
                      0.0, margin_percent)
            for phase in core.WORK_PHASES]
    total = {kind: sum(row._asdict()[kind] for row in rows) for kind in HOUR_KINDS}
    rows.append(_pool_row(None, total, sum(row.estimate for row in rows),
                          guarantee or 0.0, margin_percent))
    return rows


def pool_coverage(has_plan, guarantee_policy, guarantee_paid, guarantee_hours):
    """Why the client's time is covered: by a monthly plan in force (R3), by
    the paid guarantee credited against the fees (R12), or else billed at
    the list rates, Express for normalization and On-demand for mitigation
    (R4, R16). A charged guarantee is a compensation, not a cover (R12)."""
    if has_plan:
        return COVERED_BY_PLAN
    if guarantee_policy == core.CREDITED and guarantee_paid and guarantee_hours:
        return COVERED_BY_GUARANTEE
    return LIST_RATES


# --- the next step a daily cut-off waits for (the emergency's form) ------------

def cutoff_next_step(state, staff_approved, client_approved):
    """What a daily cut-off waits for and who does it: ``(step, actor)`` with
    the core's actors (``team``, ``client``), or None when it waits for
    nothing (approved, or corrected: its correction is the cut-off that
    waits)."""
    if state == DRAFT:
        return ("submit_cutoff", core.TEAM)
    if state == DISPUTED:
        return ("correct_cutoff", core.TEAM)
    if state == SUBMITTED:
        if not staff_approved:
            return ("approve_cutoff", core.TEAM)
        if not client_approved:
            return ("client_approves_cutoff", core.CLIENT)
    return None
