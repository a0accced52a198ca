# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
import base64
import logging
from email.utils import formataddr

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .. import rules
from .emergency_phase_history import PHASE_SELECTION


_logger = logging.getLogger(__name__)

#: set only by the emergency's own steps (evaluation, acceptance, guarantee,
#: phases), never by a plain write: an out-of-order change is refused
WORKFLOW_FIELDS = frozenset((
    "is_emergency", "emergency_phase", "request_date", "evaluation_deadline",
    "evaluation_alert_sent", "evaluation_date", "evaluation_response_minutes",
    "evaluation_on_time", "current_evaluation_id", "plan_agreement_id",
    "guarantee_policy", "guarantee_decided_by_id", "guarantee_decided_date",
    "guarantee_paid_date", "accepted_by_id", "accepted_date",
    "nda_acceptance_id", "service_opened_date", "normalization_date",
    "emergency_closed_date", "actual_emergency_hours",
))

PHASES_BEFORE_WORK = (rules.EVALUATION, rules.PROPOSED, rules.ACCEPTED,
                      rules.AWAITING_GUARANTEE)


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    is_emergency = fields.Boolean(
        string="Emergency", index=True, readonly=True, copy=False,
        help="Handled under the Express / Emergency support plan.")
    emergency_phase = fields.Selection(
        selection=PHASE_SELECTION,
        string="Phase",
        index=True,
        readonly=True,
        copy=False,
        track_visibility="onchange",
    )
    # --- intake (R5-R8) ---
    request_date = fields.Datetime(
        string="Requested on", readonly=True, copy=False,
        help="When the client asked for help: the evaluation clock starts.")
    service_area_id = fields.Many2one(
        comodel_name="emergency.service.area",
        string="Service area",
        track_visibility="onchange",
    )
    emergency_product_ids = fields.Many2many(
        comodel_name="emergency.supported.product",
        relation="helpdesk_ticket_emergency_product_rel",
        column1="ticket_id",
        column2="product_id",
        string="Affected products",
    )
    products_supported = fields.Boolean(
        string="All products supported",
        compute="_compute_products_supported",
        help="Every affected product is in the company's catalogue (R5).",
    )
    emergency_facts = fields.Text(string="Facts")
    available_people = fields.Text(
        string="People available",
        help="The client's people available for questions and for the "
             "evaluation (R8).")
    desired_scenario = fields.Text(
        string="Desired normal scenario",
        help="How the client will know the situation is normal again (R8).")
    criterion_ids = fields.One2many(
        comodel_name="emergency.criterion",
        inverse_name="ticket_id",
        string="Normalization criteria",
    )
    nda_in_force = fields.Boolean(
        related="partner_id.commercial_partner_id.emergency_nda_in_force",
        string="NDA in force", readonly=True)
    description_complete = fields.Boolean(
        related="partner_id.commercial_partner_id.emergency_description_complete",
        string="Service description complete", readonly=True)
    # --- evaluation (R9-R10) ---
    evaluation_deadline = fields.Datetime(
        readonly=True, copy=False,
        help="The specialist's answer is due by then (R9): fixed at the "
             "request with the promise then in force.")
    evaluation_overdue = fields.Boolean(
        compute="_compute_evaluation_overdue",
        search="_search_evaluation_overdue",
        help="Not evaluated and past the deadline.")
    evaluation_alert_sent = fields.Boolean(readonly=True, copy=False)
    evaluation_date = fields.Datetime(
        string="Answered on", readonly=True, copy=False)
    evaluation_response_minutes = fields.Float(
        string="Response time (minutes)", readonly=True, copy=False,
        group_operator="avg")
    evaluation_on_time = fields.Boolean(
        string="Answered within the promise", readonly=True, copy=False)
    evaluation_ids = fields.One2many(
        comodel_name="emergency.evaluation",
        inverse_name="ticket_id",
        string="Evaluations",
    )
    current_evaluation_id = fields.Many2one(
        comodel_name="emergency.evaluation",
        string="Current evaluation", readonly=True, copy=False)
    evaluation_verdict = fields.Selection(
        related="current_evaluation_id.verdict", readonly=True)
    estimated_emergency_hours = fields.Float(
        related="current_evaluation_id.estimated_emergency_hours",
        readonly=True, store=True)
    estimated_normalization_hours = fields.Float(
        related="current_evaluation_id.estimated_normalization_hours",
        readonly=True, store=True)
    estimated_mitigation_hours = fields.Float(
        related="current_evaluation_id.estimated_mitigation_hours",
        readonly=True, store=True)
    # --- plan and guarantee (R3, R11-R13) ---
    plan_agreement_id = fields.Many2one(
        comodel_name="emergency.plan.agreement",
        string="Monthly plan", readonly=True, copy=False,
        help="The client's monthly plan covering the area at the request "
             "date: no guarantee, its rates apply.")
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
        readonly=True, copy=False)
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
    # --- acceptance (R6) and service (R13, R14) ---
    accepted_by_id = fields.Many2one(
        comodel_name="res.partner", string="Accepted by", readonly=True,
        copy=False)
    accepted_date = fields.Datetime(
        string="Accepted on", readonly=True, copy=False)
    nda_acceptance_id = fields.Many2one(
        comodel_name="emergency.nda.acceptance", string="NDA",
        readonly=True, copy=False)
    lead_expert_id = fields.Many2one(
        comodel_name="res.users", string="Lead expert",
        track_visibility="onchange", copy=False,
        help="Responsible for restoring the service (R13).")
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
    phase_history_ids = fields.One2many(
        comodel_name="emergency.phase.history",
        inverse_name="ticket_id",
        string="Phase history",
        readonly=True,
    )
    actual_emergency_hours = fields.Float(
        string="Actual time in emergency (h)", readonly=True, copy=False,
        help="From the request to the normalization.")

    # ------------------------------------------------------------------
    # computes
    # ------------------------------------------------------------------

    @api.depends("emergency_product_ids.supported")
    def _compute_products_supported(self):
        for ticket in self:
            ticket.products_supported = bool(ticket.emergency_product_ids) and all(
                ticket.emergency_product_ids.mapped("supported"))

    def _compute_evaluation_overdue(self):
        now = fields.Datetime.now()
        for ticket in self:
            ticket.evaluation_overdue = bool(
                ticket.emergency_phase == rules.EVALUATION
                and ticket.evaluation_deadline
                and ticket.evaluation_deadline < now)

    @api.model
    def _search_evaluation_overdue(self, operator, value):
        overdue = [("emergency_phase", "=", rules.EVALUATION),
                   ("evaluation_deadline", "<", fields.Datetime.now())]
        if (operator == "=") == bool(value):
            return ["&"] + overdue
        return ["!", "&"] + overdue

    @api.depends("plan_agreement_id", "guarantee_policy", "is_emergency")
    def _compute_guarantee_required(self):
        for ticket in self:
            ticket.guarantee_required = ticket.is_emergency and rules.guarantee_required(
                bool(ticket.plan_agreement_id), ticket.guarantee_policy)

    @api.depends("guarantee_hours", "company_id.emergency_express_product_id")
    def _compute_guarantee_amount(self):
        for ticket in self:
            price = ticket.company_id.emergency_express_product_id.lst_price
            ticket.guarantee_amount = ticket.guarantee_hours * price

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model
    def _emergency_protected_fields(self):
        """The fields only the emergency's own steps set (never a plain
        create or write; the superuser may correct data). Extension point:
        the later addons add theirs."""
        return set(WORKFLOW_FIELDS)

    def _emergency_privileged(self):
        return (self.env.context.get("emergency_workflow")
                or self.env.uid == SUPERUSER_ID)

    @api.model
    def create(self, vals):
        vals = dict(vals)
        context = self.env.context
        emergency = vals.pop("is_emergency", context.get("default_is_emergency"))
        protected = self._emergency_protected_fields()
        if not self._emergency_privileged():
            forged = protected.intersection(vals)
            if forged:
                raise UserError(_(
                    "These fields follow the steps of the emergency and cannot "
                    "be set when the ticket is created: %s.")
                    % ", ".join(sorted(forged)))
        # defaults from the context never set a protected field
        clean = {key: value for key, value in context.items()
                 if not (key.startswith("default_") and key[8:] in protected)}
        if emergency:
            vals.update(is_emergency=True, emergency_phase=rules.EVALUATION)
            if not vals.get("request_date"):
                vals["request_date"] = fields.Datetime.now()
        ticket = super(HelpdeskTicket, self.with_context(clean)).create(vals)
        if ticket.is_emergency:
            ticket._emergency_start()
        return ticket.with_context(context)

    @api.multi
    def write(self, vals):
        if "is_emergency" in vals and not self.env.context.get("emergency_workflow"):
            raise UserError(_(
                "A ticket is marked as an emergency when it is created, or "
                "with the 'Handle as emergency' button."))
        steps = self._emergency_protected_fields().intersection(vals)
        if steps and not self._emergency_privileged():
            raise UserError(_(
                "These fields follow the steps of the emergency and cannot be "
                "written directly: %s. Use the emergency's buttons (evaluate, "
                "accept, waive, normalization reached, close).")
                % ", ".join(sorted(steps)))
        if "service_area_id" in vals:
            locked = self.filtered(
                lambda t: t.is_emergency
                and t.emergency_phase not in rules.PROPOSAL_PHASES
                and t.service_area_id.id != vals["service_area_id"])
            if locked:
                raise UserError(_(
                    "The service area of %s cannot change once the client "
                    "accepted the proposal: the plan and the rates were "
                    "agreed for it.") % ", ".join(locked.mapped("number")))
        return super().write(vals)

    def _emergency_start(self):
        """A new emergency: check it, start the clock and tell the client."""
        for ticket in self:
            if not ticket.partner_id:
                raise ValidationError(_(
                    "An emergency needs a client: set the customer of the "
                    "ticket."))
            company = ticket.company_id or self.env.user.company_id
            ticket.with_context(emergency_workflow=True).write({
                "evaluation_deadline": fields.Datetime.to_string(
                    rules.evaluation_deadline(
                        fields.Datetime.from_string(ticket.request_date),
                        company.emergency_evaluation_minutes or 60)),
            })
        for ticket in self:
            ticket._emergency_history_open(rules.EVALUATION, ticket.request_date)
            ticket.message_subscribe(partner_ids=ticket.partner_id.ids)
        self._emergency_send_mail("emergency_support.mail_template_request_received")

    @api.multi
    def action_emergency_mark(self):
        """Handle an existing ticket as an emergency (staff, from the form)."""
        self._emergency_check_specialist()
        if self.filtered("is_emergency"):
            raise UserError(_("This ticket is already an emergency."))
        self.with_context(emergency_workflow=True).write({
            "is_emergency": True,
            "emergency_phase": rules.EVALUATION,
            "request_date": fields.Datetime.now(),
        })
        self._emergency_start()
        return True

    # ------------------------------------------------------------------
    # extension points
    # ------------------------------------------------------------------

    @api.multi
    def _emergency_phase_intervals(self):
        """``{ticket id: [(phase, start, end), ...]}`` as datetimes, from the
        phase history; ``end`` is None for the phase in progress. One query."""
        result = {ticket.id: [] for ticket in self}
        if not self.ids:
            return result
        self.env.cr.execute("""
            SELECT ticket_id, phase, date_start, date_end
              FROM emergency_phase_history
             WHERE ticket_id IN %s
          ORDER BY date_start, id""", (tuple(self.ids),))
        for ticket_id, phase, start, end in self.env.cr.fetchall():
            result[ticket_id].append((
                phase, fields.Datetime.from_string(start),
                fields.Datetime.from_string(end) if end else None))
        return result

    @api.multi
    def _emergency_phase_at(self, moment):
        """The phase this emergency was in at ``moment`` (datetime or string)."""
        self.ensure_one()
        if isinstance(moment, str):
            moment = fields.Datetime.from_string(moment)
        return rules.phase_at(self._emergency_phase_intervals()[self.id], moment)

    @api.multi
    def _emergency_find_agreement(self, day=None):
        """The monthly plan covering this ticket's area on ``day`` (default:
        the request date), the cheapest when several do (R2, R3)."""
        self.ensure_one()
        return self._emergency_resolve_rate(
            rules.NORMALIZATION, day)["agreement"]

    @api.multi
    def _emergency_resolve_rate(self, phase, day=None):
        """THE rate resolution (R1-R4, R16, R17): for work done on ``day`` in
        ``phase``: ``{'kind', 'rate', 'agreement', 'product'}``.

        ``kind`` is ``express``, ``ondemand`` or ``free``; ``product`` the
        company's Express or On-demand service product; coverage by a monthly
        plan is judged on the day the work was done (default: the request's).
        """
        self.ensure_one()
        day = day or (self.request_date or fields.Datetime.now())
        return self._emergency_resolve_rates([(phase, day)])[(phase, day)]

    @api.multi
    def _emergency_resolve_rates(self, phase_days):
        """The rates of many pieces of work of this ticket at once (one
        query): ``{(phase, day): answer}`` for each ``(phase, day)`` in
        ``phase_days`` (days as dates or date/datetime strings), each answer
        as ``_emergency_resolve_rate`` gives it. For the invoice addon, which
        prices the time lines grouped by day and phase."""
        self.ensure_one()
        company = self.company_id or self.env.user.company_id
        express = company.emergency_express_product_id
        ondemand = company.emergency_ondemand_product_id
        products = {rules.EXPRESS: express, rules.ONDEMAND: ondemand}
        Agreement = self.env["emergency.plan.agreement"]
        agreements = Agreement.sudo()._emergency_confirmed_for(
            self.partner_id, company)._as_rules() if self.partner_id else []
        express_price, ondemand_price = express.lst_price, ondemand.lst_price
        area_id = self.service_area_id.id
        result = {}
        for phase, day in phase_days:
            when = fields.Date.from_string(day[:10]) if isinstance(day, str) else day
            answer = rules.resolve_rate(
                phase, when, area_id, agreements, express_price, ondemand_price)
            result[(phase, day)] = {
                "kind": answer.kind,
                "rate": answer.rate,
                "agreement": Agreement.browse(answer.agreement_id or []),
                "product": products.get(answer.kind, self.env["product.product"]),
            }
        return result

    @api.multi
    def _emergency_time_per_phase(self):
        """Hours of work per phase, ``{ticket id: {phase: hours}}``.

        Filled in by the timesheet addon; without it no time is tracked."""
        return {ticket.id: {} for ticket in self}

    @api.multi
    def _emergency_report_sections(self):
        """Extra sections of the technical report, as ``[(title, html)]``:
        the later addons (time, invoices) add theirs."""
        self.ensure_one()
        return []

    # ------------------------------------------------------------------
    # phases
    # ------------------------------------------------------------------

    def _emergency_check_transition(self, target):
        wrong = self.filtered(
            lambda t: not t.is_emergency
            or not rules.can_transition(t.emergency_phase, target))
        if wrong:
            labels = dict(self._fields["emergency_phase"]._description_selection(
                self.env))
            raise UserError(_(
                "%(tickets)s cannot move to the phase '%(target)s' from the "
                "phase '%(current)s'. Follow the order: evaluation, proposal, "
                "acceptance, guarantee, normalization, mitigation, closure.") % {
                    "tickets": ", ".join(wrong.mapped("number")),
                    "target": labels[target],
                    "current": labels.get(wrong[0].emergency_phase, "-")})

    def _emergency_history_open(self, phase, moment=None):
        History = self.env["emergency.phase.history"]
        moment = moment or fields.Datetime.now()
        for ticket in self:
            History.create({"ticket_id": ticket.id, "phase": phase,
                            "date_start": moment})

    def _emergency_set_phase(self, target, vals=None):
        """Move to ``target``: checks the order, closes the phase in course in
        the history, opens the new one; the change is tracked in the chatter."""
        self._emergency_check_transition(target)
        now = fields.Datetime.now()
        self.env["emergency.phase.history"].search([
            ("ticket_id", "in", self.ids), ("date_end", "=", False),
        ]).write({"date_end": now})
        self._emergency_history_open(target, now)
        values = dict(vals or {}, emergency_phase=target)
        self.with_context(emergency_workflow=True).write(values)

    def _emergency_check_specialist(self):
        if not self.env.user.has_group("helpdesk_mgmt.group_helpdesk_user"):
            raise AccessError(_(
                "Only helpdesk specialists can do this on an emergency."))

    def _emergency_check_evaluation(self, vals):
        """Check a new evaluation before anything is written (R10, R11)."""
        self.ensure_one()
        if not self.is_emergency:
            raise UserError(_("%s is not an emergency.") % self.number)
        if self.emergency_phase not in rules.ESTIMATE_PHASES:
            raise UserError(_(
                "The emergency %s is finished: it cannot be evaluated any "
                "more.") % self.number)
        hours = vals.get("guarantee_hours", 0)
        agreement = self._emergency_find_agreement()
        if not rules.guarantee_hours_valid(hours, bool(agreement)):
            if agreement:
                raise ValidationError(_(
                    "%(client)s has the monthly plan '%(plan)s' for this area: "
                    "no guarantee is asked, set 0 guarantee hours.") % {
                        "client": self.partner_id.commercial_partner_id.name,
                        "plan": agreement.name})
            raise ValidationError(_(
                "The guarantee must be between 1 and 8 Express hours "
                "(1 by default); %s is not allowed.") % hours)
        if self.emergency_phase in rules.PROPOSAL_PHASES:
            return
        # after the acceptance: a re-estimation of the times only
        if vals.get("verdict", "viable") != "viable":
            raise UserError(_(
                "The client already accepted the proposal: an emergency in "
                "course cannot be rejected. Cancel it before the work "
                "starts, or close it."))
        if hours != self.guarantee_hours:
            raise UserError(_(
                "The client accepted a guarantee of %s hours: a "
                "re-estimation cannot change it.") % self.guarantee_hours)

    def _emergency_apply_evaluation(self, evaluation):
        """Apply a new (checked) evaluation: the answer to the client, or a
        revision of the estimates after the acceptance (R10)."""
        self.ensure_one()
        if evaluation.is_revision:
            self.with_context(emergency_workflow=True).write(
                {"current_evaluation_id": evaluation.id})
            self.message_post(body=_(
                "Estimates revised: %(emergency).1f h in emergency, "
                "%(normalization).1f h to normalize, %(mitigation).1f h to "
                "mitigate.") % {
                    "emergency": evaluation.estimated_emergency_hours,
                    "normalization": evaluation.estimated_normalization_hours,
                    "mitigation": evaluation.estimated_mitigation_hours})
            return
        vals = {"current_evaluation_id": evaluation.id,
                "plan_agreement_id": self._emergency_find_agreement().id}
        if not self.evaluation_date:
            minutes = rules.response_minutes(
                fields.Datetime.from_string(self.request_date),
                fields.Datetime.from_string(evaluation.date))
            vals.update(
                evaluation_date=evaluation.date,
                evaluation_response_minutes=minutes,
                evaluation_on_time=evaluation.date <= self.evaluation_deadline,
            )
        target = rules.PROPOSED if evaluation.verdict == "viable" else rules.REJECTED
        self._emergency_set_phase(target, vals)
        self._emergency_send_mail("emergency_support.mail_template_evaluation_result")

    @api.multi
    def emergency_accept_proposal(self, accepted_by=None, accept_default_nda=False):
        """The client accepts the proposal (R6). ``accepted_by`` is the
        client's person, a record or an id (default: the ticket's contact). With
        ``accept_default_nda`` the company's default NDA is accepted now when
        none is in force; otherwise an NDA in force is required. Then the
        ticket waits for the guarantee, or, with a plan or a waived
        guarantee, the service opens at once."""
        if isinstance(accepted_by, int):  # an id, over the API
            accepted_by = self.env["res.partner"].browse(accepted_by)
        for ticket in self:
            person = accepted_by or ticket.partner_id
            client = ticket.partner_id.commercial_partner_id
            if person.commercial_partner_id != client:
                raise UserError(_(
                    "%(person)s cannot accept for %(client)s: only a person of "
                    "the client can.") % {"person": person.name,
                                          "client": client.name})
            ticket._emergency_check_transition(rules.ACCEPTED)
            nda = client._emergency_nda_in_force()
            if not nda and accept_default_nda:
                default_nda = ticket.company_id.emergency_nda_id
                if not default_nda:
                    raise UserError(_(
                        "No default NDA is configured: a manager sets it in "
                        "Helpdesk > Configuration > Emergency settings."))
                nda = self.env["emergency.nda.acceptance"].sudo().create({
                    "partner_id": client.id,
                    "kind": "default",
                    "nda_id": default_nda.id,
                    "accepted_by_id": person.id,
                })
            if not nda:
                raise UserError(_(
                    "%s has no confidentiality agreement (NDA) in force: the "
                    "client must accept the NDA before the proposal can be "
                    "accepted and any work starts.") % client.name)
            ticket._emergency_set_phase(rules.ACCEPTED, {
                "accepted_by_id": person.id,
                "accepted_date": fields.Datetime.now(),
                "nda_acceptance_id": nda.id,
            })
            if ticket.guarantee_required:
                ticket._emergency_set_phase(rules.AWAITING_GUARANTEE)
            else:
                ticket._emergency_open_service()
        return True

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
            vals = {
                "lead_expert_id": expert.id,
                "service_opened_date": fields.Datetime.now(),
            }
            if not ticket.user_id:
                vals["user_id"] = expert.id
            if guarantee_paid:
                vals["guarantee_paid_date"] = fields.Datetime.now()
            ticket._emergency_set_phase(rules.NORMALIZATION, vals)
        self._emergency_send_mail("emergency_support.mail_template_service_opened")
        return True

    def _emergency_decide_guarantee(self, policy):
        self._emergency_check_specialist()
        for ticket in self:
            if not ticket.is_emergency or ticket.emergency_phase in (
                    rules.REJECTED, rules.CANCELLED, rules.CLOSED):
                raise UserError(_(
                    "The guarantee of %s can no longer be decided.") % ticket.number)
            if policy == rules.WAIVED and ticket.guarantee_paid_date:
                raise UserError(_(
                    "The guarantee of %s is already paid and is not "
                    "refundable: credit it against the fees instead.")
                    % ticket.number)
        self.with_context(emergency_workflow=True).write({
            "guarantee_policy": policy,
            "guarantee_decided_by_id": self.env.uid,
            "guarantee_decided_date": fields.Datetime.now(),
        })

    @api.multi
    def action_emergency_waive_guarantee(self):
        """R12: the specialist waives the guarantee; a ticket waiting for it
        opens its service at once."""
        self._emergency_decide_guarantee(rules.WAIVED)
        waiting = self.filtered(
            lambda t: t.emergency_phase == rules.AWAITING_GUARANTEE)
        if waiting:
            waiting._emergency_open_service()
        return True

    @api.multi
    def action_emergency_credit_guarantee(self):
        """R12: the paid guarantee is credited against the fees."""
        self._emergency_decide_guarantee(rules.CREDITED)
        return True

    @api.multi
    def action_emergency_charge_guarantee(self):
        """R12: the guarantee is charged as non-refundable compensation."""
        self._emergency_decide_guarantee(rules.CHARGED)
        return True

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
            })
        self._emergency_send_mail(
            "emergency_support.mail_template_normalization_reached")
        self._emergency_attach_report("partial")
        return True

    @api.multi
    def action_emergency_close(self):
        """Total closure: the causes are mitigated; the final report is issued."""
        self._emergency_check_specialist()
        self._emergency_set_phase(rules.CLOSED, {
            "emergency_closed_date": fields.Datetime.now()})
        self._emergency_send_mail("emergency_support.mail_template_closure")
        self._emergency_attach_report("final")
        return True

    @api.multi
    def action_emergency_cancel(self):
        """Cancel before the work starts."""
        self._emergency_check_specialist()
        for ticket in self:
            if ticket.emergency_phase not in PHASES_BEFORE_WORK:
                raise UserError(_(
                    "%s cannot be cancelled: the work has started. Close it "
                    "instead.") % ticket.number)
        self._emergency_set_phase(rules.CANCELLED)
        return True

    @api.multi
    def action_emergency_evaluate(self):
        """Open the evaluation form for this emergency."""
        self.ensure_one()
        self._emergency_check_specialist()
        return {
            "type": "ir.actions.act_window",
            "name": _("Evaluate %s") % self.number,
            "res_model": "emergency.evaluation",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_id": self.id},
        }

    # ------------------------------------------------------------------
    # mail, report, cron
    # ------------------------------------------------------------------

    def _emergency_send_mail(self, template_xmlid):
        """Notify the client with a template, in the company's name.

        The sender is the company (its e-mail, else the acting user's): the
        phases move on even when no sender address is configured; the mail is
        then skipped and the server log says why."""
        template = self.env.ref(template_xmlid, raise_if_not_found=False)
        if not template:
            return
        subtype = self.env.ref("mail.mt_comment")
        for ticket in self.filtered("partner_id"):
            company = ticket.company_id or self.env.user.company_id
            sender = company.email or self.env.user.email
            if not sender:
                _logger.warning(
                    "%s: no e-mail for the company %s nor the user %s, the "
                    "client is not notified (%s)", ticket.number, company.name,
                    self.env.user.login, template_xmlid)
                continue
            ticket.message_post_with_template(
                template.id, composition_mode="comment", subtype_id=subtype.id,
                author_id=company.partner_id.id,
                email_from=formataddr((company.name, sender)))

    def _emergency_attach_report(self, kind):
        """Render the technical report and attach it to each ticket (R20)."""
        report = self.env.ref("emergency_support.action_report_emergency_technical")
        names = {"partial": _("Technical report (normalization) - %s.pdf"),
                 "final": _("Technical report (closure) - %s.pdf")}
        Attachment = self.env["ir.attachment"]
        for ticket in self:
            client = ticket.partner_id
            content, _format = report.sudo().with_context(
                lang=client.lang or self.env.lang,
                tz=client.tz or client.commercial_partner_id.tz or self.env.user.tz,
            ).render_qweb_pdf(ticket.ids)
            Attachment.create({
                "name": names[kind] % ticket.number,
                "datas_fname": names[kind] % ticket.number,
                "datas": base64.b64encode(content),
                "res_model": self._name,
                "res_id": ticket.id,
                "mimetype": "application/pdf",
            })

    @api.model
    def _cron_emergency_overdue_evaluations(self):
        """Alert the helpdesk managers of evaluations past their deadline (R9)."""
        overdue = self.search([("evaluation_overdue", "=", True),
                               ("evaluation_alert_sent", "=", False)])
        if not overdue:
            return 0
        managers = self.env.ref("helpdesk_mgmt.group_helpdesk_manager").users
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        model = self.env["ir.model"]._get(self._name)
        Activity = self.env["mail.activity"]
        for ticket in overdue:
            for manager in managers:
                Activity.create({
                    "res_model_id": model.id,
                    "res_id": ticket.id,
                    "activity_type_id": activity_type.id,
                    "user_id": manager.id,
                    "summary": _("Evaluation overdue"),
                    "note": _("%(ticket)s was due at %(deadline)s (UTC) and "
                              "is not evaluated yet.") % {
                        "ticket": ticket.number,
                        "deadline": ticket.evaluation_deadline},
                })
        overdue.with_context(emergency_workflow=True).write({"evaluation_alert_sent": True})
        return len(overdue)
