# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
"""A small reference model of the billing of one emergency, for the
stateful test ``test_billing_invariants``: what the plan's rules (R11-R19)
say the time, the cut-offs and the invoices must be after each step. Plain
Python, written from the rules, not from the addons' code: no ORM, naive
datetimes in UTC."""
from datetime import datetime, time, timedelta

import pytz

NORMALIZATION = "normalization"
MITIGATION = "mitigation"
CLOSED = "closed"
AWAITING = "awaiting_guarantee"
WORK = (NORMALIZATION, MITIGATION)

DRAFT, SUBMITTED, DISPUTED, CORRECTED, APPROVED = (
    "draft", "submitted", "disputed", "corrected", "approved")

#: the invoice of each work phase, and the emergency phases in which it is due
KIND_OF_PHASE = {NORMALIZATION: "normalization", MITIGATION: "mitigation"}
DUE_IN = {NORMALIZATION: (MITIGATION, CLOSED), MITIGATION: (CLOSED,)}

EPSILON = 1e-6
DAY_CAP = 24.0


class Plan(object):
    """A monthly plan: its days (inclusive) and rates."""

    def __init__(self, start, end, express, ondemand):
        self.start, self.end = start, end
        self.express, self.ondemand = express, ondemand

    def covers(self, day):
        return self.start <= day <= self.end


def rate(phase, day, plan, express_list, ondemand_list):
    """R3, R4, R16, R17: Express while normalizing, On-demand after; a plan
    covering the day gives its rates, for mitigation the lower of the plan's
    and the list's."""
    if plan and plan.covers(day):
        if phase == NORMALIZATION:
            return plan.express
        return min(plan.ondemand, ondemand_list)
    return express_list if phase == NORMALIZATION else ondemand_list


def pieces(start, hours, phase_starts, tz_name):
    """Work of ``hours`` from ``start``: ``[(phase, start, end, day,
    hours)]`` cut at the phase changes and the client's midnights (the phase
    before the first start is None: the service was not open)."""
    zone = pytz.timezone(tz_name)
    end = start + timedelta(hours=hours)
    cuts = {moment for _phase, moment in phase_starts if start < moment < end}
    day = pytz.utc.localize(start).astimezone(zone).date()
    while True:
        day += timedelta(days=1)
        midnight = zone.localize(datetime.combine(day, time(0, 0))).astimezone(
            pytz.utc).replace(tzinfo=None)
        if midnight >= end:
            break
        cuts.add(midnight)
    points = [start] + sorted(cuts) + [end]
    result = []
    for begin, finish in zip(points[:-1], points[1:]):
        phase = None
        for name, moment in phase_starts:
            if moment <= begin:
                phase = name
        local_day = pytz.utc.localize(begin).astimezone(zone).date()
        result.append([phase, begin, finish, local_day,
                       (finish - begin).total_seconds() / 3600.0])
    if len(result) > 1:
        result[-1][4] = hours - sum(piece[4] for piece in result[:-1])
    return [tuple(piece) for piece in result if piece[4] > EPSILON]


class Line(object):
    def __init__(self, line_id, phase, day, hours, corrects=None, cutoff=None):
        self.id, self.phase, self.day, self.hours = line_id, phase, day, hours
        self.corrects, self.cutoff = corrects, cutoff
        self.disputed, self.proposed = False, None


class Cutoff(object):
    def __init__(self, cutoff_id, day, correction_of=None):
        self.id, self.day, self.correction_of = cutoff_id, day, correction_of
        self.state, self.staff, self.client = DRAFT, False, False


