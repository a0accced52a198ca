# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
"""The emergency's invoices on the client's page: the guarantee to pay
(with Odoo's own portal invoice page and payment form), then the invoices
of time, each a link to Odoo's invoice page and PDF (R11, R13, R18)."""
from odoo.http import request

from odoo.addons.emergency_support import rules as core
from odoo.addons.emergency_support_timesheet.controllers.portal import (
    EmergencyTimesheetPortal)

from .. import rules

#: the invoices a client reads: issued ones (drafts are the accountant's)
CLIENT_STATES = ("open", "paid")


class EmergencyInvoicePortal(EmergencyTimesheetPortal):

    def _emergency_page_values(self, ticket, **kw):
        values = super()._emergency_page_values(ticket, **kw)
        invoices = ticket.emergency_invoice_ids.filtered(
            lambda inv: inv.emergency_kind and inv.state in CLIENT_STATES).sorted("id")
        for invoice in invoices.filtered(lambda inv: not inv.access_token):
            invoice._generate_access_token()
        guarantee = ticket.emergency_invoice_ids.filtered(
            lambda inv: inv.emergency_kind == rules.GUARANTEE
            and inv.state != "cancel")[:1]
        kinds = dict(invoices._fields["emergency_kind"]._description_selection(
            request.env))
        states = dict(invoices._fields["state"]._description_selection(request.env))
        values.update({
            "invoices": [{
                "id": invoice.id,
                "number": invoice.number,
                "kind": kinds.get(invoice.emergency_kind, ""),
                "date": invoice.date_invoice,
                "amount": invoice.amount_total,
                "residual": invoice.residual,
                "currency": invoice.currency_id,
                "state": states.get(invoice.state, ""),
                "url": "/my/invoices/%d?access_token=%s" % (
                    invoice.id, invoice.access_token),
                "pdf_url": "/my/invoices/pdf/%d?access_token=%s" % (
                    invoice.id, invoice.access_token),
                "payable": self._emergency_invoice_payable(ticket, invoice),
            } for invoice in invoices],
            "guarantee_invoice": self._emergency_guarantee_status(ticket, guarantee),
        })
        return values

    def _emergency_invoice_payable(self, ticket, invoice):
        """An issued invoice without a payment under way; a guarantee only
        while the emergency waits for it (a waived or cancelled one is the
        accountant's to cancel, R12)."""
        if invoice.state != "open" or invoice.payment_tx_ids.filtered(
                lambda tx: tx.state in ("pending", "authorized", "done")):
            return False
        return (invoice.emergency_kind != rules.GUARANTEE
                or ticket.emergency_phase == core.AWAITING_GUARANTEE)

    def _emergency_guarantee_status(self, ticket, invoice):
        """What the client does about the guarantee now: ``None`` (nothing),
        ``draft`` (accounting issues it), ``pay`` (pay it: the link),
        ``pending`` (a transfer announced, awaiting our confirmation) or
        ``paid``."""
        if not invoice or ticket.emergency_phase != core.AWAITING_GUARANTEE:
            return None
        if invoice.state == "draft":
            status = "draft"
        elif invoice.state == "paid":
            status = "paid"  # the service opens with the payment: a moment
        elif invoice.payment_tx_ids.filtered(
                lambda tx: tx.state in ("pending", "authorized", "done")):
            status = "pending"
        else:
            status = "pay"
        return {
            "status": status,
            "amount": invoice.amount_total,
            "currency": invoice.currency_id,
            "pay_url": "/my/invoices/%d?access_token=%s#portal_pay" % (
                invoice.id, invoice.access_token) if status == "pay" else None,
        }
