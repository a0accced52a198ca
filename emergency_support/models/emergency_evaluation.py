# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .. import rules

LEVELS = [("low", "Low"), ("medium", "Medium"), ("high", "High")]


class EmergencyEvaluation(models.Model):
    """A specialist's technical evaluation of an emergency (R9, R10).

    Evaluations are never changed: a re-estimation is a new evaluation, so
    the history of the estimates is kept; the ticket points at the latest.
    """

    _name = "emergency.evaluation"
    _description = "Emergency technical evaluation"
    _order = "date desc, id desc"

    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        required=True,
        ondelete="cascade",
        index=True,
        domain=[("is_emergency", "=", True)],
    )
    partner_id = fields.Many2one(
        related="ticket_id.partner_id", readonly=True)
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Specialist",
        required=True,
        readonly=True,
        default=lambda self: self.env.user,
    )
    date = fields.Datetime(
        required=True, readonly=True, default=fields.Datetime.now)
    verdict = fields.Selection(
        selection=[("viable", "Viable: we can normalize it"),
                   ("rejected", "Rejected: declined")],
        required=True,
        default="viable",
    )
    rejection_reason = fields.Text()
    products_supported = fields.Boolean(
        string="Products covered",
        default=True,
        help="The affected products are in the catalogue of products the "
             "company is expert in (R5).",
    )
    uncertainty = fields.Selection(
        selection=LEVELS, required=True, default="medium")
    risk = fields.Selection(selection=LEVELS, required=True, default="medium")
    estimated_emergency_hours = fields.Float(
        string="Estimated time in emergency (h)",
        help="How long the client's platform will stay in emergency.")
    estimated_normalization_hours = fields.Float(
        string="Estimated time to normalize (h)")
    estimated_mitigation_hours = fields.Float(
        string="Estimated time to mitigate causes (h)")
    guarantee_hours = fields.Integer(
        string="Guarantee (Express hours)",
        default=rules.GUARANTEE_DEFAULT_HOURS,
        help="1 to 8 Express hours paid as a non-refundable guarantee; none "
             "when the client has a monthly plan for the area (R3, R11).",
    )
    note = fields.Text(string="Notes")
    is_revision = fields.Boolean(
        string="Re-estimation", readonly=True,
        help="Made after the client accepted the proposal.")
    company_id = fields.Many2one(
        related="ticket_id.company_id", store=True, readonly=True)

    @api.constrains("estimated_emergency_hours", "estimated_normalization_hours",
                    "estimated_mitigation_hours")
    def _check_estimates(self):
        for evaluation in self:
            if min(evaluation.estimated_emergency_hours,
                   evaluation.estimated_normalization_hours,
                   evaluation.estimated_mitigation_hours) < 0:
                raise ValidationError(_("Estimated hours cannot be negative."))

    @api.constrains("verdict", "rejection_reason")
    def _check_rejection_reason(self):
        for evaluation in self:
            if evaluation.verdict == "rejected" and not evaluation.rejection_reason:
                raise ValidationError(_(
                    "Say why the emergency is rejected: the client reads the "
                    "reason."))

    @api.onchange("ticket_id")
    def _onchange_ticket_id(self):
        if self.ticket_id:
            current = self.ticket_id.current_evaluation_id
            self.guarantee_hours = (
                0 if self.ticket_id._emergency_find_agreement()
                else current.guarantee_hours or rules.GUARANTEE_DEFAULT_HOURS)
            if current:
                for name in ("uncertainty", "risk", "estimated_emergency_hours",
                             "estimated_normalization_hours",
                             "estimated_mitigation_hours", "products_supported"):
                    self[name] = current[name]

    @api.model
    def create(self, vals):
        if not self.env.user.has_group("helpdesk_mgmt.group_helpdesk_user"):
            raise AccessError(_(
                "Only helpdesk specialists can evaluate an emergency: ask a "
                "specialist, or a manager to give you the Helpdesk / User "
                "access."))
        ticket = self.env["helpdesk.ticket"].browse(vals.get("ticket_id"))
        if not ticket.exists():
            raise UserError(_("Choose the emergency to evaluate."))
        if "guarantee_hours" not in vals:
            vals["guarantee_hours"] = (
                0 if ticket._emergency_find_agreement()
                else ticket.guarantee_hours or rules.GUARANTEE_DEFAULT_HOURS)
        ticket._emergency_check_evaluation(vals)
        vals["is_revision"] = ticket.emergency_phase not in rules.PROPOSAL_PHASES
        evaluation = super().create(vals)
        evaluation.ticket_id._emergency_apply_evaluation(evaluation)
        return evaluation

    @api.multi
    def write(self, vals):
        if set(vals) - {"note"}:
            raise UserError(_(
                "An evaluation cannot be changed: record a new evaluation "
                "(a re-estimation) instead, so that the history is kept."))
        return super().write(vals)

    @api.multi
    def unlink(self):
        if not self.env.context.get("emergency_ticket_unlink"):
            raise UserError(_(
                "Evaluations are the history of the estimates and cannot be "
                "deleted."))
        return super().unlink()

    @api.multi
    def name_get(self):
        return [(evaluation.id, _("Evaluation of %(ticket)s (%(date)s)") % {
            "ticket": evaluation.ticket_id.number, "date": evaluation.date})
            for evaluation in self]
