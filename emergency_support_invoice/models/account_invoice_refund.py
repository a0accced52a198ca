# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
from odoo import _, api, models
from odoo.exceptions import UserError

from .. import rules


class AccountInvoiceRefund(models.TransientModel):
    """Odoo's credit note wizard on an emergency invoice: what each mode
    means for its hours and for the credited guarantee (readme/USAGE.rst)."""
    _inherit = "account.invoice.refund"

    @api.multi
    def compute_refund(self, mode="refund"):
        invoices = self.env["account.invoice"].browse(
            self.env.context.get("active_ids") or [])
        emergency = invoices.filtered("emergency_ticket_id")
        if emergency and not rules.refund_allowed(mode, True):
            raise UserError(_(
                "%s belongs to an emergency: 'Modify' would copy it into a "
                "draft that bills its hours a second time. Choose 'Cancel' "
                "(its hours become billable again and go on the emergency's "
                "next invoice) or a draft credit note (a goodwill refund: the "
                "hours stay invoiced).") % ", ".join(emergency.mapped("number")))
        before = self.env["account.invoice"].search(
            [("refund_invoice_id", "in", emergency.ids or [0])])
        result = super().compute_refund(mode=mode)
        if emergency:
            refunds = self.env["account.invoice"].search(
                [("refund_invoice_id", "in", emergency.ids)]) - before
            emergency._emergency_credit_note_done(mode, refunds)
        return result
