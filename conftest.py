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


@pytest.hookimpl(tryfirst=True)
def pytest_ignore_collect(collection_path):
    if _outside_addons(collection_path):
        return False
    return None


@pytest.hookimpl(tryfirst=True)
def pytest_pycollect_makemodule(module_path, parent):
    if _outside_addons(module_path):
        return pytest.Module.from_parent(parent, path=module_path)
    return None
