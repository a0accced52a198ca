# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
"""The invoices of an emergency on its ticket: what is made, what waits and
for whom, and the steps of the workflow that make them. The building of the
invoices lives in ``helpdesk_ticket_invoice.py``."""
import logging

from psycopg2 import OperationalError

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.service.model import PG_CONCURRENCY_ERRORS_TO_RETRY

from odoo.addons.emergency_support import rules as core
from odoo.addons.emergency_support_timesheet import rules as time_rules

from .. import rules

_logger = logging.getLogger(__name__)


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    emergency_invoice_ids = fields.One2many(
        comodel_name="account.invoice",
        inverse_name="emergency_ticket_id",
        string="Invoices",
        readonly=True,
    )
    emergency_invoice_auto = fields.Boolean(
        string="Invoiced at approval", readonly=True, copy=False,
        help="Set when the emergency reached normalization or closure through "
             "its own steps: from then on, each approval of its time makes "
             "the invoices due at once. Other emergencies (phases set by a "
             "migration, addon installed later) are invoiced by the button or "
             "the hourly scheduled action.")
    emergency_invoice_count = fields.Integer(
        string="Invoices", compute="_compute_emergency_invoice_count")
    emergency_can_make_invoices = fields.Boolean(
        string="Invoices may be due",
        compute="_compute_emergency_can_make_invoices",
        help="The phase has an invoice: the guarantee, normalization or "
             "mitigation one.")
    emergency_invoice_waiting = fields.Text(
        string="Invoices waiting", compute="_compute_emergency_invoice_waiting",
        help="The invoices that wait for daily cut-offs to be approved, and "
             "who each cut-off waits for.")

    @api.model
    def _emergency_protected_fields(self):
        return super()._emergency_protected_fields() | {"emergency_invoice_auto"}

    @api.depends("is_emergency", "emergency_phase")
    def _compute_emergency_can_make_invoices(self):
        phases = (core.AWAITING_GUARANTEE, core.MITIGATION, core.CLOSED)
        for ticket in self:
            ticket.emergency_can_make_invoices = (
                ticket.is_emergency and ticket.emergency_phase in phases)

    def _compute_emergency_invoice_count(self):
        counts = {}
        if self.ids:
            groups = self.env["account.invoice"].sudo().read_group(
                [("emergency_ticket_id", "in", self.ids)],
                ["emergency_ticket_id"], ["emergency_ticket_id"])
            counts = {group["emergency_ticket_id"][0]: group["emergency_ticket_id_count"]
                      for group in groups}
        for ticket in self:
            ticket.emergency_invoice_count = counts.get(ticket.id, 0)

    def _compute_emergency_invoice_waiting(self):
        for ticket in self:
            ticket.emergency_invoice_waiting = (
                ticket._emergency_invoice_waiting_text() if ticket.is_emergency
                and ticket.id else False)

    # ------------------------------------------------------------------
    # the state of the invoicing
    # ------------------------------------------------------------------

    def _emergency_invoice_status(self):
        """What is invoiced and what is not, for this emergency (two queries):
        ``{'kinds': kinds made, 'sequences': supplement numbers,
        'pending': {phase: {cut-off id or None: its state}},
        'billable': phases with approved time not invoiced}``."""
        self.ensure_one()
        cr = self.env.cr
        cr.execute("""
            SELECT emergency_kind, emergency_sequence
              FROM account_invoice
             WHERE emergency_ticket_id = %s AND emergency_kind IS NOT NULL
               AND state <> 'cancel'""", (self.id,))
        rows = cr.fetchall()
        status = {"kinds": {row[0] for row in rows},
                  "sequences": [row[1] for row in rows if row[0] == rules.SUPPLEMENT],
                  "pending": {}, "billable": set()}
        cr.execute("""
            SELECT l.emergency_phase, c.id, c.state,
                   l.emergency_invoice_line_id IS NOT NULL
              FROM account_analytic_line l
         LEFT JOIN emergency_timesheet_cutoff c ON c.id = l.emergency_cutoff_id
             WHERE l.ticket_id = %s
          GROUP BY 1, 2, 3, 4""", (self.id,))
        for phase, cutoff_id, state, invoiced in cr.fetchall():
            if state != time_rules.APPROVED:
                status["pending"].setdefault(phase, {})[cutoff_id] = state
            elif not invoiced:
                status["billable"].add(phase)
        return status

    def _emergency_invoice_waiting_text(self):
        """Which invoice waits, for which cut-offs, and for whom (R15)."""
        self.ensure_one()
        status = self._emergency_invoice_status()
        waiting = rules.invoices_waiting(
            self.emergency_phase, status["kinds"], set(status["pending"]))
        if not waiting:
            return False
        kinds = dict(self.env["account.invoice"]._fields[
            "emergency_kind"]._description_selection(self.env))
        Cutoff = self.env["emergency.timesheet.cutoff"].sudo()
        texts = []
        for kind in waiting:
            cutoffs = status["pending"][rules.PHASE_OF_KIND[kind]]
            reasons = []
            for cutoff in Cutoff.browse(sorted(c for c in cutoffs if c)):
                reasons.append("%s: %s" % (cutoff.name, self._emergency_cutoff_waits_for(cutoff)))
            if None in cutoffs:
                reasons.append(_("time not yet in a daily cut-off: the team "
                                 "(you) makes and submits it with 'Make the "
                                 "daily cut-offs now'"))
            texts.append(_("The %(kind)s invoice waits for %(reasons)s.") % {
                "kind": kinds[kind].lower(), "reasons": "; ".join(reasons)})
        return "\n".join(texts)

    @api.model
    def _emergency_cutoff_waits_for(self, cutoff):
        if cutoff.state == time_rules.DRAFT:
            return _("the team submits it to the client: yours to do")
        if cutoff.state == time_rules.DISPUTED:
            return _("the team corrects the disputed lines: yours to do")
        if cutoff.state == time_rules.CORRECTED:
            return _("the client approves its correction")
        if not cutoff.staff_approved_date and not cutoff.client_approved_date:
            return _("the team's approval, yours: open the cut-off and click "
                     "'Approve (staff)'; then the client's on the portal")
        if not cutoff.staff_approved_date:
            return _("the team's approval, yours (the client already "
                     "approved): open the cut-off and click 'Approve (staff)'")
        return _("the client's approval on the portal")

    @api.multi
    def _emergency_report_invoices(self):
        """THE rule of what the client sees of this emergency's invoices,
        used by the technical report and by the portal page alike: the
        issued ones (open or paid); drafts are the accountant's work in
        progress, cancelled ones were never due."""
        self.ensure_one()
        return self.sudo().emergency_invoice_ids.filtered(
            lambda inv: inv.emergency_kind and inv.state in ("open", "paid")
        ).sorted("id")

    # ------------------------------------------------------------------
    # steps of the workflow that make invoices
    # ------------------------------------------------------------------

    @api.multi
    def emergency_accept_proposal(self, accepted_by=None, accept_default_nda=False):
        """The client accepted: a guarantee that is due is invoiced (R11)."""
        result = super().emergency_accept_proposal(
            accepted_by=accepted_by, accept_default_nda=accept_default_nda)
        self.sudo()._emergency_make_invoices_safely()
        return result

    def _emergency_milestone(self, phase):
        """Normalization reached: its invoice (2); closure: the mitigation
        invoice (3); or they wait (R18). Before the technical report is
        issued, so that it lists them."""
        result = super()._emergency_milestone(phase)
        self.sudo()._emergency_write({"emergency_invoice_auto": True})
        self.sudo()._emergency_make_invoices_safely()
        return result

    def _emergency_make_invoices_safely(self):
        """Make the invoices due after a user's step, without ever losing
        the step: each emergency in a savepoint; a failure is posted on the
        emergency with an activity for the accountants, and the hourly
        scheduled action tries again. A collision with another worker
        (serialization failure) is raised: Odoo retries the whole step."""
        invoices = self.env["account.invoice"]
        for ticket in self.filtered("is_emergency"):
            try:
                with self.env.cr.savepoint():
                    invoices |= ticket._emergency_make_invoices()
            except OperationalError as error:
                if error.pgcode in PG_CONCURRENCY_ERRORS_TO_RETRY:
                    raise
                ticket._emergency_invoicing_failed(error)
            except Exception as error:  # pylint: disable=broad-except
                ticket._emergency_invoicing_failed(error)
        return invoices

    def _emergency_invoicing_failed(self, error):
        """The invoices of this emergency could not be made: say so on the
        emergency, with an activity for the accountants."""
        self.ensure_one()
        text = getattr(error, "name", None) or str(error) or repr(error)
        if isinstance(error, (UserError, ValidationError)):
            _logger.warning("%s: its invoices could not be made: %s", self.number, text)
        else:
            _logger.exception("%s: its invoices could not be made", self.number)
        body = _("The invoices of %(ticket)s could not be made: %(error)s. The "
                 "step was kept; the invoices are tried again every hour, or "
                 "with the button 'Make due invoices' once this is fixed.") % {
                     "ticket": self.number, "error": text}
        self.message_post(body=body, subtype="mail.mt_note")
        accountants = self.env.ref("account.group_account_invoice").users.filtered(
            lambda u: not u.share and (not self.company_id
                                       or self.company_id in u.company_ids))
        self.env["mail.activity"]._emergency_create_batch(
            self, accountants, _("Invoices not made"), lambda ticket: body)

    @api.multi
    def action_emergency_waive_guarantee(self, **options):
        """R12: a waived guarantee is not billed: its invoice goes (a draft
        is cancelled, an issued one credited or cancelled). Keywords only
        (``reason``): see ``_emergency_guarantee_reason``."""
        result = super().action_emergency_waive_guarantee(**options)
        if isinstance(result, dict):
            return result  # the dialog asks for the reason first
        self.sudo()._emergency_withdraw_guarantee_invoice(
            _("the guarantee was waived"))
        return result

    @api.multi
    def action_emergency_cancel(self):
        result = super().action_emergency_cancel()
        self.sudo()._emergency_withdraw_guarantee_invoice(
            _("the emergency was cancelled"))
        return result

    def _emergency_withdraw_guarantee_invoice(self, reason):
        """Nothing stays open or payable of a guarantee that is no longer
        due: a draft is cancelled; an issued, unpaid one is cancelled when
        its journal allows cancelling entries, else settled by a credit note
        of its whole amount, posted and reconciled with it. The invoice and
        the emergency say why."""
        invoices = self.mapped("emergency_invoice_ids").filtered(
            lambda inv: inv.emergency_kind == rules.GUARANTEE)
        invoices.filtered(lambda inv: inv.state == "draft").action_invoice_cancel()
        for invoice in invoices.filtered(lambda inv: inv.state == "open"):
            values = {"invoice": invoice.number, "reason": reason}
            if invoice.journal_id.update_posted and not invoice.payment_move_line_ids:
                invoice.action_invoice_cancel()
                body = _("The guarantee invoice %(invoice)s is no longer due: "
                         "%(reason)s. It was cancelled.") % values
            else:
                values["refund"] = invoice._emergency_settle_by_credit_note(reason).number
                body = _("The guarantee invoice %(invoice)s is no longer due: "
                         "%(reason)s. Credit note %(refund)s settles it: "
                         "nothing is left to pay.") % values
            invoice.message_post(body=body)
            invoice.emergency_ticket_id.message_post(body=body)

    # ------------------------------------------------------------------
    # buttons and scheduled action
    # ------------------------------------------------------------------

    def _emergency_check_invoicing_user(self):
        user = self.env.user
        if not (user.has_group("helpdesk_mgmt.group_helpdesk_user")
                or user.has_group("account.group_account_invoice")):
            raise AccessError(_(
                "Only helpdesk specialists and accountants make the invoices "
                "of an emergency."))

    @api.multi
    def action_emergency_make_invoices(self):
        """Make the invoices that are due now (idempotent)."""
        self._emergency_check_invoicing_user()
        self.check_access_rule("read")
        invoices = self.sudo()._emergency_make_invoices()
        if not invoices or not self.env.user.has_group("account.group_account_invoice"):
            return True
        return self.action_view_emergency_invoices()

    @api.multi
    def action_view_emergency_invoices(self):
        self.ensure_one()
        action = self.env.ref("account.action_invoice_tree1").read()[0]
        action["domain"] = [("emergency_ticket_id", "=", self.id)]
        action["context"] = {"default_type": "out_invoice", "type": "out_invoice"}
        return action

    @api.model
    def _emergency_ids_with_invoices_due(self, company_ids=None):
        """The emergencies that may have an invoice to make, found in SQL
        (one query whose cost follows what is due, not the history): a
        guarantee not invoiced yet, or approved time of a billed phase not
        invoiced yet (the partial index of ``account.analytic.line`` holds
        only the time not invoiced)."""
        query = """
            SELECT t.id FROM helpdesk_ticket t
             WHERE t.is_emergency AND t.emergency_phase = %(awaiting)s
               AND t.guarantee_required AND NOT EXISTS (
                   SELECT 1 FROM account_invoice i
                    WHERE i.emergency_ticket_id = t.id AND i.state <> 'cancel'
                      AND i.emergency_kind = %(guarantee)s)
            UNION
            SELECT DISTINCT l.ticket_id FROM account_analytic_line l
              JOIN emergency_timesheet_cutoff c ON c.id = l.emergency_cutoff_id
              JOIN helpdesk_ticket t ON t.id = l.ticket_id
             WHERE l.emergency_invoice_line_id IS NULL
               AND l.emergency_cutoff_id IS NOT NULL
               AND l.emergency_phase IN %(billed)s AND c.state = %(approved)s
               AND t.emergency_phase IN %(after)s"""
        params = {"awaiting": core.AWAITING_GUARANTEE, "guarantee": rules.GUARANTEE,
                  "billed": tuple(rules.PHASE_OF_KIND.values()),
                  "approved": time_rules.APPROVED,
                  "after": (core.MITIGATION, core.CLOSED)}
        if company_ids is not None:
            query = "SELECT id FROM (%s) due JOIN helpdesk_ticket USING (id) " \
                    "WHERE company_id IN %%(companies)s" % query
            params["companies"] = tuple(company_ids) or (0,)
        self.env.cr.execute(query + " ORDER BY 1", params)
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _cron_emergency_invoices(self, company_ids=None):
        """Make every invoice that is due (the backstop of the steps that
        make them): only the emergencies with something due, each in its own
        savepoint; a failure is logged and retried next time (a warning when
        the accounting is not configured yet), the others go on."""
        tickets = self.sudo().browse(self._emergency_ids_with_invoices_due(company_ids))
        for ticket in tickets:
            try:
                with self.env.cr.savepoint():
                    ticket._emergency_make_invoices()
            except UserError as error:
                _logger.warning("%s: its invoices could not be made: %s",
                                ticket.number, error.name)
            except Exception:  # pylint: disable=broad-except
                _logger.exception("%s: its invoices could not be made", ticket.number)
        return True
