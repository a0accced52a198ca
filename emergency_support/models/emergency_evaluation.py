# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .. import rules
from ..workflow import in_workflow

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
        ondelete="restrict",
        index=True,
        domain=[("is_emergency", "=", True)],
    )
    partner_id = fields.Many2one(
        related="ticket_id.partner_id", readonly=True)
    client_id = fields.Many2one(
        comodel_name="res.partner", string="Evaluated for", readonly=True,
        help="The client the proposal (plan, guarantee) was made for.", index=True)
    service_area_id = fields.Many2one(
        comodel_name="emergency.service.area", string="Service area",
        readonly=True,
        help="The service area the proposal (plan, rates) was made for.", index=True)
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Specialist",
        required=True,
        readonly=True,
        default=lambda self: self.env.user,
        index=True,
    )
    date = fields.Datetime(
        required=True, readonly=True, default=fields.Datetime.now)
    verdict = fields.Selection(
        selection=[(rules.VIABLE, "Viable: we can normalize it"),
                   (rules.DECLINED, "Rejected: declined")],
        required=True,
        default=rules.VIABLE,
    )
    rejection_reason = fields.Text()
    products_supported = fields.Boolean(
        string="Products covered",
        readonly=True,
        help="Every affected product was in the catalogue of products the "
             "company is expert in (R5) when the evaluation was made.",
    )
    ticket_products_supported = fields.Boolean(
        related="ticket_id.products_supported", readonly=True,
        string="All products supported")
    unsupported_reason = fields.Text(
        string="Why we commit on unsupported products",
        help="Required for a viable verdict when an affected product is not "
             "in the catalogue (R5): shown on the technical report.",
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
    note = fields.Text(
        string="Internal notes", groups="helpdesk_mgmt.group_helpdesk_user",
        help="For the specialists: never shown to the client.")
    is_revision = fields.Boolean(
        string="Re-estimation", readonly=True,
        help="Made after the client accepted the proposal.")
    company_id = fields.Many2one(
        related="ticket_id.company_id", store=True, readonly=True, index=True)

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
            if evaluation.verdict == rules.DECLINED and not evaluation.rejection_reason:
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
                             "estimated_mitigation_hours"):
                    self[name] = current[name]

    @api.model
    def create(self, vals):
        """An evaluation is recorded by its emergency
        (``helpdesk.ticket._emergency_record_evaluation``): from a screen or
        the API, this hands it over."""
        if in_workflow(self.env):
            return super().create(vals)
        if not self.env.user.has_group("helpdesk_mgmt.group_helpdesk_user"):
            raise AccessError(_(
                "Only helpdesk specialists can evaluate an emergency: ask a "
                "specialist, or a manager to give you the Helpdesk / User "
                "access."))
        ticket = self.env["helpdesk.ticket"].browse(vals.get("ticket_id"))
        if not ticket.exists():
            raise UserError(_("Choose the emergency to evaluate."))
        return ticket._emergency_record_evaluation(vals)

    @api.multi
    def write(self, vals):
        if set(vals) - {"note"}:
            raise UserError(_(
                "An evaluation cannot be changed: record a new evaluation "
                "(a re-estimation) instead, so that the history is kept."))
        return super().write(vals)

    @api.multi
    def unlink(self):  # pylint: disable=method-required-super
        raise UserError(_(
            "Evaluations are the history of the estimates and cannot be "
            "deleted."))

    @api.multi
    def name_get(self):
        return [(evaluation.id, _("Evaluation of %(ticket)s (%(date)s)") % {
            "ticket": evaluation.ticket_id.number, "date": evaluation.date})
            for evaluation in self]
