# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    emergency_express_product_id = fields.Many2one(
        related="company_id.emergency_express_product_id",
        domain=[("type", "=", "service")],
    )
    emergency_ondemand_product_id = fields.Many2one(
        related="company_id.emergency_ondemand_product_id",
        domain=[("type", "=", "service")],
    )
    emergency_evaluation_minutes = fields.Integer(
        related="company_id.emergency_evaluation_minutes",
    )
    emergency_nda_id = fields.Many2one(
        related="company_id.emergency_nda_id",
    )
