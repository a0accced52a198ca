# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
"""The invoices in the emergency's next step: a draft invoice waits for the
accountant (R18)."""
from odoo import _, api, models

from odoo.addons.emergency_support import rules as core


# one model split by concern (STYLE.md): pylint: disable=consider-merging-classes-inherited
class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    @api.model
    def _emergency_next_step_labels(self):
        labels = super()._emergency_next_step_labels()
        labels["validate_invoice"] = _(
            "The accountant validates the draft %s invoice (Invoicing).")
        return labels

    @api.multi
    def _emergency_due_steps(self):
        steps = super()._emergency_due_steps()
        invoices = self.env["account.invoice"].sudo().search_read(
            [("emergency_ticket_id", "in", self.ids), ("state", "=", "draft"),
             ("emergency_kind", "!=", False)],
            ["emergency_ticket_id", "emergency_kind"], order="id")
        kinds = dict(self.env["account.invoice"]._fields[
            "emergency_kind"]._description_selection(self.env))
        for invoice in invoices:
            steps[invoice["emergency_ticket_id"][0]].append((
                "validate_invoice", core.ACCOUNTANT,
                kinds[invoice["emergency_kind"]].lower()))
        return steps
