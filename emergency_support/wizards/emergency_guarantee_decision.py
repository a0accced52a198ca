# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .. import rules


class EmergencyGuaranteeDecision(models.TransientModel):
    """Waive, credit or charge a guarantee: confirmed, with a reason that
    the chatter keeps (R12)."""
    _name = "emergency.guarantee.decision"
    _description = "Decision on an emergency's guarantee"

    ticket_ids = fields.Many2many(
        comodel_name="helpdesk.ticket", string="Emergencies", required=True)
    policy = fields.Selection(
        selection=[(rules.CHARGED, "Charge (non-refundable)"),
                   (rules.CREDITED, "Credit against the fees"),
                   (rules.WAIVED, "Waive")],
        string="Decision", required=True, default=rules.WAIVED)
    reason = fields.Text(
        required=True,
        help="Why: kept in the emergency's chatter.")

    @api.multi
    def action_confirm(self):
        self.ensure_one()
        if not (self.reason or "").strip():
            raise UserError(_("Say why the guarantee is decided so: the "
                              "reason is kept in the emergency's chatter."))
        tickets = self.ticket_ids
        methods = {
            rules.WAIVED: tickets.action_emergency_waive_guarantee,
            rules.CREDITED: tickets.action_emergency_credit_guarantee,
            rules.CHARGED: tickets.action_emergency_charge_guarantee,
        }
        methods[self.policy](reason=self.reason.strip())
        return {"type": "ir.actions.act_window_close"}
