# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
"""From an invoice line to the time it bills: its time lines and their daily
cut-offs (who approved them, when). The accountant's desk."""
from odoo import _, api, models

from odoo.addons.emergency_support.models.emergency_dashboard import list_action


# one model split by concern (STYLE.md): pylint: disable=consider-merging-classes-inherited
class AccountInvoiceLine(models.Model):
    _inherit = "account.invoice.line"

    @api.multi
    def action_emergency_open_time(self):
        """The time lines billed on these invoice lines."""
        self.check_access_rights("read")
        self.check_access_rule("read")
        return list_action(
            self.env, "account.analytic.line",
            [("emergency_invoice_line_id", "in", self.ids)], _("Time billed"),
            xmlid="emergency_support_invoice.account_analytic_line_emergency_action",
            context={"group_by": "emergency_cutoff_id"})

    @api.multi
    def action_emergency_open_cutoffs(self):
        """The daily cut-offs of the time billed on these invoice lines."""
        self.check_access_rights("read")
        self.check_access_rule("read")
        cutoffs = self.mapped("emergency_timesheet_ids.emergency_cutoff_id")
        return {
            "type": "ir.actions.act_window",
            "name": _("Daily cut-offs billed"),
            "res_model": "emergency.timesheet.cutoff",
            "view_mode": "tree,form",
            "views": [(self.env.ref(
                "emergency_support_invoice."
                "emergency_timesheet_cutoff_approvals_view_tree").id, "tree"),
                (False, "form")],
            "domain": [("id", "in", cutoffs.ids)],
            "context": {},
        }
