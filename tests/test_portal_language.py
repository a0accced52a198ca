"""Every page of the client's portal in the client's language (issue #9):
a Spanish client reads no English term that Odoo or our addons translate, an
English client no Spanish one. The pages of one emergency at each step
(evaluation, proposal, guarantee to pay, service open with a day of time to
approve), the request form, the lists, and Odoo's invoice page with its
payment form."""
import pytest
from portal_session import admin_caller, login, new_portal_client
from service_clock import open_service_earlier
from untranslated import english_leftovers, spanish_leftovers

PASSWORD = "portal-language-pass"


@pytest.fixture(scope="module")
def world(odoo_server):
    admin = admin_caller(odoo_server)
    ref = admin.ref
    area = ref("emergency_support.service_area_databases")
    product = ref("emergency_support.supported_product_postgresql")
    specialist = ref("emergency_support.user_specialist")
    clients = {}
    for lang in ("es_ES", "en_US"):
        _company, person, user = new_portal_client(
            odoo_server, "Language client %s" % lang, PASSWORD, lang=lang, tz="UTC")
        tickets = {}
        for step in ("evaluation", "proposed", "awaiting", "open"):
            ticket = admin("helpdesk.ticket", "create", {
                "name": "Server down (%s)" % step, "is_emergency": True,
                "partner_id": person, "service_area_id": area,
                "emergency_product_ids": [(6, 0, [product])],
                "criterion_ids": [(0, 0, {"name": "Users log in"})]})
            tickets[step] = ticket
            if step == "evaluation":
                continue
            admin("emergency.evaluation", "create", {
                "ticket_id": ticket, "verdict": "viable", "guarantee_hours": 1,
                "estimated_normalization_hours": 2, "estimated_mitigation_hours": 1})
            if step == "proposed":
                continue
            admin("helpdesk.ticket", "emergency_accept_proposal", [ticket],
                  accept_default_nda=True)
            if step == "awaiting":
                continue
            admin("helpdesk.ticket", "action_emergency_waive_guarantee", [ticket])
            opened = open_service_earlier(admin, ticket)  # no time in the future
            admin("account.analytic.line", "create", {
                "ticket_id": ticket, "user_id": specialist, "unit_amount": 0.5,
                "emergency_date_start": opened, "name": "Restart",
                "emergency_client_description": "Database restarted"})
            admin("helpdesk.ticket", "action_emergency_make_cutoff", [ticket])
            cutoffs = admin("emergency.timesheet.cutoff", "search", [("ticket_id", "=", ticket)])
            admin("emergency.timesheet.cutoff", "action_submit", cutoffs)
            tickets["cutoff"] = cutoffs[0]
        invoice = admin("account.invoice", "search", [
            ("emergency_ticket_id", "=", tickets["awaiting"]),
            ("emergency_kind", "=", "guarantee")])
        assert invoice, "the guarantee invoice was not issued"
        tickets["invoice"] = invoice[0]
        clients[lang] = {"session": login(odoo_server, user, PASSWORD), "tickets": tickets}
    return clients


def _pages(tickets):
    return ["/my", "/my/emergencies", "/my/emergency/new", "/my/tickets", "/my/invoices",
            "/my/emergency/%d" % tickets["evaluation"],
            "/my/emergency/%d" % tickets["proposed"],
            "/my/emergency/%d" % tickets["awaiting"],
            "/my/emergency/%d" % tickets["open"],
            "/my/emergency/cutoff/%d" % tickets["cutoff"],
            "/my/invoices/%d" % tickets["invoice"]]


@pytest.mark.parametrize("lang, leftovers", [("es_ES", english_leftovers),
                                             ("en_US", spanish_leftovers)])
def test_every_portal_page_speaks_the_clients_language(odoo_server, world, lang, leftovers):
    client = world[lang]
    found = {}
    for path in _pages(client["tickets"]):
        page = client["session"].get(odoo_server.url + path, timeout=60)
        assert page.status_code == 200, (path, page.status_code)
        assert "/web/login" not in page.url, path
        words = leftovers(page.text)
        if words:
            found[path] = words
    assert not found, "%s pages show words of the other language: %s" % (lang, found)


def test_the_pages_show_what_they_are_about(odoo_server, world):
    """Not empty pages passing the check: the emergency, its guarantee to
    pay and its day of time, in each language."""
    for lang, words in (("es_ES", ("Pagar la garantía", "Tiempo diario")),
                        ("en_US", ("Pay the guarantee", "Daily time"))):
        client = world[lang]
        page = client["session"].get(
            odoo_server.url + "/my/emergency/%d" % client["tickets"]["awaiting"], timeout=60)
        assert words[0] in page.text, (lang, words[0])
        page = client["session"].get(
            odoo_server.url + "/my/emergency/%d" % client["tickets"]["open"], timeout=60)
        assert words[1] in page.text, (lang, words[1])
