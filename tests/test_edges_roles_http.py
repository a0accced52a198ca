"""Issue 13, items 7, 8 and 9, over real HTTP: the owner's own documents
print, every route answers a page, a redirect or a 4xx (never a 500), one
rule decides which invoices the client sees, and /ticket/close is a POST
with its CSRF token."""
import re

import pytest
from portal_session import admin_caller, csrf_token, login, new_portal_client

PASSWORD = "edges-roles-pass"
REPORT = "/report/%s/emergency_support.report_emergency_technical/%s"


def _emergency(admin, person):
    ref = admin.ref
    ticket = admin("helpdesk.ticket", "create", {
        "name": "Backups failing", "is_emergency": True, "partner_id": person,
        "service_area_id": ref("emergency_support.service_area_databases"),
        "emergency_product_ids": [(6, 0, [ref(
            "emergency_support.supported_product_postgresql")])]})
    admin("emergency.evaluation", "create", {
        "ticket_id": ticket, "verdict": "viable", "guarantee_hours": 1})
    admin("helpdesk.ticket", "emergency_accept_proposal", [ticket],
          accept_default_nda=True)
    return ticket


@pytest.fixture(scope="module")
def world(odoo_server):
    admin = admin_caller(odoo_server)
    # in the database's language: no redirection to /<lang>/ pages
    _company, person, user = new_portal_client(
        odoo_server, "Roles client G", PASSWORD, lang="es_ES")
    _company, other_person, other_user = new_portal_client(
        odoo_server, "Roles client H", PASSWORD, lang="es_ES")
    ticket = _emergency(admin, person)
    other_ticket = _emergency(admin, other_person)
    [invoice] = admin("account.invoice", "search_read", [
        ("emergency_ticket_id", "=", ticket)], fields=["state", "number"])
    [other_invoice] = admin("account.invoice", "search", [
        ("emergency_ticket_id", "=", other_ticket)])
    # an internal user without invoicing rights (a helpdesk specialist)
    admin("res.users", "create", {
        "name": "Roles specialist", "login": "roles_specialist", "password": PASSWORD,
        "lang": "es_ES",
        "groups_id": [(6, 0, [admin.ref("base.group_user"),
                              admin.ref("helpdesk_mgmt.group_helpdesk_user")])]})
    return {"admin": admin, "person": person, "ticket": ticket, "invoice": invoice,
            "other_ticket": other_ticket, "other_invoice": other_invoice,
            "client": login(odoo_server, user, PASSWORD),
            "other": login(odoo_server, other_user, PASSWORD)}


def _get(world, odoo_server, path, who="client", **kw):
    return world[who].get(odoo_server.url + path, timeout=120, allow_redirects=False, **kw)


# item 7 -------------------------------------------------------------------

def test_the_owner_prints_its_own_documents(odoo_server, world):
    number = world["admin"]("helpdesk.ticket", "read", [world["ticket"]],
                            fields=["number"])[0]["number"]
    html = _get(world, odoo_server, REPORT % ("html", world["ticket"]))
    assert html.status_code == 200, html.status_code
    assert number in html.text
    assert world["invoice"]["state"] == "open"
    pdf = _get(world, odoo_server, "/report/pdf/account.report_invoice/%d"
               % world["invoice"]["id"])
    assert pdf.status_code == 200, pdf.status_code
    assert pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    # and never another client's
    refused = _get(world, odoo_server, "/report/pdf/account.report_invoice/%d"
                   % world["other_invoice"])
    assert refused.status_code == 403


@pytest.mark.parametrize("path", [
    REPORT % ("html", "{ticket}") + "?options=notjson",
    REPORT % ("html", "{ticket}") + "?context=notjson",
    REPORT % ("html", "{ticket}") + "?options=[1]",
    REPORT % ("html", "99999999999"),
    REPORT % ("txt", "{ticket}"),
    "/report/html/no.such_report/1",
])
def test_malformed_report_requests_answer_4xx(odoo_server, world, path):
    response = _get(world, odoo_server, path.format(ticket=world["ticket"]))
    assert 400 <= response.status_code < 500, (path, response.status_code)


@pytest.mark.parametrize("path", [
    "/my/tickets?search=%00x",
    "/my/tickets?search=x%00&search_in=name",
    "/my/invoices?sortby=zzz",
    "/my/invoices?date_begin=zzz&date_end=2026-01-01",
    "/my/invoices/99999999999",
    "/my/invoices/pdf/99999999999",
    "/my/invoices/{other_invoice}",
    "/my/invoices/pdf/{other_invoice}",
    # an id PostgreSQL cannot hold (the routes' int converter takes any size)
    "/my/emergency/99999999999",
    "/my/emergency/99999999999/report",
    "/my/emergency/cutoff/99999999999",
    "/my/ticket/99999999999",
])
def test_portal_routes_never_answer_500(odoo_server, world, path):
    response = _get(world, odoo_server, path.format(other_invoice=world["other_invoice"]))
    assert response.status_code in (200, 303), (path, response.status_code)
    if "invoices/" in path:  # not the user's: back to the portal home
        assert response.status_code == 303 and response.headers["Location"].endswith("/my")


