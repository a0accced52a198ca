# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .. import rules
from ..workflow import workflow


class EmergencyCriterion(models.Model):
    """One criterion of the desired normal scenario (R8): when all are
    confirmed, normalization is reached."""

    _name = "emergency.criterion"
    _inherit = "emergency.ticket.part"
    _description = "Normalization criterion"
    _order = "sequence, id"

    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        required=True,
        ondelete="cascade",
        index=True,
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Criterion", required=True)
    confirmed = fields.Boolean(readonly=True, copy=False)
    confirmed_by_id = fields.Many2one(
        comodel_name="res.users", string="Confirmed by", readonly=True,
        copy=False, index=True)
    confirmed_date = fields.Datetime(
        string="Confirmed on", readonly=True, copy=False)
    company_id = fields.Many2one(
        related="ticket_id.company_id", store=True, readonly=True, index=True)

    @api.model
    def _emergency_editable_phases(self):
        return rules.CRITERIA_EDITABLE_PHASES

    @api.model
    def _emergency_protected_fields(self):
        return {"confirmed", "confirmed_by_id", "confirmed_date"}

    @api.multi
    def action_confirm(self):
        """Confirm the criteria, once the service is restoring (R8)."""
        self._emergency_set_confirmed(True)
        return True

    @api.multi
    def action_unconfirm(self):
        self._emergency_set_confirmed(False)
        return True

    def _emergency_set_confirmed(self, confirmed):
        self.mapped("ticket_id")._emergency_check_specialist()
        not_working = self.mapped("ticket_id").filtered(
            lambda t: t.emergency_phase not in rules.CRITERIA_CONFIRM_PHASES)
        if not_working:
            raise UserError(_(
                "Criteria are confirmed while the service is being normalized: "
                "%s is not in normalization.") % ", ".join(not_working.mapped("number")))
        with workflow(self.env):
            self.write({
                "confirmed": confirmed,
                "confirmed_by_id": confirmed and self.env.uid,
                "confirmed_date": confirmed and fields.Datetime.now(),
            })
