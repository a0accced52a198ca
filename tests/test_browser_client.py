"""The client's whole emergency in the customer portal, in a real browser
(issue #9): a new Spanish-speaking client logs in, requests an emergency and
accepts the NDA in the same form, sees the evaluation deadline; a specialist
evaluates (over the API); the client accepts, pays the guarantee by wire
transfer on Odoo's invoice page; the accountant registers the transfer (over
the API); the client sees the service open with its lead expert, approves one
daily cut-off and disputes another, and downloads the technical report and
the guarantee invoice.

Each step saves a screenshot under ``.local/artifacts/<test>/``, fails on any
browser console error, and checks that the Spanish page shows no English
term that Odoo or our addons translate (``tests/untranslated.py``)."""
import os
import re

from selenium.webdriver.support.ui import Select
from portal_session import new_portal_client
from service_clock import open_service_earlier
from untranslated import english_leftovers

from browser import OdooBrowser

PASSWORD = "walk-client-pass"


def _admin(odoo_server, model, method, *args, **kwargs):
    return odoo_server.execute("admin", "admin", model, method, *args, **kwargs)


def _ref(odoo_server, xmlid):
    return _admin(odoo_server, "ir.model.data", "xmlid_to_res_id", xmlid)


def _spanish_step(browser, name, focus=None):
    """A step of the client: screenshot (scrolled to ``focus``, a CSS
    selector), no console error, no English."""
    if focus:
        browser.driver.execute_script(
            "arguments[0].scrollIntoView({block: 'start'});", browser.wait_for(focus))
    browser.step(name)
    leftovers = english_leftovers(browser.driver.page_source)
    assert not leftovers, "English on the Spanish page %r (%s): %s" % (
        name, browser.driver.current_url, leftovers)


def _text(browser, css):
    return browser.wait_for(css).text


def _fresh_download(browser, click_css, suffix=".pdf"):
    """Click a download link; the new file's path and first bytes."""
    for name in os.listdir(browser.download_dir):
        os.remove(os.path.join(browser.download_dir, name))
    browser.click(click_css)
    path = browser.wait_download(suffix)
    with open(path, "rb") as downloaded:
        return path, downloaded.read(5)


