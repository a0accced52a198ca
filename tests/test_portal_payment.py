"""Paying the guarantee from the portal, over real HTTP (issue #9): the
emergency's page offers Odoo's invoice page and its payment form; Odoo 11's
payment routes make a transaction for any invoice id they are given, so ours
check them: another client's invoice, a wrong access token, an unpublished
acquirer or a visitor without the token get no transaction."""
import pytest
import requests
from portal_session import admin_caller, login, new_portal_client

PASSWORD = "portal-payment-pass"


@pytest.fixture(scope="module")
def world(odoo_server):
    admin = admin_caller(odoo_server)
    ref = admin.ref
    world = {"admin": admin, "transfer": ref("payment.payment_acquirer_transfer"),
             "custom": ref("payment.payment_acquirer_custom")}
    for key in ("e", "f"):
        _company, person, user = new_portal_client(
            odoo_server, "Paying client %s" % key.upper(), PASSWORD)
        ticket = admin("helpdesk.ticket", "create", {
            "name": "Mail server down", "is_emergency": True, "partner_id": person,
            "service_area_id": ref("emergency_support.service_area_databases"),
            "emergency_product_ids": [(6, 0, [ref(
                "emergency_support.supported_product_postgresql")])]})
        admin("emergency.evaluation", "create", {
            "ticket_id": ticket, "verdict": "viable", "guarantee_hours": 1})
        admin("helpdesk.ticket", "emergency_accept_proposal", [ticket],
              accept_default_nda=True)
        [invoice] = admin("account.invoice", "search_read", [
            ("emergency_ticket_id", "=", ticket), ("emergency_kind", "=", "guarantee")],
            fields=["state", "access_token", "amount_total"])
        world[key] = {"ticket": ticket, "invoice": invoice,
                      "session": login(odoo_server, user, PASSWORD)}
    return world


def _pay(odoo_server, session, invoice_id, acquirer_id, access_token=None):
    response = session.post(
        odoo_server.url + "/invoice/pay/%d/form_tx" % invoice_id, timeout=60,
        json={"jsonrpc": "2.0", "method": "call", "id": 1, "params": {
            "acquirer_id": acquirer_id, "access_token": access_token}})
    assert response.status_code == 200
    return response.json().get("result")


def _transactions(world, invoice_id):
    return world["admin"]("payment.transaction", "search_count",
                          [("account_invoice_id", "=", invoice_id)])


def test_the_emergency_page_leads_to_the_guarantee_payment(odoo_server, world):
    e = world["e"]
    invoice = e["invoice"]
    assert invoice["state"] == "open"  # issued at once: payable from the portal
    page = e["session"].get(odoo_server.url + "/my/emergency/%d" % e["ticket"], timeout=60)
    pay_url = "/my/invoices/%d?access_token=%s#portal_pay" % (
        invoice["id"], invoice["access_token"])
    assert 'name="pay_guarantee_button"' in page.text and pay_url in page.text
    assert 'name="invoice_pdf"' in page.text
    # 1 Express hour with the demo's VAT: 35.00 + 16 % = 40.60, what the
    # page asks to pay and Odoo's payment form charges
    assert invoice["amount_total"] == 40.6
    block = page.text.split('name="pay_guarantee"', 1)[1].split('name="pay_guarantee_button"')[0]
    assert "40.60" in block or "40,60" in block, block
    form = e["session"].get(odoo_server.url + pay_url.split("#")[0], timeout=60)
    assert 'id="portal_pay"' in form.text and 'data-provider="transfer"' in form.text
    assert "40.60" in form.text or "40,60" in form.text
    assert 'name="back_to_emergency"' in form.text
    pdf = e["session"].get(odoo_server.url + "/my/invoices/pdf/%d?access_token=%s" % (
        invoice["id"], invoice["access_token"]), timeout=120)
    assert pdf.content.startswith(b"%PDF")


