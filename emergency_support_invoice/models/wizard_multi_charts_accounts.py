# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
from odoo import api, models


class WizardMultiChartsAccounts(models.TransientModel):
    _inherit = "wizard.multi.charts.accounts"

    @api.multi
    def execute(self):
        """A company gets its chart of accounts (and sales journal): the
        invoices of its emergencies that waited for it are made."""
        result = super().execute()
        self.env["helpdesk.ticket"].sudo()._cron_emergency_invoices(
            company_ids=self.mapped("company_id").ids)
        return result
