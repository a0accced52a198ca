# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    emergency_cutoff_hour = fields.Integer(
        string="Daily cut-off hour",
        default=20,
        help="Hour of the day (company time zone, 0-23) after which the "
             "daily cut-offs of the emergencies are made (R15).",
    )
    emergency_cutoff_last_day = fields.Date(
        string="Last cut-off day", readonly=True, copy=False,
        help="The day the daily cut-offs were last made.")
    emergency_tacit_approval = fields.Boolean(
        string="Tacit approval of cut-offs",
        help="A submitted cut-off the client does not answer within the "
             "given hours counts as approved by the client; a reminder is "
             "sent 24 hours before.",
    )
    emergency_tacit_hours = fields.Integer(
        string="Tacit approval after (hours)", default=72)
    emergency_pool_margin = fields.Float(
        string="Estimate margin (%)",
        default=10.0,
        help="When the time of an emergency passes its estimate by more than "
             "this share, the lead expert gets an activity (R21).",
    )

    @api.constrains("emergency_cutoff_hour", "emergency_tacit_hours",
                    "emergency_pool_margin")
    def _check_emergency_timesheet_settings(self):
        for company in self:
            if not 0 <= company.emergency_cutoff_hour <= 23:
                raise ValidationError(_(
                    "The daily cut-off hour is an hour of the day, from 0 "
                    "to 23."))
            if company.emergency_tacit_hours <= 24:
                raise ValidationError(_(
                    "Tacit approval needs more than 24 hours: the client is "
                    "reminded 24 hours before."))
            if company.emergency_pool_margin < 0:
                raise ValidationError(_(
                    "The estimate margin cannot be negative."))
