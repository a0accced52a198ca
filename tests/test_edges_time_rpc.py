"""Time lines and cut-offs at the edges, over XML-RPC as the demo users
(issue 13, items 1, 4, 5): every dispute can end approved, only the
specialist logs its own time (a timesheet manager for others, recorded; the
accountant reads), the client's proposed hours are checked by the model."""
import xmlrpc.client
from datetime import datetime, timedelta

import pytest

DEMO = {"admin": "admin", "specialist": "specialist", "accountant": "accountant",
        "client": "client"}
MANAGER_PASSWORD = "edges-time-manager"
LINE = "account.analytic.line"
CUTOFF = "emergency.timesheet.cutoff"
#: the messages checked in English, whatever the demo user's language
ENGLISH = {"lang": "en_US"}


@pytest.fixture(scope="module")
def world(odoo_server):
    """The demo emergency in normalization (client ACME, user ``client``)
    and a timesheet manager who is also a specialist."""
    def call(login, model, method, *args, **kw):
        password = DEMO.get(login, MANAGER_PASSWORD)
        return odoo_server.execute(login, password, model, method, *args, **kw)

    def ref(xmlid):
        return call("admin", "ir.model.data", "xmlid_to_res_id", xmlid)

    groups = [ref("base.group_user"), ref("helpdesk_mgmt.group_helpdesk_user"),
              ref("hr_timesheet.group_timesheet_manager")]
    call("admin", "res.users", "create", {
        "name": "Tomás Timesheet Manager", "login": "ts_manager", "password": MANAGER_PASSWORD,
        "email": "ts_manager@example.com", "lang": "en_US",
        "groups_id": [(6, 0, groups)]})
    return {"call": call, "ticket": ref("emergency_support.ticket_emergency_normalization"),
            "specialist": ref("emergency_support.user_specialist"),
            "admin": odoo_server.login("admin", "admin")}


def _start(minutes_ago):
    moment = datetime.utcnow() - timedelta(minutes=minutes_ago)
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def _log(world, login, minutes_ago, hours, **vals):
    """A time line of ``hours`` started ``minutes_ago`` (the demo emergency's
    service opened 4 h 15 min before the test database was made)."""
    values = {"ticket_id": world["ticket"], "emergency_date_start": _start(minutes_ago),
              "unit_amount": hours, "name": "Edges (internal)",
              "emergency_client_description": "Edges: %s h" % hours}
    values.update(vals)
    return world["call"](login, LINE, "create", values, context=ENGLISH)


def _submitted_cutoff(world, line):
    """The specialist makes the day's cut-off of ``line`` and submits it."""
    call = world["call"]
    call("specialist", "helpdesk.ticket", "action_emergency_make_cutoff", [world["ticket"]])
    cutoff = call("specialist", LINE, "read", [line], fields=["emergency_cutoff_id"])[0][
        "emergency_cutoff_id"][0]
    call("specialist", CUTOFF, "action_submit", [cutoff])
    return cutoff


def _fault(function, *args, **kw):
    with pytest.raises(xmlrpc.client.Fault) as fault:
        function(*args, **kw)
    return fault.value.faultString


def _state(world, cutoff):
    return world["call"]("admin", CUTOFF, "read", [cutoff], fields=["state"])[0]["state"]


# ----------------------------------------------------------------------
# item 1: every dispute ends approved
# ----------------------------------------------------------------------

@pytest.mark.parametrize("proposed", [0.25, 0.0, 0.5])
def test_every_dispute_ends_approved(world, proposed):
    """The client proposes the same hours, zero or more than logged: the
    team answers and the day ends approved with the agreed hours."""
    call = world["call"]
    line = _log(world, "specialist", 240, 0.25)
    cutoff = _submitted_cutoff(world, line)
    reason = "Proposal %.2f h: the restore took less" % proposed
    assert call("client", CUTOFF, "emergency_client_dispute", [cutoff], [
        {"line_id": line, "reason": reason, "proposed_hours": proposed}]) is True
    assert _state(world, cutoff) == "disputed"
    answer = call("specialist", CUTOFF, "action_correct", [cutoff])
    if proposed == 0.25:  # nothing to change: the dispute is closed, approved
        assert answer is True
    else:
        correction = answer["res_id"]
        fixes = call("specialist", LINE, "search_read",
                     [("emergency_cutoff_id", "=", correction)], fields=["unit_amount"])
        assert [fix["unit_amount"] for fix in fixes] == [proposed - 0.25]
        call("specialist", CUTOFF, "action_submit", [correction])
        call("client", CUTOFF, "emergency_client_approve", [correction])
        call("specialist", CUTOFF, "action_staff_approve", [correction])
        assert _state(world, correction) == "approved"
    assert _state(world, cutoff) == "approved"
    # the hours approved for the disputed work are the client's proposal
    approved = call("specialist", LINE, "search_read", [
        "|", ("id", "=", line), ("emergency_corrected_line_id", "=", line)],
        fields=["unit_amount", "emergency_cutoff_state"])
    assert {row["emergency_cutoff_state"] for row in approved} == {"approved"}
    assert sum(row["unit_amount"] for row in approved) == pytest.approx(proposed)
    # the client's words stay readable: the line's reason, the chatter
    stored = call("specialist", LINE, "read", [line], fields=["emergency_dispute_reason"])[0]
    assert stored["emergency_dispute_reason"] == reason
    if proposed == 0.25:
        bodies = call("admin", "mail.message", "search_read", [
            ("model", "=", CUTOFF), ("res_id", "=", cutoff)], fields=["body"])
        assert any(reason in (body["body"] or "") for body in bodies)


