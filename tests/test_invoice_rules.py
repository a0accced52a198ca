"""The invoicing rules as pure functions (no database): which invoice is due,
what waits, late time, grouping of time into invoice lines, the credited
guarantee (R11-R13, R16-R19)."""
import pytest

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
