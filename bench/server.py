"""An Odoo server for the benchmarks over HTTP (clicks, load test), on
127.0.0.1 only, a free port, and logged-in sessions as real users.

The server is stopped with its whole process group (workers, long-polling
process, job runner, wkhtmltopdf) when the ``with`` block ends."""
import os
import re
import statistics
import sys
import time
from contextlib import contextmanager

import requests

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests"))
from odoo_process import free_port, running_odoo  # noqa: E402  (the tests' server)


@contextmanager
def odoo_server(conf, db, workers, log, timeout=240):
    """Serve ``db`` with ``workers`` HTTP workers (0: threaded); yields the
    base URL. No cron worker: only what the benchmark does runs."""
    port = free_port()
    url = "http://127.0.0.1:%d" % port
    command = [sys.executable, os.path.join(ROOT, "bin", "lib", "odoo_launcher.py"),
               "-c", conf, "-d", db, "--http-port=%d" % port,
               "--longpolling-port=%d" % free_port(), "--workers=%d" % workers,
               "--max-cron-threads=0", "--logfile=%s" % log]
    with running_odoo(command, url, log, timeout=timeout, fail=sys.exit):
        yield url


def csrf_token(session, url, timeout=60):
    page = session.get(url, timeout=timeout)
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    if not match:
        raise RuntimeError("no CSRF token on %s (status %s)" % (url, page.status_code))
    return match.group(1)


def login(url, db, user, password):
    """A session logged in through the login form, as a browser does; the
    session's user is checked (not the landing page: in the benchmark's
    database Odoo's own sale portal answers 500 on /my to a specialist
    without sales rights). Not timed, and patient: at the server's start
    the job runner may keep every worker busy with the preparation's mails
    and reports for a minute on a loaded machine."""
    session = requests.Session()
    token = csrf_token(session, url + "/web/login", timeout=300)
    session.post(url + "/web/login", timeout=300, data={
        "login": user, "password": password, "csrf_token": token, "db": db})
    info = session.post(url + "/web/session/get_session_info", timeout=300, json={
        "jsonrpc": "2.0", "method": "call", "params": {}}).json()
    if not (info.get("result") or {}).get("uid"):
        raise RuntimeError("login %s failed: %s" % (user, info.get("error") or info))
    return session


def call(session, url, model, method, *args, **kwargs):
    """What the web client sends for a button or a save: a button goes to
    ``/web/dataset/call_button`` with the ids and the context as its
    arguments (Odoo 11's web client), anything else is JSON-RPC call_kw."""
    if method.startswith("action_"):
        route = "/web/dataset/call_button"
        params = {"model": model, "method": method,
                  "args": list(args) + [kwargs.pop("context", {})]}
        assert not kwargs, "a button takes no keyword arguments: %s" % kwargs
    else:
        route = "/web/dataset/call_kw/%s/%s" % (model, method)
        params = {"model": model, "method": method, "args": list(args), "kwargs": kwargs}
    response = session.post(url + route, timeout=300, json={
        "jsonrpc": "2.0", "method": "call", "params": params})
    response.raise_for_status()
    body = response.json()
    if "error" in body:
        raise RuntimeError("%s.%s: %s" % (model, method, body["error"]["data"]["message"]))
    return body.get("result")


def percentile(values, share):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, int(round(share * len(ordered) + 0.5)) - 1))
    return ordered[index]


def median(values):
    return statistics.median(values) if values else float("nan")


def wait_for_jobs(url, admin, limit=600):
    """The jobs queued so far are run (bounded)."""
    deadline = time.time() + limit
    while time.time() < deadline:
        waiting = call(admin, url, "queue.job", "search_count",
                       [("state", "in", ("pending", "enqueued", "started"))])
        if not waiting:
            return
        time.sleep(1)
