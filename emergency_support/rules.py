# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
"""The business rules of the Express / Emergency plan, as pure functions.

Nothing here touches the ORM: the models pass plain values in and turn the
answers into records and translated errors. This keeps the rules fast to test
and portable to a newer Odoo. Rule ids (R1...) refer to MISSION.md.
"""
from collections import namedtuple
from datetime import timedelta

# --- phases -----------------------------------------------------------------

EVALUATION = "evaluation"
REJECTED = "rejected"
PROPOSED = "proposed"
ACCEPTED = "accepted"
AWAITING_GUARANTEE = "awaiting_guarantee"
NORMALIZATION = "normalization"
MITIGATION = "mitigation"
CLOSED = "closed"
CANCELLED = "cancelled"

PHASES = (EVALUATION, REJECTED, PROPOSED, ACCEPTED, AWAITING_GUARANTEE,
          NORMALIZATION, MITIGATION, CLOSED, CANCELLED)

#: allowed moves: phase -> phases it may go to; a proposal goes back to
#: evaluation when the client or the area it was made for changes
TRANSITIONS = {
    EVALUATION: (PROPOSED, REJECTED, CANCELLED),
    PROPOSED: (PROPOSED, EVALUATION, REJECTED, ACCEPTED, CANCELLED),
    ACCEPTED: (AWAITING_GUARANTEE, NORMALIZATION, CANCELLED),
    AWAITING_GUARANTEE: (NORMALIZATION, CANCELLED),
    NORMALIZATION: (MITIGATION,),
    MITIGATION: (CLOSED,),
    REJECTED: (),
    CLOSED: (),
    CANCELLED: (),
}

# The phase groups: every list of phases the models and views need lives
# here, once. Views read them through computed booleans (``emergency_can_*``).

#: phases in which work on the service is (or was) under way
WORK_PHASES = (NORMALIZATION, MITIGATION)
#: phases in which the estimates may still be revised
ESTIMATE_PHASES = (EVALUATION, PROPOSED, ACCEPTED, AWAITING_GUARANTEE,
                   NORMALIZATION, MITIGATION)
#: phases before the client's acceptance: a new evaluation replaces the proposal
PROPOSAL_PHASES = (EVALUATION, PROPOSED)
#: phases before the service opens: the emergency may still be cancelled
BEFORE_WORK_PHASES = (EVALUATION, PROPOSED, ACCEPTED, AWAITING_GUARANTEE)
#: the emergency is over: nothing of it changes any more
FINISHED_PHASES = (REJECTED, CLOSED, CANCELLED)
#: the normalization criteria may still be written, added or removed
CRITERIA_EDITABLE_PHASES = BEFORE_WORK_PHASES + (NORMALIZATION,)
#: the criteria are confirmed while the service is being normalized
CRITERIA_CONFIRM_PHASES = (NORMALIZATION,)
#: the critical actions and their results may still be recorded
ACTIONS_EDITABLE_PHASES = ESTIMATE_PHASES
#: the client and the service area may change (a proposal is withdrawn)
SCOPE_EDITABLE_PHASES = PROPOSAL_PHASES

#: verdicts of an evaluation
VIABLE = "viable"
DECLINED = "rejected"


def can_transition(current, target):
    """True when an emergency in phase ``current`` may move to ``target``."""
    return target in TRANSITIONS.get(current, ())


def phase_at(history, moment):
    """The phase an emergency was in at ``moment``.

    ``history`` is an iterable of ``(phase, start, end)`` with ``end`` None for
    the current phase; intervals are half-open ``[start, end)``. Returns None
    before the first phase started.
    """
    found = None
    for phase, start, end in sorted(history, key=lambda item: item[1]):
        if start <= moment and (end is None or moment < end):
            found = phase
    return found


# --- evaluation (R9-R11) -----------------------------------------------------

GUARANTEE_MIN_HOURS = 1
GUARANTEE_MAX_HOURS = 8
GUARANTEE_DEFAULT_HOURS = 1


def evaluation_deadline(request_date, promise_minutes):
    """R9: the answer is due ``promise_minutes`` after the request."""
    return request_date + timedelta(minutes=promise_minutes)


def response_minutes(request_date, answer_date):
    """Minutes from the request to the first answer (never negative)."""
    return max((answer_date - request_date).total_seconds() / 60.0, 0.0)


def guarantee_hours_valid(hours, has_plan):
    """R11: 1 to 8 Express hours without a plan; none with a monthly plan (R3)."""
    if has_plan:
        return hours == 0
    return GUARANTEE_MIN_HOURS <= hours <= GUARANTEE_MAX_HOURS


# --- guarantee (R12, R13) ------------------------------------------------------

CHARGED = "charged"
CREDITED = "credited"
WAIVED = "waived"


def guarantee_required(has_plan, policy):
    """R3, R11, R12: a guarantee is asked unless a plan covers it or it is waived."""
    return not has_plan and policy != WAIVED


