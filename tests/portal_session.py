"""Logging a portal user in over HTTP, for the tests of the portal routes."""
import re

import requests


def csrf_token(session, url):
    """The page at ``url`` and the CSRF token of its form."""
    page = session.get(url, timeout=60)
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match, "no CSRF token on %s (status %s)" % (url, page.status_code)
    return page, match.group(1)


def login(odoo_server, user, password):
    """A requests session logged in as ``user``. A client whose language is
    not the database's is sent to /<lang>/... pages by Odoo's http_routing:
    requests follows."""
    session = requests.Session()
    _page, token = csrf_token(session, odoo_server.url + "/web/login")
    session.post(odoo_server.url + "/web/login", timeout=60, data={
        "login": user, "password": password, "csrf_token": token})
    home = session.get(odoo_server.url + "/my", timeout=60)
    assert home.status_code == 200 and "/web/login" not in home.url, "login %s failed" % user
    return session


def admin_caller(odoo_server):
    """``admin(model, method, *args, **kw)``: XML-RPC as the administrator;
    ``admin.ref(xmlid)``: the id of a record by its XML id."""
    def admin(model, method, *args, **kw):
        return odoo_server.execute("admin", "admin", model, method, *args, **kw)
    admin.ref = lambda xmlid: admin("ir.model.data", "xmlid_to_res_id", xmlid)
    return admin


def new_portal_client(odoo_server, name, password, lang="en_US", **partner):
    """A client company, its contact and the contact's portal user in
    ``lang``: ``(company id, contact id, login)``. ``partner``: more values
    of both partners (``tz``...)."""
    admin = admin_caller(odoo_server)
    company = admin("res.partner", "create", dict(
        partner, name=name, is_company=True, lang=lang))
    person = admin("res.partner", "create", dict(
        partner, name="%s (contact)" % name, parent_id=company, lang=lang,
        email="contact_%d@clients.example.com" % company))
    user = "portal_client_%d" % person
    admin("res.users", "create", {
        "login": user, "password": password, "partner_id": person, "lang": lang,
        "groups_id": [(6, 0, [admin.ref("base.group_portal")])]})
    return company, person, user
