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


def test_readme_renders_without_a_docutils_message():
    """Odoo renders each addon's README.rst on its Apps page: a docutils
    message there is a broken page (and a warning in every install log)."""
    import io

    import docutils.core
    for addon in ADDONS:
        messages = io.StringIO()
        with open(os.path.join(ROOT, addon, "README.rst")) as readme:
            docutils.core.publish_string(readme.read(), writer_name="null", settings_overrides={
                "report_level": 2, "halt_level": 5, "warning_stream": messages})
        assert not messages.getvalue(), "%s/README.rst: %s" % (addon, messages.getvalue())


def test_odoo_runs_every_test_module_of_the_addons():
    """Odoo's own test runner finds an addon's tests through the imports of
    its tests/__init__.py: a test module missing there runs under pytest
    only, never under ``odoo --test-enable``."""
    import re
    missing = []
    for addon in ADDONS:
        folder = os.path.join(ROOT, addon, "tests")
        with open(os.path.join(folder, "__init__.py")) as init:
            imported = set(re.findall(r"^from \. import (\w+)", init.read(), re.M))
        missing += ["%s/tests/%s.py" % (addon, name[:-3])
                    for name in sorted(os.listdir(folder))
                    if name.startswith("test_") and name.endswith(".py")
                    and name[:-3] not in imported]
    assert not missing, "not imported in tests/__init__.py: %s" % ", ".join(missing)
