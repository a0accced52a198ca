"""The three addons install with their demo data on any database, through the
setup's own install (``create_db`` of ``bin/lib/common.sh``).

The database here is the hardest case met so far: English only (no
``--load-language``: the demo data must bring Spanish itself, as its users and
clients speak it) and a configuration with ``workers = 3`` (production): the
install must still run threaded, or the PDF report that the demo data renders
waits forever on a prefork server that serves nothing while it loads.
"""
import os
import shutil
import socket
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LOCAL = os.path.join(ROOT, ".local")

INSTALL = """
source bin/lib/common.sh
ES_WORKERS=3 write_config "$1" "$2" "$3"
grep -qx 'workers = 3' "$1"
ES_LOAD_LANGUAGE= create_db "$1" "$2"
"""


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _psql(db, sql):
    return subprocess.check_output(
        ["psql", "-d", db, "-Atc", sql], universal_newlines=True).strip()


@pytest.fixture
def english_db(tmp_path):
    base = os.environ.get("ES_HTTP_DB")
    if not base or not os.environ.get("ES_DB_HOST"):
        pytest.fail("run the tests with bin/test (it sets up PostgreSQL and ES_HTTP_DB)")
    db = base + "_en"

    def drop():
        subprocess.run(["dropdb", "--if-exists", db], stderr=subprocess.DEVNULL)
        shutil.rmtree(os.path.join(LOCAL, "data", "filestore", db), ignore_errors=True)

    drop()
    yield db, str(tmp_path / "odoo.conf")
    drop()


def test_demo_installs_on_an_english_only_database_with_workers(english_db):
    db, conf = english_db
    result = subprocess.run(
        ["bash", "-c", INSTALL, "install", conf, db, str(_free_port())],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        universal_newlines=True, timeout=900)
    log_path = os.path.join(LOCAL, "log", "install-%s.log" % db)
    with open(log_path) as handle:
        log = handle.read()
    assert result.returncode == 0, result.stdout
    assert " ERROR " not in log and " CRITICAL " not in log

    states = _psql(db, "SELECT name || ':' || state FROM ir_module_module WHERE name LIKE "
                       "'emergency_support%' ORDER BY name").split()
    assert states == ["emergency_support:installed",
                      "emergency_support_invoice:installed",
                      "emergency_support_timesheet:installed"]
    assert _psql(db, "SELECT code FROM res_lang WHERE active ORDER BY code").split() \
        == ["en_US", "es_ES"]
    assert _psql(db, "SELECT p.lang FROM res_users u JOIN res_partner p "
                     "ON p.id = u.partner_id WHERE u.login = 'specialist'") == "es_ES"
    # Spanish translations were loaded for the modules installed before the
    # demo data, not only for ours
    assert int(_psql(db, "SELECT count(*) FROM ir_translation WHERE lang = 'es_ES' "
                         "AND module = 'helpdesk_mgmt'")) > 50
