"""The demo accountant over a real server: the invoices of the demo
emergencies in Invoicing (guarantee, normalization, mitigation), with their
emergency, and the emergency's form (its Invoices button) readable."""
import pytest


@pytest.fixture(scope="module")
def accountant(odoo_server):
    def call(model, method, *args, **kwargs):
        return odoo_server.execute("accountant", "accountant", model, method,
                                   *args, **kwargs)
    return call


def test_accountant_finds_the_three_kinds_of_invoice(odoo_server, accountant):
    # the demo's emergencies: other tests of this server add their own
    # (e.g. guarantees left as drafts while a company setting is off)
    demo = [row["res_id"] for row in odoo_server.execute(
        "admin", "admin", "ir.model.data", "search_read",
        [("model", "=", "helpdesk.ticket"), ("module", "like", "emergency_support%")],
        fields=["res_id"])]
    invoices = accountant("account.invoice", "search_read",
                          [("emergency_kind", "!=", False), ("state", "!=", "cancel"),
                           ("emergency_ticket_id", "in", demo)],
                          fields=["emergency_kind", "emergency_ticket_id", "origin",
                                  "state", "amount_total"])
    kinds = {invoice["emergency_kind"] for invoice in invoices}
    assert {"guarantee", "normalization", "mitigation"} <= kinds, invoices
    for invoice in invoices:
        assert invoice["emergency_ticket_id"], invoice
        assert invoice["origin"], invoice
        # the guarantee is issued at once (the client pays it on the portal);
        # the invoices of time wait as drafts for the accountant
        # (or paid, by the portal tests' clients)
        expected = ("open", "paid") if invoice["emergency_kind"] == "guarantee" else ("draft",)
        assert invoice["state"] in expected, invoice


def test_accountant_opens_the_emergency_of_an_invoice(accountant):
    [invoice] = accountant("account.invoice", "search_read",
                           [("emergency_kind", "=", "mitigation")],
                           fields=["emergency_ticket_id"], limit=1)
    ticket_id = invoice["emergency_ticket_id"][0]
    views = accountant("helpdesk.ticket", "load_views", [[False, "form"]])
    form = views["fields_views"]["form"]
    assert "action_view_emergency_invoices" in form["arch"]
    [ticket] = accountant("helpdesk.ticket", "read", [ticket_id],
                          fields=list(form["fields"]))
    assert ticket["emergency_invoice_count"] >= 2
    action = accountant("helpdesk.ticket", "action_view_emergency_invoices", [ticket_id])
    found = accountant("account.invoice", "search", action["domain"])
    assert len(found) == ticket["emergency_invoice_count"]


def test_the_demo_invoices_carry_the_vat(odoo_server, accountant):
    """The demo company charges the VAT (IVA 16 %, added to the price) on
    its Express and On-demand hours: the guarantee of the emergency awaiting
    it (3 Express hours) is 105.00 + 16.80 = 121.80; the closed emergency of
    ACME (monthly plan) is invoiced 60.00 + 9.60 and 30.00 + 4.80."""
    demo = [row["res_id"] for row in odoo_server.execute(
        "admin", "admin", "ir.model.data", "search_read",
        [("model", "=", "helpdesk.ticket"), ("module", "like", "emergency_support%")],
        fields=["res_id"])]
    invoices = accountant("account.invoice", "search_read",
                          [("emergency_kind", "!=", False), ("state", "!=", "cancel"),
                           ("emergency_ticket_id", "in", demo)],
                          fields=["emergency_kind", "amount_untaxed", "amount_tax",
                                  "amount_total", "tax_line_ids"])
    amounts = {}
    for invoice in invoices:
        untaxed, tax, total = (invoice[name] for name in (
            "amount_untaxed", "amount_tax", "amount_total"))
        assert tax == round(untaxed * 0.16, 2) and total == round(untaxed + tax, 2), invoice
        amounts.setdefault(invoice["emergency_kind"], []).append((untaxed, tax, total))
    assert (105.0, 16.8, 121.8) in amounts["guarantee"], amounts
    assert (60.0, 9.6, 69.6) in amounts["normalization"], amounts
    assert (30.0, 4.8, 34.8) in amounts["mitigation"], amounts
    taxes = accountant("account.invoice.tax", "search_read",
                       [("invoice_id", "in", [invoice["id"] for invoice in invoices])],
                       fields=["name", "account_id"])
    assert {tax["name"] for tax in taxes} == {"IVA 16% (ventas)"}, taxes
    # posted on the chart's tax account, not on the income account
    assert all(tax["account_id"] for tax in taxes)
    income = accountant("account.invoice.line", "search_read",
                        [("invoice_id", "in", [invoice["id"] for invoice in invoices])],
                        fields=["account_id"])
    assert not {tax["account_id"][0] for tax in taxes} & {
        line["account_id"][0] for line in income}
