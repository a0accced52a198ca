# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


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

    @api.multi
    def action_confirm(self):
        self.write({"confirmed": True,
                    "confirmed_by_id": self.env.user.id,
                    "confirmed_date": fields.Datetime.now()})

    @api.multi
    def action_unconfirm(self):
        self.write({"confirmed": False,
                    "confirmed_by_id": False,
                    "confirmed_date": False})
