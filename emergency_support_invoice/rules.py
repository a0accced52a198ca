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


def guarantee_payable(phase, policy):
    """R12, R13: the client pays a guarantee online only while its emergency
    waits for it and it was not waived."""
    return phase == core.AWAITING_GUARANTEE and policy != core.WAIVED


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


#: the decimals of the hours on an invoice line (the invoice line's quantity):
#: 0.0001 h is 0.0035 at 35/h, under half a cent
HOURS_DIGITS = 4


def rate_key(key):
    """The rate part of a group key (phase, rate kind, rate, plan): the
    groups whose hours are rounded together."""
    return (key[0],) + tuple(key[2:])


def group_time(times, digits=HOURS_DIGITS):
    """R19: the invoice lines for approved time ``times`` (``Time``, one per
    time line or already summed per key): one per phase, rate and day, in
    order of day, phase and rate.

    Hours are never rounded group by group (0.016667 h + 0.004 h is not
    0.02 h, and a group under the precision is not 0): the running total of
    each rate is rounded to ``digits`` and each group bills the difference,
    so that the hours billed at a rate equal the hours approved at it, to
    ``digits`` decimals, however the time is split into lines and days."""
    sums = OrderedDict()
    for time in times:
        key = group_key(time)
        sums[key] = sums.get(key, 0.0) + time.hours
    keys = sorted(sums, key=lambda k: (str(k[1]), PHASE_ORDER.get(k[0], 9),
                                       k[2] or "", k[3]))
    running, billed, groups = {}, {}, []
    for key in keys:
        rate = rate_key(key)
        running[rate] = running.get(rate, 0.0) + sums[key]
        total = round(running[rate], digits)
        hours = round(total - billed.get(rate, 0.0), digits)
        billed[rate] = total
        groups.append(Group(*(key + (hours,))))
    return groups


def fees(groups):
    """Untaxed fees of the groups: each line's hours x rate to the cent, as
    the invoice line computes its subtotal."""
    return round(sum(round(g.hours * g.rate, 2) for g in groups), 2)


def credit(policy, guarantee_paid_amount, fees_amount, already_credited=0.0):
    """R12: the credit line of an invoice of ``fees_amount``: a *credited*,
    paid guarantee is deducted, what is left of it after earlier invoices,
    never turning the invoice negative; a charged one is not deducted; a
    waived one was never invoiced (nothing was paid)."""
    return core.guarantee_credit(policy, guarantee_paid_amount, fees_amount,
                                 already_credited)


def split_credit(credit_amount, bases, first=None):
    """R12 with taxes: the credit (untaxed, as the guarantee is hours x
    rate) spread over the fees it offsets, ``bases`` being ``[(taxes,
    untaxed fees)]`` per set of taxes of the invoice's lines of time. The
    set ``first`` (the guarantee's own taxes) takes it first, then the
    others in order, each up to its own fees: the credit line of each set
    carries that set's taxes, so it lowers that tax base, never below zero,
    and the invoice never turns negative. ``[(taxes, amount)]``, the sets
    that take some of it."""
    ordered = sorted(bases, key=lambda item: item[0] != first)
    left, parts = round(credit_amount, 2), []
    for taxes, base in ordered:
        amount = round(min(left, max(base, 0.0)), 2)
        if amount > 0.0:
            parts.append((taxes, amount))
            left = round(left - amount, 2)
    return parts


def signed_credit(move_type, credit_subtotals):
    """R12: the guarantee credited by one invoice or credit note, from its
    credit lines' subtotals (negative on an invoice): an invoice deducts,
    its credit note gives the deduction back."""
    sign = -1.0 if move_type == "out_refund" else 1.0
    return -sign * sum(credit_subtotals)


def credit_counts(move_type, state):
    """Which documents count in the credit already used: every invoice that
    is not cancelled (a draft invoice will be issued with its deduction),
    a credit note only once posted (a draft credit note counts nothing)."""
    if move_type == "out_refund":
        return state in ("open", "paid")
    return state != "cancel"


# --- credit notes (Odoo's refund modes) --------------------------------------------

#: account.invoice.refund's ``filter_refund``
REFUND_DRAFT = "refund"     # a draft credit note, any amount: a goodwill refund
REFUND_CANCEL = "cancel"    # a full credit note, posted and reconciled
REFUND_MODIFY = "modify"    # a full credit note, plus a draft copy to edit


def refund_allowed(mode, is_emergency):
    """The modify mode copies the invoice into a draft that the emergency
    does not know: its hours would be billed twice (the copy, and the
    emergency's next invoice). Emergency invoices are corrected by a
    cancelling credit note instead."""
    return not (is_emergency and mode == REFUND_MODIFY)


def refund_frees_hours(mode):
    """A credit note that cancels the invoice (the full amount, posted and
    reconciled) makes its hours billable again, once: they go on the
    emergency's next invoice. A draft credit note of any amount is a
    goodwill refund: the hours stay invoiced."""
    return mode == REFUND_CANCEL


# --- tiny invoices -----------------------------------------------------------------

def supplement_due(amount, minimum, closed):
    """R19 and the accountant: a supplement (late time on its own invoice)
    is made once its fees reach the company's minimum; below it the time
    waits for the next invoice or the closure. Once the emergency is
    closed nothing waits: everything approved is invoiced, whatever the
    amount, so that no hour is ever lost."""
    return bool(closed) or amount >= (minimum or 0.0)


# --- invoice line labels --------------------------------------------------------------

RATE_LIST = "list"              # no plan: the list price
RATE_PLAN = "plan"              # the plan's rate
RATE_LIST_LOWER = "list_lower"  # a plan, but the list price is lower (R16)


def rate_reason(agreement_id, rate, plan_rate):
    """Why the line has its rate: the list price (no plan), the plan's rate,
    or the list price because it is lower than the plan's."""
    if not agreement_id:
        return RATE_LIST
    if plan_rate is not None and rate < plan_rate - 0.005:
        return RATE_LIST_LOWER
    return RATE_PLAN


def hours_summary(groups):
    """``[(phase, hours)]`` given back by a refund of these groups."""
    per_phase = OrderedDict()
    for group in groups:
        per_phase[group.phase] = round(per_phase.get(group.phase, 0.0) + group.hours,
                                       HOURS_DIGITS)
    return list(per_phase.items())
