# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
"""The invoicing rules of the Express / Emergency plan (R11-R13, R16-R19),
as pure functions: no ORM. The models pass plain values in (phases, kinds,
rows of approved time) and turn the answers into invoices.
"""
from collections import OrderedDict, namedtuple

from odoo.addons.emergency_support import rules as core

# --- kinds of invoice ------------------------------------------------------------

GUARANTEE = "guarantee"
NORMALIZATION = "normalization"
MITIGATION = "mitigation"
SUPPLEMENT = "supplement"

KINDS = (GUARANTEE, NORMALIZATION, MITIGATION, SUPPLEMENT)

#: the work phase billed by each invoice of time (R18)
PHASE_OF_KIND = OrderedDict([
    (NORMALIZATION, core.NORMALIZATION),
    (MITIGATION, core.MITIGATION),
])

#: the emergency phases in which each invoice of time is due: normalization
#: is billed once normalization is reached, mitigation at the closure (R18)
DUE_IN_PHASES = {
    NORMALIZATION: (core.MITIGATION, core.CLOSED),
    MITIGATION: (core.CLOSED,),
}

# --- kinds of invoice line --------------------------------------------------------

LINE_TIME = "time"
LINE_GUARANTEE = "guarantee"
LINE_CREDIT = "credit"


def validate_at_once(kind, validate_all, validate_guarantee):
    """An invoice is validated (issued) as soon as it is made when the
    company validates every emergency invoice, or, for the guarantee, when
    it issues guarantees at once: the client pays it from the portal right
    after accepting, and the service waits for that payment (R13)."""
    return bool(validate_all) or (kind == GUARANTEE and bool(validate_guarantee))


def guarantee_invoice_due(phase, required, made):
    """R11, R13: a guarantee invoice is made once, when the client accepted
    and the service waits for the guarantee."""
    return bool(required) and phase == core.AWAITING_GUARANTEE and not made


def invoices_due(phase, made, pending, billable):
    """R18, R19: the invoices of time to make now, as ``[(kind, phases)]``.

    - ``phase``: the emergency's phase;
    - ``made``: the kinds already invoiced (invoices not cancelled);
    - ``pending``: the work phases with time not yet approved by both parties;
    - ``billable``: the work phases with approved time not invoiced yet.

    The invoice of a phase is due once its phase is over and waits while time
    of that phase is unapproved (work never waits for billing: the invoice
    does). Time approved after its phase's invoice was made ("late" time)
    rides on the mitigation invoice when that one is made now, else goes on
    a supplement invoice of its own. Nothing is ever due twice: approved time
    is either billable or linked to an invoice line.
    """
    due, late = [], set()
    for kind, work_phase in PHASE_OF_KIND.items():
        if work_phase not in billable:
            continue
        if kind in made:
            late.add(work_phase)
        elif phase in DUE_IN_PHASES[kind] and work_phase not in pending:
            due.append([kind, {work_phase}])
    if late:
        if due and due[-1][0] == MITIGATION:
            due[-1][1] |= late
        else:
            due.append([SUPPLEMENT, late])
    return [(kind, tuple(sorted(phases))) for kind, phases in due]


def invoices_waiting(phase, made, pending):
    """The kinds of invoice that are due by the phase but wait for
    unapproved time."""
    return [kind for kind, work_phase in PHASE_OF_KIND.items()
            if kind not in made and phase in DUE_IN_PHASES[kind]
            and work_phase in pending]


def next_supplement(sequences):
    """The number of the next supplement invoice (1, 2, ...)."""
    return max(list(sequences) + [0]) + 1


# --- grouping (never one invoice line per time line) ------------------------------

#: one invoice line per phase, rate and day
Time = namedtuple("Time", "phase day rate_kind rate agreement_id hours")
Group = namedtuple("Group", "phase day rate_kind rate agreement_id hours")

PHASE_ORDER = {phase: index for index, phase in enumerate(PHASE_OF_KIND.values())}


def group_key(time):
    return (time.phase, time.day, time.rate_kind, time.rate, time.agreement_id or False)


def group_time(times):
    """R19: the invoice lines for approved time ``times`` (``Time``, one per
    time line or already summed per key): one per phase, rate and day, in
    order of day, phase and rate; hours summed (2 decimals)."""
    sums = OrderedDict()
    for time in times:
        key = group_key(time)
        sums[key] = sums.get(key, 0.0) + time.hours
    groups = [Group(*(key + (round(hours, 2),))) for key, hours in sums.items()]
    return sorted(groups, key=lambda g: (str(g.day), PHASE_ORDER.get(g.phase, 9),
                                         g.rate_kind or "", g.rate))


def fees(groups):
    """Untaxed fees of the groups (hours x rate)."""
    return round(sum(g.hours * g.rate for g in groups), 2)


def credit(policy, guarantee_paid_amount, fees_amount, already_credited=0.0):
    """R12: the credit line of an invoice of ``fees_amount``: a *credited*,
    paid guarantee is deducted, what is left of it after earlier invoices,
    never turning the invoice negative; a charged one is not deducted; a
    waived one was never invoiced (nothing was paid)."""
    return core.guarantee_credit(policy, guarantee_paid_amount, fees_amount,
                                 already_credited)


def hours_summary(groups):
    """``[(phase, hours)]`` given back by a refund of these groups."""
    per_phase = OrderedDict()
    for group in groups:
        per_phase[group.phase] = round(per_phase.get(group.phase, 0.0) + group.hours, 2)
    return list(per_phase.items())
