# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    emergency_invoice_validate = fields.Boolean(
        string="Validate emergency invoices",
        help="The invoices of emergencies are validated as soon as they are "
             "made; otherwise they wait as drafts for an accountant.")
    emergency_guarantee_validate = fields.Boolean(
        string="Issue guarantee invoices at once", default=True,
        help="The guarantee invoice of an emergency is validated as soon as "
             "the client accepts the proposal, so that the client pays it "
             "from the portal at once.")