class Reference(object):
    """The emergency as the rules see it."""

    def __init__(self, tz_name, plan, express_list, ondemand_list):
        self.tz_name, self.plan = tz_name, plan
        self.express_list, self.ondemand_list = express_list, ondemand_list
        self.phase = None
        self.phase_starts = []          # [(phase, moment)] of the service
        self.lines = {}                 # id: Line
        self.cutoffs = {}               # id: Cutoff
        self.policy = None              # charged, credited, waived
        self.guarantee_paid = 0.0       # untaxed amount of the paid guarantee
        self.credit_of = {}             # invoice id: credit expected on it
        self.reversed = set()           # invoices reversed by a credit note
        self.settled = True             # no time released since invoicing

    # -- time ---------------------------------------------------------------

    def rate(self, phase, day):
        return rate(phase, day, self.plan, self.express_list, self.ondemand_list)

    def log_problem(self, start, hours, user_day_hours):
        """Why the work cannot be logged, or None; and its pieces."""
        work = pieces(start, hours, self.phase_starts, self.tz_name)
        for phase, _start, _end, _day, _hours in work:
            if phase == CLOSED:
                return "after_closure", work
            if phase not in WORK:
                return "before_opening", work
        days = {}
        for _phase, _start, _end, day, piece_hours in work:
            days[day] = days.get(day, 0.0) + piece_hours
        for day, new in days.items():
            if user_day_hours(day) + new > DAY_CAP + EPSILON:
                return "day_cap", work
        return None, work

    def day_hours(self, day):
        return sum(line.hours for line in self.lines.values() if line.day == day)

    def pending(self, phase):
        """Time of ``phase`` not approved by both parties."""
        return any(line.phase == phase and (
            line.cutoff is None or self.cutoffs[line.cutoff].state != APPROVED)
            for line in self.lines.values())

    def approved(self, line):
        return line.cutoff is not None and self.cutoffs[line.cutoff].state == APPROVED

    # -- cut-offs -------------------------------------------------------------

    def approval_problem(self, cutoff, party):
        already = cutoff.staff if party == "staff" else cutoff.client
        if already:
            return "twice"
        if cutoff.state in (DISPUTED, CORRECTED):
            return "disputed"
        if cutoff.state != SUBMITTED:
            return "not_submitted"
        return None

    def approve(self, cutoff, party):
        """Record ``party``'s approval; True when the cut-off is approved."""
        if party == "staff":
            cutoff.staff = True
        else:
            cutoff.client = True
        if not (cutoff.staff and cutoff.client):
            return False
        chain = cutoff
        while chain is not None:
            chain.state = APPROVED
            chain = self.cutoffs.get(chain.correction_of)
        return True

    def blocked(self):
        """The cut-offs that can no longer reach approved: a next step
        exists for every other one (R15, R19)."""
        stuck = []
        for cutoff in self.cutoffs.values():
            if cutoff.state == APPROVED:
                continue
            if not self._can_end(cutoff, set()):
                stuck.append(cutoff.id)
        return stuck

    def _can_end(self, cutoff, seen):
        if cutoff.id in seen:
            return False
        seen.add(cutoff.id)
        if cutoff.state == DRAFT:
            return any(line.cutoff == cutoff.id for line in self.lines.values())
        if cutoff.state in (SUBMITTED, DISPUTED):
            return True
        if cutoff.state == CORRECTED:
            corrections = [c for c in self.cutoffs.values()
                           if c.correction_of == cutoff.id and c.state != APPROVED]
            return any(self._can_end(c, seen) for c in corrections)
        return True

    # -- invoices -------------------------------------------------------------

    def invoice_due(self, phase, made):
        """After an invoicing point: must every approved hour of ``phase`` be
        on a live invoice? Yes once its invoice exists (late time goes on a
        supplement), or once the phase is over and none of its time waits."""
        if made:
            return True
        return self.phase in DUE_IN[phase] and not self.pending(phase)

    def expected_credit(self, fees, credited_so_far):
        """R12: a credited, paid guarantee is deducted from the fees, what is
        left of it, never turning the invoice negative."""
        if self.policy != "credited" or not self.guarantee_paid:
            return 0.0
        left = max(self.guarantee_paid - credited_so_far, 0.0)
        return round(min(left, max(fees, 0.0)), 2)

    def guarantee_change_problem(self, target, has_plan, paid):
        """R12: why the guarantee cannot go to ``target`` now, or None."""
        if has_plan:
            return "plan"
        if self.phase == CLOSED:
            return "finished"
        if self.policy == target:
            return "same"
        if self.policy == "waived":
            return "waived"
        if target == "waived":
            if paid:
                return "paid"
            if self.phase != AWAITING:
                return "opened"
            return None
        if self.phase not in (AWAITING, NORMALIZATION):
            return "normalized"
        return None
