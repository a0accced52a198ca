# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class EmergencyNdaAcceptance(models.Model):
    """Who accepted which NDA and when, or an NDA from earlier work (R6)."""

    _name = "emergency.nda.acceptance"
    _description = "NDA in force for a client"
    _order = "date_accepted desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Client",
        required=True,
        ondelete="cascade",
        domain=[("parent_id", "=", False)],
        index=True,
    )
    kind = fields.Selection(
        selection=[("default", "Company's default NDA accepted"),
                   ("prior", "Agreement from earlier work")],
        required=True,
        default="default",
    )
    nda_id = fields.Many2one(
        comodel_name="emergency.nda",
        string="NDA version",
        ondelete="restrict",
        index=True,
    )
    reference = fields.Char(
        help="Reference of the agreement signed for earlier work.")
    accepted_by_id = fields.Many2one(
        comodel_name="res.partner",
        string="Accepted by",
        required=True,
        help="The person who accepted on behalf of the client.",
        index=True,
    )
    date_accepted = fields.Datetime(
        string="Accepted on", required=True, default=fields.Datetime.now)
    date_end = fields.Date(string="Valid until")
    user_id = fields.Many2one(
        comodel_name="res.users", string="Accepted by user", readonly=True,
        help="The portal user who accepted the NDA online.", index=True)
    ip_address = fields.Char(
        string="IP address", readonly=True,
        help="Where the NDA was accepted from, when accepted online.")
    revoked = fields.Boolean()
    company_id = fields.Many2one(
        comodel_name="res.company",
        default=lambda self: self.env.user.company_id,
        index=True,
    )

    @api.constrains("kind", "nda_id", "reference")
    def _check_kind(self):
        for acceptance in self:
            if acceptance.kind == "default" and not acceptance.nda_id:
                raise ValidationError(_(
                    "Say which version of the NDA the client accepted."))
            if acceptance.kind == "prior" and not acceptance.reference:
                raise ValidationError(_(
                    "Give the reference of the agreement signed for earlier "
                    "work."))

    @api.constrains("partner_id", "accepted_by_id")
    def _check_accepted_by(self):
        for acceptance in self:
            if (acceptance.accepted_by_id.commercial_partner_id
                    != acceptance.partner_id.commercial_partner_id):
                raise ValidationError(_(
                    "%(person)s does not belong to %(client)s: an NDA is "
                    "accepted by a person of the client.") % {
                        "person": acceptance.accepted_by_id.name,
                        "client": acceptance.partner_id.name})

    @api.multi
    def _in_force_at(self, moment, day=None):
        """The acceptances in force at ``moment`` (a datetime string); their
        end date is compared with ``day``, the day of ``moment`` in the
        company's time zone (default: its UTC day)."""
        day = fields.Date.to_string(day) if day and not isinstance(day, str) else (
            day or moment[:10])
        return self.filtered(lambda a: not a.revoked
                             and a.date_accepted <= moment
                             and (not a.date_end or a.date_end >= day))
