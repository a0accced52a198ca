# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    emergency_invoice_validate = fields.Boolean(
        related="company_id.emergency_invoice_validate")
    emergency_guarantee_validate = fields.Boolean(
        related="company_id.emergency_guarantee_validate")
    emergency_supplement_minimum = fields.Float(
        related="company_id.emergency_supplement_minimum")
