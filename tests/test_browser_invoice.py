"""The demo accountant finds the emergencies' invoices in Invoicing, in a real
browser (issue #8): the customer invoices list filtered on emergencies, then
a mitigation invoice with its ticket as origin and its grouped lines.
Screenshots: ``.local/artifacts/<test>/``."""
from browser import OdooBrowser

INVOICING_MENU = "account.menu_finance"
INVOICES_MENU = "account.menu_action_invoice_tree1"


def _accountant(odoo_server, model, method, *args, **kwargs):
    return odoo_server.execute("accountant", "accountant", model, method, *args, **kwargs)


def test_accountant_finds_an_emergency_invoice_in_invoicing(odoo_server, browser_login):
    [invoice] = _accountant(odoo_server, "account.invoice", "search_read", [
        ("emergency_kind", "=", "mitigation"), ("state", "!=", "cancel")],
        fields=["number", "origin", "emergency_ticket_id", "invoice_line_ids",
                "amount_total"], limit=1)
    ticket = _accountant(odoo_server, "helpdesk.ticket", "read",
                         [invoice["emergency_ticket_id"][0]], fields=["number"])[0]
    assert invoice["origin"] == ticket["number"]
    browser = browser_login("accountant")  # type: OdooBrowser
    browser.open_menu(INVOICING_MENU, INVOICES_MENU)
    browser.wait_for(".o_content .o_list_view")
    rows = browser.find_all(".o_content .o_list_view tbody tr.o_data_row")
    assert rows, "the accountant sees no customer invoice"
    assert any(ticket["number"] in row.text for row in rows), \
        "the emergency's invoice is not in the list (origin %s)" % ticket["number"]
    browser.step("customer invoices")
    # the ticket has several invoices with the same origin: open this one,
    # in the customer invoices' action (its form, not the vendor bill's)
    action = odoo_server.execute("admin", "admin", "ir.model.data", "xmlid_to_res_id",
                                 "account.action_invoice_tree1")
    browser.driver.get("%s/web#id=%d&model=account.invoice&view_type=form&action=%d" % (
        odoo_server.url, invoice["id"], action))
    form = browser.form()
    browser.wait_idle()
    browser.step("emergency invoice opened")
    assert browser.current_id() == invoice["id"]
    # the emergency (the origin, on the other tab, is its number too) and the kind
    assert ticket["number"] in browser.field("emergency_ticket_id", form).text
    assert browser.field("emergency_kind", form).text.strip() in ("Mitigation", "Mitigación")
    lines = browser.find_all("tr.o_data_row", browser.field("invoice_line_ids", form))
    # the time is grouped: a few lines (phase, rate and day), never one per time line
    assert 1 <= len(lines) == len(invoice["invoice_line_ids"]) <= 10
