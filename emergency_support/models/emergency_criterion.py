# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .. import rules


class EmergencyCriterion(models.Model):
    """One criterion of the desired normal scenario (R8): when all are
    confirmed, normalization is reached."""

    _name = "emergency.criterion"
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
        copy=False)
    confirmed_date = fields.Datetime(
        string="Confirmed on", readonly=True, copy=False)
    company_id = fields.Many2one(
        related="ticket_id.company_id", store=True, readonly=True)

    @api.model
    def create(self, vals):
        criterion = super().create(vals)
        criterion._check_ticket_open()
        return criterion

    @api.multi
    def write(self, vals):
        self._check_ticket_open()
        return super().write(vals)

    @api.multi
    def unlink(self):
        self._check_ticket_open()
        return super().unlink()

    def _check_ticket_open(self):
        finished = self.mapped("ticket_id").filtered(
            lambda t: t.emergency_phase not in rules.PROPOSAL_PHASES + (
                rules.ACCEPTED, rules.AWAITING_GUARANTEE, rules.NORMALIZATION))
        if finished:
            raise UserError(_(
                "The normalization of %s is settled: its criteria can no "
                "longer change.") % ", ".join(finished.mapped("number")))

    @api.multi
    def action_confirm(self):
        """Confirm the criteria, once the service is restoring (R8)."""
        self.mapped("ticket_id")._emergency_check_specialist()
        not_working = self.mapped("ticket_id").filtered(
            lambda t: t.emergency_phase != rules.NORMALIZATION)
        if not_working:
            raise UserError(_(
                "Criteria are confirmed while the service is being normalized: "
                "%s is not in normalization.") % ", ".join(not_working.mapped("number")))
        self.write({"confirmed": True,
                    "confirmed_by_id": self.env.user.id,
                    "confirmed_date": fields.Datetime.now()})

    @api.multi
    def action_unconfirm(self):
        self.mapped("ticket_id")._emergency_check_specialist()
        self.write({"confirmed": False,
                    "confirmed_by_id": False,
                    "confirmed_date": False})
