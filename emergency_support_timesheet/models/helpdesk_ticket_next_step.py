# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
"""The daily cut-offs in the emergency's next step: a day to submit, to
approve or to correct comes before the phase's own step (R15)."""
from odoo import _, api, fields, models

from odoo.addons.emergency_support import rules as core

from .. import rules


# one model split by concern (STYLE.md): pylint: disable=consider-merging-classes-inherited
class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    emergency_cutoff_waits_team = fields.Boolean(
        string="A cut-off waits for the team",
        compute="_compute_emergency_cutoff_waits_team",
        help="A daily cut-off of this emergency waits for the team: to be "
             "submitted, approved or corrected.")

    @api.depends("emergency_phase")
    def _compute_emergency_cutoff_waits_team(self):
        saved = self.filtered(lambda t: isinstance(t.id, int) and t.is_emergency)
        due = saved._emergency_cutoff_steps() if saved else {}
        for ticket in self:
            ticket.emergency_cutoff_waits_team = any(
                step[1] == core.TEAM for step in due.get(ticket.id, ()))

    @api.model
    def _emergency_next_step_labels(self):
        labels = super()._emergency_next_step_labels()
        labels.update({
            "submit_cutoff": _("Submit the daily cut-off %s to the client "
                               "(Time tab, then the cut-off's button)."),
            "approve_cutoff": _("Approve the day: open the daily cut-off %s "
                                "(Time tab) and click 'Approve (staff)'. The "
                                "client's approval follows."),
            "correct_cutoff": _("The client disputed lines of the daily "
                                "cut-off %s: open it and correct them."),
            "client_approves_cutoff": _("The client approves the daily "
                                        "cut-off %s on the portal."),
        })
        return labels

    @api.multi
    def _emergency_due_steps(self):
        steps = super()._emergency_due_steps()
        for ticket_id, found in self._emergency_cutoff_steps().items():
            steps[ticket_id].extend(found)
        return steps

    @api.multi
    def _emergency_cutoff_steps(self):
        """``{ticket id: [(step, actor, cut-off name), ...]}``, the team's
        first (the client's wait on them). One query."""
        steps = {ticket.id: [] for ticket in self}
        cutoffs = self.env["emergency.timesheet.cutoff"].sudo().search_read(
            [("ticket_id", "in", self.ids), ("state", "!=", rules.APPROVED)],
            ["ticket_id", "name", "state", "staff_approved_date",
             "client_approved_date"], order="date, id")
        for cutoff in cutoffs:
            found = rules.cutoff_next_step(
                cutoff["state"], bool(cutoff["staff_approved_date"]),
                bool(cutoff["client_approved_date"]))
            if found:
                steps[cutoff["ticket_id"][0]].append(found + (cutoff["name"],))
        # the team's own steps first: the client's wait on them
        for ticket_id, found in steps.items():
            found.sort(key=lambda step: step[1] != core.TEAM)
        return steps

    @api.multi
    def action_emergency_open_waiting_cutoffs(self):
        """Open the daily cut-offs of this emergency that wait for the team
        (the one, when only one does)."""
        self.ensure_one()
        self._emergency_check_specialist()
        waiting = self.env["emergency.timesheet.cutoff"].search([
            ("ticket_id", "=", self.id), ("state", "!=", rules.APPROVED)])
        waiting = waiting.filtered(lambda c: (rules.cutoff_next_step(
            c.state, bool(c.staff_approved_date), bool(c.client_approved_date))
            or (None, None))[1] == core.TEAM)
        action = self.env.ref(
            "emergency_support_timesheet.emergency_timesheet_cutoff_action").read()[0]
        action["context"] = {}
        if len(waiting) == 1:
            action.update(view_mode="form", res_id=waiting.id,
                          views=[(False, "form")])
        else:
            action["domain"] = [("id", "in", waiting.ids)]
        return action
