# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
from odoo import models


class EmergencyTimesheetCutoff(models.Model):
    _inherit = "emergency.timesheet.cutoff"

    def _emergency_finish(self):
        """The last approval of a phase's time makes the invoice that waited
        for it; time approved after its invoice goes on the next one (for
        emergencies whose phases were reached through their steps, see
        ``helpdesk.ticket.emergency_invoice_auto``). A failure to invoice
        never loses the approval: see ``_emergency_make_invoices_safely``."""
        done = super()._emergency_finish()
        tickets = done.sudo().mapped("ticket_id").filtered("emergency_invoice_auto")
        if tickets:
            tickets._emergency_make_invoices_safely()
        return done