def guarantee_change_refusal(current, target, phase, has_plan, paid):
    """R12: why the guarantee of an emergency cannot go from the policy
    ``current`` to ``target``, or None when it can.

    - a client with a monthly plan pays no guarantee: nothing to decide;
    - a finished emergency is settled;
    - a waiver is final (the service may have opened without payment);
    - a guarantee is waived only before it is paid and the service opens;
    - charged and credited swap until normalization is reached, when the
      normalization invoice settles the credit.
    """
    if has_plan:
        return "plan"
    if phase in FINISHED_PHASES:
        return "finished"
    if current == target:
        return "same"
    if current == WAIVED:
        return "waived"
    if target == WAIVED:
        if paid:
            return "paid"
        if phase not in BEFORE_WORK_PHASES:
            return "opened"
        return None
    if phase not in BEFORE_WORK_PHASES + (NORMALIZATION,):
        return "normalized"
    return None


def guarantee_credit(policy, guarantee_amount, fees_amount, already_credited=0.0):
    """R12: how much of a paid guarantee to deduct from an invoice of ``fees_amount``.

    Only a *credited* guarantee is deducted, never more than what is left of
    it, and never so much that the invoice turns negative.
    """
    if policy != CREDITED:
        return 0.0
    left = max(guarantee_amount - already_credited, 0.0)
    return round(min(left, max(fees_amount, 0.0)), 2)


# --- rates (R1-R4, R16, R17) --------------------------------------------------

EXPRESS = "express"
ONDEMAND = "ondemand"
FREE = "free"

Agreement = namedtuple("Agreement", "id date_start date_end area_ids express_rate ondemand_rate")
Rate = namedtuple("Rate", "kind rate agreement_id")


def agreement_applies(agreement, day, area_id):
    """R2: an agreement covers work of ``day`` in ``area_id`` (dates inclusive)."""
    if agreement.date_start and day < agreement.date_start:
        return False
    if agreement.date_end and day > agreement.date_end:
        return False
    return area_id in agreement.area_ids


def rate_kind(phase):
    """R16/R17: Express while normalizing, On-demand once normal; the
    evaluation and the steps before the service opens are free (R9)."""
    if phase == NORMALIZATION:
        return EXPRESS
    if phase in (MITIGATION, CLOSED):
        return ONDEMAND
    return FREE


def resolve_rate(phase, day, area_id, agreements, express_price, ondemand_price):
    """R3/R4/R16/R17: the hourly rate for work done on ``day`` in ``phase``.

    ``agreements`` are the client's confirmed monthly plans (``Agreement``).
    With a plan covering the area on that day its rates apply; for mitigation
    the client gets the lower of the plan's and the On-demand list rate (the
    "most convenient" rate, R16). Among several covering plans, the cheapest
    wins. Without a plan, the list prices apply (R4).
    """
    kind = rate_kind(phase)
    if kind == FREE:
        return Rate(FREE, 0.0, None)
    covering = [a for a in agreements if agreement_applies(a, day, area_id)]
    list_price = express_price if kind == EXPRESS else ondemand_price
    if not covering:
        return Rate(kind, list_price, None)
    offers = []
    for agreement in covering:
        rate = agreement.express_rate if kind == EXPRESS else agreement.ondemand_rate
        if kind == ONDEMAND:
            rate = min(rate, ondemand_price)
        offers.append((rate, agreement.id))
    rate, agreement_id = min(offers)
    return Rate(kind, rate, agreement_id)


# --- the manager's dashboard ---------------------------------------------------


def share_percent(part, whole):
    """``part`` out of ``whole`` in percent, one decimal; 0 when nothing is
    due (the dashboard of an empty period shows 0, not an error)."""
    if not whole:
        return 0.0
    return round(100.0 * part / whole, 1)


def per_hundred_hours(events, hours):
    """How many ``events`` (disputes) per 100 ``hours`` of time; 0 without
    time."""
    if hours <= 1e-6:
        return 0.0
    return round(100.0 * events / hours, 2)


# --- the next step and who must act -------------------------------------------

#: who must act next on an emergency
TEAM = "team"
CLIENT = "client"
ACCOUNTANT = "accountant"
NOBODY = "nobody"

#: the step each phase waits for, and who does it: ``phase -> (step, actor)``
PHASE_NEXT_STEP = {
    EVALUATION: ("evaluate", TEAM),
    PROPOSED: ("accept", CLIENT),
    ACCEPTED: ("pay_guarantee", CLIENT),
    AWAITING_GUARANTEE: ("pay_guarantee", CLIENT),
    NORMALIZATION: ("normalize", TEAM),
    MITIGATION: ("mitigate", TEAM),
    REJECTED: ("none", NOBODY),
    CLOSED: ("none", NOBODY),
    CANCELLED: ("none", NOBODY),
}


def next_step(phase, due_steps=()):
    """The next step of an emergency and who must do it: ``(step, actor)``.

    ``due_steps`` are the ``(step, actor)`` the later addons found waiting
    (a daily cut-off to approve, an invoice to validate), most urgent first:
    they come before the phase's own step, because the phase's step (reach
    normalization, close) does not settle them. Not an emergency (no phase):
    ``(None, None)``.
    """
    if not phase:
        return (None, None)
    if due_steps:
        return tuple(due_steps[0])
    return PHASE_NEXT_STEP.get(phase, ("none", NOBODY))


def products_covered(supported_flags, other_products):
    """R5: the affected products are covered when at least one is named,
    every one named is supported by the catalogue and none outside it is
    named (``other_products``, free text)."""
    flags = list(supported_flags)
    return bool(flags) and all(flags) and not (other_products or "").strip()
