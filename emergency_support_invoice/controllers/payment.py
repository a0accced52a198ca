# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
"""account_payment's invoice payment routes, checked: Odoo 11 makes a
payment transaction for any invoice id it is given, with any acquirer. A
client pays only an invoice it may read (or whose access token it holds),
still open and due (not a waived guarantee), with an acquirer published for
the invoice's company."""
from odoo import http
from odoo.http import request

from odoo.addons.account_payment.controllers.payment import PaymentPortal

from .portal import PortalAccountChecked


def _payable_invoice(invoice_id, access_token=None):
    """The open invoice ``invoice_id`` (as the superuser) when the user may
    read it or holds its access token, and it is still due; else None."""
    invoice = PortalAccountChecked._portal_invoice(invoice_id, access_token)
    return invoice if invoice and invoice._emergency_payable() else None


class PaymentPortalChecked(PaymentPortal):

    @http.route()
    def invoice_pay_form(self, acquirer_id, invoice_id, save_token=False,
                         access_token=None, **kwargs):
        invoice = _payable_invoice(invoice_id, access_token)
        try:
            acquirer = request.env["payment.acquirer"].sudo().browse(
                int(acquirer_id)).exists()
        except (TypeError, ValueError):
            acquirer = None
        if not invoice or not acquirer or not acquirer.website_published \
                or acquirer.company_id != invoice.company_id:
            return False
        return super().invoice_pay_form(
            acquirer.id, invoice_id, save_token=save_token,
            access_token=access_token, **kwargs)

    @http.route()
    def invoice_pay_token(self, invoice_id, pm_id=None, **kwargs):
        if not _payable_invoice(invoice_id, kwargs.get("access_token")):
            return request.redirect("/my")
        return super().invoice_pay_token(invoice_id, pm_id=pm_id, **kwargs)
