# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    emergency_nda_acceptance_ids = fields.One2many(
        comodel_name="emergency.nda.acceptance",
        inverse_name="partner_id",
        string="NDAs",
        groups="helpdesk_mgmt.group_helpdesk_user,base.group_portal",
    )
    emergency_nda_in_force = fields.Boolean(
        string="NDA in force",
        compute="_compute_emergency_nda_in_force",
        help="The client (its company) has a confidentiality agreement in "
             "force today (R6).",
    )
    emergency_service_description = fields.Html(
        string="Service description",
        help="The client's \"memoria descriptiva\": components, architecture, "
             "products (R7).",
    )
    emergency_description_complete = fields.Boolean(
        string="Service description complete",
        help="Untick while the service description still has to be "
             "completed during the service (R7).",
    )
    emergency_plan_agreement_ids = fields.One2many(
        comodel_name="emergency.plan.agreement",
        inverse_name="partner_id",
        string="Monthly plans",
        groups="helpdesk_mgmt.group_helpdesk_user,base.group_portal",
    )

    @api.depends("commercial_partner_id.emergency_nda_acceptance_ids")
    def _compute_emergency_nda_in_force(self):
        now = fields.Datetime.now()
        acceptances = self.env["emergency.nda.acceptance"].sudo().search([
            ("partner_id", "in", self.mapped("commercial_partner_id").ids),
            ("revoked", "=", False),
        ])
        day = self.env["helpdesk.ticket"]._emergency_company_date(now)
        in_force = set(acceptances._in_force_at(now, day).mapped("partner_id").ids)
        for partner in self:
            partner.emergency_nda_in_force = (
                partner.commercial_partner_id.id in in_force)

    @api.multi
    def _emergency_nda_in_force(self, moment=None, day=None):
        """The acceptance in force for this client at ``moment`` (or none);
        ``day`` is the day of ``moment`` in the company's time zone."""
        self.ensure_one()
        acceptances = self.env["emergency.nda.acceptance"].sudo().search([
            ("partner_id", "=", self.commercial_partner_id.id),
            ("revoked", "=", False),
        ])
        return acceptances._in_force_at(moment or fields.Datetime.now(), day)[:1]
