# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
"""The emergency's invoices on the client's page: the guarantee to pay
(with Odoo's own portal invoice page and payment form), then the invoices
of time, each a link to Odoo's invoice page and PDF (R11, R13, R18)."""
import werkzeug.utils

from odoo import fields, http
from odoo.http import request
from odoo.tools import consteq

from odoo.addons.account.controllers.portal import PortalAccount as AccountPortal
from odoo.addons.account_payment.controllers.portal import PortalAccount
from odoo.addons.emergency_support import rules as core
from odoo.addons.emergency_support.controllers.main import is_record_id, readable_sudo
from odoo.addons.emergency_support_timesheet.controllers.portal import (
    EmergencyTimesheetPortal)

from .. import rules

#: the sortings of Odoo's /my/invoices (any other answered 500)
INVOICE_SORTINGS = ("date", "duedate", "name", "state")


def _redirect(url):
    # request.redirect exists only with the website addon
    return werkzeug.utils.redirect(url, 303)


def _datetime_or_none(value):
    """A date or datetime text PostgreSQL accepts, else None."""
    try:
        return value if value and fields.Datetime.from_string(value) else None
    except (TypeError, ValueError):
        return None


class PortalAccountChecked(PortalAccount):
    """Odoo 11's invoice pages on the portal, never a 500: an unknown
    sorting or date falls back to the defaults; an invoice that does not
    exist, is out of range or not the user's sends back to /my (Odoo called
    ``request.redirect``, which needs the website addon); an internal user
    without invoicing rights (who has no invoices on the portal) gets every
    portal page (Odoo counted the invoices as that user: an AccessError)."""

    def _prepare_portal_layout_values(self):
        if request.env["account.invoice"].check_access_rights(
                "read", raise_exception=False):
            return super()._prepare_portal_layout_values()
        # the layout without account's count, which would raise
        values = super(AccountPortal, self)._prepare_portal_layout_values()
        values["invoice_count"] = 0
        return values

    @staticmethod
    def _portal_invoice(invoice_id, access_token=None):
        """The invoice ``invoice_id`` as the superuser when the user may read
        it or holds its access token; else None."""
        invoice = readable_sudo("account.invoice", invoice_id)
        if invoice:
            return invoice
        invoice = (request.env["account.invoice"].sudo().browse(invoice_id).exists()
                   if is_record_id(invoice_id) else None)
        if invoice and access_token and invoice.access_token and consteq(
                str(access_token), invoice.access_token):
            return invoice
        return None

    @http.route()
    def portal_my_invoices(self, page=1, date_begin=None, date_end=None,
                           sortby=None, **kw):
        if sortby not in INVOICE_SORTINGS:
            sortby = None
        date_begin, date_end = _datetime_or_none(date_begin), _datetime_or_none(date_end)
        if not (date_begin and date_end):
            date_begin = date_end = None
        if not request.env["account.invoice"].check_access_rights(
                "read", raise_exception=False):
            return _redirect("/my")
        return super().portal_my_invoices(
            page=page, date_begin=date_begin, date_end=date_end, sortby=sortby, **kw)

    @http.route()
    def portal_my_invoice_detail(self, invoice_id, access_token=None, **kw):
        if not self._portal_invoice(invoice_id, access_token):
            return _redirect("/my")
        return super().portal_my_invoice_detail(
            invoice_id, access_token=access_token, **kw)

    @http.route()
    def portal_my_invoice_report(self, invoice_id, access_token=None, **kw):
        if not self._portal_invoice(invoice_id, access_token):
            return _redirect("/my")
        return super().portal_my_invoice_report(
            invoice_id, access_token=access_token, **kw)


class EmergencyInvoicePortal(EmergencyTimesheetPortal, PortalAccountChecked):

    def _emergency_page_values(self, ticket, **kw):
        values = super()._emergency_page_values(ticket, **kw)
        # the same rule as the technical report's
        invoices = ticket._emergency_report_invoices()
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
            # the proposal's guarantee, as its invoice will charge it
            "guarantee_with_taxes": (ticket._emergency_guarantee_with_taxes()
                                     if ticket.emergency_phase == core.PROPOSED else None),
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
