"""Users' language: every translatable term of the addons has its Spanish translation.

The Spanish translation that Odoo exports from the database (where each addon's
``i18n/es.po`` was loaded at install) must have no empty entry, and each
``i18n/es.po`` file must hold every term the addon defines.
"""
import ast
import base64
import os
import re

import polib
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ADDONS = ["emergency_support", "emergency_support_timesheet", "emergency_support_invoice"]


def _export(odoo_server, addon):
    def admin(model, method, *args, **kw):
        return odoo_server.execute("admin", "admin", model, method, *args, **kw)
    module_ids = admin("ir.module.module", "search", [("name", "=", addon)])
    wizard = admin("base.language.export", "create", {
        "lang": "es_ES", "format": "po", "modules": [(6, 0, module_ids)]})
    admin("base.language.export", "act_getfile", [wizard])
    data = admin("base.language.export", "read", [wizard], fields=["data"])[0]["data"]
    return polib.pofile(base64.b64decode(data).decode("utf-8"))


def _demo_xmlids(addon):
    with open(os.path.join(ROOT, addon, "__manifest__.py")) as handle:
        manifest = ast.literal_eval(handle.read())
    xmlids = set()
    for name in manifest.get("demo", []):
        with open(os.path.join(ROOT, addon, name)) as handle:
            xmlids.update("%s.%s" % (addon, xmlid)
                          for xmlid in re.findall(r'\bid="([\w.]+)"', handle.read()))
    return xmlids


@pytest.mark.parametrize("addon", ADDONS)
def test_every_term_is_translated_to_spanish(odoo_server, addon):
    exported = _export(odoo_server, addon)
    missing = [entry.msgid for entry in exported if entry.msgid and not entry.msgstr]
    assert not missing, "%d terms of %s have no Spanish translation, e.g. %r" % (
        len(missing), addon, missing[:5])
    shipped = polib.pofile(os.path.join(ROOT, addon, "i18n", "es.po"))
    shipped_ids = {entry.msgid for entry in shipped if entry.msgstr}
    demo = _demo_xmlids(addon)
    absent = [entry.msgid for entry in exported
              if entry.msgid and entry.msgid not in shipped_ids
              # demo records are written in Spanish: not shipped in es.po
              and not all(ref.split(":")[-1] in demo for ref, _line in entry.occurrences)]
    assert not absent, "i18n/es.po of %s lacks %r" % (addon, absent[:5])
    # a term is loaded for the places its entry lists only: a view's term
    # listed for another view stays English there (Odoo 11 translates each
    # view's terms apart)
    listed = {(entry.msgid, ref) for entry in shipped if entry.msgstr
              for ref, _line in entry.occurrences}
    unlisted = sorted({(entry.msgid, ref) for entry in exported if entry.msgid
                       for ref, _line in entry.occurrences
                       if ref.split(":")[-1] not in demo
                       and (entry.msgid, ref) not in listed})
    assert not unlisted, "i18n/es.po of %s does not list these places: %r" % (
        addon, unlisted[:5])


def test_a_spanish_client_reads_spanish(odoo_server):
    labels = odoo_server.execute(
        "admin", "admin", "helpdesk.ticket", "fields_get", ["emergency_phase"],
        attributes=["string", "selection"], context={"lang": "es_ES"})
    field = labels["emergency_phase"]
    assert field["string"] != "Phase"
    assert dict(field["selection"])["closed"] != "Closed"


PLACEHOLDER = re.compile(r"%(\([a-z_]+\))?[-#0 +]*\d*(\.\d+)?[sdfr]|\$\{[^}]*\}|^% ?\w+", re.M)


@pytest.mark.parametrize("addon", ADDONS)
def test_translations_keep_their_placeholders(addon):
    """A translation keeps every %s / %(name)s, ${...} and template line of its source."""
    wrong = []
    for entry in polib.pofile(os.path.join(ROOT, addon, "i18n", "es.po")):
        if entry.msgstr and (sorted(m.group(0) for m in PLACEHOLDER.finditer(entry.msgid))
                             != sorted(m.group(0) for m in PLACEHOLDER.finditer(entry.msgstr))):
            wrong.append(entry.msgid[:60])
    assert not wrong
