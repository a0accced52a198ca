"""The client's hour pool on the portal page of an emergency, over real HTTP
(R13, R15, R19, R21): hours approved, pending and disputed per phase and in
total against the estimate and the guarantee, and why the time is covered,
in the client's language; another client sees none of it."""
import re
from datetime import datetime, timedelta

import pytest
from portal_session import csrf_token, login
from service_clock import open_service_earlier

PASSWORD = "portal-pool-pass"


def _person(admin, portal, key, lang):
    company = admin("res.partner", "create", {
        "name": "Pool client %s" % key.upper(), "is_company": True, "tz": "UTC",
        "lang": lang})
    person = admin("res.partner", "create", {
        "name": "Pool person %s" % key.upper(), "parent_id": company, "tz": "UTC",
        "lang": lang, "email": "pool_%s@example.com" % key})
    user = "portal_pool_%s_%d" % (key, person)
    admin("res.users", "create", {"login": user, "password": PASSWORD, "lang": lang,
                                  "partner_id": person, "groups_id": [(6, 0, [portal])]})
    return {"company": company, "person": person, "login": user}


def _emergency(admin, person, area, guarantee, normalization, mitigation):
    ticket = admin("helpdesk.ticket", "create", {
        "name": "Mail server down", "is_emergency": True, "partner_id": person,
        "service_area_id": area, "request_date": "2026-03-02 08:00:00"})
    admin("emergency.evaluation", "create", {
        "ticket_id": ticket, "verdict": "viable", "guarantee_hours": guarantee,
        "estimated_normalization_hours": normalization,
        "estimated_mitigation_hours": mitigation,
        "unsupported_reason": "Postfix, our field"})
    admin("helpdesk.ticket", "emergency_accept_proposal", [ticket], accept_default_nda=True)
    return ticket


def _log(admin, ticket, specialist, start, hours):
    admin("account.analytic.line", "create", {
        "ticket_id": ticket, "user_id": specialist, "unit_amount": hours,
        "emergency_date_start": start, "name": "INTERNAL: cost note",
        "emergency_client_description": "Queue drained (%.2f h)" % hours})


def _pay_guarantee(admin, ticket):
    [invoice] = admin("account.invoice", "search", [
        ("emergency_ticket_id", "=", ticket), ("emergency_kind", "=", "guarantee"),
        ("state", "=", "open")])  # issued at once (the company's default)
    total, partner = [admin("account.invoice", "read", [invoice], fields=[
        "amount_total", "partner_id"])[0][key] for key in ("amount_total", "partner_id")]
    bank = admin("account.journal", "search", [("type", "=", "bank")], limit=1)[0]
    method = admin("ir.model.data", "xmlid_to_res_id",
                   "account.account_payment_method_manual_in")
    payment = admin("account.payment", "create", {
        "payment_type": "inbound", "partner_type": "customer", "partner_id": partner[0],
        "amount": total, "journal_id": bank, "payment_method_id": method,
        "invoice_ids": [(6, 0, [invoice])]})
    admin("account.payment", "post", [payment])


