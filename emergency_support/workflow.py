# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
"""Who may write the fields that only the emergency's own steps set.

A flag in the context could be forged by any caller over RPC (the context is
the caller's), so the steps mark the database cursor instead, which no caller
reaches: ``with workflow(env): ...`` around the writes of a step. The
superuser may still correct data.

The flag privileges everything inside the block, so only values the server
built go inside it: a step writes its protected fields explicitly
(``ticket._emergency_write({...})``), never a dict the user passed. The
user's own values (a ``create``, a time line's rewrite) are written outside
the block, through the user's access rights and every guard, including
those of the child records a one2many command would create.
"""
from contextlib import contextmanager

from odoo import SUPERUSER_ID


@contextmanager
def workflow(env):
    """Inside this block, the emergency's protected fields may be written."""
    cr = env.cr
    depth = getattr(cr, "_emergency_workflow", 0)
    cr._emergency_workflow = depth + 1
    try:
        yield
    finally:
        cr._emergency_workflow = depth


def privileged(env):
    """True inside a step of the workflow, or for the superuser."""
    return getattr(env.cr, "_emergency_workflow", 0) > 0 or env.uid == SUPERUSER_ID


def in_workflow(env):
    """True inside a step of the workflow (whoever the user is)."""
    return getattr(env.cr, "_emergency_workflow", 0) > 0
