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
        companies = self.mapped("company_id")
        before = {company.id: self._emergency_taxes_before_chart(company)
                  for company in companies}
        result = super().execute()
        for company in companies:
            self._emergency_taxes_after_chart(company, *before[company.id])
        self.env["helpdesk.ticket"].sudo()._cron_emergency_invoices(
            company_ids=companies.ids)
        for company in companies:
            self._emergency_link_bank_accounts(company)
        self.env["payment.acquirer"].sudo().search([
            ("provider", "=", "transfer"), ("company_id", "in", companies.ids),
        ]).action_emergency_transfer_details()
        return result

    def _emergency_taxes_before_chart(self, company):
        """The company's taxes made before its chart (without an account to
        post to: there was none) and its default sales and purchase taxes."""
        taxes = self.env["account.tax"].sudo().search([
            ("company_id", "=", company.id), ("account_id", "=", False)])
        IrDefault = self.env["ir.default"].sudo()
        defaults = {name: IrDefault.get("product.template", name, company_id=company.id)
                    for name in ("taxes_id", "supplier_taxes_id")}
        return taxes, defaults

    def _emergency_taxes_after_chart(self, company, taxes, defaults):
        """A chart loaded after the company set up its taxes (the demo's VAT
        is made before Odoo loads the chart) keeps them: they post on the
        accounts of the chart's tax of their use (its default one, else its
        first), and the company's default taxes stay its own."""
        Tax = self.env["account.tax"].sudo()
        IrDefault = self.env["ir.default"].sudo()
        chart_taxes = {}
        for name, use in (("taxes_id", "sale"), ("supplier_taxes_id", "purchase")):
            chart_taxes[use] = Tax.browse(
                IrDefault.get("product.template", name, company_id=company.id) or [])[:1]
            kept = Tax.browse(defaults[name] or []).exists()
            if kept:
                IrDefault.set("product.template", name, kept.ids, company_id=company.id)
        for tax in taxes.exists().filtered(lambda t: not t.account_id):
            chart_tax = chart_taxes.get(tax.type_tax_use) or Tax
            if not chart_tax.account_id:
                chart_tax = Tax.search([
                    ("company_id", "=", company.id), ("type_tax_use", "=", tax.type_tax_use),
                    ("account_id", "!=", False), ("id", "not in", taxes.ids),
                ], order="sequence, id", limit=1)
            if chart_tax:
                tax.write({"account_id": chart_tax.account_id.id,
                           "refund_account_id": (chart_tax.refund_account_id
                                                 or chart_tax.account_id).id})

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
