# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError

from .. import rules
from ..workflow import privileged


#: the phases of an emergency (labels translated by the ORM, as selections are)
PHASE_SELECTION = [
    (rules.EVALUATION, "Evaluation"),
    (rules.REJECTED, "Rejected"),
    (rules.PROPOSED, "Proposed"),
    (rules.ACCEPTED, "Accepted"),
    (rules.AWAITING_GUARANTEE, "Awaiting guarantee"),
    (rules.NORMALIZATION, "Normalization"),
    (rules.MITIGATION, "Mitigation"),
    (rules.CLOSED, "Closed"),
    (rules.CANCELLED, "Cancelled"),
]


class EmergencyPhaseHistory(models.Model):
    """When each phase of an emergency started and ended.

    Extension point: the timesheet addon tags every time line with the phase
    in force at the line's date and time (``helpdesk.ticket._emergency_phase_at``).
    """

    _name = "emergency.phase.history"
    _description = "Emergency phase history"
    _order = "date_start, id"

    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        required=True,
        ondelete="cascade",
        index=True,
        readonly=True,
    )
    phase = fields.Selection(
        selection=PHASE_SELECTION, required=True, readonly=True)
    date_start = fields.Datetime(string="Started", required=True, readonly=True)
    date_end = fields.Datetime(string="Ended", readonly=True)
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Moved by",
        readonly=True,
        index=True,
    )
    duration_hours = fields.Float(
        string="Duration (hours)",
        compute="_compute_duration_hours",
        store=True,
        help="Elapsed time in the phase; empty while the phase goes on.",
    )
    company_id = fields.Many2one(
        related="ticket_id.company_id", store=True, readonly=True, index=True)

    @api.depends("date_start", "date_end")
    def _compute_duration_hours(self):
        for line in self.filtered("date_end"):
            delta = (fields.Datetime.from_string(line.date_end)
                     - fields.Datetime.from_string(line.date_start))
            line.duration_hours = delta.total_seconds() / 3600.0

    @api.model
    def create(self, vals):
        self._check_workflow()
        return super().create(vals)

    @api.multi
    def write(self, vals):
        self._check_workflow()
        return super().write(vals)

    @api.multi
    def unlink(self):
        self._check_workflow()
        return super().unlink()

    def _check_workflow(self):
        """The history decides which hours are billed at which rate: only
        the emergency's own steps write it (as the superuser)."""
        if not privileged(self.env):
            raise AccessError(_(
                "The phase history of an emergency is written by its steps "
                "only: use the emergency's buttons."))
