"""The portal routes a client can reach today, tried with another client's ids.

helpdesk_mgmt 11.0's own routes act through sudo() on the ids they receive;
emergency_support overrides them with access checks (controllers/main.py).
"""
import re

import pytest
import requests
from portal_session import login

PASSWORD = "portal-test-pass"


def _login(odoo_server, user):
    return login(odoo_server, user, PASSWORD)


@pytest.fixture(scope="module")
def world(odoo_server):
    def admin(model, method, *args, **kw):
        return odoo_server.execute("admin", "admin", model, method, *args, **kw)
    portal = admin("ir.model.data", "xmlid_to_res_id", "base.group_portal")
    people = {}
    for key in ("a", "b"):
        company = admin("res.partner", "create", {
            "name": "Portal client %s" % key.upper(), "is_company": True})
        person = admin("res.partner", "create", {
            "name": "Person %s" % key.upper(), "parent_id": company,
            "email": "person_%s@portal.example.com" % key})
        admin("res.users", "create", {
            "login": "portal_route_%s_%d" % (key, person), "password": PASSWORD,
            "partner_id": person, "groups_id": [(6, 0, [portal])]})
        people[key] = person
    tickets = {key: admin("helpdesk.ticket", "create", {
        "name": "Printer jam %s" % key, "partner_id": people[key]})
        for key in people}
    for key, ticket in tickets.items():  # helpdesk_mgmt shows followers their tickets
        admin("helpdesk.ticket", "message_subscribe", [ticket], partner_ids=[people[key]])
    emergency_a = admin("helpdesk.ticket", "create", {
        "name": "Server down A", "partner_id": people["a"], "is_emergency": True})
    closed = admin("helpdesk.ticket.stage", "search", [("closed", "=", True)], limit=1)[0]
    return {"admin": admin, "people": people, "tickets": tickets,
            "emergency_a": emergency_a, "closed": closed,
            "a": _login(odoo_server, "portal_route_a_%d" % people["a"])}


def _close(odoo_server, session, params):
    """/ticket/close as the ticket page's form sends it: a POST with the
    page's CSRF token."""
    page = session.get(odoo_server.url + "/my", timeout=30)
    token = re.search(r'csrf_token: "([^"]+)"|name="csrf_token" value="([^"]+)"', page.text)
    return session.post(odoo_server.url + "/ticket/close", timeout=30, data=dict(
        params, csrf_token=token.group(1) or token.group(2)), allow_redirects=False)


def _stage(world, ticket):
    return world["admin"]("helpdesk.ticket", "read", [ticket], fields=["stage_id"])[0][
        "stage_id"][0]


def test_a_client_cannot_close_another_clients_ticket(odoo_server, world):
    ticket_b = world["tickets"]["b"]
    before = _stage(world, ticket_b)
    response = _close(odoo_server, world["a"], {
        "ticket_id": ticket_b, "stage_id": world["closed"]})
    assert response.status_code in (301, 302, 303)
    assert response.headers["Location"].endswith("/my/tickets")
    assert _stage(world, ticket_b) == before


def test_a_client_closes_its_own_ticket_but_not_an_emergency(odoo_server, world):
    ticket_a = world["tickets"]["a"]
    response = _close(odoo_server, world["a"], {
        "ticket_id": ticket_a, "stage_id": world["closed"]})
    assert response.headers["Location"].endswith("/my/ticket/%d" % ticket_a)
    assert _stage(world, ticket_a) == world["closed"]
    before = _stage(world, world["emergency_a"])
    _close(odoo_server, world["a"], {
        "ticket_id": world["emergency_a"], "stage_id": world["closed"]})
    assert _stage(world, world["emergency_a"]) == before


@pytest.mark.parametrize("params", [
    {}, {"ticket_id": "abc", "stage_id": "1"}, {"ticket_id": "1"},
    {"ticket_id": "999999999", "stage_id": "1"}, {"ticket_id": "-1", "stage_id": "x"},
])
def test_malformed_requests_never_answer_500(odoo_server, world, params):
    response = _close(odoo_server, world["a"], params)
    assert response.status_code in (301, 302, 303)


def test_a_client_files_tickets_only_in_its_own_name(odoo_server, world):
    session = world["a"]
    page = session.get(odoo_server.url + "/my", timeout=30)
    token = re.search(r'csrf_token: "([^"]+)"|name="csrf_token" value="([^"]+)"', page.text)
    token = token.group(1) or token.group(2)
    response = session.post(odoo_server.url + "/submitted/ticket", timeout=30, data={
        "csrf_token": token, "subject": "Filed as someone else",
        "name": "Person B", "email": "person_b@portal.example.com",
        "category": "not-a-number", "description": "x"}, allow_redirects=False)
    assert response.status_code in (301, 302, 303)
    filed = world["admin"]("helpdesk.ticket", "search_read",
                           [("name", "=", "Filed as someone else")], fields=["partner_id"])
    assert [t["partner_id"][0] for t in filed] == [world["people"]["a"]]


def test_a_client_cannot_open_another_clients_ticket_page(odoo_server, world):
    response = world["a"].get(odoo_server.url + "/my/ticket/%d" % world["tickets"]["b"],
                              timeout=30, allow_redirects=False)
    assert response.status_code in (301, 302, 303)
    missing = world["a"].get(odoo_server.url + "/my/ticket/999999999", timeout=30,
                             allow_redirects=False)
    assert missing.status_code in (301, 302, 303)
    own = world["a"].get(odoo_server.url + "/my/ticket/%d" % world["emergency_a"],
                         timeout=30)
    assert own.status_code == 200 and "Server down A" in own.text


def test_a_report_of_anothers_record_is_refused_not_a_500(odoo_server, world):
    """Any route that serves our records answers a clear refusal."""
    b = _login(odoo_server, "portal_route_b_%d" % world["people"]["b"])
    base = odoo_server.url + "/report/%s/emergency_support.report_emergency_technical/%s"
    for converter in ("pdf", "html"):
        response = b.get(base % (converter, world["emergency_a"]), timeout=60)
        assert response.status_code == 403, response.status_code
        assert "Server down A" not in response.text
        assert b.get(base % (converter, "abc"), timeout=60).status_code == 400
        assert b.get(base % (converter, "999999999"), timeout=60).status_code == 404
    logged_out = requests.get(base % ("pdf", world["emergency_a"]), timeout=60,
                              allow_redirects=False)
    assert logged_out.status_code in (302, 303)
    assert "/web/login" in logged_out.headers["Location"]
