"""The "External API" of emergency_support/README.rst, done over XML-RPC.

A monitoring system opens an emergency and follows it; a specialist answers
through the same API. Errors come back as XML-RPC faults with the translated
message, and a refused call writes nothing.
"""
import xmlrpc.client

import pytest

PASSWORD = "api-test-pass"


@pytest.fixture(scope="module")
def api(odoo_server):
    """Users and a client of its own, made by the administrator over XML-RPC."""
    admin = lambda model, method, *args, **kw: odoo_server.execute(  # noqa: E731
        "admin", "admin", model, method, *args, **kw)
    helpdesk_user = admin("ir.model.data", "xmlid_to_res_id", "helpdesk_mgmt.group_helpdesk_user")
    internal = admin("ir.model.data", "xmlid_to_res_id", "base.group_user")
    for login in ("api_monitoring", "api_specialist"):
        values = {"name": login, "login": login, "password": PASSWORD, "lang": "en_US",
                  "email": "%s@example.com" % login,
                  "groups_id": [(6, 0, [internal, helpdesk_user])]}
        existing = admin("res.users", "search", [("login", "=", login)])
        if existing:
            admin("res.users", "write", existing, values)
        else:
            admin("res.users", "create", values)
    client = admin("res.partner", "create", {"name": "API Client S.A.", "is_company": True})
    person = admin("res.partner", "create", {
        "name": "Paula API", "parent_id": client, "email": "paula@api.example.com"})
    area = admin("emergency.service.area", "create", {"name": "API area"})

    class Api(object):
        def __init__(self):
            self.client, self.person, self.area = client, person, area

        def monitoring(self, model, method, *args, **kw):
            return odoo_server.execute("api_monitoring", PASSWORD, model, method, *args, **kw)

        def specialist(self, model, method, *args, **kw):
            return odoo_server.execute("api_specialist", PASSWORD, model, method, *args, **kw)

    return Api()


def test_monitoring_opens_and_follows_an_emergency(api):
    ticket_id = api.monitoring("helpdesk.ticket", "create", {
        "name": "[Zabbix] PostgreSQL primary unreachable",
        "is_emergency": True,
        "partner_id": api.person,
        "service_area_id": api.area,
        "emergency_facts": "Trigger 'pg_up == 0' fired at 03:12 UTC on db01.",
    })
    ticket = api.monitoring("helpdesk.ticket", "read", [ticket_id], fields=[
        "number", "emergency_phase", "request_date", "evaluation_deadline",
        "evaluation_overdue"])[0]
    assert ticket["emergency_phase"] == "evaluation"
    assert ticket["evaluation_deadline"] > ticket["request_date"]
    assert ticket["evaluation_overdue"] is False
    assert ticket["number"] and ticket["number"] != "/"

    # a guarantee of 9 hours is refused with a clear message, and nothing is written
    with pytest.raises(xmlrpc.client.Fault) as fault:
        api.specialist("emergency.evaluation", "create", {
            "ticket_id": ticket_id, "verdict": "viable", "guarantee_hours": 9})
    assert "between 1 and 8" in fault.value.faultString
    assert api.monitoring("emergency.evaluation", "search_count",
                          [("ticket_id", "=", ticket_id)]) == 0

    api.specialist("emergency.evaluation", "create", {
        "ticket_id": ticket_id, "verdict": "viable", "uncertainty": "low", "risk": "high",
        "estimated_normalization_hours": 2.5, "guarantee_hours": 2,
        "unsupported_reason": "Zabbix names no product: PostgreSQL, our field"})
    ticket = api.monitoring("helpdesk.ticket", "read", [ticket_id], fields=[
        "emergency_phase", "guarantee_hours", "guarantee_required", "evaluation_on_time"])[0]
    assert ticket["emergency_phase"] == "proposed"
    assert ticket["guarantee_hours"] == 2 and ticket["guarantee_required"] is True
    assert ticket["evaluation_on_time"] is True

    # no NDA in force: the acceptance is refused and nothing is half-written
    with pytest.raises(xmlrpc.client.Fault) as fault:
        api.specialist("helpdesk.ticket", "action_emergency_accept", [ticket_id])
    assert "confidentiality agreement" in fault.value.faultString
    assert api.specialist("emergency.nda.acceptance", "search_count",
                          [("partner_id", "=", api.client)]) == 0

    # the client signed our NDA on paper: the specialist records it with the
    # signed document, then the acceptance the client gave by phone
    api.specialist("emergency.nda.acceptance", "create", {
        "partner_id": api.client, "kind": "prior", "reference": "Signed by courier",
        "accepted_by_id": api.person, "document": "JVBERi0xLjQK",
        "document_name": "nda-signed.pdf"})
    api.specialist("helpdesk.ticket", "action_emergency_accept", [ticket_id])
    assert api.monitoring("helpdesk.ticket", "read", [ticket_id],
                          fields=["emergency_phase"])[0]["emergency_phase"] == \
        "awaiting_guarantee"

    # the service opens only through the guarantee: the hook is not public
    with pytest.raises(xmlrpc.client.Fault):
        api.specialist("helpdesk.ticket", "_emergency_open_service", [ticket_id])

    api.specialist("helpdesk.ticket", "action_emergency_waive_guarantee", [ticket_id])
    ticket = api.monitoring("helpdesk.ticket", "read", [ticket_id], fields=[
        "emergency_phase", "lead_expert_id", "guarantee_policy"])[0]
    assert ticket["emergency_phase"] == "normalization"
    assert ticket["lead_expert_id"][1] == "api_specialist"
    assert ticket["guarantee_policy"] == "waived"

    history = api.monitoring("emergency.phase.history", "search_read",
                             [("ticket_id", "=", ticket_id)], fields=["phase", "date_end"],
                             order="date_start, id")
    assert [h["phase"] for h in history] == [
        "evaluation", "proposed", "accepted", "awaiting_guarantee", "normalization"]
    assert history[-1]["date_end"] is False


