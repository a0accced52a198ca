"""Lets one pytest run hold the addons' Odoo tests and the tests in tests/.

pytest-odoo 1.0.1 imports every test module as ``odoo.addons.<addon>...`` and
reads the manifest of the addon it sits in; for a module outside any addon
(``tests/``) it fails (no manifest to read). Outside the addons, these two
hooks hand collection back to pytest's own importer.
"""
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
PLAIN_TESTS = ROOT / "tests"


def _outside_addons(path):
    path = Path(str(path)).resolve()
    return path == ROOT or path == PLAIN_TESTS or PLAIN_TESTS in path.parents


def _without_manifest(path):
    """Not inside an addon, as pytest-odoo looks (the folder of ``path`` and
    five above): pytest-odoo 1.0.1 would then read a manifest that is not
    there. Odoo's own packages above its addons (``odoo/__init__.py``,
    ``odoo/addons/__init__.py``) are such paths when ``bin/test-odoo``
    collects Odoo's own tests."""
    path = Path(str(path))
    for _level in range(6):
        if (path.parent / "__manifest__.py").is_file():
            return False
        path = path.parent
    return True


@pytest.hookimpl(tryfirst=True)
def pytest_ignore_collect(collection_path):
    if _outside_addons(collection_path) or _without_manifest(collection_path):
        return False
    return None


@pytest.hookimpl(tryfirst=True)
def pytest_pycollect_makemodule(module_path, parent):
    if _outside_addons(module_path):
        return pytest.Module.from_parent(parent, path=module_path)
    return None


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    """An Odoo test class whose ``setUpClass`` fails keeps its cursor open
    (unittest calls no ``tearDownClass`` then): its uncommitted rows would
    lock the next class's inserts and hang the whole run. Roll it back and
    close it, so the failure is reported and the run goes on."""
    outcome = yield
    if outcome.excinfo is None:
        return
    cr = getattr(getattr(item, "cls", None), "cr", None)
    if cr is not None and not getattr(cr, "closed", True):
        cr.rollback()
        cr.close()


KNOWN_FAILURES = ROOT / "tests" / "known_failures.txt"


def pytest_collection_modifyitems(config, items):
    """The tests listed in tests/known_failures.txt (``node id  # reason``)
    are marked as expected failures: they are reported as xfailed (never as
    passed) until their fix lands and the line goes. Each line names the
    issue that owns the fix."""
    if not KNOWN_FAILURES.exists():
        return
    known = {}
    for line in KNOWN_FAILURES.read_text().splitlines():
        node, _sep, reason = line.partition("#")
        if node.strip():
            known[node.strip()] = reason.strip() or "known failure"
    for item in items:
        for node, reason in known.items():
            if item.nodeid == node or item.nodeid.startswith(node + "["):
                item.add_marker(pytest.mark.xfail(reason=reason, strict=False))
