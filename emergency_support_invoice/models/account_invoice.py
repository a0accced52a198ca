# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.queue_job.job import job

from odoo.addons.emergency_support import rules as core
from odoo.addons.emergency_support.models.mail_template import hours_in_lang
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

    @api.depends("type", "invoice_line_ids.quantity", "invoice_line_ids.emergency_line_kind")
    def _compute_emergency_hours(self):
        """A credit note bills no hours (its lines keep the kind of the line
        they reverse: the credit it gives back is counted with its sign)."""
        for invoice in self:
            invoice.emergency_hours = 0.0 if invoice.type == "out_refund" else sum(
                invoice.invoice_line_ids.filtered(
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
        reconciliation, the portal) passes here: a guarantee paid by a
        payment opens the service (R13). One settled by its own credit note
        (a waiver, a cancelling credit note) opens nothing."""
        to_pay = self.filtered(lambda inv: inv.state != "paid")
        result = super().action_invoice_paid()
        paid = to_pay.filtered(lambda inv: inv.state == "paid"
                               and inv.emergency_kind == rules.GUARANTEE
                               and inv._emergency_paid_by_payment())
        if paid:
            paid._emergency_guarantee_paid()
        return result

    def _emergency_payable(self):
        """May the client pay this invoice online? Not a guarantee that is no
        longer due (waived, or its emergency no longer waits for it)."""
        self.ensure_one()
        if self.state != "open":
            return False
        if self.emergency_kind != rules.GUARANTEE:
            return True
        ticket = self.sudo().emergency_ticket_id
        return rules.guarantee_payable(ticket.emergency_phase, ticket.guarantee_policy)

    def _emergency_paid_by_payment(self):
        """Paid, at least in part, by a payment (not only by credit notes)."""
        self.ensure_one()
        if not self.move_id:
            return False
        # payment_move_line_ids, in one query: the lines reconciled with the
        # invoice's receivable, one of them not of a credit note
        self.env.cr.execute("""
            SELECT 1
              FROM account_move_line l
              JOIN account_partial_reconcile r
                ON l.id IN (r.debit_move_id, r.credit_move_id)
              JOIN account_move_line o
                ON o.id = CASE WHEN r.debit_move_id = l.id THEN r.credit_move_id
                               ELSE r.debit_move_id END
         LEFT JOIN account_invoice i ON i.id = o.invoice_id
             WHERE l.move_id = %s AND l.account_id = %s
               AND (i.type IS NULL OR i.type <> 'out_refund')
             LIMIT 1""", (self.move_id.id, self.account_id.id))
        return bool(self.env.cr.fetchone())

    @api.multi
    def action_cancel(self):
        """A cancelled invoice gives its time back: billable again."""
        result = super().action_cancel()
        self._emergency_release_time()
        return result

    def _emergency_release_time(self):
        """The approved time billed on these invoices becomes billable again
        (one query): the emergency's next invoice takes it, once."""
        lines = self.filtered(
            lambda inv: inv.emergency_ticket_id and inv.type == "out_invoice"
        ).mapped("invoice_line_ids")
        if not lines:
            return self.env["account.analytic.line"]
        with workflow(self.env):
            time = self.env["account.analytic.line"].sudo().search([
                ("emergency_invoice_line_id", "in", lines.ids)])
            time.write({"emergency_invoice_line_id": False})
        return time

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
        return _("Credit note of %(invoice)s (%(ticket)s). A credit note "
                 "that cancels the invoice makes its hours billable again; a "
                 "partial credit note is a goodwill refund: the hours stay "
                 "invoiced.") % {"invoice": self.number or self.display_name,
                                 "ticket": self.emergency_ticket_id.number}

    def _emergency_credit_note_done(self, mode, refunds):
        """After Odoo's credit note wizard (``mode``: ``rules.REFUND_*``):
        a cancelling credit note frees the hours of the invoice; the invoice
        and the emergency say what happened to them."""
        for invoice in self.filtered(lambda inv: inv.emergency_ticket_id
                                     and inv.emergency_kind != rules.GUARANTEE):
            refund = refunds.filtered(lambda r, inv=invoice: r.refund_invoice_id == inv)
            values = {"invoice": invoice.number, "refund": refund.number or _("draft"),
                      "hours": hours_in_lang(self.env, invoice.emergency_hours)}
            if rules.refund_frees_hours(mode):
                time = invoice._emergency_release_time()
                values["hours"] = hours_in_lang(self.env, sum(time.mapped("unit_amount")))
                body = _("Credit note %(refund)s cancels %(invoice)s: its "
                         "%(hours)s hours of approved time are billable "
                         "again and go on the emergency's next invoice.") % values
            else:
                body = _("Credit note %(refund)s of %(invoice)s is a goodwill "
                         "refund: its %(hours)s hours stay invoiced.") % values
            invoice.message_post(body=body)
            invoice.emergency_ticket_id.sudo().message_post(body=body)
        if rules.refund_frees_hours(mode):
            self.mapped("emergency_ticket_id").sudo()._emergency_make_invoices_safely()

    def _emergency_settle_by_credit_note(self, reason):
        """A credit note of the whole residual of this open invoice, posted
        and reconciled with it (Odoo's 'Cancel' credit note, which needs no
        journal that allows cancelling entries): nothing is left to pay."""
        self.ensure_one()
        wizard = self.env["account.invoice.refund"].with_context(
            active_ids=self.ids, active_id=self.id, active_model=self._name).create({
                "filter_refund": rules.REFUND_CANCEL,
                "description": reason,
            })
        wizard.compute_refund(mode=rules.REFUND_CANCEL)
        return self.search([("refund_invoice_id", "=", self.id),
                            ("type", "=", "out_refund")], order="id desc", limit=1)

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

    def _emergency_later(self, description):
        """``with_delay()`` for the work after the accountant's click (see
        the ticket's ``_emergency_later``)."""
        return self.with_context(
            mail_create_nolog=True, mail_create_nosubscribe=True,
        ).with_delay(description=description)

    @job(default_channel="root")
    def _emergency_announce_opening(self):
        """The job of ``_emergency_guarantee_paid``, after the click that
        registered the payment: the invoice and its payment say that they
        opened the service, and the lead expert is told (R13). The chatter
        messages and the mail were half of the payment's registration."""
        for invoice in self.sudo():
            ticket = invoice.emergency_ticket_id
            body = _("This payment opened the service of %(ticket)s: "
                     "%(expert)s, the lead expert, restores it.") % {
                         "ticket": ticket.number,
                         "expert": ticket.lead_expert_id.name or "-"}
            invoice.message_post(body=body)
            invoice.payment_move_line_ids.mapped("payment_id").message_post(body=body)
            ticket._emergency_notify_lead_expert(invoice)

    def _emergency_guarantee_paid(self):
        """The guarantee is paid: the service opens at once with the
        payment's date (in the accountant's click); the invoice and the
        payment say so and the lead expert is notified after it (a job); a
        payment for an emergency that no longer waits for it opens nothing
        and says so."""
        for invoice in self:
            ticket = invoice.emergency_ticket_id.sudo()
            paid_on = invoice._emergency_payment_date()
            if ticket.emergency_phase == core.AWAITING_GUARANTEE:
                ticket._emergency_open_service(guarantee_paid=paid_on)
                invoice._emergency_later(_("Opening of %s announced") % ticket.number
                                         )._emergency_announce_opening()
            else:
                labels = dict(ticket._fields["emergency_phase"]._description_selection(
                    ticket.env))
                ticket.message_post(body=_(
                    "The guarantee invoice %(invoice)s was paid on %(date)s, "
                    "but the emergency is %(phase)s: the service does not "
                    "open. Refund the client or credit the payment.") % {
                        "invoice": invoice.number, "date": paid_on[:10],
                        "phase": labels.get(ticket.emergency_phase, "-")})
