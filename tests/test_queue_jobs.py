"""Work after the click over HTTP (issue 16): the job runner of a real Odoo
server (threaded, ``tests/conftest.py``; with workers: ``test_production.py``)
runs the queued mail of a new emergency; a job that fails keeps the user's
step, shows its failure in the job queue, and runs once requeued.

The jobs' results are waited for with bounded polling, never a fixed sleep."""
import base64
import subprocess
import time

import pytest
from portal_session import admin_caller, login, new_portal_client

TEMPLATE = "emergency_support.mail_template_request_received"
WAIT = 300  # seconds: the runner starts 5 s after the server, then a job takes ~1 s
BACKLOG = 900  # seconds: the demo data's mails and reports, queued at the install


@pytest.fixture(scope="module", autouse=True)
def no_backlog(odoo_server):
    """The runner has run the jobs the demo data queued (bounded): this
    module's jobs then wait for nobody."""
    admin = admin_caller(odoo_server)
    deadline = time.time() + BACKLOG
    while admin("queue.job", "search_count", [("state", "in", ("pending", "enqueued", "started"))]):
        assert time.time() < deadline, "the job runner did not run the queued jobs"
        time.sleep(2)


def wait_for_job(admin, ticket_id, method, states):
    """The job of ``method`` on the ticket once its state is in ``states``."""
    deadline = time.time() + WAIT
    pattern = "helpdesk.ticket(%d,).%s(%%" % (ticket_id, method)
    while True:
        jobs = admin("queue.job", "search_read", [("func_string", "=like", pattern)],
                     fields=["state", "exc_info", "retry"])
        if jobs and jobs[0]["state"] in states:
            return jobs[0]
        assert time.time() < deadline, "the job is still %s after %d s" % (jobs, WAIT)
        time.sleep(0.5)


def client_mails(admin, ticket_id, person):
    return admin("mail.message", "search_read", [
        ("model", "=", "helpdesk.ticket"), ("res_id", "=", ticket_id),
        ("partner_ids", "in", [person])], fields=["subject"])


def new_emergency(odoo_server, admin, name):
    person = admin("res.partner", "create", {
        "name": name, "email": "jobs@clients.example.com", "lang": "en_US"})
    ticket_id = odoo_server.execute(
        "specialist", "specialist", "helpdesk.ticket", "create", {
            "name": "Mail server down", "partner_id": person, "is_emergency": True,
            "emergency_facts": "No mail since 07:00."})
    return ticket_id, person


def test_the_runner_sends_the_request_received_mail(odoo_server):
    admin = admin_caller(odoo_server)
    ticket_id, person = new_emergency(odoo_server, admin, "Jobs client")
    job = wait_for_job(admin, ticket_id, "_emergency_post_mail", ("done", "failed"))
    assert job["state"] == "done", job["exc_info"]
    number = admin("helpdesk.ticket", "read", [ticket_id], ["number"])[0]["number"]
    assert [m["subject"] for m in client_mails(admin, ticket_id, person)] == [
        "%s: we received your emergency request" % number]


def test_a_failed_job_keeps_the_users_step(odoo_server):
    admin = admin_caller(odoo_server)
    template = admin.ref(TEMPLATE)
    [before] = admin("mail.template", "read", [template], ["lang"])
    admin("mail.template", "write", [template], {"lang": "${object.id / 0}"})
    try:
        ticket_id, person = new_emergency(odoo_server, admin, "Failing jobs client")
        job = wait_for_job(admin, ticket_id, "_emergency_post_mail", ("done", "failed"))
    finally:
        admin("mail.template", "write", [template], {"lang": before["lang"]})
    # the step is kept: the emergency exists, in evaluation; the mail is not sent
    # (the template cannot be rendered: a division by zero in its language)
    [ticket] = admin("helpdesk.ticket", "read", [ticket_id], ["emergency_phase"])
    assert ticket["emergency_phase"] == "evaluation"
    assert client_mails(admin, ticket_id, person) == []
    # the failure is visible in the job queue, with its cause
    assert job["state"] == "failed"
    assert "Failed to render template" in job["exc_info"], job["exc_info"]
    # once the cause is fixed, the manager requeues it and the mail goes
    jobs = admin("queue.job", "search", [
        ("func_string", "=like", "helpdesk.ticket(%d,)._emergency_post_mail(%%" % ticket_id)])
    admin("queue.job", "requeue", jobs)
    job = wait_for_job(admin, ticket_id, "_emergency_post_mail", ("done", "failed"))
    assert job["state"] == "done", job["exc_info"]
    assert len(client_mails(admin, ticket_id, person)) == 1


