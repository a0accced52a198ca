"""The client's daily cut-offs on the portal, over real HTTP: read the day's
time (never the internal note), approve it, dispute a line; another client's
cut-off, logged out and malformed posts are refused and change nothing."""
import re
import xmlrpc.client

import pytest
import requests
from portal_session import csrf_token, login
from service_clock import open_service_earlier

PASSWORD = "portal-cutoff-pass"


@pytest.fixture(scope="module")
def days(odoo_server):
    """Client C's emergency in normalization with a submitted cut-off of two
    lines, and client D, a stranger, both with portal users."""
    def admin(model, method, *args, **kw):
        return odoo_server.execute("admin", "admin", model, method, *args, **kw)
    portal = admin("ir.model.data", "xmlid_to_res_id", "base.group_portal")
    area = admin("ir.model.data", "xmlid_to_res_id", "emergency_support.service_area_network")
    world = {"admin": admin}
    for key in ("c", "d"):
        company = admin("res.partner", "create", {
            "name": "Cut-off client %s" % key.upper(), "is_company": True, "tz": "UTC"})
        person = admin("res.partner", "create", {
            "name": "Cut-off person %s" % key.upper(), "parent_id": company, "tz": "UTC",
            "email": "cutoff_%s@example.com" % key})
        user = "portal_cutoff_%s_%d" % (key, person)
        admin("res.users", "create", {"login": user, "password": PASSWORD,
                                      "partner_id": person, "groups_id": [(6, 0, [portal])]})
        world[key] = {"person": person, "login": user,
                      "session": login(odoo_server, user, PASSWORD)}
    ticket = admin("helpdesk.ticket", "create", {
        "name": "VPN down", "is_emergency": True, "partner_id": world["c"]["person"],
        "service_area_id": area, "request_date": "2026-03-02 08:00:00"})
    admin("emergency.evaluation", "create", {
        "ticket_id": ticket, "verdict": "viable", "guarantee_hours": 1,
        "unsupported_reason": "pfSense, our field"})
    admin("helpdesk.ticket", "emergency_accept_proposal", [ticket], accept_default_nda=True)
    admin("helpdesk.ticket", "action_emergency_waive_guarantee", [ticket])
    specialist = admin("ir.model.data", "xmlid_to_res_id", "emergency_support.user_specialist")
    opened = open_service_earlier(admin, ticket)  # no time in the future
    day = opened[:10]
    for hours, note in ((1.5, "INTERNAL: firewall rules were a mess"),
                        (0.5, "INTERNAL: waited for the client")):
        admin("account.analytic.line", "create", {
            "ticket_id": ticket, "user_id": specialist, "unit_amount": hours,
            "emergency_date_start": opened, "name": note,
            "emergency_client_description": "Tunnel rebuilt (%.1f h)" % hours})
    admin("helpdesk.ticket", "action_emergency_make_cutoff", [ticket])
    cutoffs = admin("emergency.timesheet.cutoff", "search", [("ticket_id", "=", ticket)])
    admin("emergency.timesheet.cutoff", "action_submit", cutoffs)
    world.update(ticket=ticket, cutoff=cutoffs[0], day=day)
    return world


def _state(days):
    return days["admin"]("emergency.timesheet.cutoff", "read", [days["cutoff"]], fields=[
        "state", "client_approved_date"])[0]


def test_another_client_cannot_see_or_answer_the_cutoff(odoo_server, days):
    d = days["d"]["session"]
    url = odoo_server.url + "/my/emergency/cutoff/%d" % days["cutoff"]
    page = d.get(url, timeout=60)
    assert page.url.endswith("/my/emergencies") and "Tunnel rebuilt" not in page.text
    _page, token = csrf_token(d, odoo_server.url + "/my/emergency/new")
    for action, data in (("approve", {}), ("dispute", {"dispute_1": "1"})):
        response = d.post("%s/%s" % (url, action), timeout=60, allow_redirects=False,
                          data=dict(data, csrf_token=token))
        assert response.status_code == 303
        assert response.headers["Location"].endswith("/my/emergencies")
    assert _state(days) == {"id": days["cutoff"], "state": "submitted",
                            "client_approved_date": False}
    logged_out = requests.get(url, timeout=60, allow_redirects=False)
    assert logged_out.status_code in (302, 303) and "/web/login" in logged_out.headers["Location"]
    # time lines are not readable by portal users, even their own client's
    for key in ("c", "d"):
        try:
            found = odoo_server.execute(days[key]["login"], PASSWORD, "account.analytic.line",
                                        "search_read", [("ticket_id", "=", days["ticket"])],
                                        fields=["name", "amount"])
        except xmlrpc.client.Fault as fault:
            assert "access" in fault.faultString.lower() or "not allowed" in fault.faultString
        else:
            assert found == []


def test_the_client_reads_and_approves_its_day(odoo_server, days):
    c = days["c"]["session"]
    emergency = c.get(odoo_server.url + "/my/emergency/%d" % days["ticket"], timeout=60)
    assert ("/my/emergency/cutoff/%d" % days["cutoff"]) in emergency.text
    page, token = csrf_token(c, odoo_server.url + "/my/emergency/cutoff/%d" % days["cutoff"])
    assert "Tunnel rebuilt (1.5 h)" in page.text and "Tunnel rebuilt (0.5 h)" in page.text
    assert "INTERNAL" not in page.text  # the internal note never shows
    assert "2,00" in page.text  # the day's total, as a Spanish client writes it
    # a dispute without a reason or hours is refused, nothing changes
    line = re.search(r'name="dispute_(\d+)"', page.text).group(1)
    for hours, reason in (("", "too long"), ("abc", "too long"), ("30", "too long"),
                          ("1", "")):
        refused = c.post(odoo_server.url + "/my/emergency/cutoff/%d/dispute" % days["cutoff"],
                         timeout=60, data={"csrf_token": token, "dispute_%s" % line: "1",
                                           "hours_%s" % line: hours, "reason_%s" % line: reason})
        assert refused.status_code == 200 and 'name="error"' in refused.text
    assert _state(days)["state"] == "submitted"
    approved = c.post(odoo_server.url + "/my/emergency/cutoff/%d/approve" % days["cutoff"],
                      timeout=60, data={"csrf_token": token})
    assert approved.status_code == 200 and 'name="message"' in approved.text
    assert _state(days)["client_approved_date"]
    # approving twice, or disputing after approving, is refused with a message
    again = c.post(odoo_server.url + "/my/emergency/cutoff/%d/approve" % days["cutoff"],
                   timeout=60, data={"csrf_token": token})
    assert again.status_code == 200 and 'name="error"' in again.text
    dispute = c.post(odoo_server.url + "/my/emergency/cutoff/%d/dispute" % days["cutoff"],
                     timeout=60, data={"csrf_token": token, "dispute_%s" % line: "1",
                                       "hours_%s" % line: "1", "reason_%s" % line: "late"})
    assert dispute.status_code == 200 and 'name="error"' in dispute.text
    # without the CSRF token: refused
    assert c.post(odoo_server.url + "/my/emergency/cutoff/%d/approve" % days["cutoff"],
                  timeout=60, data={}).status_code == 400