# ----------------------------------------------------------------------
# item 4: each specialist logs its own time; a manager for others; the
# accountant reads
# ----------------------------------------------------------------------

def test_time_in_someone_elses_name_is_refused(world):
    call = world["call"]
    specialist = world["specialist"]
    # the accountant logs nothing, changes nothing, deletes nothing
    refused = _fault(_log, world, "accountant", 200, 0.5, user_id=specialist)
    assert "Only the specialists" in refused
    own = _log(world, "specialist", 200, 0.5)
    for vals in ({"unit_amount": 0.1}, {"user_id": world["admin"]}, {"name": "Mine now"}):
        refused = _fault(call, "accountant", LINE, "write", [own], vals, context=ENGLISH)
        assert "Only the specialists" in refused
    refused = _fault(call, "accountant", LINE, "unlink", [own], context=ENGLISH)
    assert "Only the specialists" in refused
    # ...but reads it
    assert call("accountant", LINE, "read", [own], fields=["unit_amount"])[0][
        "unit_amount"] == 0.5
    # the specialist gives its time to nobody else, nor logs in another's name
    refused = _fault(call, "specialist", LINE, "write", [own], {"user_id": world["admin"]},
                     context=ENGLISH)
    assert "each specialist logs and changes only its own time" in refused
    refused = _fault(_log, world, "specialist", 200, 0.5, user_id=world["admin"])
    assert "each specialist logs" in refused
    # nothing was written
    stored = call("admin", LINE, "read", [own], fields=["unit_amount", "user_id", "name"])[0]
    assert (stored["unit_amount"], stored["user_id"][0], stored["name"]) == (
        0.5, specialist, "Edges (internal)")
    assert call("admin", LINE, "search_count", [
        ("ticket_id", "=", world["ticket"]), ("user_id", "!=", specialist)]) == 0


def test_a_timesheet_manager_acts_for_others_and_it_is_recorded(world):
    call = world["call"]
    line = _log(world, "ts_manager", 180, 0.75, user_id=world["specialist"])
    assert call("admin", LINE, "read", [line], fields=["user_id"])[0]["user_id"][0] == \
        world["specialist"]
    call("ts_manager", LINE, "write", [line], {"unit_amount": 0.5})
    call("ts_manager", LINE, "unlink", [line])
    notes = call("admin", "mail.message", "search_read", [
        ("model", "=", "helpdesk.ticket"), ("res_id", "=", world["ticket"]),
        ("body", "ilike", "Tomás Timesheet Manager (timesheet manager)")],
        fields=["body", "subtype_id"])
    bodies = " ".join(note["body"] for note in notes)
    assert "logged 0.75 h" in bodies and "0.50 h now" in bodies and "deleted 0.50 h" in bodies
    assert "Sofía Especialista" in bodies


# ----------------------------------------------------------------------
# item 5: the client's proposed hours are checked by the model
# ----------------------------------------------------------------------

def test_the_clients_proposed_hours_are_checked_by_the_model(world):
    call = world["call"]
    line = _log(world, "specialist", 120, 0.5)
    cutoff = _submitted_cutoff(world, line)
    for proposed in (1e6, "abc", -1, None, 25):
        refused = _fault(call, "client", CUTOFF, "emergency_client_dispute", [cutoff], [
            {"line_id": line, "reason": "Too much", "proposed_hours": proposed}],
            context=ENGLISH)
        assert "must be a number from 0 to" in refused, refused
        assert "TypeError" not in refused
    # nothing was written
    assert _state(world, cutoff) == "submitted"
    stored = call("admin", LINE, "read", [line], fields=[
        "emergency_disputed", "emergency_proposed_hours"])[0]
    assert stored["emergency_disputed"] is False and stored["emergency_proposed_hours"] == 0
    # in the client's language (Spanish), with a number as typed on a phone
    refused = _fault(call, "client", CUTOFF, "emergency_client_dispute", [cutoff], [
        {"line_id": line, "reason": "Demasiado", "proposed_hours": "1e6"}],
        context={"lang": "es_ES"})
    assert "deben ser un número de 0 a" in refused, refused
    assert call("client", CUTOFF, "emergency_client_dispute", [cutoff], [
        {"line_id": line, "reason": "Fue media hora menos", "proposed_hours": "0,25"}]) is True
    stored = call("admin", LINE, "read", [line], fields=["emergency_proposed_hours"])[0]
    assert stored["emergency_proposed_hours"] == 0.25
