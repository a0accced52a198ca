# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
"""11.0.1.2.0:

- Tacit approval now needs a recorded notice (``tacit_notice_date``): the
  cut-offs submitted before it get one only when their submission mail, with
  the tacit sentence, provably went to the client's address (the message on
  the cut-off and its sent e-mail notification). The others wait for the
  client's explicit approval.
- Issue 14: the client's mails write hours in the client's language
  (``format_hours``) and the days as the client writes dates. The mail
  templates are ``noupdate``: an update keeps their old bodies; load them
  again (their Spanish terms come with the module's translations, loaded
  after)."""
import logging

from odoo import SUPERUSER_ID, api
from odoo.tools import convert_file

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    marked = env["emergency.timesheet.cutoff"]._emergency_recover_tacit_notices()
    _logger.info("tacit approval: %d submitted cut-off(s) proven notified", len(marked))
    convert_file(cr, "emergency_support_timesheet", "data/mail_template_data.xml", {},
                 mode="init", noupdate=False, kind="data")
