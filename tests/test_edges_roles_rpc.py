"""Issue 13, item 6, over XML-RPC as each role: only the client's own user
accepts the company's NDA online (its user recorded); staff record an NDA
signed elsewhere only with its document, in their own name; a refused call
writes nothing."""
import xmlrpc.client

import pytest
from portal_session import admin_caller, new_portal_client

PASSWORD = "edges-roles-rpc-pass"
SIGNED_PDF = "JVBERi0xLjQK"


@pytest.fixture(scope="module")
def world(odoo_server):
    admin = admin_caller(odoo_server)
    ref = admin.ref
    client, person, user = new_portal_client(odoo_server, "NDA client R", PASSWORD)
    _other, _other_person, other_user = new_portal_client(
        odoo_server, "NDA client S", PASSWORD)
    specialist = admin("res.users", "create", {
        "name": "RPC specialist", "login": "rpc_roles_specialist", "password": PASSWORD,
        "email": "rpc_roles_specialist@example.com",
        "groups_id": [(6, 0, [ref("base.group_user"),
                              ref("helpdesk_mgmt.group_helpdesk_user")])]})
    ticket = admin("helpdesk.ticket", "create", {
        "name": "Storage full", "is_emergency": True, "partner_id": person,
        "service_area_id": ref("emergency_support.service_area_databases")})
    admin("emergency.evaluation", "create", {
        "ticket_id": ticket, "verdict": "viable", "guarantee_hours": 1})

    def as_(login):
        return lambda model, method, *args, **kw: odoo_server.execute(
            login, PASSWORD if login != "accountant" else "accountant",
            model, method, *args, **kw)
    [client_user] = admin("res.users", "search", [("login", "=", user)])
    return {"admin": admin, "client": client, "person": person, "ticket": ticket,
            "client_user": client_user, "specialist_id": specialist,
            "specialist": as_("rpc_roles_specialist"), "owner": as_(user),
            "other": as_(other_user), "accountant": as_("accountant")}


def _state(world):
    phase = world["admin"]("helpdesk.ticket", "read", [world["ticket"]],
                           fields=["emergency_phase"])[0]["emergency_phase"]
    ndas = world["admin"]("emergency.nda.acceptance", "search_read", [
        ("partner_id", "=", world["client"])],
        fields=["kind", "user_id", "recorded_by_id", "accepted_by_id"])
    return phase, ndas


def _refused(call, *args, **kw):
    with pytest.raises(xmlrpc.client.Fault) as fault:
        call(*args, **kw)
    return fault.value.faultString


def test_nobody_but_the_client_accepts_the_nda_in_its_name(world):
    ticket = [world["ticket"]]
    message = _refused(world["specialist"], "helpdesk.ticket", "emergency_accept_proposal",
                       ticket, accepted_by=world["person"], accept_default_nda=True)
    assert "Only the client's own user accepts the company's NDA" in message
    message = _refused(world["specialist"], "helpdesk.ticket", "emergency_accept_proposal",
                       ticket, accepted_by=world["person"])
    assert "no confidentiality agreement (NDA) in force" in message
    _refused(world["other"], "helpdesk.ticket", "emergency_accept_proposal", ticket,
             accept_default_nda=True)
    _refused(world["accountant"], "helpdesk.ticket", "action_emergency_accept", ticket)
    _refused(world["accountant"], "helpdesk.ticket", "emergency_accept_proposal", ticket)
    # nor does a specialist make an online acceptance, or forge its user
    _refused(world["specialist"], "emergency.nda.acceptance", "create", {
        "partner_id": world["client"], "kind": "default", "accepted_by_id": world["person"],
        "nda_id": world["admin"].ref("emergency_support.nda_default_v1")})
    message = _refused(world["specialist"], "emergency.nda.acceptance", "create", {
        "partner_id": world["client"], "kind": "prior", "reference": "Paper",
        "accepted_by_id": world["person"]})
    assert "Attach the signed document" in message
    _refused(world["specialist"], "emergency.nda.acceptance", "create", {
        "partner_id": world["client"], "kind": "prior", "reference": "Paper",
        "accepted_by_id": world["person"], "document": SIGNED_PDF,
        "user_id": world["client_user"]})
    assert _state(world) == ("proposed", [])


def test_the_clients_own_user_accepts_and_is_recorded(world):
    assert world["owner"]("helpdesk.ticket", "emergency_accept_proposal",
                          [world["ticket"]], accept_default_nda=True) is True
    phase, [nda] = _state(world)
    assert phase == "awaiting_guarantee"
    assert nda["kind"] == "default"
    assert nda["user_id"][0] == world["client_user"]
    assert nda["accepted_by_id"][0] == world["person"]
    assert nda["recorded_by_id"] is False


def test_staff_record_an_nda_signed_elsewhere_in_their_name(world):
    acceptance = world["specialist"]("emergency.nda.acceptance", "create", {
        "partner_id": world["client"], "kind": "prior", "reference": "Signed on paper",
        "accepted_by_id": world["person"], "document": SIGNED_PDF,
        "document_name": "nda.pdf"})
    [record] = world["admin"]("emergency.nda.acceptance", "read", [acceptance],
                              fields=["recorded_by_id", "user_id", "document"])
    assert record["recorded_by_id"][0] == world["specialist_id"]
    assert record["user_id"] is False and record["document"]
    _refused(world["specialist"], "emergency.nda.acceptance", "write", [acceptance],
             {"accepted_by_id": world["person"], "date_accepted": "2020-01-01 00:00:00"})
