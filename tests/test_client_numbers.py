"""One way of writing hours for what a client reads (issue 14): the portal
pages, the mails and the PDF reports write hours in the reader's language
(``format_hours`` in the portal pages and the mails, the ``float`` widget in
the reports), never with a hard-coded decimal point (``'%.2f' % hours``:
"2.0 horas" on a Spanish page)."""
import glob
import os
import re

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

#: what a client reads: portal pages, mails (with their translations) and reports
CLIENT_FILES = sorted(
    glob.glob(os.path.join(ROOT, "emergency_support*", "views", "*portal*.xml"))
    + glob.glob(os.path.join(ROOT, "emergency_support*", "data", "mail_template*.xml"))
    + glob.glob(os.path.join(ROOT, "emergency_support*", "report", "*.xml"))
    + glob.glob(os.path.join(ROOT, "emergency_support*", "i18n", "*.po")))

#: a number formatted with Python's decimal point: '%.2f' % x, "{:.1f}".format(x),
#: str(x.hours), round(x, 2) printed as is
HARD_CODED = re.compile(
    r"""['"]%\.?\d*f['"]\s*%|\{:\.\d+f\}|\bstr\([\w.]*hours\w*\)|\bround\([\w.]*hours""")

#: a mail's ${...} printing an hours field: it goes through format_hours()
MAIL_HOURS = re.compile(r"\$\{\s*([^}]*_hours\b[^}]*|[^}]*\bhours_\w+[^}]*)\}")
INTEGER_HOURS = ("guarantee_hours", "tacit_hours")


def test_the_files_are_found():
    assert len(CLIENT_FILES) >= 9, CLIENT_FILES


@pytest.mark.parametrize("path", CLIENT_FILES, ids=lambda path: os.path.relpath(path, ROOT))
def test_no_hard_coded_decimal_point(path):
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    found = [match.group(0) for match in HARD_CODED.finditer(text)]
    assert not found, "%s formats hours with a fixed decimal point: %s; use " \
        "format_hours() (portal, mails) or the float widget (reports)" % (
            os.path.relpath(path, ROOT), found)
    if "mail_template" in path or path.endswith(".po"):
        raw = [expr for expr in MAIL_HOURS.findall(text)
               if "format_hours(" not in expr
               and not any(name in expr for name in INTEGER_HOURS)]
        assert not raw, "%s prints hours without format_hours(): %s" % (
            os.path.relpath(path, ROOT), raw)


def test_the_check_catches_a_hard_coded_decimal_point():
    assert HARD_CODED.search("<li>${'%.1f' % object.estimated_emergency_hours} h</li>")
    assert HARD_CODED.search('<span t-esc="\'%.2f\' % invoice.emergency_hours"/>')
    assert not HARD_CODED.search("${format_hours(object.estimated_emergency_hours, 1)}")
    assert MAIL_HOURS.findall("(${object.hours_total} hours)")
