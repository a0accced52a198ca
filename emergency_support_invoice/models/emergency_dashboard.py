# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
"""The money figures of the manager's dashboard: invoiced in the period by
kind, approved time not billed yet (R18, R19). Amounts are untaxed."""
from odoo import api, fields, models

from odoo.addons.emergency_support_timesheet import rules as time_rules

from .. import rules

#: invoices that count as invoiced: validated (open) or paid
INVOICED_STATES = ("open", "paid")


class EmergencyDashboard(models.TransientModel):
    _inherit = "emergency.dashboard"

    currency_id = fields.Many2one(
        comodel_name="res.currency",
        default=lambda self: self.env.user.company_id.currency_id, index=True)
    invoiced_guarantee = fields.Monetary(
        string="Guarantees invoiced", compute="_compute_invoiced")
    invoiced_normalization = fields.Monetary(
        string="Normalization invoiced", compute="_compute_invoiced")
    invoiced_mitigation = fields.Monetary(
        string="Mitigation invoiced", compute="_compute_invoiced")
    invoiced_supplement = fields.Monetary(
        string="Supplements invoiced", compute="_compute_invoiced")
    invoiced_total = fields.Monetary(
        string="Invoiced in the period", compute="_compute_invoiced",
        help="Validated or paid emergency invoices dated in the period, "
             "untaxed, credit notes deducted.")
    count_invoice_draft = fields.Integer(
        string="Invoices to validate", compute="_compute_invoiced")
    unbilled_hours = fields.Float(
        string="Approved hours not invoiced", compute="_compute_unbilled",
        help="Time approved by both parties and on no invoice yet, whatever "
             "its date.")
    unbilled_amount = fields.Monetary(
        string="Value of the approved time not invoiced", compute="_compute_unbilled",
        help="Those hours at the rate fixed at their approval.")

    @api.depends("date_from", "date_to", "team_id")
    def _compute_invoiced(self):
        # totals, not records: the helpdesk manager reads them without
        # access to the invoices, within the user's companies
        Invoice = self.env["account.invoice"].sudo()
        for board in self:
            drafts = Invoice.search_count(board._domain_invoice_draft())
            groups = Invoice.read_group(
                board._domain_invoiced(),
                ["emergency_kind", "amount_untaxed_signed"], ["emergency_kind"])
            amounts = {group["emergency_kind"]: group["amount_untaxed_signed"]
                       for group in groups}
            for kind in rules.KINDS:
                board["invoiced_%s" % kind] = amounts.get(kind) or 0.0
            board.invoiced_total = sum(value or 0.0 for value in amounts.values())
            board.count_invoice_draft = drafts

    @api.depends("date_from", "date_to", "team_id")
    def _compute_unbilled(self):
        line = '"account_analytic_line"'
        for board in self:
            from_clause, where_clause, params = board._rule_query(
                "account.analytic.line", board._domain_unbilled())
            self.env.cr.execute("""
                SELECT coalesce(sum({l}.unit_amount), 0),
                       coalesce(sum({l}.unit_amount * {l}.emergency_rate), 0)
                  FROM {f} WHERE {w}
            """.format(l=line, f=from_clause, w=where_clause), params)
            hours, amount = self.env.cr.fetchone()
            board.unbilled_hours = hours
            board.unbilled_amount = amount

    # ------------------------------------------------------------------
    # domains
    # ------------------------------------------------------------------

    def _domain_invoiced(self):
        return self._domain_team("emergency_ticket_id.") + [
                ("emergency_ticket_id", "!=", False),
                ("company_id", "in", self.env.user.company_ids.ids),
                ("state", "in", list(INVOICED_STATES)),
                ("date_invoice", ">=", self.date_from),
                ("date_invoice", "<=", self.date_to)]

    def _domain_invoice_draft(self):
        return self._domain_team("emergency_ticket_id.") + [
            ("emergency_ticket_id", "!=", False), ("state", "=", "draft"),
            ("company_id", "in", self.env.user.company_ids.ids)]

    def _domain_unbilled(self):
        return self._domain_team("ticket_id.") + [
                ("ticket_id", "!=", False),
                ("emergency_cutoff_id.state", "=", time_rules.APPROVED),
                ("emergency_invoice_line_id", "=", False)]

    def _counter_domains(self):
        result = super()._counter_domains()
        result.update(
            invoiced=self._counter(
                "account.invoice", self._domain_invoiced(), "invoiced_total"),
            invoice_draft=self._counter(
                "account.invoice", self._domain_invoice_draft(), "count_invoice_draft"),
            unbilled=self._counter(
                "account.analytic.line", self._domain_unbilled(), "unbilled_hours"),
        )
        return result

    def _counter_list_actions(self):
        result = super()._counter_list_actions()
        result.update({
            "account.invoice": ("account.action_invoice_tree1",
                                {"search_default_group_by_emergency_kind": 1}),
            "account.analytic.line": (
                "emergency_support_invoice.account_analytic_line_emergency_action", {}),
        })
        return result
