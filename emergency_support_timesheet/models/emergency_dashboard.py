# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
"""The time figures of the manager's dashboard: approvals waiting, hours of
the period by phase and state (as the client's hour pool counts them),
disputes per 100 hours, estimate against actual (R15, R21)."""
from odoo import api, fields, models

from odoo.addons.emergency_support import rules as core
from odoo.addons.emergency_support.models.emergency_dashboard import period_bounds

from .. import rules

PHASES = (core.NORMALIZATION, core.MITIGATION)


class EmergencyDashboard(models.TransientModel):
    _inherit = "emergency.dashboard"

    count_cutoff_staff = fields.Integer(
        string="Days awaiting the team's approval",
        compute="_compute_cutoff_counts")
    count_cutoff_client = fields.Integer(
        string="Days awaiting the client's approval",
        compute="_compute_cutoff_counts")

    hours_approved_normalization = fields.Float(
        string="Approved, normalization", compute="_compute_hours")
    hours_approved_mitigation = fields.Float(
        string="Approved, mitigation", compute="_compute_hours")
    hours_pending_normalization = fields.Float(
        string="Pending, normalization", compute="_compute_hours")
    hours_pending_mitigation = fields.Float(
        string="Pending, mitigation", compute="_compute_hours")
    hours_disputed_normalization = fields.Float(
        string="Disputed, normalization", compute="_compute_hours")
    hours_disputed_mitigation = fields.Float(
        string="Disputed, mitigation", compute="_compute_hours")
    hours_logged = fields.Float(
        string="Hours logged", compute="_compute_hours",
        help="The time the team logged on days of the period, the "
             "corrections of disputed lines aside.")
    disputes_count = fields.Integer(
        string="Days disputed", compute="_compute_hours",
        help="Days of the period whose time the client disputed, whenever "
             "it disputed them: their hours are among the hours logged.")
    disputes_per_100h = fields.Float(
        string="Disputes per 100 hours", compute="_compute_hours",
        help="Days disputed in the period for each 100 hours logged in it.")

    estimate_normalization = fields.Float(
        string="Estimated normalization", compute="_compute_estimates",
        help="Estimates of the emergencies requested in the period whose "
             "service opened.")
    actual_normalization = fields.Float(
        string="Actual normalization", compute="_compute_estimates",
        help="Time logged in normalization on those emergencies.")
    estimate_mitigation = fields.Float(
        string="Estimated mitigation", compute="_compute_estimates")
    actual_mitigation = fields.Float(
        string="Actual mitigation", compute="_compute_estimates")

    @api.depends("date_from", "date_to", "team_id")
    def _compute_cutoff_counts(self):
        Cutoff = self.env["emergency.timesheet.cutoff"]
        for board in self:
            board.count_cutoff_staff = Cutoff.search_count(
                board._domain_cutoff_staff())
            board.count_cutoff_client = Cutoff.search_count(
                board._domain_cutoff_client())

    @api.depends("date_from", "date_to", "team_id")
    def _compute_hours(self):
        for board in self:
            groups = board._hour_groups()
            hours = rules.pool_hours(groups)
            for phase in PHASES:
                for kind in rules.HOUR_KINDS:
                    value = hours.get(phase, {}).get(kind, 0.0)
                    board["hours_%s_%s" % (kind, phase)] = value
            logged = rules.logged_hours(groups)
            disputes = self.env["emergency.timesheet.cutoff"].search_count(
                board._domain_disputed())
            board.hours_logged = logged
            board.disputes_count = disputes
            board.disputes_per_100h = core.per_hundred_hours(disputes, logged)

    @api.depends("date_from", "date_to", "team_id")
    def _compute_estimates(self):
        for board in self:
            domain = board._domain_estimated()
            tickets = self.env["helpdesk.ticket"].read_group(
                domain, ["estimated_normalization_hours",
                         "estimated_mitigation_hours"], [])
            actual = {group["emergency_phase"]: group["unit_amount"]
                      for group in self.env["account.analytic.line"].read_group(
                          [("ticket_id.%s" % leaf[0], leaf[1], leaf[2])
                           for leaf in domain],
                          ["emergency_phase", "unit_amount"], ["emergency_phase"])}
            totals = tickets[0] if tickets else {}
            board.estimate_normalization = totals.get(
                "estimated_normalization_hours") or 0.0
            board.estimate_mitigation = totals.get(
                "estimated_mitigation_hours") or 0.0
            board.actual_normalization = actual.get(core.NORMALIZATION) or 0.0
            board.actual_mitigation = actual.get(core.MITIGATION) or 0.0

    # ------------------------------------------------------------------
    # queries and domains
    # ------------------------------------------------------------------

    def _hour_groups(self):
        """The period's time lines grouped as the client's hour pool counts
        them: ``(phase, cut-off state, disputed, corrects a line, hours)``,
        one query."""
        from_clause, where_clause, params = self._rule_query(
            "account.analytic.line", self._domain_period_lines())
        line = '"account_analytic_line"'
        self.env.cr.execute("""
            SELECT {l}.emergency_phase, cutoff.state,
                   coalesce({l}.emergency_disputed, FALSE),
                   {l}.emergency_corrected_line_id IS NOT NULL,
                   sum({l}.unit_amount)
              FROM {f}
              LEFT JOIN emergency_timesheet_cutoff cutoff
                     ON cutoff.id = {l}.emergency_cutoff_id
             WHERE {w}
             GROUP BY 1, 2, 3, 4
        """.format(l=line, f=from_clause, w=where_clause), params)
        return self.env.cr.fetchall()

    def _domain_period_lines(self):
        return self._domain_team("ticket_id.") + [
                ("ticket_id", "!=", False),
                ("date", ">=", self.date_from), ("date", "<=", self.date_to)]

    def _domain_cutoff_staff(self):
        return self._domain_team("ticket_id.") + [
                ("state", "=", rules.SUBMITTED),
                ("staff_approved_date", "=", False)]

    def _domain_cutoff_client(self):
        return self._domain_team("ticket_id.") + [
                ("state", "=", rules.SUBMITTED),
                ("client_approved_date", "=", False)]

    def _domain_disputed(self):
        """The disputed days of the period: cut-offs the client disputed
        (whenever it did), by their day, the date the hours of the period
        count by (a time line's day is its cut-off's). A day of the period
        disputed after the period's end still counts in it: its hours do."""
        return self._domain_team("ticket_id.") + [
            ("disputed_date", "!=", False),
            ("date", ">=", self.date_from), ("date", "<=", self.date_to)]

    def _domain_estimated(self):
        start, end = period_bounds(self.date_from, self.date_to)
        return self._domain_team() + [
            ("is_emergency", "=", True), ("request_date", ">=", start),
            ("request_date", "<", end), ("service_opened_date", "!=", False)]

    def _counter_domains(self):
        result = super()._counter_domains()
        cutoff = "emergency.timesheet.cutoff"
        result.update(
            cutoff_staff=self._counter(
                cutoff, self._domain_cutoff_staff(), "count_cutoff_staff"),
            cutoff_client=self._counter(
                cutoff, self._domain_cutoff_client(), "count_cutoff_client"),
            disputes=self._counter(cutoff, self._domain_disputed(), "disputes_count"),
            hours=self._counter("account.analytic.line", self._domain_period_lines() + [
                ("emergency_corrected_line_id", "=", False)], "hours_logged"),
            estimated=self._counter(
                "helpdesk.ticket", self._domain_estimated(), "estimate_normalization"),
        )
        return result
