# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
"""From the proposal to the closure: the plan and the guarantee (R3,
R11-R13), the client's acceptance (R6), the service (R13, R14), the
normalization and the closure (R16, R18, R20)."""
from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.http import request

from .. import rules


# one model split by concern (STYLE.md): pylint: disable=consider-merging-classes-inherited
class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    plan_agreement_id = fields.Many2one(
        comodel_name="emergency.plan.agreement",
        string="Monthly plan", readonly=True, copy=False,
        help="The client's monthly plan covering the area at the request "
             "date: no guarantee, its rates apply.", index=True)
    guarantee_hours = fields.Integer(
        related="current_evaluation_id.guarantee_hours", readonly=True,
        store=True)
    guarantee_policy = fields.Selection(
        selection=[(rules.CHARGED, "Charged (non-refundable)"),
                   (rules.CREDITED, "Credited against the fees"),
                   (rules.WAIVED, "Waived")],
        default=rules.CHARGED,
        required=True,
        readonly=True,
        copy=False,
        track_visibility="onchange",
    )
    guarantee_decided_by_id = fields.Many2one(
        comodel_name="res.users", string="Guarantee decided by",
        readonly=True, copy=False, index=True)
    guarantee_decided_date = fields.Datetime(
        string="Guarantee decided on", readonly=True, copy=False)
    guarantee_required = fields.Boolean(
        compute="_compute_guarantee_required", store=True)
    guarantee_amount = fields.Monetary(
        compute="_compute_guarantee_amount",
        help="Guarantee hours at the Express list rate.")
    guarantee_paid_date = fields.Datetime(
        string="Guarantee paid on", readonly=True, copy=False)
    currency_id = fields.Many2one(
        related="company_id.currency_id", readonly=True)
    accepted_by_id = fields.Many2one(
        comodel_name="res.partner", string="Accepted by", readonly=True,
        copy=False, index=True)
    accepted_date = fields.Datetime(
        string="Accepted on", readonly=True, copy=False)
    nda_acceptance_id = fields.Many2one(
        comodel_name="emergency.nda.acceptance", string="NDA",
        readonly=True, copy=False, index=True)
    lead_expert_id = fields.Many2one(
        comodel_name="res.users", string="Lead expert",
        track_visibility="onchange", copy=False,
        help="Responsible for restoring the service (R13).", index=True)
    service_opened_date = fields.Datetime(
        string="Service opened on", readonly=True, copy=False)
    normalization_date = fields.Datetime(
        string="Normalized on", readonly=True, copy=False)
    emergency_closed_date = fields.Datetime(
        string="Emergency closed on", readonly=True, copy=False)
    action_ids = fields.One2many(
        comodel_name="emergency.action",
        inverse_name="ticket_id",
        string="Critical actions",
    )
    actual_emergency_hours = fields.Float(
        string="Actual time in emergency (h)", readonly=True, copy=False,
        help="From the request to the normalization.")

    @api.depends("plan_agreement_id", "guarantee_policy", "is_emergency")
    def _compute_guarantee_required(self):
        for ticket in self:
            ticket.guarantee_required = ticket.is_emergency and rules.guarantee_required(
                bool(ticket.plan_agreement_id), ticket.guarantee_policy)

    @api.depends("guarantee_hours", "company_id.emergency_express_product_id")
    def _compute_guarantee_amount(self):
        for ticket in self:
            # the price alone, not every field of the product and its
            # template (a tenth of the client's emergency page)
            price = ticket.company_id.emergency_express_product_id.with_context(
                prefetch_fields=False).lst_price
            ticket.guarantee_amount = ticket.guarantee_hours * price

    # ------------------------------------------------------------------
    # acceptance and service
    # ------------------------------------------------------------------

    @api.multi
    def emergency_accept_proposal(self, accepted_by=None, accept_default_nda=False):
        """The client accepts the proposal (R6). An RPC endpoint: it checks
        who calls it.

        * the client's own user accepts in its own name; with
          ``accept_default_nda`` it accepts the company's default NDA, and
          the acceptance records its user (and the IP, when there is a web
          request);
        * a helpdesk specialist records the acceptance the client gave
          (phone, e-mail), by ``accepted_by`` (a person of the client, a
          record or an id; default: the ticket's contact). The client must
          have an NDA in force: staff never accept the default NDA in the
          client's name; an NDA signed elsewhere is recorded first, with its
          document (NDA acceptances);
        * the superuser (demo data, data corrections) may do both.

        Then the ticket waits for the guarantee, or, with a plan or a waived
        guarantee, the service opens at once."""
        if isinstance(accepted_by, int):  # an id, over the API
            accepted_by = self.env["res.partner"].browse(accepted_by)
        if self.env.uid == SUPERUSER_ID:
            return self._emergency_accept(accepted_by, accept_default_nda)
        user = self.env.user
        if user.share:  # the client, on the portal or over the API
            self.check_access_rights("read")
            self.check_access_rule("read")
            if accepted_by and accepted_by != user.partner_id:
                raise AccessError(_(
                    "You accept in your own name only."))
            address = request.httprequest.remote_addr if request else None
            return self.sudo()._emergency_accept(
                user.partner_id.sudo(), accept_default_nda, user, address)
        if accept_default_nda:
            raise AccessError(_(
                "Only the client's own user accepts the company's NDA, online "
                "on the portal. An NDA the client signed elsewhere is recorded "
                "in NDA acceptances with its signed document attached; then "
                "record the acceptance of the proposal."))
        self._emergency_check_specialist()
        return self._emergency_accept(accepted_by)

    def _emergency_accept(self, accepted_by=None, accept_default_nda=False,
                          user=None, ip_address=None):
        """The acceptance itself, once ``emergency_accept_proposal`` has
        checked who asks; the default NDA, when asked and none is in force,
        is accepted by ``accepted_by`` as ``user`` from ``ip_address``."""
        now = fields.Datetime.now()
        for ticket in self:
            person = accepted_by or ticket.partner_id
            client = ticket.partner_id.commercial_partner_id
            if person.commercial_partner_id != client:
                raise UserError(_(
                    "%(person)s cannot accept for %(client)s: only a person of "
                    "the client can.") % {"person": person.name,
                                          "client": client.name})
            ticket._emergency_check_transition(rules.ACCEPTED)
            evaluation = ticket.current_evaluation_id
            if (evaluation.client_id != client
                    or evaluation.service_area_id != ticket.service_area_id):
                raise UserError(_(
                    "The proposal of %s was made for another client or service "
                    "area: evaluate the emergency again.") % ticket.number)
            nda = client._emergency_nda_in_force(
                now, ticket._emergency_company_date(now))
            if not nda and accept_default_nda:
                nda = ticket._emergency_accept_default_nda(person, user, ip_address)
            if not nda:
                raise UserError(_(
                    "%s has no confidentiality agreement (NDA) in force: the "
                    "client must accept the NDA before the proposal can be "
                    "accepted and any work starts.") % client.name)
            ticket._emergency_set_phase(rules.ACCEPTED, {
                "accepted_by_id": person.id,
                "accepted_date": now,
                "nda_acceptance_id": nda.id,
            }, moment=now)
            if ticket.guarantee_required:
                ticket._emergency_set_phase(rules.AWAITING_GUARANTEE, moment=now)
            else:
                ticket._emergency_open_service()
        return True

    def _emergency_accept_default_nda(self, person, user=None, ip_address=None):
        """``person`` accepts the company's default NDA for the client: the
        acceptance belongs to the ticket's company; online, the portal
        ``user`` and the ``ip_address`` are recorded too (R6)."""
        self.ensure_one()
        default_nda = self.company_id.emergency_nda_id
        if not default_nda:
            raise UserError(_(
                "No default NDA is configured: a manager sets it in "
                "Helpdesk > Configuration > Emergency settings."))
        return self.env["emergency.nda.acceptance"].sudo().create({
            "partner_id": self.partner_id.commercial_partner_id.id,
            "kind": "default",
            "nda_id": default_nda.id,
            "accepted_by_id": person.id,
            "company_id": self.company_id.id,
            "user_id": user.id if user else False,
            "ip_address": ip_address,
        })

    def _emergency_portal_accept(self, user, accept_nda):
        """The client accepts the proposal on the portal, as ``user``; the
        default NDA, when none is in force, with the IP of the request."""
        self.ensure_one()
        person = user.partner_id
        client = self.partner_id.commercial_partner_id
        if person.commercial_partner_id != client:
            raise UserError(_("Only a person of %s can accept this proposal.")
                            % client.name)
        now = fields.Datetime.now()
        if not client._emergency_nda_in_force(now, self._emergency_company_date(now)):
            if not accept_nda:
                raise UserError(_(
                    "Read and accept the confidentiality agreement (NDA) "
                    "first: no work starts without it."))
        return self.sudo(user).emergency_accept_proposal(
            accept_default_nda=bool(accept_nda))

    @api.multi
    def action_emergency_accept(self):
        """Staff records the acceptance the client gave (phone, e-mail)."""
        self._emergency_check_specialist()
        return self.emergency_accept_proposal()

    @api.multi
    def _emergency_open_service(self, lead_expert=None, guarantee_paid=False):
        """The service opens (R13): the guarantee is paid, waived or not
        required. Extension point: the invoice addon calls it when the
        guarantee invoice is paid. Private (not callable over RPC): nobody
        opens a service that waits for its guarantee by hand; a specialist
        waives the guarantee instead. Assigns the lead expert and starts the
        normalization; ``guarantee_paid`` records the payment (its date)."""
        for ticket in self:
            if ticket.emergency_phase not in (rules.ACCEPTED, rules.AWAITING_GUARANTEE):
                raise UserError(_(
                    "The service of %s can only open once the client has "
                    "accepted the proposal.") % ticket.number)
            expert = (lead_expert or ticket.lead_expert_id or ticket.user_id
                      or ticket.current_evaluation_id.user_id)
            now = fields.Datetime.now()
            vals = {
                "lead_expert_id": expert.id,
                "service_opened_date": now,
            }
            if not ticket.user_id:
                vals["user_id"] = expert.id
            if guarantee_paid:
                vals["guarantee_paid_date"] = (
                    guarantee_paid if isinstance(guarantee_paid, str) else now)
            ticket._emergency_set_phase(rules.NORMALIZATION, vals, moment=now)
        self._emergency_send_mail("emergency_support.mail_template_service_opened")
        self._emergency_prepare_report()
        return True

    # ------------------------------------------------------------------
    # guarantee (R12)
    # ------------------------------------------------------------------

    def _emergency_decide_guarantee(self, policy, reason=None):
        self._emergency_check_specialist()
        messages = {
            "plan": _("%s is covered by a monthly plan: no guarantee is asked."),
            "finished": _("%s is finished: its guarantee is settled."),
            "same": _("The guarantee of %s is already so."),
            "waived": _("The guarantee of %s was waived: a waiver is final."),
            "paid": _("The guarantee of %s is already paid and is not "
                      "refundable: credit it against the fees instead."),
            "opened": _("The service of %s opened with this guarantee: it can "
                        "no longer be waived."),
            "normalized": _("Normalization of %s is reached: the guarantee was "
                            "settled on the normalization invoice."),
        }
        for ticket in self:
            refusal = "finished" if not ticket.is_emergency else \
                rules.guarantee_change_refusal(
                    ticket.guarantee_policy, policy, ticket.emergency_phase,
                    bool(ticket.plan_agreement_id),
                    bool(ticket.guarantee_paid_date))
            if refusal:
                raise UserError(messages[refusal] % ticket.number)
        self._emergency_write({
            "guarantee_policy": policy,
            "guarantee_decided_by_id": self.env.uid,
            "guarantee_decided_date": fields.Datetime.now(),
        })
        labels = dict(self._fields["guarantee_policy"]._description_selection(self.env))
        body = _("Guarantee: %(policy)s, decided by %(user)s. Reason: %(reason)s") % {
            "policy": labels[policy], "user": self.env.user.name,
            "reason": (reason or "").strip() or _("none given")}
        for ticket in self:
            ticket.sudo().message_post(body=body, subtype="mail.mt_note",
                                       author_id=self.env.user.partner_id.id)

    def _emergency_guarantee_reason(self, options):
        """The ``reason`` keyword of the guarantee buttons (R12). They take
        keywords only: Odoo 11's web client calls a button's method with the
        button's context as the first positional argument after the ids, and
        ``split_context`` hands it to a ``reason=None`` parameter (the
        context dict taken for the reason). ``**options`` keeps the positional
        slot for the context and ``reason=`` for the wizard and XML-RPC."""
        unknown = set(options) - {"reason"}
        if unknown:
            raise TypeError("unexpected arguments: %s" % ", ".join(sorted(unknown)))
        return options.get("reason")

    def _emergency_guarantee_dialog(self, policy):
        """The guarantee buttons (``emergency_ask_reason`` in their context)
        open a dialog that asks for confirmation and a reason."""
        self._emergency_check_specialist()
        action = self.env.ref(
            "emergency_support.emergency_guarantee_decision_action").read()[0]
        action["context"] = {"default_ticket_ids": [(6, 0, self.ids)],
                             "default_policy": policy}
        return action

    @api.multi
    def action_emergency_waive_guarantee(self, **options):
        """R12: the specialist waives the guarantee (``reason``: why, posted
        in the chatter); a ticket waiting for it opens its service at once."""
        reason = self._emergency_guarantee_reason(options)
        if reason is None and self.env.context.get("emergency_ask_reason"):
            return self._emergency_guarantee_dialog(rules.WAIVED)
        self._emergency_decide_guarantee(rules.WAIVED, reason)
        waiting = self.filtered(
            lambda t: t.emergency_phase == rules.AWAITING_GUARANTEE)
        if waiting:
            waiting._emergency_open_service()
        return True

    @api.multi
    def action_emergency_credit_guarantee(self, **options):
        """R12: the paid guarantee is credited against the fees."""
        reason = self._emergency_guarantee_reason(options)
        if reason is None and self.env.context.get("emergency_ask_reason"):
            return self._emergency_guarantee_dialog(rules.CREDITED)
        self._emergency_decide_guarantee(rules.CREDITED, reason)
        return True

    @api.multi
    def action_emergency_charge_guarantee(self, **options):
        """R12: the guarantee is charged as non-refundable compensation."""
        reason = self._emergency_guarantee_reason(options)
        if reason is None and self.env.context.get("emergency_ask_reason"):
            return self._emergency_guarantee_dialog(rules.CHARGED)
        self._emergency_decide_guarantee(rules.CHARGED, reason)
        return True

    # ------------------------------------------------------------------
    # normalization, closure, cancellation
    # ------------------------------------------------------------------

    @api.multi
    def action_emergency_normalized(self):
        """Normalization reached: every criterion of the desired scenario is
        confirmed. Mitigation starts; the partial technical report is issued."""
        self._emergency_check_specialist()
        for ticket in self:
            if not ticket.criterion_ids:
                raise UserError(_(
                    "%s has no normalization criteria: record the desired "
                    "normal scenario's criteria and confirm them first.")
                    % ticket.number)
            pending = ticket.criterion_ids.filtered(lambda c: not c.confirmed)
            if pending:
                raise UserError(_(
                    "Normalization is not confirmed for %(ticket)s: these "
                    "criteria are still open: %(criteria)s.") % {
                        "ticket": ticket.number,
                        "criteria": ", ".join(pending.mapped("name"))})
        now = fields.Datetime.now()
        for ticket in self:
            ticket._emergency_set_phase(rules.MITIGATION, {
                "normalization_date": now,
                "actual_emergency_hours": rules.response_minutes(
                    fields.Datetime.from_string(ticket.request_date),
                    fields.Datetime.from_string(now)) / 60.0,
            }, moment=now)
        self._emergency_milestone(rules.MITIGATION)
        self._emergency_send_mail(
            "emergency_support.mail_template_normalization_reached")
        self._emergency_attach_report("partial")
        return True

    def _emergency_milestone(self, phase):
        """Extension point: normalization (``phase`` is then mitigation) or
        the closure was just reached, before the client is told and the
        technical report is issued (the invoice addon makes its invoice
        here, so that the report lists it)."""
        return True

    @api.multi
    def action_emergency_close(self):
        """Total closure: the causes are mitigated; the final report is issued."""
        self._emergency_check_specialist()
        now = fields.Datetime.now()
        self._emergency_set_phase(rules.CLOSED, {"emergency_closed_date": now}, moment=now)
        self._emergency_milestone(rules.CLOSED)
        self._emergency_send_mail("emergency_support.mail_template_closure")
        self._emergency_attach_report("final")
        return True

    @api.multi
    def action_emergency_cancel(self):
        """Cancel before the work starts."""
        self._emergency_check_specialist()
        for ticket in self:
            if ticket.emergency_phase not in rules.BEFORE_WORK_PHASES:
                raise UserError(_(
                    "%s cannot be cancelled: the work has started. Close it "
                    "instead.") % ticket.number)
        self._emergency_set_phase(rules.CANCELLED)
        return True