def test_nobody_else_starts_a_payment_of_the_invoice(odoo_server, world):
    e, f = world["e"], world["f"]
    invoice = e["invoice"]
    # another client, with and without a forged token; a visitor without it
    assert _pay(odoo_server, f["session"], invoice["id"], world["transfer"]) is False
    assert _pay(odoo_server, f["session"], invoice["id"], world["transfer"],
                access_token="0" * 36) is False
    assert _pay(odoo_server, requests.Session(), invoice["id"], world["transfer"]) is False
    # the client itself, with an unpublished acquirer or a malformed one
    assert _pay(odoo_server, e["session"], invoice["id"], world["custom"]) is False
    assert _pay(odoo_server, e["session"], invoice["id"], "not-an-id") is False
    assert _pay(odoo_server, e["session"], 10 ** 9, world["transfer"]) is False
    assert _transactions(world, invoice["id"]) == 0
    # the other client's token route: sent home, no transaction
    token = f["session"].get(
        odoo_server.url + "/invoice/pay/%d/s2s_token_tx?pm_id=1" % invoice["id"],
        timeout=60)
    assert token.status_code == 200 and "/invoice/pay" not in token.url, token.url
    assert _transactions(world, invoice["id"]) == 0
    # the other client's pages of the invoice: Odoo sends it home
    page = f["session"].get(odoo_server.url + "/my/invoices/%d" % invoice["id"],
                            timeout=60, allow_redirects=False)
    assert page.status_code in (302, 303)
    emergency = f["session"].get(odoo_server.url + "/my/emergency/%d" % e["ticket"],
                                 timeout=60)
    assert invoice["access_token"] not in emergency.text


def test_the_client_and_a_token_holder_start_the_transfer(odoo_server, world):
    e, f = world["e"], world["f"]
    form = _pay(odoo_server, e["session"], e["invoice"]["id"], world["transfer"])
    assert "/payment/transfer/feedback" in form
    assert _transactions(world, e["invoice"]["id"]) == 1
    # a visitor holding the invoice's link (the invoice mail) may pay it too
    invoice = f["invoice"]
    form = _pay(odoo_server, requests.Session(), invoice["id"], world["transfer"],
                access_token=invoice["access_token"])
    assert "/payment/transfer/feedback" in form
    assert _transactions(world, invoice["id"]) == 1


def test_the_transfer_instructions_list_the_bank_account(odoo_server, world):
    for lang, words in (("es_ES", "transferencia"), ("en_US", "transfer details")):
        [acquirer] = world["admin"]("payment.acquirer", "read", [world["transfer"]],
                                    fields=["post_msg"], context={"lang": lang})
        assert "0191-0001-23-4567890123" in acquirer["post_msg"], (lang, acquirer)
        assert words in acquirer["post_msg"], (lang, acquirer)


def test_a_waived_guarantee_is_paid_by_nobody(odoo_server, world):
    """Issue 13, item 3: the guarantee was issued, then waived (with a
    reason): nothing is left open; neither its client (with or without
    the token) nor another client's session gets a payment form."""
    admin, ref = world["admin"], world["admin"].ref
    _company, person, user = new_portal_client(odoo_server, "Waived client G", PASSWORD)
    ticket = admin("helpdesk.ticket", "create", {
        "name": "ERP down", "is_emergency": True, "partner_id": person,
        "service_area_id": ref("emergency_support.service_area_databases"),
        "emergency_product_ids": [(6, 0, [ref(
            "emergency_support.supported_product_postgresql")])]})
    admin("emergency.evaluation", "create", {
        "ticket_id": ticket, "verdict": "viable", "guarantee_hours": 3})
    admin("helpdesk.ticket", "emergency_accept_proposal", [ticket], accept_default_nda=True)
    [invoice] = admin("account.invoice", "search_read", [
        ("emergency_ticket_id", "=", ticket), ("emergency_kind", "=", "guarantee")],
        fields=["state", "access_token"])
    assert invoice["state"] == "open"
    admin("helpdesk.ticket", "action_emergency_waive_guarantee", [ticket],
          reason="Public hospital")
    [after] = admin("account.invoice", "read", [invoice["id"]], fields=["state", "residual"])
    assert after["residual"] == 0.0 and after["state"] != "open"
    assert not admin("account.invoice", "search_count", [
        ("emergency_ticket_id", "=", ticket), ("state", "=", "open")])
    session = login(odoo_server, user, PASSWORD)
    for who in (session, world["f"]["session"]):
        assert _pay(odoo_server, who, invoice["id"], world["transfer"]) is False
        assert _pay(odoo_server, who, invoice["id"], world["transfer"],
                    access_token=invoice["access_token"]) is False
    assert _transactions(world, invoice["id"]) == 0
    listing = session.get(odoo_server.url + "/my/invoices", timeout=60)
    assert listing.status_code == 200
    assert "/my/invoices/%d?access_token=%s#portal_pay" % (
        invoice["id"], invoice["access_token"]) not in listing.text
    page = session.get(odoo_server.url + "/my/emergency/%d" % ticket, timeout=60)
    assert 'name="pay_guarantee_button"' not in page.text
