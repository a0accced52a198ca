"""English left on a Spanish page: the visible texts of a portal page that
are, word for word, an English term that Odoo or our addons translate to
Spanish (their ``i18n/es.po``). A Spanish page showing one of them rendered a
term untranslated: a literal in a template (``t-value="'Pay Now'"``), a value
written in English only, a term missing from an es.po."""
import glob
import os
import re

import polib
from lxml import html as lxml_html

import odoo.addons

#: the addons whose terms a client's portal pages show
PORTAL_ADDONS = ("web", "website", "portal", "mail", "account", "payment",
                 "account_payment", "payment_transfer", "helpdesk_mgmt",
                 "emergency_support", "emergency_support_timesheet",
                 "emergency_support_invoice")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
#: text that is the same in both languages (names, codes, symbols)
SAME_IN_BOTH = re.compile(r"^[\W\d_]*$|^(PDF|Email|Total|No|Error|Portal|Odoo)$")
_TERMS = None


def _addon_dirs(addon):
    for path in list(odoo.addons.__path__) + [ROOT]:
        folder = os.path.join(path, addon)
        if os.path.isdir(folder):
            yield folder


def english_terms():
    """``{English term: its Spanish}`` of the portal's addons, for terms whose
    Spanish differs."""
    global _TERMS
    if _TERMS is None:
        _TERMS = {}
        for addon in PORTAL_ADDONS:
            for folder in _addon_dirs(addon):
                for po_path in glob.glob(os.path.join(folder, "i18n", "es.po")):
                    for entry in polib.pofile(po_path):
                        if entry.fuzzy or entry.obsolete:
                            continue  # Odoo does not load them
                        source = " ".join(entry.msgid.split())
                        target = " ".join(entry.msgstr.split())
                        if target and target != source and not SAME_IN_BOTH.match(source):
                            _TERMS[source] = target
    return _TERMS


def visible_texts(page_html):
    """The texts a reader sees on the page (and its buttons' values and
    placeholders), whitespace-normalized: not scripts, styles or the
    language selector's own language names."""
    tree = lxml_html.fromstring(page_html)
    for bad in tree.xpath("//script|//style|//noscript"
                          "|//*[contains(@class, 'js_language_selector')]"):
        bad.drop_tree()
    texts = []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        for text in (element.text, element.tail):
            text = " ".join((text or "").split())
            if text:
                texts.append(text)
        for attribute in ("placeholder", "title", "alt"):
            value = " ".join((element.get(attribute) or "").split())
            if value:
                texts.append(value)
        if element.tag == "input" and element.get("type") in ("submit", "button"):
            texts.append(" ".join((element.get("value") or "").split()))
    return texts


def english_leftovers(page_html):
    """The English terms of ``english_terms()`` a (Spanish) page shows."""
    terms = english_terms()
    return sorted({text for text in visible_texts(page_html)
                   if text in terms or text.rstrip(":.") in terms})


def spanish_leftovers(page_html):
    """The Spanish translations of ``english_terms()`` an English page shows
    (a Spanish text only: the same words in both languages are not)."""
    spanish = set(english_terms().values()) - set(english_terms())
    return sorted({text for text in visible_texts(page_html)
                   if text in spanish or text.rstrip(":.") in spanish})
