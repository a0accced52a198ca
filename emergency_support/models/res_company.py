# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    emergency_express_product_id = fields.Many2one(
        comodel_name="product.product",
        string="Express service",
        help="Hourly service product of the Express plan: its sales price is "
             "the Express list rate (R1, R4).",
        index=True,
    )
    emergency_ondemand_product_id = fields.Many2one(
        comodel_name="product.product",
        string="On-demand service",
        help="Hourly service product of the On-demand plan: its sales price "
             "is the On-demand list rate (R1, R4).",
        index=True,
    )
    emergency_evaluation_minutes = fields.Integer(
        string="Evaluation promise (minutes)",
        default=60,
        help="A specialist answers every emergency request within this many "
             "minutes (R9).",
    )
    emergency_nda_id = fields.Many2one(
        comodel_name="emergency.nda",
        string="Default NDA",
        help="The confidentiality agreement a client accepts when requesting "
             "an emergency without an NDA from earlier work (R6).",
        index=True,
    )

    @api.constrains("emergency_evaluation_minutes")
    def _check_emergency_evaluation_minutes(self):
        for company in self:
            if company.emergency_evaluation_minutes <= 0:
                raise ValidationError(_(
                    "The evaluation promise must be a positive number of "
                    "minutes (the plan promises 60)."))
