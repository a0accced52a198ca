# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
"""The next step of an emergency and who must act, shown at the top of its
form. The rule is ``rules.next_step``; the later addons add the steps they
know of (a daily cut-off to approve, an invoice to validate) through
``_emergency_due_steps`` and their labels through
``_emergency_next_step_labels``."""
from odoo import _, api, fields, models

from .. import rules

ACTOR_SELECTION = [
    (rules.TEAM, "The team (you)"),
    (rules.CLIENT, "The client"),
    (rules.ACCOUNTANT, "The accountant"),
    (rules.NOBODY, "Nobody"),
]


# one model split by concern (STYLE.md): pylint: disable=consider-merging-classes-inherited
class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    emergency_next_step = fields.Char(
        string="Next step", compute="_compute_emergency_next_step",
        help="What the emergency waits for now.")
    emergency_next_actor = fields.Selection(
        selection=ACTOR_SELECTION, string="Who acts",
        compute="_compute_emergency_next_step",
        help="Who must do the next step.")

    @api.model
    def _emergency_next_step_labels(self):
        """``{step: text}``; a text may hold one ``%s`` (the record the
        step is about, e.g. a cut-off). Extension point."""
        return {
            "evaluate": _("Evaluate the emergency: click 'Evaluate' and "
                          "answer the client within the promise."),
            "accept": _("The client accepts the proposal (and the NDA) on "
                        "the portal; if the client accepts by phone, click "
                        "'Client accepted'."),
            "pay_guarantee": _("The client pays the guarantee on the portal "
                               "(the team may waive it instead)."),
            "normalize": _("Restore the service: log the time, confirm each "
                           "criterion, then click 'Normalization reached'."),
            "mitigate": _("Mitigate the causes: log the time, then click "
                          "'Close emergency'."),
            "none": _("Nothing: the emergency is finished."),
        }

    @api.multi
    def _emergency_due_steps(self):
        """``{ticket id: [(step, actor, subject), ...]}``: the steps the
        later addons find waiting, most urgent first (``subject`` fills the
        label's ``%s``). Batch: one query per addon. Extension point."""
        return {ticket.id: [] for ticket in self}

    @api.depends("is_emergency", "emergency_phase")
    def _compute_emergency_next_step(self):
        saved = self.filtered(lambda t: isinstance(t.id, int) and t.is_emergency)
        due = saved._emergency_due_steps() if saved else {}
        labels = self._emergency_next_step_labels()
        for ticket in self:
            phase = ticket.emergency_phase if ticket.is_emergency else False
            found = rules.next_step(phase, due.get(ticket.id, ()))
            step, actor = found[0], found[1]
            subject = found[2] if len(found) > 2 else None
            text = labels.get(step) or False
            if text and "%s" in text:
                text = text % (subject or "")
            ticket.emergency_next_step = text
            ticket.emergency_next_actor = actor or False
