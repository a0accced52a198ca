# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
"""The invoices of an emergency on its ticket: what is made, what waits and
for whom, and the steps of the workflow that make them. The building of the
invoices lives in ``helpdesk_ticket_invoice.py``."""
import logging

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

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
        """The invoices the technical report lists (not the cancelled)."""
        self.ensure_one()
        return self.sudo().emergency_invoice_ids.filtered(
            lambda inv: inv.state != "cancel" and inv.emergency_kind).sorted("id")

    # ------------------------------------------------------------------
    # steps of the workflow that make invoices
    # ------------------------------------------------------------------

    @api.multi
    def emergency_accept_proposal(self, accepted_by=None, accept_default_nda=False):
        """The client accepted: a guarantee that is due is invoiced (R11)."""
        result = super().emergency_accept_proposal(
            accepted_by=accepted_by, accept_default_nda=accept_default_nda)
        self.sudo()._emergency_make_invoices()
        return result

    def _emergency_milestone(self, phase):
        """Normalization reached: its invoice (2); closure: the mitigation
        invoice (3); or they wait (R18). Before the technical report is
        issued, so that it lists them."""
        result = super()._emergency_milestone(phase)
        self.sudo()._emergency_write({"emergency_invoice_auto": True})
        self.sudo()._emergency_make_invoices()
        return result

    @api.multi
    def action_emergency_waive_guarantee(self):
        """R12: a waived guarantee is not billed: its unpaid invoice goes."""
        result = super().action_emergency_waive_guarantee()
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
        """Cancel the unpaid draft guarantee invoices; a validated one is left
        to the accountant, told why on the invoice and the ticket."""
        invoices = self.mapped("emergency_invoice_ids").filtered(
            lambda inv: inv.emergency_kind == rules.GUARANTEE)
        invoices.filtered(lambda inv: inv.state == "draft").action_invoice_cancel()
        for invoice in invoices.filtered(lambda inv: inv.state == "open"):
            body = _("The guarantee invoice %(invoice)s is no longer due: "
                     "%(reason)s. Cancel it or issue a credit note.") % {
                         "invoice": invoice.number, "reason": reason}
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
    def _cron_emergency_invoices(self, company_ids=None):
        """Make every invoice that is due (retries of failed attempts): each
        emergency in its own savepoint; a failure is logged and retried next
        time (a warning when the accounting is not configured yet)."""
        domain = [("is_emergency", "=", True),
                  ("emergency_phase", "in", [core.AWAITING_GUARANTEE, core.MITIGATION,
                                             core.CLOSED])]
        if company_ids is not None:
            domain.append(("company_id", "in", company_ids))
        for ticket in self.sudo().search(domain):
            try:
                with self.env.cr.savepoint():
                    ticket._emergency_make_invoices()
            except UserError as error:
                _logger.warning("%s: its invoices could not be made: %s",
                                ticket.number, error.name)
            except Exception:  # pylint: disable=broad-except
                _logger.exception("%s: its invoices could not be made", ticket.number)
        return True
