"""The demo's portal clients (README): ``client3`` has no NDA in force, so
its first request shows the NDA to accept (issue 14); ``client`` (ACME) has
one from earlier work and does not see it."""
from portal_session import login


def test_the_demo_client_without_an_nda_sees_the_nda_step(odoo_server):
    session = login(odoo_server, "client3", "client3")
    page = session.get(odoo_server.url + "/my/emergency/new", timeout=60)
    assert page.status_code == 200
    assert 'name="nda"' in page.text and 'name="accept_nda"' in page.text


def test_a_demo_client_with_an_nda_in_force_does_not(odoo_server):
    session = login(odoo_server, "client", "client")
    page = session.get(odoo_server.url + "/my/emergency/new", timeout=60)
    assert page.status_code == 200
    assert 'name="nda"' not in page.text
