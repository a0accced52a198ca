# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .. import rules
from ..workflow import workflow


class EmergencyAction(models.Model):
    """A critical action of the service and its concrete result (R14)."""

    _name = "emergency.action"
    _inherit = "emergency.ticket.part"
    _description = "Emergency critical action"
    _order = "sequence, id"

    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        required=True,
        ondelete="cascade",
        index=True,
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Action", required=True)
    critical = fields.Boolean(default=True)
    expected_result = fields.Text(string="Expected result")
    responsible_id = fields.Many2one(
        comodel_name="res.partner",
        string="Responsible actor",
        help="Who answers for the action: a specialist or a person of the "
             "client.",
        index=True,
    )
    actor_ids = fields.Many2many(
        comodel_name="res.partner",
        relation="emergency_action_actor_rel",
        column1="action_id",
        column2="partner_id",
        string="Required actors",
        help="Everyone the action needs (R14): specialists and people of "
             "the client.",
    )
    state = fields.Selection(
        selection=[("planned", "Planned"),
                   ("in_progress", "In progress"),
                   ("done", "Done"),
                   ("failed", "Failed"),
                   ("cancelled", "Cancelled")],
        default="planned",
        required=True,
    )
    result = fields.Text(
        string="Actual result",
        help="The concrete result of the action: required once it is done "
             "or failed.")
    date_done = fields.Datetime(string="Finished on", readonly=True)
    attachment_ids = fields.Many2many(
        comodel_name="ir.attachment",
        relation="emergency_action_attachment_rel",
        column1="action_id",
        column2="attachment_id",
        string="Evidence",
    )
    company_id = fields.Many2one(
        related="ticket_id.company_id", store=True, readonly=True, index=True)

    @api.constrains("state", "result")
    def _check_result(self):
        for action in self:
            if action.state in ("done", "failed") and not (action.result or "").strip():
                raise ValidationError(_(
                    "Record the concrete result of the action '%s' before "
                    "marking it done or failed.") % action.name)

    @api.model
    def _emergency_editable_phases(self):
        return rules.ACTIONS_EDITABLE_PHASES

    @api.model
    def _emergency_protected_fields(self):
        return {"date_done"}

    @api.model
    def create(self, vals):
        action = super().create(vals)
        action._stamp_done(vals)
        return action

    @api.multi
    def write(self, vals):
        result = super().write(vals)
        self._stamp_done(vals)
        return result

    def _stamp_done(self, vals):
        if "state" not in vals:
            return
        with workflow(self.env):
            if vals["state"] in ("done", "failed"):
                self.filtered(lambda a: not a.date_done).write(
                    {"date_done": fields.Datetime.now()})
            else:
                self.filtered("date_done").write({"date_done": False})
