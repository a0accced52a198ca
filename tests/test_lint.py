"""Lint: flake8 and pylint-odoo (the OCA checks) on the three addons."""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ADDONS = ["emergency_support", "emergency_support_timesheet", "emergency_support_invoice"]


def _run(*args):
    return subprocess.run(
        [sys.executable, "-m"] + list(args), cwd=ROOT,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)


def test_flake8():
    result = _run("flake8", *(ADDONS + ["tests", "bench", "bin", "conftest.py"]))
    assert result.returncode == 0, result.stdout


def test_pylint_odoo():
    result = _run("pylint", "--rcfile=%s" % os.path.join(ROOT, ".pylintrc"), *ADDONS)
    assert result.returncode == 0, result.stdout


def test_readme_is_built_from_its_fragments():
    result = subprocess.run(
        [sys.executable, os.path.join(ROOT, "bin", "lib", "gen_readme.py"), "--check"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
    assert result.returncode == 0, result.stdout
