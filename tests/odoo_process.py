"""An Odoo server started for the tests, waited for, and stopped with all
its children (workers, long-polling process, wkhtmltopdf)."""
import os
import re
import signal
import socket
import subprocess
import time
from contextlib import contextmanager

import pytest
import requests


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def log_tail(log, lines=40):
    try:
        with open(log) as handle:
            return "".join(handle.readlines()[-lines:])
    except OSError:
        return "(no log at %s)" % log


def requeue_jobs_left(log, db):
    """The queue_job jobs that a stopped server's runner took (``log``) and
    did not finish go back to pending, for the servers that remain on
    ``db``. A server stopped while it runs a job leaves it 'started' (its
    request threads die with it); the job runner of another server on the
    same database counts such a job as running for ever, and with two of
    them the channel's capacity (root:2) is full: no other job runs."""
    try:
        with open(log) as handle:
            uuids = set(re.findall(r"asking Odoo to run job (\S+) on db", handle.read()))
    except OSError:
        return 0
    if not uuids:
        return 0
    import odoo
    with odoo.api.Environment.manage(), odoo.registry(db).cursor() as cr:
        cr.execute("""UPDATE queue_job
                         SET state = 'pending', date_enqueued = NULL, date_started = NULL
                       WHERE uuid IN %s AND state IN ('enqueued', 'started')""",
                   (tuple(uuids),))
        return cr.rowcount


@contextmanager
def running_odoo(command, url, log, timeout=120, fail=None, shared_db=None):
    """Run ``command`` (an Odoo server logging to ``log``) until ``url``
    answers; stop it and its whole process group afterwards. ``fail(text)``
    reports a server that stopped or never answered (the benchmarks exit;
    by default the test fails). ``shared_db``: a database other servers
    keep serving; the jobs this one left unfinished are requeued there."""
    fail = fail or pytest.fail
    proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + timeout
    try:
        while True:
            if proc.poll() is not None:
                fail("the Odoo server stopped:\n%s" % log_tail(log))
            try:
                requests.get(url + "/web/webclient/version_info", timeout=10)
                break
            except requests.RequestException:
                if time.time() > deadline:
                    fail("the Odoo server did not answer in %d s:\n%s"
                         % (timeout, log_tail(log)))
                time.sleep(0.3)
        yield proc
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
        except ProcessLookupError:
            pass
        if shared_db:
            requeue_jobs_left(log, shared_db)
