"""The platform works: the three addons are installed and Odoo serves styled pages."""
import re
import subprocess

import requests

ADDONS = ["emergency_support", "emergency_support_timesheet", "emergency_support_invoice"]


def test_the_three_addons_are_installed(odoo_server):
    modules = odoo_server.execute(
        "admin", "admin", "ir.module.module", "search_read",
        [("name", "in", ADDONS)], fields=["name", "state"])
    assert {m["name"]: m["state"] for m in modules} == dict.fromkeys(ADDONS, "installed")


def test_login_page_is_served_styled(odoo_server):
    """/web/login answers 200 at the first request, with its compiled stylesheets.

    A LESS compilation failure makes Odoo 11 inject the "Style error" dialog
    script into the page and serve no stylesheet; a failing addon import on
    the first request answers 500.
    """
    session = requests.Session()
    page = session.get(odoo_server.url + "/web/login", timeout=60)
    assert page.status_code == 200
    assert "__assetsBundleErrorSeen" not in page.text
    assert 'name="login"' in page.text
    stylesheets = re.findall(r'<link[^>]+href="(/web/content/[^"]+\.css)"', page.text)
    assert stylesheets, "the login page links no compiled stylesheet"
    css = ""
    for url in stylesheets:
        response = session.get(odoo_server.url + url, timeout=60)
        assert response.status_code == 200
        assert response.headers["Content-Type"].startswith("text/css")
        css += response.text
    # bootstrap compiled from LESS into CSS, not LESS sources or an error placeholder
    assert ".btn-primary" in css and "@import" not in css and len(css) > 50000


def test_static_files_are_served(odoo_server):
    response = requests.get(odoo_server.url + "/web/static/src/img/favicon.ico", timeout=30)
    assert response.status_code == 200
    response = requests.get(
        odoo_server.url + "/emergency_support/static/description/icon.png", timeout=30)
    assert response.status_code == 200


def test_browser_and_its_driver_are_installed():
    """The setup installs Debian's chromium and chromium-driver (browser tests),
    of the same major version."""
    versions = {}
    for command in ("chromium", "chromedriver"):
        out = subprocess.check_output([command, "--version"], universal_newlines=True)
        versions[command] = re.search(r"\b(\d+)\.\d+\.\d+", out).group(1)
    assert versions["chromium"] == versions["chromedriver"], versions