def test_a_client_walks_its_emergency_from_request_to_invoice(odoo_server, browser_login):
    # a new client without NDA or plan, and its Spanish portal user
    company, _person, login = new_portal_client(
        odoo_server, "Distribuidora Andina, C.A.", PASSWORD, lang="es_ES", tz="UTC")
    area = _ref(odoo_server, "emergency_support.service_area_databases")
    product = _ref(odoo_server, "emergency_support.supported_product_postgresql")
    browser = browser_login(login, PASSWORD)  # type: OdooBrowser
    url = odoo_server.url

    # 1. from /my, the request form: the 60-minute promise and the NDA
    browser.driver.get(url + "/my")
    _spanish_step(browser, "portal home")
    browser.click("a[name=request_emergency]")
    browser.wait_for("form[name=emergency_request]")
    assert "60" in browser.wait_for("p.lead").text  # the evaluation promise
    browser.wait_for("div[name=nda]")
    browser.wait_for("input[name=name]").send_keys("ERP caído en todas las sucursales")
    Select(browser.wait_for("select[name=area_id]")).select_by_value(str(area))
    browser.click("input[name=product_ids][value='%d']" % product)
    browser.wait_for("textarea[name=facts]").send_keys(
        "Desde las 08:00 nadie entra al ERP; la base de datos no arranca.")
    browser.wait_for("textarea[name=people]").send_keys("Marta Rivas, +58 212 555 0142")
    browser.wait_for("textarea[name=scenario]").send_keys(
        "Los usuarios entran al ERP\nLas facturas se imprimen")
    browser.click("input[name=accept_nda]")
    _spanish_step(browser, "request filled in with the NDA")
    browser.click("button[name=submit_request]")
    deadline = browser.wait_for("[name=deadline]")
    assert deadline.text.strip()
    ticket_id = int(re.search(r"/my/emergency/(\d+)", browser.driver.current_url).group(1))
    _spanish_step(browser, "emergency requested, deadline shown")
    nda = _admin(odoo_server, "emergency.nda.acceptance", "search_read",
                 [("partner_id", "=", company)], fields=["ip_address", "user_id"])
    assert len(nda) == 1 and nda[0]["ip_address"] == "127.0.0.1" and nda[0]["user_id"]

    # 2. the specialist evaluates over the API: viable, a 2-hour guarantee
    odoo_server.execute("specialist", "specialist", "emergency.evaluation", "create", {
        "ticket_id": ticket_id, "verdict": "viable", "guarantee_hours": 2,
        "estimated_normalization_hours": 3, "estimated_mitigation_hours": 2})

    # 3. the client reads the proposal and accepts it
    browser.driver.get(url + "/my/emergency/%d" % ticket_id)
    guarantee = _text(browser, "[name=guarantee]")
    assert "70,00" in guarantee or "70.00" in guarantee, guarantee
    _spanish_step(browser, "proposal", focus="div[name=evaluation]")
    browser.click("button[name=accept_proposal]")
    browser.wait_for("div[name=message]")
    browser.wait_for("div[name=pay_guarantee]")
    _spanish_step(browser, "proposal accepted, guarantee to pay")

    # 4. the guarantee invoice, paid by wire transfer on Odoo's invoice page
    browser.click("a[name=pay_guarantee_button]")
    browser.wait_for("#portal_pay")
    _spanish_step(browser, "guarantee invoice and its payment form", focus="#portal_pay")
    radios = browser.driver.find_elements(
        "css selector", "input[name=pm_id][data-provider=transfer]")
    assert len(radios) == 1, "the wire transfer is not offered"
    if not radios[0].is_selected():
        browser.driver.execute_script("arguments[0].click();", radios[0])
    browser.click("#o_payment_form_pay")
    browser.wait_until(lambda driver: "/my/invoices/" in driver.current_url
                       and browser.find_all(".o_account_payment_tx_status, a.btn-warning"),
                       "no pending payment shown after paying by transfer")
    _spanish_step(browser, "transfer announced, invoice pending")
    [invoice] = _admin(odoo_server, "account.invoice", "search_read", [
        ("emergency_ticket_id", "=", ticket_id), ("emergency_kind", "=", "guarantee")],
        fields=["state", "amount_total", "payment_tx_ids", "partner_id", "number"])
    assert invoice["state"] == "open" and invoice["payment_tx_ids"]
    tx = _admin(odoo_server, "payment.transaction", "read", invoice["payment_tx_ids"],
                fields=["state", "amount"])[0]
    assert tx["state"] == "pending" and tx["amount"] == invoice["amount_total"]
    browser.driver.get(url + "/my/emergency/%d" % ticket_id)
    browser.wait_for("[name=guarantee_pending]")
    _spanish_step(browser, "emergency waits for the transfer",
                  focus="div[name=pay_guarantee]")

    # 5. the accountant registers the transfer: the service opens
    journal = odoo_server.execute("accountant", "accountant", "account.journal", "search",
                                  [("type", "=", "bank")], limit=1)
    method = _ref(odoo_server, "account.account_payment_method_manual_in")
    payment = odoo_server.execute("accountant", "accountant", "account.payment", "create", {
        "payment_type": "inbound", "partner_type": "customer",
        "partner_id": invoice["partner_id"][0], "amount": invoice["amount_total"],
        "journal_id": journal[0], "payment_method_id": method,
        "invoice_ids": [(6, 0, [invoice["id"]])], "communication": invoice["number"]})
    odoo_server.execute("accountant", "accountant", "account.payment", "post", [payment])
    browser.driver.get(url + "/my/emergency/%d" % ticket_id)
    ticket = _admin(odoo_server, "helpdesk.ticket", "read", [ticket_id], fields=[
        "emergency_phase", "lead_expert_id"])[0]
    assert ticket["emergency_phase"] == "normalization" and ticket["lead_expert_id"]
    assert _text(browser, "[name=lead_expert]") == ticket["lead_expert_id"][1]
    assert not browser.find_all("div[name=pay_guarantee]")
    # the breadcrumb is the emergency's, not helpdesk's generic ticket's
    crumbs = [a.get_attribute("href") for a in browser.find_all("ol.o_portal_submenu a")]
    assert not [href for href in crumbs if "/my/tickets" in href], crumbs
    _spanish_step(browser, "service open with its lead expert")

    # 6. two days of time... two cut-offs of the day: one approved, one disputed
    specialist = _ref(odoo_server, "emergency_support.user_specialist")
    opened = open_service_earlier(  # the time logged below must have happened
        lambda *args, **kw: _admin(odoo_server, *args, **kw), ticket_id)
    cutoffs = []
    for hours, what in ((0.25, "Servicio de base de datos reiniciado"),
                        (0.5, "Índices reconstruidos")):
        odoo_server.execute("specialist", "specialist", "account.analytic.line", "create", {
            "ticket_id": ticket_id, "user_id": specialist, "unit_amount": hours,
            "emergency_date_start": opened, "name": "INTERNAL: %s" % what,
            "emergency_client_description": what})
        odoo_server.execute("specialist", "specialist", "helpdesk.ticket",
                            "action_emergency_make_cutoff", [ticket_id])
        new = _admin(odoo_server, "emergency.timesheet.cutoff", "search", [
            ("ticket_id", "=", ticket_id), ("state", "=", "draft")])
        odoo_server.execute("specialist", "specialist", "emergency.timesheet.cutoff",
                            "action_submit", new)
        cutoffs.extend(new)
    assert len(cutoffs) == 2
    browser.driver.get(url + "/my/emergency/%d" % ticket_id)
    links = browser.find_all("a[name=open_cutoff]")
    assert len(links) == 2
    # the hour pool: 0.75 h used of the 2 guarantee hours paid, all pending
    pool = _text(browser, "div[name=hour_pool]")
    assert "0,75" in pool or "0.75" in pool, pool
    assert browser.wait_for("[name=coverage]").text.strip()
    _spanish_step(browser, "two days of time to answer", focus="div[name=hour_pool]")
    browser.driver.get(url + "/my/emergency/cutoff/%d" % cutoffs[0])
    assert "Servicio de base de datos reiniciado" in _text(browser, "table[name=lines]")
    assert "INTERNAL" not in browser.driver.page_source
    _spanish_step(browser, "first cut-off")
    browser.click("button[name=approve]")
    browser.wait_for("div[name=message]")
    _spanish_step(browser, "first cut-off approved")
    browser.driver.get(url + "/my/emergency/cutoff/%d" % cutoffs[1])
    line = _admin(odoo_server, "emergency.timesheet.cutoff", "read", [cutoffs[1]],
                  fields=["line_ids"])[0]["line_ids"][0]
    browser.click("input[name=dispute_%d]" % line)
    browser.wait_for("input[name=reason_%d]" % line).send_keys(
        "Los índices se reconstruyeron solos")
    browser.wait_for("input[name=hours_%d]" % line).send_keys("0,25")
    _spanish_step(browser, "second cut-off, a line disputed")
    browser.click("button[name=send_dispute]")
    browser.wait_for("div[name=message]")
    _spanish_step(browser, "second cut-off disputed")
    states = _admin(odoo_server, "emergency.timesheet.cutoff", "read", cutoffs,
                    fields=["state", "client_approved_date"])
    assert states[0]["client_approved_date"] and states[1]["state"] == "disputed", states

    # 7. documents: the technical report and the guarantee invoice (PDF)
    browser.driver.get(url + "/my/emergency/%d" % ticket_id)
    invoice_rows = browser.find_all("li[name=invoice]")
    assert len(invoice_rows) == 1 and invoice["number"] in invoice_rows[0].text
    _spanish_step(browser, "documents", focus="div[name=documents]")
    _path, head = _fresh_download(browser, "a[name=report]")
    assert head == b"%PDF-"
    _path, head = _fresh_download(browser, "a[name=invoice_pdf]")
    assert head == b"%PDF-"
    browser.step("report and invoice downloaded")
