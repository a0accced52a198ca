"""Fixtures of the cross-addon tests: a real Odoo server over HTTP.

``bin/test`` prepares ``$ES_HTTP_DB``, a copy of the freshly installed test
database, and its configuration ``$ES_HTTP_CONF``; the ``odoo_server`` fixture
starts Odoo on it on a free port of 127.0.0.1 and stops it after the session.
"""
import os
import sys
import xmlrpc.client

import pytest

from odoo_process import free_port, running_odoo

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class OdooServer(object):
    """A running Odoo server and XML-RPC helpers to talk to it."""

    def __init__(self, url, db, log):
        self.url = url
        self.db = db
        self.log = log

    def login(self, login, password):
        common = xmlrpc.client.ServerProxy(self.url + "/xmlrpc/2/common")
        return common.authenticate(self.db, login, password, {})

    def execute(self, login, password, model, method, *args, **kwargs):
        uid = self.login(login, password)
        assert uid, "login %s failed" % login
        models = xmlrpc.client.ServerProxy(
            self.url + "/xmlrpc/2/object", allow_none=True)
        return models.execute_kw(
            self.db, uid, password, model, method, list(args), kwargs)


@pytest.fixture(scope="session")
def odoo_server(tmp_path_factory):
    conf = os.environ.get("ES_HTTP_CONF")
    db = os.environ.get("ES_HTTP_DB")
    if not conf or not db:
        pytest.fail("ES_HTTP_CONF / ES_HTTP_DB are not set: run the tests with bin/test")
    port = free_port()
    log = str(tmp_path_factory.mktemp("odoo") / "odoo.log")
    url = "http://127.0.0.1:%d" % port
    with running_odoo(
            [sys.executable, os.path.join(ROOT, "bin", "lib", "odoo_launcher.py"),
             "-c", conf, "-d", db, "--http-port=%d" % port, "--logfile=%s" % log,
             "--max-cron-threads=0"], url, log):
        yield OdooServer(url, db, log)


# ----------------------------------------------------------------------
# browser tests (tests/browser.py): headless Chromium against odoo_server
# ----------------------------------------------------------------------

DEMO_PASSWORDS = {"admin": "admin", "specialist": "specialist", "accountant": "accountant",
                  "client": "client", "client2": "client2", "client3": "client3"}


@pytest.fixture
def browser_login(odoo_server, request):
    """A factory: ``browser_login("specialist")`` gives an
    :class:`browser.OdooBrowser` logged in as that user (demo password unless
    ``password`` is given), one per login and test, closed after the test.
    Screenshots go to ``.local/artifacts/<test name>/`` (emptied first)."""
    import shutil

    from browser import ARTIFACTS, CHROMEDRIVER, CHROMIUM, OdooBrowser, _safe_name
    for program in (CHROMIUM, CHROMEDRIVER):
        if not os.path.exists(program):
            pytest.fail("%s is missing: apt-get install chromium chromium-driver" % program)
    artifacts = os.path.join(ARTIFACTS, _safe_name(request.node.name))
    shutil.rmtree(artifacts, ignore_errors=True)
    browsers = {}

    def login(user, password=None):
        if user not in browsers:
            browser = OdooBrowser(odoo_server, user, password or DEMO_PASSWORDS[user],
                                  artifacts)
            browsers[user] = browser
            browser.log_in()
        return browsers[user]

    yield login
    try:  # the end of the test: no console error since the last step
        for browser in browsers.values():
            browser.check_console("end of the test")
    finally:
        for browser in browsers.values():
            browser.close()
