"""The client's emergency on the customer portal, over real HTTP: request it
with the NDA, follow it, accept the proposal, write to the team; every route
tried with another client's ids, logged out, and with malformed input."""
import random
import time

import pytest
import requests
from portal_session import csrf_token, login

PASSWORD = "portal-emergency-pass"


@pytest.fixture(scope="module")
def clients(odoo_server):
    """Two clients without NDA, each with a portal user, in English."""
    def admin(model, method, *args, **kw):
        return odoo_server.execute("admin", "admin", model, method, *args, **kw)
    portal = admin("ir.model.data", "xmlid_to_res_id", "base.group_portal")
    area = admin("ir.model.data", "xmlid_to_res_id", "emergency_support.service_area_databases")
    product = admin("ir.model.data", "xmlid_to_res_id",
                    "emergency_support.supported_product_postgresql")
    world = {"admin": admin, "area": area, "product": product}
    for key in ("a", "b"):
        company = admin("res.partner", "create", {
            "name": "Emergency client %s" % key.upper(), "is_company": True})
        person = admin("res.partner", "create", {
            "name": "Client person %s" % key.upper(), "parent_id": company,
            "email": "client_%s@emergency.example.com" % key, "lang": "en_US"})
        user = "portal_emergency_%s_%d" % (key, person)
        admin("res.users", "create", {
            "login": user, "password": PASSWORD, "partner_id": person,
            "groups_id": [(6, 0, [portal])]})
        world[key] = {"company": company, "person": person,
                      "session": login(odoo_server, user, PASSWORD)}
    return world


def _request(odoo_server, session, **fields):
    _page, token = csrf_token(session, odoo_server.url + "/my/emergency/new")
    data = {"csrf_token": token, "name": "ERP down", "facts": "Nobody can log in since 08:00.",
            "people": "Ana, +58 212 555 0199", "scenario": "Users log in\nInvoices print",
            "accept_nda": "1"}
    data.update(fields)
    return session.post(odoo_server.url + "/my/emergency/new", data=data, timeout=60,
                        allow_redirects=False)


def _count(clients, company):
    return clients["admin"]("helpdesk.ticket", "search_count", [
        ("is_emergency", "=", True), ("partner_id.commercial_partner_id", "=", company)])


def test_a_client_requests_an_emergency_with_the_nda(odoo_server, clients):
    a = clients["a"]
    form, _token = csrf_token(a["session"], odoo_server.url + "/my/emergency/new")
    assert "60" in form.text and 'name="accept_nda"' in form.text  # promise, NDA to accept
    # without accepting the NDA: refused, nothing written
    response = _request(odoo_server, a["session"], accept_nda="")
    assert response.status_code == 200 and "confidentiality agreement" in response.text
    assert _count(clients, a["company"]) == 0
    response = _request(odoo_server, a["session"], area_id=str(clients["area"]),
                        product_ids=str(clients["product"]), other_products="Pgpool")
    assert response.status_code == 303
    ticket_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    ticket = clients["admin"]("helpdesk.ticket", "read", [ticket_id], fields=[
        "emergency_phase", "partner_id", "service_area_id", "criterion_ids",
        "products_supported", "other_products", "evaluation_deadline"])[0]
    assert ticket["emergency_phase"] == "evaluation"
    assert ticket["partner_id"][0] == a["person"]
    assert len(ticket["criterion_ids"]) == 2
    assert ticket["products_supported"] is False  # "other" is flagged for the evaluation
    nda = clients["admin"]("emergency.nda.acceptance", "search_read", [
        ("partner_id", "=", a["company"])], fields=["accepted_by_id", "user_id",
                                                    "ip_address", "nda_id", "date_accepted"])
    assert len(nda) == 1
    assert nda[0]["accepted_by_id"][0] == a["person"]
    assert nda[0]["user_id"] and nda[0]["ip_address"] == "127.0.0.1" and nda[0]["nda_id"]
    page = a["session"].get(odoo_server.url + "/my/emergency/%d" % ticket_id, timeout=60)
    assert page.status_code == 200
    assert 'name="deadline"' in page.text and "ERP down" in page.text
    # the NDA is in force now: the next request does not ask for it
    form, _token = csrf_token(a["session"], odoo_server.url + "/my/emergency/new")
    assert 'name="accept_nda"' not in form.text


