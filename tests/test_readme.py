"""The commands README.rst shows work as written.

Every command of the README's literal blocks must be known here: either run
(adapted only to the test database) or named with the reason it is not run
and where it is covered. A new command in the README fails this test until it
is considered.
"""
import os
import re
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

NOT_RUN_HERE = {
    # the very commands that set up and run everything (this test runs inside one)
    "bin/start": "serves until stopped; its setup steps are the ones bin/test runs",
    "bin/test": "this test session is bin/test",
    "PGHOST=db.example.com PGPORT=5432 PGUSER=odoo PGPASSWORD=secret bin/start":
        "needs an external PostgreSQL server",
    "bin/test-odoo": "Odoo's own suites (hundreds of tests, several minutes, a "
        "database of their own): run by hand, its figure is in the note of issue 15",
}
SHELL = ".venv/bin/python bin/lib/odoo_launcher.py shell -c .local/odoo-emergency.conf"


def readme_commands():
    """The lines of the README's literal blocks (after ``::``), comments cut."""
    with open(os.path.join(ROOT, "README.rst")) as handle:
        lines = handle.read().splitlines()
    commands, in_block = [], False
    for i, line in enumerate(lines):
        if in_block:
            if line.startswith("    ") and line.strip():
                commands.append(line.split("  #")[0].strip())
                continue
            if line.strip():
                in_block = False
        if line.rstrip().endswith("::") and i + 1 < len(lines) and not lines[i + 1].strip():
            in_block = True
    return commands


def test_every_readme_command_is_considered():
    commands = readme_commands()
    assert SHELL in commands
    unknown = set(commands) - set(NOT_RUN_HERE) - {SHELL}
    assert not unknown, "README commands neither run nor excused here: %s" % unknown


def test_readme_shell_command(tmp_path):
    """The ``shell`` subcommand goes first; fed a script on its standard input,
    the shell runs it with ``env`` on the configured database."""
    conf = os.environ.get("ES_HTTP_CONF")
    db = os.environ.get("ES_HTTP_DB")
    if not conf or not db:
        pytest.fail("ES_HTTP_CONF / ES_HTTP_DB are not set: run the tests with bin/test")
    command = SHELL.replace(".local/odoo-emergency.conf", conf).split()
    script = (
        "from odoo.tools import find_in_path\n"
        "module = env['ir.module.module'].search([('name', '=', 'emergency_support')])\n"
        "print('DB=%s STATE=%s' % (env.cr.dbname, module.state))\n"
        "print('WKHTMLTOPDF=%s' % find_in_path('wkhtmltopdf'))\n"
    )
    # a PATH without the setup's tools, as a person's shell has it: the
    # launcher puts .local/bin first itself
    env = dict(os.environ, PATH=os.pathsep.join(
        p for p in os.environ["PATH"].split(os.pathsep) if not p.startswith(ROOT)))
    result = subprocess.run(
        command, cwd=ROOT, input=script, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        universal_newlines=True, timeout=300, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "DB=%s STATE=installed" % db in result.stdout, (result.stdout, result.stderr[-3000:])
    assert re.search(r"^WKHTMLTOPDF=%s$" % re.escape(
        os.path.join(ROOT, ".local", "bin", "wkhtmltopdf")), result.stdout, re.M), result.stdout
