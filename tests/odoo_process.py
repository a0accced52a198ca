"""An Odoo server started for the tests, waited for, and stopped with all
its children (workers, long-polling process, wkhtmltopdf)."""
import os
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


@contextmanager
def running_odoo(command, url, log, timeout=120, fail=None):
    """Run ``command`` (an Odoo server logging to ``log``) until ``url``
    answers; stop it and its whole process group afterwards. ``fail(text)``
    reports a server that stopped or never answered (the benchmarks exit;
    by default the test fails)."""
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