def test_the_client_accepts_and_follows_its_emergency(odoo_server, clients):
    b = clients["b"]
    response = _request(odoo_server, b["session"], area_id=str(clients["area"]),
                        product_ids=str(clients["product"]))
    ticket_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    clients["admin"]("emergency.evaluation", "create", {
        "ticket_id": ticket_id, "verdict": "viable", "guarantee_hours": 2,
        "estimated_normalization_hours": 3})
    page, token = csrf_token(b["session"], odoo_server.url + "/my/emergency/%d" % ticket_id)
    assert 'name="accept_proposal"' in page.text and "70.00" in page.text
    # the guarantee as its invoice will charge it: the demo's VAT (16 %) added
    assert 'name="guarantee_with_taxes"' in page.text and "81.20" in page.text
    assert 'name="tacit_approval"' not in page.text  # tacit approval is off by default
    company = clients["admin"]("ir.model.data", "xmlid_to_res_id", "base.main_company")
    clients["admin"]("res.company", "write", [company], {"emergency_tacit_approval": True})
    page = b["session"].get(odoo_server.url + "/my/emergency/%d" % ticket_id, timeout=60)
    clients["admin"]("res.company", "write", [company], {"emergency_tacit_approval": False})
    assert 'name="tacit_approval"' in page.text  # the proposal says so when it is on
    accepted = b["session"].post(
        odoo_server.url + "/my/emergency/%d/accept" % ticket_id, timeout=60,
        data={"csrf_token": token})
    assert accepted.status_code == 200 and 'name="message"' in accepted.text
    ticket = clients["admin"]("helpdesk.ticket", "read", [ticket_id], fields=[
        "emergency_phase", "accepted_by_id"])[0]
    assert ticket["emergency_phase"] == "awaiting_guarantee"
    assert ticket["accepted_by_id"][0] == b["person"]
    # accepting again is refused with a message, nothing changes
    again = b["session"].post(odoo_server.url + "/my/emergency/%d/accept" % ticket_id,
                              timeout=60, data={"csrf_token": token})
    assert again.status_code == 200 and 'name="error"' in again.text
    # the client writes to the team; internal notes never show
    clients["admin"]("helpdesk.ticket", "message_post", [ticket_id],
                     body="INTERNAL: client seems nervous", subtype="mail.mt_note")
    b["session"].post(odoo_server.url + "/my/emergency/%d/message" % ticket_id,
                      timeout=60, data={"csrf_token": token, "body": "Backups are on NAS-2"})
    page = b["session"].get(odoo_server.url + "/my/emergency/%d" % ticket_id, timeout=60)
    assert "Backups are on NAS-2" in page.text
    assert "INTERNAL" not in page.text
    # the mails sent to it: the job runner posts them after the click
    deadline = time.time() + 120
    while "we received your emergency request" not in page.text and time.time() < deadline:
        time.sleep(1)
        page = b["session"].get(odoo_server.url + "/my/emergency/%d" % ticket_id, timeout=60)
    assert "we received your emergency request" in page.text
    report = b["session"].get(odoo_server.url + "/my/emergency/%d/report" % ticket_id,
                              timeout=120)
    assert report.status_code == 200 and report.content.startswith(b"%PDF")
    listing = b["session"].get(odoo_server.url + "/my/emergencies", timeout=60)
    assert ("/my/emergency/%d" % ticket_id) in listing.text
    # the helpdesk page of the ticket sends it to the emergency's page
    helpdesk = b["session"].get(odoo_server.url + "/my/ticket/%d" % ticket_id, timeout=60)
    assert helpdesk.url.endswith("/my/emergency/%d" % ticket_id)


