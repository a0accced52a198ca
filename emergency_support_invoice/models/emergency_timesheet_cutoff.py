# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
from odoo import models


class EmergencyTimesheetCutoff(models.Model):
    _inherit = "emergency.timesheet.cutoff"

    def _emergency_finish(self):
        """The last approval of a phase's time makes the invoice that waited
        for it; time approved after its invoice goes on the next one."""
        done = super()._emergency_finish()
        if done:
            done.sudo().mapped("ticket_id")._emergency_make_invoices()
        return done
