# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
from odoo import fields, models


class EmergencyNda(models.Model):
    """A version of the company's default confidentiality agreement (R6)."""

    _name = "emergency.nda"
    _description = "Confidentiality agreement (NDA) version"
    _order = "date desc, id desc"

    name = fields.Char(required=True, translate=True)
    version = fields.Char(required=True)
    date = fields.Date(string="Published on", required=True,
                       default=fields.Date.context_today)
    body = fields.Html(translate=True, sanitize=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        default=lambda self: self.env.user.company_id,
        index=True,
    )

    _sql_constraints = [
        ("version_company_uniq", "unique(version, company_id)",
         "An NDA version must be unique per company."),
    ]

    def name_get(self):
        return [(nda.id, "%s (%s)" % (nda.name, nda.version)) for nda in self]
