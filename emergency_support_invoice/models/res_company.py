# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from .. import rules


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
    emergency_supplement_minimum = fields.Float(
        string="Minimum amount of a supplement", default=10.0,
        help="Time approved after its phase's invoice goes on a supplement "
             "invoice only once its fees reach this amount (in the "
             "company's currency, before taxes); below it, it waits for the "
             "next invoice of the emergency or its closure. At the closure "
             "everything approved is invoiced, whatever the amount.")

    @api.model
    def _emergency_hours_precision(self):
        """The quantities of invoice lines ('Product Unit of Measure') get
        at least ``rules.HOURS_DIGITS`` decimals: the hours of time billed
        equal the hours approved, to the cent of the amount (R19)."""
        precision = self.env.ref("product.decimal_product_uom")
        if precision.digits < rules.HOURS_DIGITS:
            precision.digits = rules.HOURS_DIGITS
        return True
