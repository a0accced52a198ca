# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
from email.utils import formataddr

from odoo import api, models


class MailMessage(models.Model):
    _inherit = "mail.message"

    @api.model
    def _get_default_from(self):
        """The sender of a message posted without one: the user's address;
        for a user without one (a specialist who never set it), the
        company's address in the user's name. Odoo refused the message
        ("Unable to send email, please configure the sender's email
        address"), and with it the evaluation, a phase change or a time
        cut-off: a missing address never blocks the work. With no address
        at all the message is recorded without a sender (the outgoing mail
        server's default applies)."""
        user = self.env.user
        if user.email:
            return super()._get_default_from()
        company = user.company_id
        if company.email:
            return formataddr((user.name, company.email))
        return False
