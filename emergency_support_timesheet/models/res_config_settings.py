# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    emergency_cutoff_hour = fields.Integer(
        related="company_id.emergency_cutoff_hour")
    emergency_tacit_approval = fields.Boolean(
        related="company_id.emergency_tacit_approval")
    emergency_tacit_hours = fields.Integer(
        related="company_id.emergency_tacit_hours")
    emergency_pool_margin = fields.Float(
        related="company_id.emergency_pool_margin")
