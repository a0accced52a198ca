# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
"""Tacit approval now needs a recorded notice (``tacit_notice_date``): the
cut-offs submitted before it get one only when their submission mail, with
the tacit sentence, provably went to the client's address (the message on
the cut-off and its sent e-mail notification). The others wait for the
client's explicit approval."""
import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    marked = env["emergency.timesheet.cutoff"]._emergency_recover_tacit_notices()
    _logger.info("tacit approval: %d submitted cut-off(s) proven notified", len(marked))
