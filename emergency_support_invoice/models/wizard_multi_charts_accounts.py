# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
from odoo import api, models


class WizardMultiChartsAccounts(models.TransientModel):
    _inherit = "wizard.multi.charts.accounts"

    @api.multi
    def execute(self):
        """A company gets its chart of accounts (and sales journal): the
        invoices of its emergencies that waited for it are made, and the
        wire-transfer instructions clients read after paying a guarantee
        list its bank accounts (Odoo wrote them before any bank journal)."""
        result = super().execute()
        companies = self.mapped("company_id")
        self.env["helpdesk.ticket"].sudo()._cron_emergency_invoices(
            company_ids=companies.ids)
        for company in companies:
            self._emergency_link_bank_accounts(company)
        self.env["payment.acquirer"].sudo().search([
            ("provider", "=", "transfer"), ("company_id", "in", companies.ids),
        ]).action_emergency_transfer_details()
        return result

    def _emergency_link_bank_accounts(self, company):
        """The company's bank accounts recorded before its chart (no journal
        had them) go on the chart's bank journals that have none, in order."""
        Journal = self.env["account.journal"].sudo()
        journals = Journal.search([("company_id", "=", company.id), ("type", "=", "bank"),
                                   ("bank_account_id", "=", False)], order="sequence, id")
        used = Journal.search([("company_id", "=", company.id),
                               ("bank_account_id", "!=", False)]).mapped("bank_account_id")
        accounts = self.env["res.partner.bank"].sudo().search([
            ("partner_id", "=", company.partner_id.id), ("id", "not in", used.ids)],
            order="id")
        for journal, account in zip(journals, accounts):
            journal.bank_account_id = account
