"""The invoicing rules as pure functions (no database): which invoice is due,
what waits, late time, grouping of time into invoice lines, the credited
guarantee (R11-R13, R16-R19)."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from odoo.addons.emergency_support_invoice import rules

NORM, MITI = "normalization", "mitigation"
AWAIT, CLOSED = "awaiting_guarantee", "closed"


@pytest.mark.parametrize("phase,required,made,due", [
    (AWAIT, True, False, True),
    (AWAIT, True, True, False),
    (AWAIT, False, False, False),
    ("accepted", True, False, False),
    (NORM, True, False, False),
])
def test_guarantee_invoice_due_once_when_waiting_for_it(phase, required, made, due):
    assert rules.guarantee_invoice_due(phase, required, made) is due


def test_normalization_invoice_due_once_normalized():
    assert rules.invoices_due(NORM, set(), set(), {NORM}) == []
    assert rules.invoices_due(MITI, set(), set(), {NORM}) == [("normalization", (NORM,))]
    assert rules.invoices_due(CLOSED, set(), set(), {NORM}) == [("normalization", (NORM,))]


def test_invoice_waits_while_its_phase_has_unapproved_time():
    assert rules.invoices_due(MITI, set(), {NORM}, {NORM}) == []
    assert rules.invoices_waiting(MITI, set(), {NORM}) == ["normalization"]
    assert rules.invoices_waiting(NORM, set(), {NORM}) == []
    # unapproved mitigation time does not hold the normalization invoice
    assert rules.invoices_due(MITI, set(), {MITI}, {NORM}) == [("normalization", (NORM,))]


def test_mitigation_invoice_at_closure_only():
    assert rules.invoices_due(MITI, {"normalization"}, set(), {MITI}) == []
    assert rules.invoices_due(CLOSED, {"normalization"}, set(), {MITI}) == [
        ("mitigation", (MITI,))]
    assert rules.invoices_waiting(CLOSED, {"normalization"}, {MITI}) == ["mitigation"]


def test_both_invoices_at_closure_when_nothing_was_made():
    assert rules.invoices_due(CLOSED, set(), set(), {NORM, MITI}) == [
        ("normalization", (NORM,)), ("mitigation", (MITI,))]


def test_late_time_rides_on_the_mitigation_invoice_or_a_supplement():
    # normalization time approved after its invoice, mitigation invoice made now
    assert rules.invoices_due(CLOSED, {"normalization"}, set(), {NORM, MITI}) == [
        ("mitigation", (MITI, NORM))]
    # nothing else made now: a supplement
    assert rules.invoices_due(MITI, {"normalization"}, set(), {NORM}) == [
        ("supplement", (NORM,))]
    assert rules.invoices_due(CLOSED, {"normalization", "mitigation"}, set(),
                              {NORM, MITI}) == [("supplement", (MITI, NORM))]


def test_nothing_due_without_billable_time():
    assert rules.invoices_due(CLOSED, set(), set(), set()) == []
    assert rules.invoices_due(CLOSED, {"normalization", "mitigation"}, set(), set()) == []


def test_supplements_are_numbered():
    assert rules.next_supplement([]) == 1
    assert rules.next_supplement([1, 2]) == 3


def T(phase, day, hours, kind="express", rate=35.0, agreement=None):
    return rules.Time(phase, day, kind, rate, agreement, hours)


def test_time_is_grouped_per_phase_rate_and_day():
    groups = rules.group_time([
        T(NORM, "2026-03-02", 1.5), T(NORM, "2026-03-02", 2.0),
        T(MITI, "2026-03-02", 1.0, "ondemand", 25.0),
        T(NORM, "2026-03-01", 0.25),
        T(NORM, "2026-03-02", 1.0, rate=30.0, agreement=7),
    ])
    assert [(g.phase, g.day, g.rate, g.agreement_id, g.hours) for g in groups] == [
        (NORM, "2026-03-01", 35.0, False, 0.25),
        (NORM, "2026-03-02", 30.0, 7, 1.0),
        (NORM, "2026-03-02", 35.0, False, 3.5),
        (MITI, "2026-03-02", 25.0, False, 1.0),
    ]
    assert rules.fees(groups) == round(0.25 * 35 + 30 + 3.5 * 35 + 25, 2)
    assert rules.hours_summary(groups) == [(NORM, 4.75), (MITI, 1.0)]


def test_ten_thousand_lines_make_few_groups():
    times = [T(NORM, "2026-03-%02d" % (1 + i % 5), 0.1) for i in range(10000)]
    groups = rules.group_time(times)
    assert len(groups) == 5
    assert sum(g.hours for g in groups) == pytest.approx(1000.0)


@pytest.mark.parametrize("policy,fees,credit", [
    ("credited", 35.0, 35.0),    # below the guarantee: invoice at zero
    ("credited", 70.0, 70.0),    # equal
    ("credited", 105.0, 70.0),   # above: the whole guarantee deducted
    ("charged", 105.0, 0.0),
    ("waived", 105.0, 0.0),
])
def test_credited_guarantee_never_turns_an_invoice_negative(policy, fees, credit):
    assert rules.credit(policy, 70.0, fees) == credit


def test_credit_left_after_earlier_invoices():
    assert rules.credit("credited", 70.0, 100.0, already_credited=35.0) == 35.0
    assert rules.credit("credited", 70.0, 100.0, already_credited=70.0) == 0.0


def test_the_credit_goes_on_the_guarantee_s_taxes_first_then_the_others():
    bases = [("exempt", 50.0), ("vat", 35.0)]
    assert rules.split_credit(30.0, bases, first="vat") == [("vat", 30.0)]
    assert rules.split_credit(70.0, bases, first="vat") == [("vat", 35.0), ("exempt", 35.0)]
    # never more than each set's fees: no tax base below zero
    assert rules.split_credit(200.0, bases, first="vat") == [("vat", 35.0), ("exempt", 50.0)]
    # no line with the guarantee's taxes: the others in order
    assert rules.split_credit(60.0, bases, first="other") == [("exempt", 50.0), ("vat", 10.0)]
    assert rules.split_credit(0.0, bases) == []


@settings(deadline=None, derandomize=True)
@given(st.floats(0, 1000), st.lists(st.floats(-10, 500), max_size=4))
def test_the_split_credit_is_the_credit_and_no_base_turns_negative(credit, fees):
    credit = round(credit, 2)
    bases = [(index, round(base, 2)) for index, base in enumerate(fees)]
    parts = rules.split_credit(credit, bases, first=1)
    expected = min(credit, sum(max(base, 0.0) for _key, base in bases))
    assert abs(sum(amount for _key, amount in parts) - expected) < 0.005
    for key, amount in parts:
        assert 0.0 < amount <= dict(bases)[key]


@pytest.mark.parametrize("kind, validate_all, validate_guarantee, at_once", [
    (rules.GUARANTEE, False, True, True),      # the default: paid from the portal
    (rules.GUARANTEE, False, False, False),    # the accountant issues it
    (rules.GUARANTEE, True, False, True),
    (rules.NORMALIZATION, False, True, False),  # time waits for the accountant
    (rules.MITIGATION, False, True, False),
    (rules.SUPPLEMENT, True, False, True),
])
def test_which_invoices_are_issued_at_once(kind, validate_all, validate_guarantee, at_once):
    assert rules.validate_at_once(kind, validate_all, validate_guarantee) is at_once


# --- issue 13 item 10: no rounding per group --------------------------------------

def test_a_group_is_never_rounded_on_its_own():
    groups = rules.group_time([T(NORM, "2026-03-02", 0.016667), T(NORM, "2026-03-02", 0.004),
                               T(NORM, "2026-03-03", 0.004)])
    assert [g.hours for g in groups] == [0.0207, 0.004]
    assert rules.fees(groups) == round(0.024667 * 35, 2)


@given(st.lists(st.tuples(
    st.sampled_from([NORM, MITI]), st.sampled_from(["2026-03-01", "2026-03-02", "2026-03-03"]),
    st.sampled_from([35.0, 25.0, 30.0]),
    st.floats(min_value=0.0001, max_value=12.0, allow_nan=False)), min_size=1, max_size=40),
    st.randoms(use_true_random=False))
@settings(max_examples=300, deadline=None, derandomize=True)
def test_hours_billed_equal_hours_approved_for_any_split(pieces, rnd):
    """However the approved time is split into lines (each piece cut in
    random parts) and days, the hours billed at each rate equal the hours
    approved to 0.0001 h, and the amount equals hours x rate to the cent
    of each line."""
    times = []
    for phase, day, rate, hours in pieces:
        cuts = sorted(rnd.uniform(0, hours) for _ in range(rnd.randint(0, 3)))
        bounds = [0.0] + cuts + [hours]
        for start, end in zip(bounds, bounds[1:]):
            times.append(T(phase, day, end - start, rate=rate))
    rnd.shuffle(times)
    groups = rules.group_time(times)
    assert all(g.hours >= 0 for g in groups)
    for phase in (NORM, MITI):
        for rate in (35.0, 25.0, 30.0):
            approved = sum(t.hours for t in times if t.phase == phase and t.rate == rate)
            billed = sum(g.hours for g in groups if g.phase == phase and g.rate == rate)
            assert abs(billed - approved) <= 0.00005 + 1e-9
    exact = sum(t.hours * t.rate for t in times)
    assert abs(rules.fees(groups) - exact) <= 0.005 * len(groups) + 0.00005 * 35 * 6 + 1e-6
    # the same time in one line per group bills the same
    whole = rules.group_time([T(g.phase, g.day, h, rate=g.rate) for g, h in zip(
        groups, [sum(t.hours for t in times if rules.group_key(t) == rules.group_key(g))
                 for g in groups])])
    assert [g.hours for g in whole] == [g.hours for g in groups]


# --- item 2: credit notes ---------------------------------------------------------

@pytest.mark.parametrize("mode, emergency, allowed, frees", [
    ("refund", True, True, False),     # goodwill: the hours stay invoiced
    ("cancel", True, True, True),      # reversed whole: billable again, once
    ("modify", True, False, True),     # refused: its copy would bill them twice
    ("modify", False, True, True),
])
def test_what_each_refund_mode_means(mode, emergency, allowed, frees):
    assert rules.refund_allowed(mode, emergency) is allowed
    assert rules.refund_frees_hours(mode) is (mode == "cancel")


def test_the_credit_is_signed_and_counts_posted_credit_notes_only():
    assert rules.signed_credit("out_invoice", [-8.75]) == 8.75
    assert rules.signed_credit("out_refund", [-8.75]) == -8.75
    assert rules.credit_counts("out_invoice", "draft")
    assert not rules.credit_counts("out_invoice", "cancel")
    assert not rules.credit_counts("out_refund", "draft")
    assert rules.credit_counts("out_refund", "open")
    # the case: 35.00 credited, 8.75 used then given back: 25.00 on (3)
    used = rules.signed_credit("out_invoice", [-8.75]) + rules.signed_credit("out_refund", [-8.75])
    assert rules.credit("credited", 35.0, 25.0, already_credited=used) == 25.0


# --- item 3: a guarantee no longer due ------------------------------------------------

@pytest.mark.parametrize("phase, policy, payable", [
    (AWAIT, "charged", True), (AWAIT, "credited", True), (AWAIT, "waived", False),
    ("cancelled", "charged", False), (NORM, "charged", False)])
def test_a_guarantee_is_paid_online_only_while_due(phase, policy, payable):
    assert rules.guarantee_payable(phase, policy) is payable


# --- item 12: tiny supplements ----------------------------------------------------------

@pytest.mark.parametrize("amount, minimum, closed, due", [
    (0.35, 10.0, False, False), (10.0, 10.0, False, True), (0.35, 10.0, True, True),
    (0.35, 0.0, False, True)])
def test_a_tiny_supplement_waits_until_the_closure(amount, minimum, closed, due):
    assert rules.supplement_due(amount, minimum, closed) is due


# --- item 13: why this rate --------------------------------------------------------------

@pytest.mark.parametrize("agreement, rate, plan_rate, reason", [
    (None, 35.0, None, "list"), (7, 30.0, 30.0, "plan"), (7, 25.0, 28.0, "list_lower")])
def test_the_label_says_why_the_rate(agreement, rate, plan_rate, reason):
    assert rules.rate_reason(agreement, rate, plan_rate) == reason
