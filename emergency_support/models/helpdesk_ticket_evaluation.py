# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
"""The free technical evaluation (R9, R10): the 60-minute promise, the
answer to the client and the revisions of the estimates."""
from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .. import rules
from ..workflow import privileged, workflow


# one model split by concern (STYLE.md): pylint: disable=consider-merging-classes-inherited
class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

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
        string="Current evaluation", readonly=True, copy=False, index=True)
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

    def _emergency_check_evaluation(self, vals):
        """Check a new evaluation before anything is written (R5, R10, R11)."""
        self.ensure_one()
        if not self.is_emergency:
            raise UserError(_("%s is not an emergency.") % self.number)
        if self.emergency_phase not in rules.ESTIMATE_PHASES:
            raise UserError(_(
                "The emergency %s is finished: it cannot be evaluated any "
                "more.") % self.number)
        viable = vals.get("verdict", rules.VIABLE) == rules.VIABLE
        if viable and not self.service_area_id:
            raise UserError(_(
                "Set the service area of %s before proposing: the monthly "
                "plan and the rates depend on it.") % self.number)
        hours = vals.get("guarantee_hours", 0)
        agreement = self._emergency_find_agreement()
        if viable and not rules.guarantee_hours_valid(hours, bool(agreement)):
            if agreement:
                raise ValidationError(_(
                    "%(client)s has the monthly plan '%(plan)s' for this area: "
                    "no guarantee is asked, set 0 guarantee hours.") % {
                        "client": self.partner_id.commercial_partner_id.name,
                        "plan": agreement.name})
            raise ValidationError(_(
                "The guarantee must be between 1 and 8 Express hours "
                "(1 by default); %s is not allowed.") % hours)
        if (viable and not self.products_supported
                and not (vals.get("unsupported_reason") or "").strip()):
            raise ValidationError(_(
                "Some affected products of %s are not in the catalogue of "
                "supported products (or none is named): a viable verdict needs "
                "the reason why the company can still commit.") % self.number)
        if self.emergency_phase in rules.PROPOSAL_PHASES:
            return
        # after the acceptance: a re-estimation of the times only
        if not viable:
            raise UserError(_(
                "The client already accepted the proposal: an emergency in "
                "course cannot be rejected. Cancel it before the work "
                "starts, or close it."))
        if hours != self.guarantee_hours:
            raise UserError(_(
                "The client accepted a guarantee of %s hours: a "
                "re-estimation cannot change it.") % self.guarantee_hours)

    @api.multi
    def _emergency_record_evaluation(self, vals):
        """THE way an evaluation is recorded (R10): checks it, stores it with
        the server's date and the specialist who answers, and answers the
        client (or revises the estimates after the acceptance)."""
        self.ensure_one()
        self._emergency_check_specialist()
        vals = dict(vals, ticket_id=self.id)
        self._emergency_apply_evaluation_scope(vals)
        if "guarantee_hours" not in vals:
            vals["guarantee_hours"] = (
                0 if self._emergency_find_agreement()
                or vals.get("verdict", rules.VIABLE) != rules.VIABLE
                else self.guarantee_hours or rules.GUARANTEE_DEFAULT_HOURS)
        self._emergency_check_evaluation(vals)
        vals.update(
            is_revision=self.emergency_phase not in rules.PROPOSAL_PHASES,
            products_supported=self.products_supported,
            client_id=self.partner_id.commercial_partner_id.id,
            service_area_id=self.service_area_id.id,
            emergency_product_ids=[(6, 0, self.emergency_product_ids.ids)],
            other_products=self.other_products,
        )
        # the date and the author are the server's (the superuser may record
        # an answer given earlier, as the demo does)
        if not (privileged(self.env) and vals.get("date")):
            vals["date"] = fields.Datetime.now()
        if not (privileged(self.env) and vals.get("user_id")):
            vals["user_id"] = self.env.uid
        with workflow(self.env):
            evaluation = self.env["emergency.evaluation"].create(vals)
        self._emergency_apply_evaluation(evaluation)
        return evaluation

    def _emergency_apply_evaluation_scope(self, vals):
        """The evaluation names the service area and the affected products
        (R5): they are set on the emergency first, through its own checks
        (the area is locked once the client accepted), so that the
        evaluation is judged on them."""
        self.ensure_one()
        scope = {}
        if "service_area_id" in vals and (
                (vals["service_area_id"] or False) != self.service_area_id.id):
            scope["service_area_id"] = vals["service_area_id"] or False
        if "emergency_product_ids" in vals:
            products = self.env["emergency.evaluation"].new({
                "emergency_product_ids": vals["emergency_product_ids"],
            }).emergency_product_ids
            if set(products.ids) != set(self.emergency_product_ids.ids):
                scope["emergency_product_ids"] = [(6, 0, products.ids)]
        if "other_products" in vals and (
                (vals["other_products"] or "").strip()
                != (self.other_products or "").strip()):
            scope["other_products"] = (vals["other_products"] or "").strip() or False
        if scope:
            self.write(scope)

    def _emergency_apply_evaluation(self, evaluation):
        """Apply a new (checked) evaluation: the answer to the client, or a
        revision of the estimates after the acceptance (R10)."""
        self.ensure_one()
        if evaluation.is_revision:
            self._emergency_write({"current_evaluation_id": evaluation.id})
            # hours as the reader writes numbers (1,5 in Spanish), never "1.5"
            lang = self.env["res.lang"]._lang_get(self.env.lang or "en_US")
            self.message_post(body=_(
                "Estimates revised: %(emergency)s h in emergency, "
                "%(normalization)s h to normalize, %(mitigation)s h to "
                "mitigate.") % {
                    name: lang.format("%.1f", evaluation[field], grouping=True)
                    for name, field in (
                        ("emergency", "estimated_emergency_hours"),
                        ("normalization", "estimated_normalization_hours"),
                        ("mitigation", "estimated_mitigation_hours"))})
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
        target = (rules.PROPOSED if evaluation.verdict == rules.VIABLE
                  else rules.REJECTED)
        self._emergency_set_phase(target, vals)
        self._emergency_send_mail("emergency_support.mail_template_evaluation_result")

    def _emergency_withdraw_proposal(self):
        """The client or the area of a proposal changed: the plan and the
        guarantee it decided no longer apply. The proposal is withdrawn and
        the emergency waits for a new evaluation (the first answer's time
        stays measured)."""
        self._emergency_set_phase(rules.EVALUATION, {
            "current_evaluation_id": False,
            "plan_agreement_id": False,
        })
        for ticket in self:
            ticket.message_post(body=_(
                "The client or the service area changed after the evaluation: "
                "the proposal is withdrawn. A new evaluation decides the plan "
                "and the guarantee."))

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

    @api.model
    def _cron_emergency_overdue_evaluations(self):
        """Alert the helpdesk managers of evaluations past their deadline
        (R9): one activity per manager and overdue emergency, made in one
        batch; each ticket is alerted once."""
        overdue = self.search([("evaluation_overdue", "=", True),
                               ("evaluation_alert_sent", "=", False)])
        if not overdue:
            return 0
        managers = self.env.ref("helpdesk_mgmt.group_helpdesk_manager").users
        self.env["mail.activity"]._emergency_create_batch(
            overdue, managers, _("Evaluation overdue"),
            lambda ticket: _("%(ticket)s was due at %(deadline)s (UTC) and is "
                             "not evaluated yet.") % {
                "ticket": ticket.number, "deadline": ticket.evaluation_deadline})
        overdue._emergency_write({"evaluation_alert_sent": True})
        return len(overdue)
