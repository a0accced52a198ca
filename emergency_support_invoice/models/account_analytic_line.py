# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.emergency_support.workflow import privileged


class AccountAnalyticLine(models.Model):
    _inherit = "account.analytic.line"

    emergency_invoice_line_id = fields.Many2one(
        comodel_name="account.invoice.line",
        string="Invoiced on",
        readonly=True,
        index=True,
        copy=False,
        ondelete="set null",
        help="The invoice line this approved time was billed on (R19): set "
             "when the invoice is created, cleared when it is cancelled.")
    emergency_invoice_id = fields.Many2one(
        related="emergency_invoice_line_id.invoice_id",
        string="Invoice", readonly=True)

    @api.model_cr
    def init(self):
        """The time not invoiced yet, per emergency: the hourly scheduled
        action finds what is due through it, whatever the history."""
        self.env.cr.execute("""
            CREATE INDEX IF NOT EXISTS account_analytic_line_emergency_not_invoiced
                ON account_analytic_line (ticket_id)
             WHERE emergency_invoice_line_id IS NULL
               AND emergency_cutoff_id IS NOT NULL""")

    @api.model
    def create(self, vals):
        if "emergency_invoice_line_id" in vals and not privileged(self.env):
            raise UserError(_(
                "The invoice of a time line is set when its invoice is made, "
                "not typed."))
        return super().create(vals)

    @api.multi
    def write(self, vals):
        if "emergency_invoice_line_id" in vals and not privileged(self.env):
            raise UserError(_(
                "The invoice of a time line is set when its invoice is made, "
                "not typed."))
        return super().write(vals)

    @api.model
    def _emergency_not_invoiced_domain(self):
        return super()._emergency_not_invoiced_domain() + [
            ("emergency_invoice_line_id", "=", False)]
