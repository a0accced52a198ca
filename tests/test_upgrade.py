"""A company's database made by the version of the addons that companies run
upgrades with ``-u`` to this checkout and loses or changes nothing it made.

The old version is taken from git (``BASE``, the last version that landed
before the current work), installed with its demo data (emergencies in every
phase, time lines, daily cut-offs approved and disputed, invoices of each kind)
through the setup's own ``create_db``; then the addons of this checkout update
it (``odoo -u``), which also installs the modules that the new version newly
depends on (queue_job, web_responsive). What the company made must read the
same afterwards: every emergency, time line, cut-off, invoice and NDA
acceptance, field by field.

Bump ``BASE`` when a new version has landed and companies run it.
"""
import ast
import os
import re
import shutil
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LOCAL = os.path.join(ROOT, ".local")
ADDONS = ("emergency_support", "emergency_support_timesheet", "emergency_support_invoice")
# the version that companies run: main before the work on issues 13-16
BASE = "429c701"

INSTALL_OLD = """
source bin/lib/common.sh
write_config "$1" "$2" 0
sed -i "s#^addons_path = .*#addons_path = $3#" "$1"
create_db "$1" "$2"
"""

UPGRADE = """
source bin/lib/common.sh
sed -i "s#^addons_path = .*#addons_path = $ROOT#" "$1"
odoo_init -c "$1" -d "$2" -u "$ADDONS" --log-level=warn >"$LOCAL/log/upgrade-$2.log" 2>&1
"""

# what a company made, as it reads in the database (columns of the old version)
SNAPSHOT = {
    "emergencies": """
        SELECT id, number, name, partner_id, company_id, is_emergency, emergency_phase,
               guarantee_policy, guarantee_hours, guarantee_required, guarantee_paid_date,
               guarantee_decided_date, emergency_closed_date, emergency_project_id
          FROM helpdesk_ticket ORDER BY id""",
    "time lines": """
        SELECT id, ticket_id, user_id, date, unit_amount, emergency_phase,
               emergency_date_start, emergency_date_end, emergency_cutoff_id,
               emergency_corrected_line_id, emergency_disputed, emergency_proposed_hours,
               emergency_rate, emergency_rate_kind, emergency_agreement_id,
               emergency_invoice_line_id
          FROM account_analytic_line ORDER BY id""",
    "cut-offs": """
        SELECT id, name, ticket_id, date, state, submitted_date, staff_approved_by_id,
               staff_approved_date, client_approved_by_id, client_approved_date,
               client_approval_tacit, disputed_date, correction_of_id
          FROM emergency_timesheet_cutoff ORDER BY id""",
    "invoices": """
        SELECT id, number, state, partner_id, amount_untaxed, amount_total, residual,
               emergency_ticket_id, emergency_kind, emergency_sequence
          FROM account_invoice ORDER BY id""",
    "invoice lines": """
        SELECT id, invoice_id, product_id, quantity, price_unit, price_subtotal,
               emergency_line_kind
          FROM account_invoice_line ORDER BY id""",
    "NDA acceptances": "SELECT * FROM emergency_nda_acceptance ORDER BY id",
    "evaluations": """
        SELECT id, ticket_id, client_id, service_area_id, user_id, date, verdict,
               guarantee_hours, estimated_emergency_hours, estimated_normalization_hours,
               estimated_mitigation_hours
          FROM emergency_evaluation ORDER BY id""",
    "phase history": "SELECT * FROM emergency_phase_history ORDER BY id",
}


def _psql(db, sql):
    return subprocess.check_output(
        ["psql", "-X", "-d", db, "-Atc", sql], universal_newlines=True).splitlines()


def _snapshot(db):
    return {name: _psql(db, sql) for name, sql in SNAPSHOT.items()}


def _bash(script, *args):
    return subprocess.run(
        ["bash", "-c", script, "script"] + list(args), cwd=ROOT,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True,
        timeout=1200)


@pytest.fixture
def old_database(tmp_path):
    base = os.environ.get("ES_HTTP_DB")
    if not base or not os.environ.get("ES_DB_HOST"):
        pytest.fail("run the tests with bin/test (it sets up PostgreSQL and ES_HTTP_DB)")
    has_base = subprocess.run(["git", "-C", ROOT, "cat-file", "-e", BASE + "^{commit}"])
    if has_base.returncode:
        pytest.fail("commit %s is not in this clone: the upgrade test needs the "
                    "project's history (git fetch --unshallow)" % BASE)
    db = base + "_upgrade"
    old = tmp_path / "old"
    old.mkdir()
    archive = subprocess.Popen(["git", "-C", ROOT, "archive", BASE] + list(ADDONS),
                               stdout=subprocess.PIPE)
    subprocess.check_call(["tar", "-x", "-C", str(old)], stdin=archive.stdout)
    assert archive.wait() == 0

    def drop():
        subprocess.run(["dropdb", "--if-exists", db], stderr=subprocess.DEVNULL)
        shutil.rmtree(os.path.join(LOCAL, "data", "filestore", db), ignore_errors=True)

    drop()
    yield db, str(tmp_path / "odoo.conf"), str(old)
    drop()


def test_a_database_of_the_running_version_upgrades_and_keeps_what_it_made(old_database):
    db, conf, old = old_database
    result = _bash(INSTALL_OLD, conf, db, old)
    assert result.returncode == 0, result.stdout
    before = _snapshot(db)
    # the old demo made something of each kind, or the comparison proves nothing
    for name in ("emergencies", "time lines", "cut-offs", "invoices", "NDA acceptances"):
        assert before[name], "the old version's demo made no %s" % name

    result = _bash(UPGRADE, conf, db)
    with open(os.path.join(LOCAL, "log", "upgrade-%s.log" % db)) as handle:
        log = handle.read()
    assert result.returncode == 0, result.stdout + log[-3000:]
    # Odoo 11's loader meets the upgraded addons before the modules they newly
    # depend on and says so at ERROR level ("Unmet dependencies"), then
    # installs those and loads the addons on its second pass (loading.py,
    # "IMPORTANT 2"): that is no fault; any other error is.
    errors = [line for line in log.splitlines()
              if (" ERROR " in line or " CRITICAL " in line)
              and not re.search(r"odoo\.modules\.graph: module emergency_support\w*: "
                                r"Unmet dependencies: [\w, ]+$", line)]
    assert not errors, log[-3000:]

    after = _snapshot(db)
    for name in SNAPSHOT:
        # the new version's demo data may add records; what was there stays as it was
        # (a SELECT * row gains the new version's columns at its end: compare
        # the columns the old version had)
        width = {row.split("|", 1)[0]: row.count("|") for row in before[name]}
        kept = ["|".join(row.split("|")[:width[row.split("|", 1)[0]] + 1])
                for row in after[name] if row.split("|", 1)[0] in width]
        assert kept == before[name], "the upgrade changed or lost %s" % name
    states = dict(line.split("|") for line in _psql(
        db, "SELECT name, state FROM ir_module_module WHERE name IN "
            "('emergency_support', 'emergency_support_timesheet', "
            "'emergency_support_invoice', 'queue_job', 'web_responsive')"))
    assert set(states.values()) == {"installed"} and len(states) == 5, states
    for addon in ADDONS:
        with open(os.path.join(ROOT, addon, "__manifest__.py")) as manifest:
            version = ast.literal_eval(manifest.read())["version"]
        assert _psql(db, "SELECT latest_version FROM ir_module_module WHERE name = '%s'"
                     % addon) == [version]
