# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
"""An XML-RPC call retried after a concurrent update starts clean.

Odoo 11 retries an RPC call whose transaction met a concurrent update
(``odoo.service.model.check``: "SERIALIZATION_FAILURE, retry 1/5") with a
new cursor, but in the same set of environments: the fields the failed
attempt left to recompute still name records of its closed cursor, and the
next recomputation answers "Unable to use a closed cursor". It happens
whenever a queued job (a mail posted on the ticket) updates the emergency
while an integration writes to it, e.g. a monitoring system's evaluation.
The web client's requests do not meet it: ``WebRequest._call_function``
clears the environments before each try. ``execute_cr`` does the same here;
the first try starts with nothing to clear."""
import odoo
from odoo.service import model

_execute_cr = model.execute_cr


def execute_cr(cr, uid, obj, method, *args, **kw):
    """``odoo.service.model.execute_cr`` after forgetting what a failed try
    of this call left in the environments (caches, fields to recompute)."""
    odoo.api.Environment(cr, uid, {}).clear()
    return _execute_cr(cr, uid, obj, method, *args, **kw)


if getattr(model.execute_cr, "__module__", None) != __name__:
    model.execute_cr = execute_cr