def test_another_clients_emergency_is_out_of_reach(odoo_server, clients):
    a, b = clients["a"], clients["b"]
    ticket_id = clients["admin"]("helpdesk.ticket", "search", [
        ("is_emergency", "=", True), ("partner_id", "=", a["person"])], limit=1)[0]
    before = clients["admin"]("helpdesk.ticket", "read", [ticket_id], fields=[
        "emergency_phase", "message_ids", "number"])[0]
    _page, token = csrf_token(b["session"], odoo_server.url + "/my/emergency/new")
    url = odoo_server.url + "/my/emergency/%d" % ticket_id
    for path, data in (("", None), ("/report", None),
                       ("/accept", {"csrf_token": token, "accept_nda": "1"}),
                       ("/message", {"csrf_token": token, "body": "spam"})):
        if data is None:
            response = b["session"].get(url + path, timeout=60)
            assert response.status_code == 200, (path, response.status_code)
            assert response.url.endswith("/my/emergencies"), (path, response.url)
            assert before["number"] not in response.text
        else:
            response = b["session"].post(url + path, data=data, timeout=60,
                                         allow_redirects=False)
            assert response.status_code == 303, (path, response.status_code)
            assert response.headers["Location"].endswith("/my/emergencies")
    after = clients["admin"]("helpdesk.ticket", "read", [ticket_id], fields=[
        "emergency_phase", "message_ids", "number"])[0]
    assert after == before
    listing = b["session"].get(odoo_server.url + "/my/emergencies", timeout=60)
    assert ("/my/emergency/%d" % ticket_id) not in listing.text
    # logged out: to the login page, nothing shown
    for path in ("", "/report"):
        response = requests.get(url + path, timeout=60, allow_redirects=False)
        assert response.status_code in (302, 303)
        assert "/web/login" in response.headers["Location"]


def test_unknown_list_options_do_not_answer_500(odoo_server, clients):
    session = clients["a"]["session"]
    for query in ("sortby=nope", "filterby=nope", "filterby=999999", "search_in=nope&search=x",
                  "sortby=%27%3B--"):
        response = session.get(odoo_server.url + "/my/tickets?" + query, timeout=60)
        assert response.status_code == 200, query
    for query in ("sortby=nope", "page=abc"):
        response = session.get(odoo_server.url + "/my/emergencies?" + query, timeout=60)
        assert response.status_code == 200, query
    for path in ("/my/emergency/0", "/my/emergency/999999999"):
        response = session.get(odoo_server.url + path, timeout=60)
        assert response.status_code == 200 and response.url.endswith("/my/emergencies"), path
    assert session.get(odoo_server.url + "/my/emergency/abc", timeout=60).status_code == 404


def test_malformed_requests_change_nothing(odoo_server, clients):
    """A generated set of malformed posts (fixed seed): each gets a clear
    answer (the form with a message, a refusal or a redirect), never a 500,
    and none writes anything it should not."""
    a = clients["a"]
    rng = random.Random(20261126)
    texts = ["", " ", "x" * 20001, "<script>alert(1)</script>", "\x00", "ñandú ☃",
             "1; DROP TABLE helpdesk_ticket", "%s%s%(x)s"]
    ids = ["", "0", "-1", "abc", "999999999", "1.5", str(clients["area"]), "1,2"]
    before = _count(clients, a["company"])
    created = 0
    for _case in range(40):
        fields = {key: rng.choice(texts) for key in ("name", "facts", "people", "scenario",
                                                     "other_products")}
        fields.update(area_id=rng.choice(ids), product_ids=rng.choice(ids),
                      accept_nda=rng.choice(["", "1", "yes"]))
        for key in [k for k in fields if rng.random() < 0.2]:
            del fields[key]
        response = _request(odoo_server, a["session"], **fields)
        assert response.status_code in (200, 303), (fields, response.status_code)
        if response.status_code == 303:
            created += 1
            assert fields.get("facts", "").strip() and fields.get("scenario", "").strip()
    assert _count(clients, a["company"]) == before + created
    # a post without its CSRF token is refused and writes nothing
    response = a["session"].post(odoo_server.url + "/my/emergency/new", timeout=60,
                                 data={"name": "No token", "facts": "x", "scenario": "y"})
    assert response.status_code == 400
    assert _count(clients, a["company"]) == before + created
