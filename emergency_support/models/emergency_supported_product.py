# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
from odoo import fields, models


class EmergencySupportedProduct(models.Model):
    """A product or technology the company is expert in (R5, the "infografía")."""

    _name = "emergency.supported.product"
    _description = "Supported product or technology"
    _order = "service_area_id, name"

    name = fields.Char(required=True)
    service_area_id = fields.Many2one(
        comodel_name="emergency.service.area",
        string="Service area",
        required=True,
        ondelete="restrict",
        index=True,
    )
    active = fields.Boolean(default=True)
    supported = fields.Boolean(
        default=True,
        help="Unticked: the product is known but outside the company's "
             "commitment (R5); emergencies on it cannot be accepted as covered.",
    )
    description = fields.Text(translate=True)
    company_id = fields.Many2one(
        related="service_area_id.company_id",
        store=True,
        readonly=True,
        index=True,
    )