def test_overdue_evaluations_can_be_listed(api, odoo_server):
    # the request date is the server's: a caller cannot backdate it...
    with pytest.raises(xmlrpc.client.Fault) as fault:
        api.monitoring("helpdesk.ticket", "create", {
            "name": "Disk full", "is_emergency": True, "partner_id": api.person,
            "request_date": "2020-01-01 00:00:00"})
    assert "cannot be set when the ticket is created" in fault.value.faultString
    # ...nor forge the workflow with a context key
    with pytest.raises(xmlrpc.client.Fault):
        api.monitoring("helpdesk.ticket", "create", {
            "name": "Disk full", "is_emergency": True, "partner_id": api.person,
            "request_date": "2020-01-01 00:00:00"},
            context={"emergency_workflow": True})
    # the administrator records a request received earlier (data correction)
    ticket_id = odoo_server.execute("admin", "admin", "helpdesk.ticket", "create", {
        "name": "Disk full", "is_emergency": True, "partner_id": api.person,
        "request_date": "2020-01-01 00:00:00"})
    overdue = api.monitoring("helpdesk.ticket", "search",
                             [("evaluation_overdue", "=", True)])
    assert ticket_id in overdue


def test_every_public_action_answers_over_xmlrpc(api, odoo_server):
    """Each button's method returns a value XML-RPC can carry (None cannot:
    the caller got a fault after the change was committed)."""
    admin = lambda model, method, *args, **kw: odoo_server.execute(  # noqa: E731
        "admin", "admin", model, method, *args, **kw)
    call = api.specialist
    ticket = api.monitoring("helpdesk.ticket", "create", {
        "name": "Every button", "partner_id": api.person, "service_area_id": api.area,
        "emergency_facts": "All of them."})
    assert call("helpdesk.ticket", "action_emergency_mark", [ticket]) is True
    action = call("helpdesk.ticket", "action_emergency_evaluate", [ticket])
    assert action["res_model"] == "emergency.evaluation"
    call("emergency.evaluation", "create", {
        "ticket_id": ticket, "verdict": "viable", "guarantee_hours": 1,
        "unsupported_reason": "No product named yet"})
    assert call("helpdesk.ticket", "action_emergency_credit_guarantee", [ticket]) is True
    assert call("helpdesk.ticket", "action_emergency_charge_guarantee", [ticket]) is True
    assert call("helpdesk.ticket", "emergency_accept_proposal", [ticket],
                accepted_by=api.person) is True
    assert call("helpdesk.ticket", "action_emergency_waive_guarantee", [ticket]) is True
    criterion = call("emergency.criterion", "create", {"ticket_id": ticket, "name": "Up"})
    assert call("emergency.criterion", "action_confirm", [criterion]) is True
    assert call("emergency.criterion", "action_unconfirm", [criterion]) is True
    assert call("emergency.criterion", "action_confirm", [criterion]) is True
    assert call("helpdesk.ticket", "action_emergency_normalized", [ticket]) is True
    assert call("helpdesk.ticket", "action_emergency_issue_report", [ticket]) is True
    assert call("helpdesk.ticket", "action_emergency_close", [ticket]) is True
    other = api.monitoring("helpdesk.ticket", "create", {
        "name": "Cancelled one", "is_emergency": True, "partner_id": api.person})
    assert call("helpdesk.ticket", "action_emergency_cancel", [other]) is True
    # the staff's acceptance button
    third = api.monitoring("helpdesk.ticket", "create", {
        "name": "Accepted by phone", "is_emergency": True, "partner_id": api.person,
        "service_area_id": api.area})
    call("emergency.evaluation", "create", {
        "ticket_id": third, "verdict": "viable", "guarantee_hours": 1,
        "unsupported_reason": "No product named yet"})
    assert call("helpdesk.ticket", "action_emergency_accept", [third]) is True
    # the monthly plan's buttons (a manager's)
    plan = admin("emergency.plan.agreement", "create", {
        "name": "API plan", "partner_id": api.client, "service_area_ids": [(6, 0, [api.area])],
        "date_start": "2026-01-01", "date_end": "2026-12-31",
        "express_rate": 30, "ondemand_rate": 20})
    assert admin("emergency.plan.agreement", "action_confirm", [plan]) is True
    assert admin("emergency.plan.agreement", "action_cancel", [plan]) is True
    assert admin("emergency.plan.agreement", "action_draft", [plan]) is True