@pytest.fixture(scope="module")
def pool(odoo_server):
    """English client E: an emergency with 2 guarantee hours paid and
    credited, estimates 3 h + 2 h, and normalization time of two days: day 1
    (1.5 h + 1 h) with the 1 h line disputed, day 2 (2 h) approved by both
    parties; a second emergency of E with the guarantee waived. Spanish
    client S: an emergency under its monthly plan with 1 h not cut off yet.
    Client D: a stranger."""
    def admin(model, method, *args, **kw):
        return odoo_server.execute("admin", "admin", model, method, *args, **kw)
    portal = admin("ir.model.data", "xmlid_to_res_id", "base.group_portal")
    area = admin("ir.model.data", "xmlid_to_res_id", "emergency_support.service_area_network")
    specialist = admin("ir.model.data", "xmlid_to_res_id", "emergency_support.user_specialist")
    world = {"admin": admin}
    for key, lang in (("e", "en_US"), ("s", "es_ES"), ("d", "en_US")):
        world[key] = _person(admin, portal, key, lang)
    # S has a monthly plan for the area
    plan = admin("emergency.plan.agreement", "create", {
        "name": "Plan Red Sur", "partner_id": world["s"]["company"],
        "service_area_ids": [(6, 0, [area])], "date_start": "2026-01-01",
        "date_end": "2099-12-31", "express_rate": 30.0, "ondemand_rate": 20.0})
    admin("emergency.plan.agreement", "action_confirm", [plan])
    for key in ("e", "s", "d"):
        world[key]["session"] = login(odoo_server, world[key]["login"], PASSWORD)

    ticket = _emergency(admin, world["e"]["person"], area, 2, 3.0, 2.0)
    admin("helpdesk.ticket", "action_emergency_credit_guarantee", [ticket])
    _pay_guarantee(admin, ticket)
    assert admin("helpdesk.ticket", "read", [ticket], fields=["service_opened_date"])[0][
        "service_opened_date"], "paying the guarantee opens the service"
    opened = open_service_earlier(admin, ticket)  # two days of time, none in the future
    day2 = (datetime.strptime(opened, "%Y-%m-%d %H:%M:%S") + timedelta(days=1)).strftime(
        "%Y-%m-%d %H:%M:%S")
    for start, hours in ((opened, 1.5), (opened, 1.0), (day2, 2.0)):
        _log(admin, ticket, specialist, start, hours)
    admin("helpdesk.ticket", "action_emergency_make_cutoff", [ticket])
    cutoffs = admin("emergency.timesheet.cutoff", "search", [("ticket_id", "=", ticket)],
                    order="date")
    assert len(cutoffs) == 2
    admin("emergency.timesheet.cutoff", "action_submit", cutoffs)
    first, second = cutoffs
    admin("emergency.timesheet.cutoff", "action_staff_approve", [second])
    session = world["e"]["session"]
    url = odoo_server.url + "/my/emergency/cutoff/%d" % second
    _page, token = csrf_token(session, url)
    assert 'name="message"' in session.post(url + "/approve", timeout=60,
                                            data={"csrf_token": token}).text
    [line] = admin("account.analytic.line", "search", [
        ("emergency_cutoff_id", "=", first), ("unit_amount", "=", 1.0)])
    url = odoo_server.url + "/my/emergency/cutoff/%d" % first
    _page, token = csrf_token(session, url)
    disputed = session.post(url + "/dispute", timeout=60, data={
        "csrf_token": token, "dispute_%d" % line: "1", "hours_%d" % line: "0.25",
        "reason_%d" % line: "The queue was drained in a quarter of an hour"})
    assert 'name="message"' in disputed.text

    waived = _emergency(admin, world["e"]["person"], area, 1, 2.0, 1.0)
    admin("helpdesk.ticket", "action_emergency_waive_guarantee", [waived])

    planned = _emergency(admin, world["s"]["person"], area, 0, 4.0, 0.0)
    assert admin("helpdesk.ticket", "read", [planned], fields=["service_opened_date"])[0][
        "service_opened_date"], "a monthly plan opens the service at the acceptance"
    opened = open_service_earlier(admin, planned)
    _log(admin, planned, specialist, opened, 1.0)
    world.update(ticket=ticket, first=first, waived=waived, planned=planned)
    return world


def _page(odoo_server, world, key, ticket):
    page = world[key]["session"].get(odoo_server.url + "/my/emergency/%d" % ticket,
                                     timeout=60)
    assert page.status_code == 200
    return page


def _figures(html):
    """``{row: {figure: text}}`` of the hour pool panel."""
    panel = re.search(r'<div class="panel panel-default" name="hour_pool">(.*?)'
                      r'</table>', html, re.S)
    assert panel, "no hour pool on the page"
    rows = {}
    for key, row in re.findall(r'<tr data-pool="(\w+)"[^>]*>(.*?)</tr>', panel.group(1), re.S):
        row = re.sub(r'<span class="o_es_label[^"]*">[^<]*</span>', "", row)  # phone labels
        rows[key] = {name: re.sub(r"<[^>]+>|\s+", " ", text).strip()
                     for name, text in re.findall(
                         r'<td class="text-right" name="(\w+)">(.*?)</td>', row, re.S)}
    return rows