# the technical report, rendered after the opening and kept by its content --

KEPT = [("res_model", "=", "helpdesk.ticket"), ("res_field", "=", "emergency_report_pdf")]


def _kept(admin, ticket_id):
    return admin("ir.attachment", "search_read", KEPT + [("res_id", "=", ticket_id)],
                 fields=["datas", "name", "create_date"])


def _pdf_text(pdf, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          stdout=subprocess.PIPE).stdout.decode("utf-8")


def test_the_report_is_rendered_after_the_opening_and_kept_by_its_content(
        odoo_server, tmp_path):
    """The opening queues the technical report's rendering; the client's
    download and the specialist's print then serve the PDF it made (the kept
    PDF stays the same attachment: a rendering replaces it), equal bytes for
    both (wkhtmltopdf stamps each rendering with its creation time), and
    another client never reads it; a change of the
    emergency is printed at once (never a stale PDF) and replaces the kept
    one."""
    admin = admin_caller(odoo_server)
    _company, person, user = new_portal_client(
        odoo_server, "Kept report client", "kept-report-pass", lang="es_ES")
    ref = admin.ref
    ticket_id = admin("helpdesk.ticket", "create", {
        "name": "Kept report: backups failing", "is_emergency": True,
        "partner_id": person,
        "service_area_id": ref("emergency_support.service_area_databases"),
        "emergency_product_ids": [(6, 0, [ref(
            "emergency_support.supported_product_postgresql")])]})
    admin("emergency.evaluation", "create", {
        "ticket_id": ticket_id, "verdict": "viable", "guarantee_hours": 1})
    admin("helpdesk.ticket", "emergency_accept_proposal", [ticket_id],
          accept_default_nda=True)
    assert not _kept(admin, ticket_id)  # nothing rendered before the opening
    admin("helpdesk.ticket", "action_emergency_waive_guarantee", [ticket_id],
          reason="A loyal client.")
    job = wait_for_job(admin, ticket_id, "_emergency_render_ahead", ("done", "failed"))
    assert job["state"] == "done", job["exc_info"]
    [kept] = _kept(admin, ticket_id)
    made = base64.b64decode(kept["datas"])
    assert made.startswith(b"%PDF")

    client = login(odoo_server, user, "kept-report-pass")
    specialist = login(odoo_server, "specialist", "specialist")
    downloaded = client.get(odoo_server.url + "/my/emergency/%d/report" % ticket_id,
                            timeout=300)
    printed = specialist.get(odoo_server.url + "/report/pdf/%s/%d" % (
        "emergency_support.report_emergency_technical", ticket_id), timeout=300)
    assert downloaded.status_code == printed.status_code == 200
    assert downloaded.content.startswith(b"%PDF")
    assert downloaded.content == printed.content
    assert [k["id"] for k in _kept(admin, ticket_id)] == [kept["id"]]
    # the kept PDF is no document of the ticket (not among its attachments),
    # and it is read as the ticket is: never by another client
    assert not admin("ir.attachment", "search", [
        ("res_model", "=", "helpdesk.ticket"), ("res_id", "=", ticket_id),
        ("name", "=", kept["name"])])
    _company, _person, other_user = new_portal_client(
        odoo_server, "Kept report other client", "kept-report-pass", lang="es_ES")
    other = login(odoo_server, other_user, "kept-report-pass")
    refused = other.get(odoo_server.url + "/web/content/%d" % kept["id"], timeout=60)
    assert not refused.content.startswith(b"%PDF"), refused.status_code

    # a change is printed at once, and replaces the kept PDF
    admin("helpdesk.ticket", "write", [ticket_id], {"name": "Kept report: restores failing"})
    again = client.get(odoo_server.url + "/my/emergency/%d/report" % ticket_id, timeout=300)
    assert again.status_code == 200 and again.content != downloaded.content
    assert "restores failing" in _pdf_text(again.content, tmp_path)
    assert "backups failing" in _pdf_text(downloaded.content, tmp_path)
    [kept_now] = _kept(admin, ticket_id)
    assert kept_now["id"] != kept["id"]
    assert base64.b64decode(kept_now["datas"]) != made
