# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
"""Time of the emergencies by phase and by how it stands (approved, pending,
disputed: the client's hour pool's words), an SQL view for the graph and
pivot of Helpdesk > Reporting (R15, R21)."""
from odoo import api, fields, models, tools

from odoo.addons.emergency_support.models.emergency_phase_history import PHASE_SELECTION

from .. import rules


class EmergencyTimeReport(models.Model):
    _name = "emergency.time.report"
    _description = "Time of the emergencies"
    _auto = False
    _order = "date desc"

    date = fields.Date(readonly=True)
    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket", string="Emergency", readonly=True)
    partner_id = fields.Many2one(
        comodel_name="res.partner", string="Client", readonly=True)
    team_id = fields.Many2one(
        comodel_name="helpdesk.ticket.team", string="Team", readonly=True)
    user_id = fields.Many2one(
        comodel_name="res.users", string="Specialist", readonly=True)
    company_id = fields.Many2one(
        comodel_name="res.company", readonly=True)
    phase = fields.Selection(
        selection=PHASE_SELECTION, readonly=True)
    hours_kind = fields.Selection(
        selection=[(rules.APPROVED_HOURS, "Approved"),
                   (rules.PENDING_HOURS, "Pending"),
                   (rules.DISPUTED_HOURS, "Disputed")],
        string="Stands as", readonly=True)
    hours = fields.Float(readonly=True)

    @api.model_cr
    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        # the same words as rules.line_hours_kind, in SQL
        self.env.cr.execute("""
            CREATE OR REPLACE VIEW emergency_time_report AS (
                SELECT line.id, line.date, line.ticket_id,
                       ticket.partner_id, ticket.team_id, line.user_id,
                       line.company_id, line.emergency_phase AS phase,
                       CASE WHEN cutoff.state = %s THEN %s
                            WHEN coalesce(line.emergency_disputed, FALSE)
                                 OR line.emergency_corrected_line_id IS NOT NULL
                            THEN %s
                            ELSE %s END AS hours_kind,
                       line.unit_amount AS hours
                  FROM account_analytic_line line
                  JOIN helpdesk_ticket ticket ON ticket.id = line.ticket_id
                  LEFT JOIN emergency_timesheet_cutoff cutoff
                         ON cutoff.id = line.emergency_cutoff_id
            )""", (rules.APPROVED, rules.APPROVED_HOURS, rules.DISPUTED_HOURS,
                   rules.PENDING_HOURS))
