"""Production mode: Odoo served with workers (prefork), its long-polling
process (gevent) and PDF reports with the company's letterhead.

The server runs on the HTTP test database ``$ES_HTTP_DB``,
next to the threaded server of ``tests/conftest.py`` (the same fixture
pattern), with ``--workers=2``: two HTTP workers, no cron worker, the
long-polling process on a port of its own and the job runner (queue_job,
server-wide) in the master process.
"""
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

import pytest
import requests
from odoo_process import free_port, log_tail, running_odoo

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LOCAL_BIN = os.path.join(ROOT, ".local", "bin")
TICKET_XMLID = "emergency_support.ticket_emergency_closed"
REPORT = "emergency_support.report_emergency_technical"


class PreforkServer(object):
    def __init__(self, url, longpolling_url, db, log):
        self.url = url
        self.longpolling_url = longpolling_url
        self.db = db
        self.log = log

    def admin_session(self):
        session = requests.Session()
        response = session.post(
            self.url + "/web/session/authenticate",
            json={"jsonrpc": "2.0", "method": "call", "params": {
                "db": self.db, "login": "admin", "password": "admin"}},
            timeout=60)
        assert response.json().get("result", {}).get("uid"), response.text
        return session

    def call_kw(self, session, model, method, *args):
        response = session.post(
            self.url + "/web/dataset/call_kw",
            json={"jsonrpc": "2.0", "method": "call", "params": {
                "model": model, "method": method, "args": list(args), "kwargs": {}}},
            timeout=60)
        body = response.json()
        assert "error" not in body, body["error"]
        return body.get("result")  # a method returning None answers no "result"


@pytest.fixture(scope="module")
def prefork_server(tmp_path_factory):
    conf = os.environ.get("ES_HTTP_CONF")
    db = os.environ.get("ES_HTTP_DB")
    if not conf or not db:
        pytest.fail("ES_HTTP_CONF / ES_HTTP_DB are not set: run the tests with bin/test")
    port, longpolling_port = free_port(), free_port()
    log = str(tmp_path_factory.mktemp("odoo-prefork") / "odoo.log")
    url = "http://127.0.0.1:%d" % port
    # the master, its workers, the long-polling process and any wkhtmltopdf
    # are stopped together (running_odoo stops the process group)
    with running_odoo(
            [sys.executable, os.path.join(ROOT, "bin", "lib", "odoo_launcher.py"),
             "-c", conf, "-d", db, "--http-port=%d" % port,
             "--longpolling-port=%d" % longpolling_port, "--workers=2",
             "--max-cron-threads=0", "--logfile=%s" % log], url, log, timeout=180,
            shared_db=db):
        yield PreforkServer(url, "http://127.0.0.1:%d" % longpolling_port, db, log)


def test_login_page_served_by_workers(prefork_server):
    response = requests.get(prefork_server.url + "/web/login", timeout=60)
    assert response.status_code == 200
    assert 'name="login"' in response.text


def test_longpolling_process_answers(prefork_server):
    """The long-polling process (``odoo gevent``, which needs gevent) runs and
    delivers a bus notification.

    A poll waits up to 50 s for news; a notification sent first (in the last
    50 s, on the polled channel) makes it answer at once.
    """
    channel = "es-platform-test-%d" % os.getpid()
    session = prefork_server.admin_session()
    prefork_server.call_kw(session, "bus.bus", "sendone", channel, {"ping": "pong"})
    deadline = time.time() + 60
    while True:
        try:
            response = requests.post(
                prefork_server.longpolling_url + "/longpolling/poll",
                json={"jsonrpc": "2.0", "method": "call",
                      "params": {"channels": [channel], "last": 0}},
                timeout=180)
            break
        except requests.ConnectionError:
            # the master spawns the long-polling process after it serves HTTP
            if time.time() > deadline:
                pytest.fail("nothing listens on the long-polling port:\n%s"
                            % log_tail(prefork_server.log))
            time.sleep(1)
    assert response.status_code == 200, response.text
    result = response.json()["result"]
    assert [n["message"] for n in result if n["channel"] == channel] == [{"ping": "pong"}]
    with open(prefork_server.log) as handle:
        log = handle.read()
    assert "Evented Service (longpolling) running" in log
    assert "ModuleNotFoundError" not in log


