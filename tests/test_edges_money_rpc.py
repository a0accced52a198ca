"""The credited guarantee and the accountant's credit notes, over XML-RPC as
the demo roles (issue 13, item 2): the client accepts and the specialist
credits the guarantee, the accountant validates and pays it, the team's
time is approved by both sides, the accountant issues a credit note of
invoice (2) from Odoo's own wizard, and invoice (3) deducts what is left of
the guarantee, the credit of invoice (2) counted once."""
from tests.portal_session import admin_caller, new_portal_client
from tests.service_clock import open_service_earlier

PASSWORD = "edges-money-client"
INVOICE = "account.invoice"
CUTOFF = "emergency.timesheet.cutoff"


def _caller(odoo_server, client_login):
    """``call(login, model, method, ...)`` over XML-RPC: the demo users'
    passwords are their logins."""
    def call(login, model, method, *args, **kw):
        password = PASSWORD if login == client_login else login
        return odoo_server.execute(login, password, model, method, *args, **kw)
    return call


def _approve_the_day(call, client, ticket, line):
    """The specialist makes and submits the day's cut-off of ``line``;
    the team and the client approve it."""
    call("specialist", "helpdesk.ticket", "action_emergency_make_cutoff", [ticket])
    [read] = call("specialist", "account.analytic.line", "read", [line],
                  fields=["emergency_cutoff_id"])
    cutoff = read["emergency_cutoff_id"][0]
    call("specialist", CUTOFF, "action_submit", [cutoff])
    call("specialist", CUTOFF, "action_staff_approve", [cutoff])
    call(client, CUTOFF, "emergency_client_approve", [cutoff])
    [state] = call("admin", CUTOFF, "read", [cutoff], fields=["state"])
    assert state["state"] == "approved"


def _invoice(call, ticket, kind):
    [invoice] = call("accountant", INVOICE, "search_read", [
        ("emergency_ticket_id", "=", ticket), ("emergency_kind", "=", kind),
        ("state", "!=", "cancel")], fields=["state", "amount_untaxed", "invoice_line_ids"])
    lines = call("accountant", "account.invoice.line", "read", invoice["invoice_line_ids"],
                 fields=["price_subtotal", "emergency_line_kind"])
    invoice["credit"] = sum(line["price_subtotal"] for line in lines
                            if line["emergency_line_kind"] == "credit")
    return invoice


def test_a_credit_note_counts_the_credit_once(odoo_server):
    """Item 2, the issue's case: a guarantee of 1 h (35.00) credited;
    invoice (2) is 8.75 - 8.75 = 0; the accountant's credit note of it (a
    goodwill refund: its hours stay invoiced) gives its 8.75 back; invoice
    (3), 1 h at 25.00, deducts 25.00 (the issue saw 17.50)."""
    admin = admin_caller(odoo_server)
    ref = admin.ref
    _company, person, client = new_portal_client(
        odoo_server, "Credit note client H", PASSWORD, tz="UTC")
    call = _caller(odoo_server, client)
    ticket = admin("helpdesk.ticket", "create", {
        "name": "Billing server down", "is_emergency": True, "partner_id": person,
        "service_area_id": ref("emergency_support.service_area_databases"),
        "emergency_product_ids": [(6, 0, [ref(
            "emergency_support.supported_product_postgresql")])],
        "criterion_ids": [(0, 0, {"name": "Invoices are issued again"})]})
    call("specialist", "emergency.evaluation", "create", {
        "ticket_id": ticket, "verdict": "viable", "guarantee_hours": 1,
        "estimated_normalization_hours": 1, "estimated_mitigation_hours": 1})
    call(client, "helpdesk.ticket", "emergency_accept_proposal", [ticket],
         accept_default_nda=True)
    call("specialist", "helpdesk.ticket", "action_emergency_credit_guarantee", [ticket],
         reason="Long-standing client")
    guarantee = _invoice(call, ticket, "guarantee")
    if guarantee["state"] == "draft":
        call("accountant", INVOICE, "action_invoice_open", [guarantee["id"]])
    [amount] = call("accountant", INVOICE, "read", [guarantee["id"]],
                    fields=["amount_total", "partner_id"])
    bank = call("accountant", "account.journal", "search", [("type", "=", "bank")], limit=1)
    payment = call("accountant", "account.payment", "create", {
        "payment_type": "inbound", "partner_type": "customer",
        "partner_id": amount["partner_id"][0], "amount": amount["amount_total"],
        "journal_id": bank[0], "invoice_ids": [(6, 0, [guarantee["id"]])],
        "payment_method_id": ref("account.account_payment_method_manual_in")})
    call("accountant", "account.payment", "post", [payment])
    [phase] = admin("helpdesk.ticket", "read", [ticket], fields=["emergency_phase"])
    assert phase["emergency_phase"] == "normalization"

    # normalization: 0.25 h at 35.00, all of it credited
    opened = open_service_earlier(admin, ticket)
    line = call("specialist", "account.analytic.line", "create", {
        "ticket_id": ticket, "emergency_date_start": opened, "unit_amount": 0.25,
        "name": "Restart the database", "emergency_client_description": "Restart"})
    _approve_the_day(call, client, ticket, line)
    criteria = admin("emergency.criterion", "search", [("ticket_id", "=", ticket)])
    call("specialist", "emergency.criterion", "action_confirm", criteria)
    call("specialist", "helpdesk.ticket", "action_emergency_normalized", [ticket])
    second = _invoice(call, ticket, "normalization")
    assert (second["amount_untaxed"], second["credit"]) == (0.0, -8.75)
    if second["state"] == "draft":
        call("accountant", INVOICE, "action_invoice_open", [second["id"]])

    # the accountant's credit note of invoice (2), from Odoo's own wizard
    context = {"active_model": INVOICE, "active_ids": [second["id"]],
               "active_id": second["id"]}
    wizard = call("accountant", "account.invoice.refund", "create", {
        "filter_refund": "refund", "description": "Goodwill"}, context=context)
    call("accountant", "account.invoice.refund", "invoice_refund", [wizard], context=context)
    refunds = call("accountant", INVOICE, "search", [
        ("refund_invoice_id", "=", second["id"]), ("type", "=", "out_refund")])
    assert len(refunds) == 1
    call("accountant", INVOICE, "action_invoice_open", refunds)

    # mitigation: 1 h at 25.00 (the history moved back once more, so that
    # an hour of mitigation ends before now)
    open_service_earlier(admin, ticket)
    [dates] = admin("helpdesk.ticket", "read", [ticket], fields=["normalization_date"])
    line = call("specialist", "account.analytic.line", "create", {
        "ticket_id": ticket, "emergency_date_start": dates["normalization_date"],
        "unit_amount": 1.0, "name": "Add monitoring", "emergency_client_description": "Monitor"})
    [phase] = admin("account.analytic.line", "read", [line], fields=["emergency_phase"])
    assert phase["emergency_phase"] == "mitigation"
    call("specialist", "helpdesk.ticket", "action_emergency_close", [ticket])
    _approve_the_day(call, client, ticket, line)
    third = _invoice(call, ticket, "mitigation")
    assert (third["amount_untaxed"], third["credit"]) == (0.0, -25.0)
