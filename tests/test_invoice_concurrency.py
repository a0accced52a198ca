"""Exactly once under concurrency (R19): two workers of a real Odoo server
(``--workers=2``) asked at the same moment to invoice the same emergency make
one invoice, try after try."""
import os
import sys
import threading
import xmlrpc.client

import pytest
from odoo_process import free_port, log_tail, running_odoo

import odoo

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TRIES = 12

#: bin/lib/odoo_launcher.py in prefork mode, without the long-polling process
#: (it needs gevent, which the virtualenv lacks; the test needs no bus)
LAUNCHER = """
import os, sys
sys.path.insert(0, %r)
import odoo_launcher
from odoo.service import server
server.PreforkServer.long_polling_spawn = lambda self: None
odoo_launcher.odoo.cli.main()
""" % os.path.join(ROOT, "bin", "lib")


def _set_history(cr, ticket_id, normalized):
    history = [("accepted", "2026-03-02 09:00:00", "2026-03-02 10:00:00"),
               ("normalization", "2026-03-02 10:00:00", normalized)]
    phase = "normalization"
    if normalized:
        history.append(("mitigation", normalized, None))
        phase = "mitigation"
    cr.execute("DELETE FROM emergency_phase_history WHERE ticket_id = %s", (ticket_id,))
    for name, start, end in history:
        cr.execute("""INSERT INTO emergency_phase_history
                      (ticket_id, phase, date_start, date_end, company_id)
                      SELECT %s, %s, %s, %s, company_id FROM helpdesk_ticket
                       WHERE id = %s""", (ticket_id, name, start, end, ticket_id))
    cr.execute("""UPDATE helpdesk_ticket SET emergency_phase = %s,
                  service_opened_date = '2026-03-02 10:00:00',
                  normalization_date = %s WHERE id = %s""", (phase, normalized, ticket_id))


def _prepare(db, count):
    """``count`` emergencies of a plan client whose normalization is reached
    and whose time is approved by both parties, not invoiced yet (committed
    in the HTTP test database, a throwaway copy)."""
    registry = odoo.registry(db)
    with odoo.api.Environment.manage(), registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {
            "tracking_disable": True, "mail_notrack": True, "lang": "en_US"})
        Partner = env["res.partner"]
        client = Partner.create({"name": "Concurrency client", "is_company": True,
                                 "tz": "UTC"})
        person = Partner.create({"name": "Conc Person", "parent_id": client.id,
                                 "email": "conc@example.com"})
        area = env["emergency.service.area"].create({"name": "Conc area",
                                                     "code": "T-CONC"})
        product = env["emergency.supported.product"].create(
            {"name": "PostgreSQL (conc)", "service_area_id": area.id})
        env["emergency.plan.agreement"].create({
            "name": "Conc plan", "partner_id": client.id,
            "service_area_ids": [(6, 0, area.ids)],
            "date_start": "2026-01-01", "date_end": "2026-12-31",
            "express_rate": 30.0, "ondemand_rate": 20.0}).action_confirm()
        env["emergency.nda.acceptance"].create({
            "partner_id": client.id, "kind": "prior", "reference": "NDA-CONC",
            "accepted_by_id": person.id, "date_accepted": "2025-06-01 10:00:00"})
        ids = []
        for index in range(count):
            ticket = env["helpdesk.ticket"].create({
                "name": "Concurrent %d" % index, "is_emergency": True,
                "partner_id": person.id, "service_area_id": area.id,
                "emergency_product_ids": [(6, 0, product.ids)],
                "emergency_facts": "Down.", "desired_scenario": "Up.",
                "request_date": "2026-03-02 08:00:00"})
            env["emergency.evaluation"].create({
                "ticket_id": ticket.id, "verdict": "viable", "uncertainty": "low",
                "risk": "low", "estimated_emergency_hours": 2.0,
                "estimated_normalization_hours": 1.0,
                "estimated_mitigation_hours": 1.0, "guarantee_hours": 0})
            ticket.emergency_accept_proposal()
            _set_history(cr, ticket.id, None)
            ticket.invalidate_cache()
            env["account.analytic.line"].create({
                "ticket_id": ticket.id, "name": "Work", "unit_amount": 1.0,
                "emergency_date_start": "2026-03-02 10:00:00",
                "user_id": env.uid})
            ids.append(ticket.id)
        cutoffs = env["emergency.timesheet.cutoff"]._emergency_make_cutoffs(ticket_ids=ids)
        cutoffs.write({"state": "submitted",
                       "staff_approved_date": "2026-03-02 20:00:00",
                       "client_approved_date": "2026-03-02 20:00:00"})
        cutoffs._emergency_finish()
        for ticket_id in ids:
            _set_history(cr, ticket_id, "2026-03-02 14:00:00")
        return ids


@pytest.fixture(scope="module")
def workers_server(tmp_path_factory):
    conf, db = os.environ.get("ES_HTTP_CONF"), os.environ.get("ES_HTTP_DB")
    if not conf or not db:
        pytest.fail("ES_HTTP_CONF / ES_HTTP_DB are not set: run the tests with bin/test")
    ids = _prepare(db, TRIES)
    port = free_port()
    log = str(tmp_path_factory.mktemp("odoo_workers") / "odoo.log")
    url = "http://127.0.0.1:%d" % port
    with running_odoo(
            [sys.executable, "-c", LAUNCHER, "-c", conf, "-d", db, "--http-port=%d" % port,
             "--logfile=%s" % log, "--workers=2", "--max-cron-threads=0"], url, log,
            shared_db=db):
        yield url, db, ids, log


def test_two_workers_invoicing_at_once_make_one_invoice(workers_server):
    url, db, ids, log = workers_server
    uid = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/common").authenticate(
        db, "admin", "admin", {})

    def call(model, method, *args, **kwargs):
        proxy = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/object", allow_none=True)
        return proxy.execute_kw(db, uid, "admin", model, method, list(args), kwargs)

    faults = []
    for ticket_id in ids:
        barrier = threading.Barrier(2)

        def invoice(ticket_id=ticket_id, barrier=barrier):
            barrier.wait()
            try:
                call("helpdesk.ticket", "action_emergency_make_invoices", [ticket_id])
            except xmlrpc.client.Fault as fault:
                faults.append(fault.faultString[-300:])

        threads = [threading.Thread(target=invoice) for _index in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        invoices = call("account.invoice", "search_read",
                        [("emergency_ticket_id", "=", ticket_id)],
                        fields=["emergency_kind", "amount_untaxed", "state"])
        assert [(inv["emergency_kind"], inv["amount_untaxed"]) for inv in invoices] == [
            ("normalization", 30.0)], invoices
        lines = call("account.analytic.line", "search_read",
                     [("ticket_id", "=", ticket_id)],
                     fields=["emergency_invoice_line_id"])
        assert all(line["emergency_invoice_line_id"] for line in lines)
    # the loser waited, was retried on a fresh snapshot and found nothing to do
    assert not faults, faults
    with open(log) as handle:
        text = handle.read()
    retries = text.count("SERIALIZATION_FAILURE, retry")
    # an expected collision is not an error in the log (issue 13, item 16)
    assert "bad query: UPDATE helpdesk_ticket" not in text, log_tail(log)
    # the two calls did meet (else this test proves nothing): the second
    # worker waited on the ticket's lock and Odoo retried it
    assert retries >= 1
