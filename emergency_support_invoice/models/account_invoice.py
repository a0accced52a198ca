# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.emergency_support import rules as core
from odoo.addons.emergency_support.workflow import workflow

from .. import rules

KIND_SELECTION = [
    (rules.GUARANTEE, "Guarantee"),
    (rules.NORMALIZATION, "Normalization"),
    (rules.MITIGATION, "Mitigation"),
    (rules.SUPPLEMENT, "Supplement"),
]


class AccountInvoice(models.Model):
    _inherit = "account.invoice"

    emergency_ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Emergency",
        readonly=True,
        index=True,
        copy=False,
        ondelete="restrict",
    )
    emergency_kind = fields.Selection(
        selection=KIND_SELECTION,
        string="Emergency invoice",
        readonly=True,
        index=True,
        copy=False,
        help="Guarantee, normalization, mitigation, or a supplement for time "
             "approved after its phase's invoice (R18).")
    emergency_sequence = fields.Integer(
        string="Supplement number", readonly=True, copy=False, default=0)
    emergency_non_refundable = fields.Boolean(
        string="Non-refundable", readonly=True, copy=False,
        help="The guarantee is non-refundable compensation (R12).")
    emergency_hours = fields.Float(
        string="Hours billed", compute="_compute_emergency_hours",
        help="Approved hours of time billed on this invoice.")

    @api.depends("invoice_line_ids.quantity", "invoice_line_ids.emergency_line_kind")
    def _compute_emergency_hours(self):
        for invoice in self:
            invoice.emergency_hours = sum(invoice.invoice_line_ids.filtered(
                lambda l: l.emergency_line_kind == rules.LINE_TIME).mapped("quantity"))

    @api.model_cr
    def init(self):
        """One invoice per emergency and kind (and supplement number),
        cancelled invoices apart: enforced by the database (R19)."""
        self.env.cr.execute("""
            CREATE UNIQUE INDEX IF NOT EXISTS account_invoice_emergency_kind_uniq
                ON account_invoice (emergency_ticket_id, emergency_kind,
                                    emergency_sequence)
             WHERE emergency_kind IS NOT NULL AND state <> 'cancel'""")

    # ------------------------------------------------------------------
    # states
    # ------------------------------------------------------------------

    @api.multi
    def action_invoice_paid(self):
        """Every way an invoice becomes paid (a registered payment, a
        reconciliation, the portal) passes here: a paid guarantee opens the
        service (R13)."""
        to_pay = self.filtered(lambda inv: inv.state != "paid")
        result = super().action_invoice_paid()
        paid = to_pay.filtered(lambda inv: inv.state == "paid"
                               and inv.emergency_kind == rules.GUARANTEE)
        if paid:
            paid._emergency_guarantee_paid()
        return result

    @api.multi
    def action_cancel(self):
        """A cancelled invoice gives its time back: billable again."""
        result = super().action_cancel()
        lines = self.filtered("emergency_ticket_id").mapped("invoice_line_ids")
        if lines:
            with workflow(self.env):
                self.env["account.analytic.line"].sudo().search([
                    ("emergency_invoice_line_id", "in", lines.ids),
                ]).write({"emergency_invoice_line_id": False})
        return result

    @api.multi
    def action_invoice_draft(self):
        cancelled = self.filtered("emergency_kind")
        if cancelled:
            raise UserError(_(
                "%s belongs to an emergency and was cancelled: its time was "
                "released. Make the emergency's invoices again from the "
                "emergency (button 'Make due invoices') instead of resetting "
                "this one.") % ", ".join(cancelled.mapped("display_name")))
        return super().action_invoice_draft()

    @api.model
    def _prepare_refund(self, invoice, date_invoice=None, date=None,
                        description=None, journal_id=None):
        """A credit note of an emergency invoice says which hours it gives back."""
        values = super()._prepare_refund(
            invoice, date_invoice=date_invoice, date=date,
            description=description, journal_id=journal_id)
        if invoice.emergency_ticket_id:
            values["emergency_ticket_id"] = invoice.emergency_ticket_id.id
            values["comment"] = invoice._emergency_refund_note()
        return values

    def _emergency_refund_note(self):
        self.ensure_one()
        parts = []
        for line in self.invoice_line_ids.filtered(
                lambda l: l.emergency_line_kind == rules.LINE_TIME):
            parts.append(_("%(hours).2f h: %(line)s") % {
                "hours": line.quantity, "line": line.name})
        hours = sum(self.invoice_line_ids.filtered(
            lambda l: l.emergency_line_kind == rules.LINE_TIME).mapped("quantity"))
        if not parts:
            return _("Credit note of %(invoice)s (%(ticket)s): no hours of "
                     "time are given back.") % {
                         "invoice": self.number or self.display_name,
                         "ticket": self.emergency_ticket_id.number}
        return _("Credit note of %(invoice)s (%(ticket)s): gives back "
                 "%(hours).2f hours of approved time:\n%(lines)s") % {
                     "invoice": self.number or self.display_name,
                     "ticket": self.emergency_ticket_id.number,
                     "hours": hours, "lines": "\n".join(parts)}

    # ------------------------------------------------------------------
    # guarantee paid (R13)
    # ------------------------------------------------------------------

    def _emergency_payment_date(self):
        """The date of the last payment of this invoice, as a datetime
        string (now when it is paid today)."""
        self.ensure_one()
        days = self.payment_move_line_ids.mapped("date")
        now = fields.Datetime.now()
        day = max(days) if days else now[:10]
        return now if day == now[:10] else "%s 00:00:00" % day

    def _emergency_guarantee_paid(self):
        """The guarantee is paid: the service opens at once with the
        payment's date and the lead expert is notified; a payment for an
        emergency that no longer waits for it opens nothing and says so."""
        for invoice in self:
            ticket = invoice.emergency_ticket_id.sudo()
            paid_on = invoice._emergency_payment_date()
            if ticket.emergency_phase == core.AWAITING_GUARANTEE:
                ticket._emergency_open_service(guarantee_paid=paid_on)
                ticket._emergency_notify_lead_expert(invoice)
            else:
                labels = dict(ticket._fields["emergency_phase"]._description_selection(
                    ticket.env))
                ticket.message_post(body=_(
                    "The guarantee invoice %(invoice)s was paid on %(date)s, "
                    "but the emergency is %(phase)s: the service does not "
                    "open. Refund the client or credit the payment.") % {
                        "invoice": invoice.number, "date": paid_on[:10],
                        "phase": labels.get(ticket.emergency_phase, "-")})
