# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models


class ProjectProject(models.Model):
    _inherit = "project.project"

    emergency_client_id = fields.Many2one(
        comodel_name="res.partner",
        string="Emergencies of",
        readonly=True,
        index=True,
        help="The project holding the emergency time of this client (one "
             "per client and company).",
    )

    @api.model
    def _emergency_project_for(self, client, company):
        """The client's emergency project in ``company``, made the first time."""
        project = self.sudo().with_context(active_test=False).search([
            ("emergency_client_id", "=", client.id),
            ("company_id", "=", company.id)], limit=1)
        if not project:
            project = self.sudo().create({
                "name": _("Emergencies - %s") % client.name,
                "emergency_client_id": client.id,
                "partner_id": client.id,
                "company_id": company.id,
                "allow_timesheets": True,
                "privacy_visibility": "employees",
            })
        return project
