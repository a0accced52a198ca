"""Build each addon's README.rst from its readme/*.rst fragments (OCA layout).

    python bin/lib/gen_readme.py          write the README.rst files
    python bin/lib/gen_readme.py --check  exit 1 when one is out of date
"""
import ast
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ADDONS = ["emergency_support", "emergency_support_timesheet", "emergency_support_invoice"]
SECTIONS = [
    ("DESCRIPTION.rst", None),
    ("INSTALL.rst", "Installation"),
    ("CONFIGURE.rst", "Configuration"),
    ("USAGE.rst", "Usage"),
    ("RULES.rst", "The rules (R1-R21)"),
    ("API.rst", "External API"),
    ("ROADMAP.rst", "Known issues / Roadmap"),
    ("CONTRIBUTORS.rst", "Contributors"),
]


def render(addon):
    path = os.path.join(ROOT, addon)
    with open(os.path.join(path, "__manifest__.py")) as handle:
        manifest = ast.literal_eval(handle.read())
    title = manifest["name"]
    parts = [
        "=" * len(title), title, "=" * len(title), "",
        ".. |license| image:: https://img.shields.io/badge/licence-%s-blue.png"
        % manifest["license"].replace("-", "--"),
        "", "|license|", "", manifest["summary"], "",
        "**Table of contents**", "", ".. contents::", "   :local:", "",
    ]
    for fragment, heading in SECTIONS:
        fragment_path = os.path.join(path, "readme", fragment)
        if not os.path.isfile(fragment_path):
            continue
        with open(fragment_path) as handle:
            text = handle.read().strip()
        if heading:
            parts += [heading, "=" * len(heading), ""]
        parts += [text, ""]
    parts += ["Maintainers", "===========", "",
              "This module is part of the emergency_support project "
              "(version %s)." % manifest["version"], ""]
    return "\n".join(parts)


def main():
    stale = []
    for addon in ADDONS:
        target = os.path.join(ROOT, addon, "README.rst")
        text = render(addon)
        current = open(target).read() if os.path.isfile(target) else None
        if current != text:
            stale.append(addon)
            if "--check" not in sys.argv:
                with open(target, "w") as handle:
                    handle.write(text)
    if "--check" in sys.argv and stale:
        print("README.rst out of date in: %s (run python bin/lib/gen_readme.py)"
              % ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