def test_an_internal_user_without_invoicing_rights_gets_every_page(odoo_server, world):
    session = login(odoo_server, "roles_specialist", PASSWORD)  # /my answers 200
    for path in ("/my", "/my/emergencies", "/my/tickets", "/my/invoices",
                 "/my/emergency/%d" % world["ticket"]):
        response = session.get(odoo_server.url + path, timeout=60, allow_redirects=False)
        assert response.status_code in (200, 303), (path, response.status_code)
    _page, token = csrf_token(session, odoo_server.url + "/my")
    for path in ("/my/emergency/%d/accept" % world["ticket"],
                 "/my/emergency/cutoff/%d/approve" % 99999,
                 "/my/emergency/cutoff/%d/dispute" % 99999):
        response = session.post(odoo_server.url + path, timeout=60,
                                data={"csrf_token": token}, allow_redirects=False)
        assert response.status_code in (200, 303), (path, response.status_code)
    # paying an invoice no one has: back to the portal, never 500
    response = session.post(odoo_server.url + "/invoice/pay/99999999999/s2s_token_tx",
                            data={"csrf_token": token, "pm_id": "1"}, timeout=60,
                            allow_redirects=False)
    assert response.status_code in (302, 303), response.status_code
    assert response.headers["Location"].endswith("/my")
    phase = world["admin"]("helpdesk.ticket", "read", [world["ticket"]],
                           fields=["emergency_phase"])[0]["emergency_phase"]
    assert phase == "awaiting_guarantee"


# item 8 -------------------------------------------------------------------

def _report_invoice_rows(text):
    table = re.search(r'name="invoices_table".*?</table>', text, re.S)
    return table.group(0).count("<tr") - 1 if table else 0


def test_the_report_and_the_page_show_the_same_invoices(odoo_server, world):
    admin = world["admin"]
    company = admin.ref("base.main_company")
    admin("res.company", "write", [company], {"emergency_guarantee_validate": False})
    try:
        drafted = _emergency(admin, world["person"])
    finally:
        admin("res.company", "write", [company], {"emergency_guarantee_validate": True})
    [draft] = admin("account.invoice", "search_read", [
        ("emergency_ticket_id", "=", drafted)], fields=["state"])
    assert draft["state"] == "draft"
    for ticket, shown in ((drafted, 0), (world["ticket"], 1)):
        page = _get(world, odoo_server, "/my/emergency/%d" % ticket)
        report = _get(world, odoo_server, REPORT % ("html", ticket))
        assert page.text.count('name="invoice"') == shown
        assert _report_invoice_rows(report.text) == shown


# item 9 -------------------------------------------------------------------

@pytest.fixture
def plain_ticket(world):
    admin = world["admin"]
    ticket = admin("helpdesk.ticket", "create", {
        "name": "Printer jam G", "partner_id": world["person"]})
    admin("helpdesk.ticket", "message_subscribe", [ticket], partner_ids=[world["person"]])
    closed = admin("helpdesk.ticket.stage", "search", [("closed", "=", True)], limit=1)[0]
    return ticket, closed


def _stage(world, ticket):
    return world["admin"]("helpdesk.ticket", "read", [ticket],
                          fields=["stage_id"])[0]["stage_id"][0]


def test_a_link_cannot_close_a_ticket(odoo_server, world, plain_ticket):
    ticket, closed = plain_ticket
    before = _stage(world, ticket)
    params = {"ticket_id": ticket, "stage_id": closed}
    assert _get(world, odoo_server, "/ticket/close", params=params).status_code == 405
    forged = world["client"].post(odoo_server.url + "/ticket/close", data=params,
                                  timeout=60, allow_redirects=False)
    assert forged.status_code == 400
    assert _stage(world, ticket) == before


def test_the_ticket_page_closes_by_post_with_its_token(odoo_server, world, plain_ticket):
    ticket, closed = plain_ticket
    page, token = csrf_token(world["client"], odoo_server.url + "/my/ticket/%d" % ticket)
    form = re.search(r'<form[^>]*action="/ticket/close"[^>]*>', page.text).group(0)
    assert 'method="POST"' in form
    response = world["client"].post(odoo_server.url + "/ticket/close", data={
        "csrf_token": token, "ticket_id": ticket, "stage_id": closed},
        timeout=60, allow_redirects=False)
    assert response.headers["Location"].endswith("/my/ticket/%d" % ticket)
    assert _stage(world, ticket) == closed


# item 18 ------------------------------------------------------------------

def test_the_request_form_takes_only_the_clients_companys_catalogue(odoo_server, world):
    admin = world["admin"]
    other_company = admin("res.company", "create", {"name": "Roles other company"})
    other_area = admin("emergency.service.area", "create", {
        "name": "Other company's area", "code": "ROLES-OTHER",
        "company_id": other_company})
    other_product = admin("emergency.supported.product", "create", {
        "name": "Other company's product", "service_area_id": other_area})
    page, token = csrf_token(world["client"], odoo_server.url + "/my/emergency/new")
    assert "Other company&#39;s area" not in page.text
    assert "Other company's area" not in page.text
    form = {"csrf_token": token, "name": "Foreign catalogue", "facts": "Down.",
            "scenario": "Up.", "accept_nda": "1"}
    for extra, error in (({"area_id": other_area}, "Elija un área de servicio"),
                         ({"product_ids": other_product}, "Elija los productos afectados")):
        response = world["client"].post(odoo_server.url + "/my/emergency/new",
                                        data=dict(form, **extra), timeout=60,
                                        allow_redirects=False)
        assert response.status_code == 200 and error in response.text
    assert not admin("helpdesk.ticket", "search", [("name", "=", "Foreign catalogue")])
