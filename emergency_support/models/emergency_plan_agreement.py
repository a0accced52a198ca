# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .. import rules


class EmergencyPlanAgreement(models.Model):
    """A monthly plan ("Plan fijo mensual") agreed with a client (R1-R3)."""

    _name = "emergency.plan.agreement"
    _description = "Monthly plan agreement"
    _inherit = ["mail.thread"]
    _order = "date_start desc, id desc"

    name = fields.Char(required=True, track_visibility="onchange")
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Client",
        required=True,
        domain=[("parent_id", "=", False)],
        track_visibility="onchange",
        index=True,
    )
    service_area_ids = fields.Many2many(
        comodel_name="emergency.service.area",
        string="Service areas covered",
        required=True,
    )
    date_start = fields.Date(string="Valid from", required=True,
                             track_visibility="onchange")
    date_end = fields.Date(string="Valid until", required=True,
                           track_visibility="onchange")
    # a group of plans shows its average negotiated rate, not their sum
    express_rate = fields.Monetary(
        string="Express rate (per hour)", required=True, group_operator="avg",
        track_visibility="onchange",
        help="Negotiated hourly rate for the normalization of emergencies.")
    ondemand_rate = fields.Monetary(
        string="On-demand rate (per hour)", required=True, group_operator="avg",
        track_visibility="onchange",
        help="Negotiated hourly rate for mitigation and work in normal "
             "conditions; the client gets the lower of this and the "
             "On-demand list rate.")
    currency_id = fields.Many2one(
        related="company_id.currency_id", readonly=True)
    state = fields.Selection(
        selection=[("draft", "Draft"),
                   ("confirmed", "Confirmed"),
                   ("cancelled", "Cancelled")],
        default="draft",
        required=True,
        copy=False,
        track_visibility="onchange",
    )
    note = fields.Text(
        groups="helpdesk_mgmt.group_helpdesk_user",
        help="Internal: not shown to the client.")
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.user.company_id,
        index=True,
    )

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for agreement in self:
            if agreement.date_end < agreement.date_start:
                raise ValidationError(_(
                    "The monthly plan '%s' ends before it starts: set "
                    "'Valid until' on or after 'Valid from'.") % agreement.name)

    @api.constrains("express_rate", "ondemand_rate")
    def _check_rates(self):
        for agreement in self:
            if agreement.express_rate < 0 or agreement.ondemand_rate < 0:
                raise ValidationError(_(
                    "The rates of the monthly plan '%s' cannot be negative.")
                    % agreement.name)

    @api.multi
    def action_confirm(self):
        if self.filtered(lambda a: a.state != "draft"):
            raise UserError(_("Only draft monthly plans can be confirmed."))
        self.write({"state": "confirmed"})
        return True

    @api.multi
    def action_cancel(self):
        self.write({"state": "cancelled"})
        return True

    @api.multi
    def action_draft(self):
        if self.filtered(lambda a: a.state != "cancelled"):
            raise UserError(_("Only cancelled monthly plans can be set back to draft."))
        self.write({"state": "draft"})
        return True

    @api.model
    def _emergency_confirmed_for(self, partners, company):
        """The confirmed agreements of ``company`` with the commercial
        entities of ``partners``."""
        return self.search([
            ("partner_id", "in", partners.mapped("commercial_partner_id").ids),
            ("state", "=", "confirmed"),
            ("company_id", "=", company.id),
        ])

    @api.multi
    def _as_rules(self):
        """The agreements as plain ``rules.Agreement`` values."""
        return [rules.Agreement(
            id=agreement.id,
            date_start=fields.Date.from_string(agreement.date_start),
            date_end=fields.Date.from_string(agreement.date_end),
            area_ids=frozenset(agreement.service_area_ids.ids),
            express_rate=agreement.express_rate,
            ondemand_rate=agreement.ondemand_rate,
        ) for agreement in self]