def _coverage(html):
    return re.search(r'<p name="coverage">(.*?)</p>', html, re.S).group(1).strip()


def test_the_client_reads_its_hour_pool_in_english(odoo_server, pool):
    page = _page(odoo_server, pool, "e", pool["ticket"])
    assert "Hour pool" in page.text
    rows = _figures(page.text)
    assert set(rows) == {"normalization", "mitigation", "total"}
    norm, miti, total = rows["normalization"], rows["mitigation"], rows["total"]
    # day 2 approved by both; day 1's undisputed line waits; its disputed line
    # counts apart with the hours the client objected to
    assert (norm["approved"], norm["pending"], norm["disputed"]) == ("2.00", "1.50", "1.00")
    assert norm["used"].startswith("4.50") and "Over the estimate" in norm["used"]
    assert (norm["estimate"], norm["guarantee"]) == ("3.00", "-")
    assert (miti["approved"], miti["pending"], miti["disputed"], miti["used"],
            miti["estimate"]) == ("0.00", "0.00", "0.00", "0.00", "2.00")
    assert (total["approved"], total["pending"], total["disputed"]) == ("2.00", "1.50", "1.00")
    assert (total["estimate"], total["guarantee"]) == ("5.00", "2.00")
    assert "Past the guarantee hours" in total["used"]
    assert _coverage(page.text) == (
        "The guarantee you paid (2 Express hours) is credited against the fees of the "
        "approved time; the time beyond it is billed at the Express rate in "
        "normalization and the On-demand rate in mitigation.")
    assert "INTERNAL" not in page.text  # the internal note never shows
    # the chart is plain HTML: widths on the largest figure (4.50 h)
    assert "width: 44.4%" in page.text and "width: 33.3%" in page.text


def test_the_corrected_dispute_counts_at_the_corrected_hours(odoo_server, pool):
    pool["admin"]("emergency.timesheet.cutoff", "action_correct", [pool["first"]])
    rows = _figures(_page(odoo_server, pool, "e", pool["ticket"]).text)
    assert (rows["normalization"]["approved"], rows["normalization"]["pending"],
            rows["normalization"]["disputed"]) == ("2.00", "1.50", "0.25")
    assert rows["total"]["used"].startswith("3.75")


def test_without_plan_or_credited_guarantee_the_list_rates_apply(odoo_server, pool):
    page = _page(odoo_server, pool, "e", pool["waived"])
    assert _coverage(page.text) == (
        "No monthly plan covers this emergency: the approved time is billed at the "
        "list rates, Express in normalization and On-demand in mitigation.")
    rows = _figures(page.text)
    # a waived guarantee was never paid: no guarantee hours
    assert rows["total"]["guarantee"] == "-" and rows["total"]["used"] == "0.00"


def test_a_spanish_client_reads_its_pool_in_spanish(odoo_server, pool):
    page = _page(odoo_server, pool, "s", pool["planned"])
    assert "Bolsa de horas" in page.text and "Hour pool" not in page.text
    rows = _figures(page.text)
    assert (rows["normalization"]["approved"], rows["normalization"]["pending"],
            rows["normalization"]["disputed"]) == ("0,00", "1,00", "0,00")  # Spanish numbers
    assert (rows["mitigation"]["estimate"], rows["total"]["estimate"],
            rows["total"]["guarantee"]) == ("-", "4,00", "-")
    assert _coverage(page.text) == (
        "Su plan fijo mensual Plan Red Sur cubre este tiempo: se aplican sus tarifas "
        "acordadas, la mitigación a la menor entre su tarifa y la tarifa Bajo demanda, "
        "y no se solicita garantía.")
    assert "Solo se facturan las horas aprobadas por ambas partes." in page.text


def test_another_client_sees_no_hour_pool(odoo_server, pool):
    stranger = pool["d"]["session"].get(
        odoo_server.url + "/my/emergency/%d" % pool["ticket"], timeout=60)
    assert stranger.url.endswith("/my/emergencies")
    assert 'name="hour_pool"' not in stranger.text
    assert "Express hours" not in stranger.text and "4.50" not in stranger.text