@pytest.fixture(scope="module")
def technical_report_pdf(prefork_server):
    session = prefork_server.admin_session()
    ticket_id = prefork_server.call_kw(session, "ir.model.data", "xmlid_to_res_id", TICKET_XMLID)
    assert ticket_id
    started = time.time()
    response = session.get(
        "%s/report/pdf/%s/%d" % (prefork_server.url, REPORT, ticket_id), timeout=300)
    assert response.status_code == 200, log_tail(prefork_server.log)
    return response.content, time.time() - started


def test_pdf_report_rendered_by_workers(technical_report_pdf):
    pdf, seconds = technical_report_pdf
    assert pdf.startswith(b"%PDF"), pdf[:300]
    assert seconds < 120


def _pdf_text(pdf):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        return subprocess.check_output(
            ["pdftotext", "-layout", handle.name, "-"], universal_newlines=True)


def test_pdf_report_has_the_company_letterhead(technical_report_pdf, prefork_server):
    """The header (company address) and the footer (page numbers) are there:
    only a wkhtmltopdf built with patched Qt renders them."""
    text = _pdf_text(technical_report_pdf[0])
    assert re.search(r"(Page|Página):?\s*1\s*/\s*\d", text), text
    session = prefork_server.admin_session()
    # the report's company, the ticket's (other tests add companies)
    ticket_id = prefork_server.call_kw(session, "ir.model.data", "xmlid_to_res_id", TICKET_XMLID)
    company_id = prefork_server.call_kw(
        session, "helpdesk.ticket", "read", [ticket_id], ["company_id"])[0]["company_id"][0]
    company = prefork_server.call_kw(
        session, "res.company", "read", [company_id], ["name", "street", "city"])[0]
    for value in (company["name"], company["street"], company["city"]):
        if value:
            assert value in text, (value, text)


def test_the_job_runner_runs_with_workers(prefork_server):
    """The mail of a new emergency is a queue_job job: the runner started in
    the prefork master runs it on a worker (bounded polling)."""
    session = prefork_server.admin_session()
    person = prefork_server.call_kw(session, "res.partner", "create", {
        "name": "Prefork jobs client", "email": "prefork@clients.example.com"})
    ticket_id = prefork_server.call_kw(session, "helpdesk.ticket", "create", {
        "name": "Router down", "partner_id": person, "is_emergency": True})
    pattern = "helpdesk.ticket(%d,)._emergency_post_mail(%%" % ticket_id
    deadline = time.time() + 120
    while True:
        jobs = prefork_server.call_kw(session, "queue.job", "search_read", [
            ("func_string", "=like", pattern)], ["state", "exc_info"])
        if jobs and jobs[0]["state"] in ("done", "failed"):
            break
        assert time.time() < deadline, (jobs, log_tail(prefork_server.log))
        time.sleep(0.5)
    assert jobs[0]["state"] == "done", jobs[0]["exc_info"]
    with open(prefork_server.log) as handle:
        log = handle.read()
    assert "starting jobrunner thread (in prefork server)" in log
    assert "queue job runner ready for db %s" % prefork_server.db in log


def test_odoo_runs_the_patched_wkhtmltopdf():
    """The setup's wrapper is first on PATH, and runs the patched build."""
    assert shutil.which("wkhtmltopdf") == os.path.join(LOCAL_BIN, "wkhtmltopdf")
    version = subprocess.check_output(["wkhtmltopdf", "--version"], universal_newlines=True)
    assert "0.12.4 (with patched qt)" in version


def test_wkhtmltopdf_is_stopped_after_its_time_limit(tmp_path):
    """A stylesheet server that never answers (a prefork Odoo preloading)
    made wkhtmltopdf wait forever; the wrapper stops it."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)  # accepts connections, never answers
        page = tmp_path / "page.html"
        page.write_text('<html><head><link rel="stylesheet" href="http://127.0.0.1:%d/a.css">'
                        '</head><body>x</body></html>' % silent.getsockname()[1])
        env = dict(os.environ, ES_WKHTMLTOPDF_TIMEOUT="3")
        started = time.time()
        result = subprocess.run(
            [os.path.join(LOCAL_BIN, "wkhtmltopdf"), "-q", str(page), str(tmp_path / "out.pdf")],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
        elapsed = time.time() - started
    assert result.returncode in (124, 137), result.stdout
    assert 2.5 < elapsed < 20
