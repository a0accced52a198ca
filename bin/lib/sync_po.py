"""Rebuild an addon's i18n/es.po from what Odoo exports, keeping our translations.

    python sync_po.py EXPORTED.po ADDON/i18n/es.po

EXPORTED.po is Odoo's export of the addon in Spanish (``odoo --i18n-export``):
it lists every term with every place it is used (Odoo 11 loads a term only
for the places its entry lists). Each entry takes the translation shipped in
es.po for the same source text, else the one exported. The shipped file's
header stays; terms no longer in the addon are dropped (printed), except the
ones we translate for another module's records (a place ``model:...:module.xmlid``
of a module other than this addon, e.g. a stage helpdesk_mgmt leaves untranslated).
Terms left without a translation are printed and make the exit status 1.
"""
import os
import sys

import polib


def main(exported_path, shipped_path):
    exported = polib.pofile(exported_path, wrapwidth=0)
    shipped = polib.pofile(shipped_path, wrapwidth=0)
    ours = {entry.msgid: entry.msgstr for entry in shipped if entry.msgstr}
    result = polib.POFile(wrapwidth=0)
    result.header = shipped.header
    result.metadata = shipped.metadata
    untranslated = []
    for entry in exported:
        if not entry.msgid:
            continue
        # Odoo exports an untranslated model term with its source as msgstr
        exported_str = entry.msgstr if entry.msgstr != entry.msgid else ""
        entry.msgstr = ours.get(entry.msgid) or exported_str
        entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
        if not entry.msgstr:
            untranslated.append(entry.msgid)
        result.append(entry)
    addon = os.path.basename(os.path.dirname(os.path.dirname(os.path.abspath(shipped_path))))
    foreign = {}  # msgid: [(place, line)] of other modules' records
    for entry in shipped:
        for ref, line in entry.occurrences:
            if ref.startswith("model:") and not ref.split(":")[-1].startswith(addon + "."):
                foreign.setdefault(entry.msgid, []).append((ref, line))
    for entry in result:
        entry.occurrences += foreign.pop(entry.msgid, [])
    for msgid, places in foreign.items():
        result.append(polib.POEntry(msgid=msgid, msgstr=ours[msgid], occurrences=places))
    dropped = sorted(set(ours) - {entry.msgid for entry in result})
    result.save(shipped_path)
    for msgid in dropped:
        print("dropped (no longer used): %r" % msgid)
    for msgid in untranslated:
        print("UNTRANSLATED: %r" % msgid)
    return 1 if untranslated else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
