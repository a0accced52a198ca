# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
from odoo import fields, models

from .. import rules


class AccountInvoiceLine(models.Model):
    _inherit = "account.invoice.line"

    emergency_line_kind = fields.Selection(
        selection=[(rules.LINE_TIME, "Approved time"),
                   (rules.LINE_GUARANTEE, "Guarantee"),
                   (rules.LINE_CREDIT, "Credited guarantee")],
        string="Emergency line", readonly=True, copy=False)
    emergency_timesheet_ids = fields.One2many(
        comodel_name="account.analytic.line",
        inverse_name="emergency_invoice_line_id",
        string="Time billed", readonly=True)
