# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
"""An emergency is a helpdesk ticket: its phase, the guards of its workflow
and the extension points of the later addons. The other concerns live in
``helpdesk_ticket_intake.py``, ``_evaluation.py``, ``_service.py`` and
``_report.py`` (the same model, by ``_inherit``)."""
from datetime import datetime

import pytz

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError

from .. import rules
from ..workflow import privileged, workflow
from .emergency_phase_history import PHASE_SELECTION

#: set only by the emergency's own steps (evaluation, acceptance, guarantee,
#: phases), never by a plain create or write; see
#: ``_emergency_protected_fields`` to extend it
WORKFLOW_FIELDS = frozenset((
    "is_emergency", "emergency_phase", "request_date", "evaluation_deadline",
    "evaluation_alert_sent", "evaluation_date", "evaluation_response_minutes",
    "evaluation_on_time", "current_evaluation_id", "plan_agreement_id",
    "guarantee_policy", "guarantee_decided_by_id", "guarantee_decided_date",
    "guarantee_paid_date", "accepted_by_id", "accepted_date",
    "nda_acceptance_id", "service_opened_date", "normalization_date",
    "emergency_closed_date", "actual_emergency_hours", "intake_missing_at_request",
    "report_error",
))

#: the helpdesk stage an emergency shows in each phase (helpdesk_mgmt's stages)
STAGE_OF_PHASE = {
    rules.EVALUATION: "helpdesk_mgmt.helpdesk_ticket_stage_new",
    rules.PROPOSED: "helpdesk_mgmt.helpdesk_ticket_stage_awaiting",
    rules.ACCEPTED: "helpdesk_mgmt.helpdesk_ticket_stage_awaiting",
    rules.AWAITING_GUARANTEE: "helpdesk_mgmt.helpdesk_ticket_stage_awaiting",
    rules.NORMALIZATION: "helpdesk_mgmt.helpdesk_ticket_stage_in_progress",
    rules.MITIGATION: "helpdesk_mgmt.helpdesk_ticket_stage_in_progress",
    rules.CLOSED: "helpdesk_mgmt.helpdesk_ticket_stage_done",
    rules.REJECTED: "helpdesk_mgmt.helpdesk_ticket_stage_cancelled",
    rules.CANCELLED: "helpdesk_mgmt.helpdesk_ticket_stage_cancelled",
}


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
    phase_history_ids = fields.One2many(
        comodel_name="emergency.phase.history",
        inverse_name="ticket_id",
        string="Phase history",
        readonly=True,
    )
    # what the form may offer now (the phase groups live in rules.py)
    emergency_can_evaluate = fields.Boolean(compute="_compute_emergency_can")
    emergency_can_reestimate = fields.Boolean(compute="_compute_emergency_can")
    emergency_can_accept = fields.Boolean(compute="_compute_emergency_can")
    emergency_can_waive = fields.Boolean(compute="_compute_emergency_can")
    emergency_can_credit = fields.Boolean(compute="_compute_emergency_can")
    emergency_can_charge = fields.Boolean(compute="_compute_emergency_can")
    emergency_can_normalize = fields.Boolean(compute="_compute_emergency_can")
    emergency_can_close = fields.Boolean(compute="_compute_emergency_can")
    emergency_can_cancel = fields.Boolean(compute="_compute_emergency_can")
    emergency_is_finished = fields.Boolean(compute="_compute_emergency_can")
    emergency_scope_locked = fields.Boolean(compute="_compute_emergency_can")
    emergency_criteria_editable = fields.Boolean(compute="_compute_emergency_can")
    emergency_criteria_confirmable = fields.Boolean(compute="_compute_emergency_can")

    # ------------------------------------------------------------------
    # computes
    # ------------------------------------------------------------------

    @api.depends("is_emergency", "emergency_phase", "guarantee_policy",
                 "plan_agreement_id", "guarantee_paid_date")
    def _compute_emergency_can(self):
        for ticket in self:
            phase = ticket.emergency_phase if ticket.is_emergency else False
            moves = {policy: ticket.is_emergency and not rules.guarantee_change_refusal(
                ticket.guarantee_policy, policy, phase,
                bool(ticket.plan_agreement_id), bool(ticket.guarantee_paid_date))
                for policy in (rules.WAIVED, rules.CREDITED, rules.CHARGED)}
            ticket.update({
                "emergency_can_evaluate": phase == rules.EVALUATION,
                "emergency_can_reestimate": phase in rules.ESTIMATE_PHASES
                and phase != rules.EVALUATION,
                "emergency_can_accept": phase == rules.PROPOSED,
                "emergency_can_waive": moves[rules.WAIVED],
                "emergency_can_credit": moves[rules.CREDITED],
                "emergency_can_charge": moves[rules.CHARGED],
                "emergency_can_normalize": phase == rules.NORMALIZATION,
                "emergency_can_close": phase == rules.MITIGATION,
                "emergency_can_cancel": phase in rules.BEFORE_WORK_PHASES,
                "emergency_is_finished": phase in rules.FINISHED_PHASES,
                "emergency_scope_locked": bool(phase)
                and phase not in rules.SCOPE_EDITABLE_PHASES,
                # a new emergency (no phase yet) takes its criteria with the request
                "emergency_criteria_editable": not phase
                or phase in rules.CRITERIA_EDITABLE_PHASES,
                "emergency_criteria_confirmable": phase in rules.CRITERIA_CONFIRM_PHASES,
            })

    # ------------------------------------------------------------------
    # CRUD and guards
    # ------------------------------------------------------------------

    @api.model
    def _emergency_protected_fields(self):
        """The fields only the emergency's own steps set, never a plain
        create or write (the superuser may correct data). Extension point:
        the later addons add theirs."""
        return set(WORKFLOW_FIELDS)

    @api.model
    def create(self, vals):
        vals = dict(vals)
        context = self.env.context
        emergency = vals.pop("is_emergency", context.get("default_is_emergency"))
        protected = self._emergency_protected_fields()
        if not privileged(self.env):
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
            # the chatter opens with the "request received" message sent to
            # the client (_emergency_start), not with a creation log on top
            clean.update(mail_create_nolog=True, mail_notrack=True)
            if self.env.uid == SUPERUSER_ID:
                # the portal creates requests as the superuser (the
                # administrator in 11.0), whose inbox got every client
                # e-mail: the client's contact and the lead expert follow
                clean.update(mail_create_nosubscribe=True)
            vals.update(is_emergency=True, emergency_phase=rules.EVALUATION)
            if not vals.get("request_date"):
                vals["request_date"] = fields.Datetime.now()
            stage = self.env.ref(STAGE_OF_PHASE[rules.EVALUATION], False)
            if stage:
                vals["stage_id"] = stage.id
            vals.update(self._emergency_start_values(vals))
        # no workflow block around the create: the protected values above are
        # the server's own (the user's were refused), and whatever else the
        # user passed (child records through one2many commands: criteria,
        # actions, evaluations, phase history) goes through the user's
        # access rights and the children's guards. The context without
        # those defaults (with_context(**clean) would keep them):
        # pylint: disable=context-overridden
        ticket = super(HelpdeskTicket, self.with_context(clean)).create(vals)
        ticket = ticket.with_env(self.env)
        if ticket.is_emergency:
            ticket._emergency_start()
        return ticket

    def _message_get_auto_subscribe_fields(self, updated_fields, auto_follow_fields=None):
        """The lead expert follows the emergency he answers for (R13), as
        an assignee does."""
        fields_ = list(auto_follow_fields or ["user_id"]) + ["lead_expert_id"]
        return super()._message_get_auto_subscribe_fields(updated_fields, fields_)

    @api.multi
    def write(self, vals):
        if not privileged(self.env):
            if "is_emergency" in vals:
                raise UserError(_(
                    "A ticket is marked as an emergency when it is created, or "
                    "with the 'Handle as emergency' button."))
            steps = self._emergency_protected_fields().intersection(vals)
            if steps:
                raise UserError(_(
                    "These fields follow the steps of the emergency and cannot "
                    "be written directly: %s. Use the emergency's buttons "
                    "(evaluate, accept, waive, normalization reached, close).")
                    % ", ".join(sorted(steps)))
            if "stage_id" in vals and self.filtered("is_emergency"):
                raise UserError(_(
                    "The stage of an emergency follows its phase: use the "
                    "emergency's buttons."))
        withdrawn = self._emergency_check_scope(vals)
        clients = {ticket.id: ticket.partner_id.commercial_partner_id for ticket in self}
        result = super().write(vals)
        if "partner_id" in vals:
            self._emergency_follow_new_client(clients)
        if withdrawn:
            withdrawn._emergency_withdraw_proposal()
        return result

    def _emergency_follow_new_client(self, old_clients):
        """An emergency moved to another client: the old client's people stop
        following it (they no longer see it on the portal), the new contact
        follows it."""
        for ticket in self.filtered("is_emergency"):
            old = old_clients.get(ticket.id)
            if not old or old == ticket.partner_id.commercial_partner_id:
                continue
            leaving = ticket.message_partner_ids.filtered(
                lambda p: p.commercial_partner_id == old)
            if leaving:
                ticket.message_unsubscribe(partner_ids=leaving.ids)
            ticket.message_subscribe(partner_ids=ticket.partner_id.ids)

    @api.multi
    def unlink(self):
        evaluated = self.filtered("evaluation_ids")
        if evaluated:
            raise UserError(_(
                "%s has been evaluated: its history is kept. Archive the "
                "ticket instead of deleting it.")
                % ", ".join(evaluated.mapped("number")))
        return super().unlink()

    @api.multi
    def _track_template(self, tracking):
        """An emergency's stage follows its phase and the client gets the
        emergency's own mails: no helpdesk stage mail on top of them."""
        result = super()._track_template(tracking)
        if self[:1].is_emergency:
            result.pop("stage_id", None)
        return result

    def _emergency_check_scope(self, vals):
        """R3, R11: the evaluation decided the plan and the guarantee for the
        client and the service area of the ticket. A change after the
        acceptance is refused; a change of a proposal withdraws it (a new
        evaluation is needed). Returns the tickets whose proposal is withdrawn."""
        if "service_area_id" not in vals and "partner_id" not in vals:
            return self.browse()
        client = None
        if "partner_id" in vals:
            client = self.env["res.partner"].browse(
                vals["partner_id"]).commercial_partner_id
        changed = self.filtered(lambda t: t.is_emergency and (
            ("service_area_id" in vals
             and t.service_area_id.id != (vals["service_area_id"] or False))
            or (client is not None
                and t.partner_id.commercial_partner_id != client)))
        locked = changed.filtered("emergency_scope_locked")
        if locked and not privileged(self.env):
            raise UserError(_(
                "The client and the service area of %s cannot change any more: "
                "the proposal (plan, rates, guarantee) was accepted for them, "
                "or the emergency is finished. Cancel it and request a new "
                "emergency for another client or area.")
                % ", ".join(locked.mapped("number")))
        return changed.filtered(lambda t: t.emergency_phase == rules.PROPOSED)

    # ------------------------------------------------------------------
    # phases
    # ------------------------------------------------------------------

    def _emergency_write(self, vals):
        """Write fields of the workflow: only the emergency's steps call it."""
        with workflow(self.env):
            return self.write(vals)

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
        """Open ``phase`` in the history of each ticket (read-only for every
        user: written here, as the superuser, by the workflow only)."""
        History = self.env["emergency.phase.history"].sudo()
        moment = moment or fields.Datetime.now()
        with workflow(self.env):
            for ticket in self:
                History.create({"ticket_id": ticket.id, "phase": phase,
                                "date_start": moment, "user_id": self.env.uid})

    def _emergency_set_phase(self, target, vals=None, moment=None):
        """Move to ``target`` at ``moment`` (default: now): checks the order,
        closes the phase in course in the history, opens the new one, moves
        the helpdesk stage along; the change is tracked in the chatter. A
        step that stamps its own date (the opening, the normalization)
        passes it as ``moment``: the history then starts the phase at that
        very second, not at the next one when the clock ticks in between
        (time logged from the opening was refused as before it)."""
        self._emergency_check_transition(target)
        now = moment or fields.Datetime.now()
        with workflow(self.env):
            self.env["emergency.phase.history"].sudo().search([
                ("ticket_id", "in", self.ids), ("date_end", "=", False),
            ]).write({"date_end": now})
        self._emergency_history_open(target, now)
        values = dict(vals or {}, emergency_phase=target)
        stage = self.env.ref(STAGE_OF_PHASE[target], False)
        if stage:
            values["stage_id"] = stage.id
        self._emergency_write(values)

    def _emergency_check_specialist(self):
        if not self.env.user.has_group("helpdesk_mgmt.group_helpdesk_user"):
            raise AccessError(_(
                "Only helpdesk specialists can do this on an emergency."))

    # ------------------------------------------------------------------
    # time zones
    # ------------------------------------------------------------------

    @api.multi
    def _emergency_company_tz(self):
        """The company's time zone (its address's), else UTC. The two
        columns alone (``prefetch_fields``): reading them loaded every field
        of the company and of its partner, a tenth of the client's emergency
        page and of each time line logged. Cached like any field: no query
        when asked again in the same transaction."""
        company = (self[:1].company_id or self.env.user.company_id).with_context(
            prefetch_fields=False)
        return company.partner_id.tz or "UTC"

    @api.multi
    def _emergency_client_tz(self):
        """The client's time zone (the contact's, else its company's), else
        the company's."""
        self.ensure_one()
        partner = self.partner_id
        return (partner.tz or partner.commercial_partner_id.tz
                or self._emergency_company_tz())

    @api.multi
    def _emergency_company_date(self, moment):
        """The calendar day of ``moment`` (UTC datetime or string) in the
        company's time zone: plans and NDAs are judged on it."""
        if isinstance(moment, str):
            moment = fields.Datetime.from_string(moment)
        if not isinstance(moment, datetime):
            return moment
        zone = pytz.timezone(self._emergency_company_tz())
        return pytz.utc.localize(moment).astimezone(zone).date()

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
        the request's day in the company's time zone), the cheapest when
        several do (R2, R3)."""
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
        ``phase_days``, each answer as ``_emergency_resolve_rate`` gives it.
        A day is a date, a date string, or a datetime (string) in UTC, whose
        day is taken in the company's time zone."""
        self.ensure_one()
        company = self.company_id or self.env.user.company_id
        express = company.emergency_express_product_id
        ondemand = company.emergency_ondemand_product_id
        products = {rules.EXPRESS: express, rules.ONDEMAND: ondemand}
        Agreement = self.env["emergency.plan.agreement"]
        agreements = Agreement.sudo()._emergency_confirmed_for(
            self.partner_id, company)._as_rules() if self.partner_id else []
        # the prices alone, not every field of the products and templates
        express_price = express.with_context(prefetch_fields=False).lst_price
        ondemand_price = ondemand.with_context(prefetch_fields=False).lst_price
        area_id = self.service_area_id.id
        result = {}
        for phase, day in phase_days:
            if isinstance(day, str):
                when = (fields.Date.from_string(day) if len(day) <= 10
                        else self._emergency_company_date(day))
            else:
                when = self._emergency_company_date(day)
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
