# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
from odoo import fields, models


class EmergencyServiceArea(models.Model):
    _name = "emergency.service.area"
    _description = "Emergency service area"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char()
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    product_ids = fields.One2many(
        comodel_name="emergency.supported.product",
        inverse_name="service_area_id",
        string="Supported products",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        default=lambda self: self.env.user.company_id,
        index=True,
    )

    _sql_constraints = [
        ("code_company_uniq", "unique(code, company_id)",
         "The code of a service area must be unique per company."),
    ]
