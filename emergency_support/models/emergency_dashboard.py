# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
"""The manager's dashboard (Helpdesk > Emergencies > Dashboard).

Every figure comes from a grouped read or one aggregate SQL query with the
reader's record rules applied: the dashboard costs the same number of queries
for 10 emergencies as for 10,000. The timesheet and invoice addons add their
figures by ``_inherit``.
"""
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models

from .. import rules

#: the open phases the dashboard counts, with the field of each counter
OPEN_PHASES = (rules.EVALUATION, rules.PROPOSED, rules.ACCEPTED,
               rules.AWAITING_GUARANTEE, rules.NORMALIZATION, rules.MITIGATION)


def _first_of_month():
    return fields.Date.to_string(date.today().replace(day=1))


def _last_of_month():
    return fields.Date.to_string(
        date.today().replace(day=1) + relativedelta(months=1, days=-1))


def period_bounds(date_from, date_to):
    """The period as naive UTC datetimes strings ``[start, end)``: whole
    days from ``date_from`` to ``date_to`` included."""
    start = fields.Date.from_string(date_from)
    end = fields.Date.from_string(date_to) + relativedelta(days=1)
    return fields.Datetime.to_string(start), fields.Datetime.to_string(end)


def list_action(env, model, domain, title, xmlid=None, context=None):
    """A window action opening the list of ``model`` that ``domain``
    selects, titled ``title``, in the current window: the action ``xmlid``
    (its views, search view and help) when given, else the model's default
    list and form. The dashboard's counters of the three addons and the
    accountant's links open their lists with it."""
    if xmlid:
        action = env.ref(xmlid).read()[0]
    else:
        action = {"type": "ir.actions.act_window", "res_model": model,
                  "view_mode": "tree,form",
                  "views": [(False, "tree"), (False, "form")]}
    # the web client titles the list with display_name (read() gives the
    # action's own): both say the counter's name
    action.update(name=title, display_name=title, domain=domain,
                  context=dict(context or {}), target="current")
    return action


class EmergencyDashboard(models.TransientModel):
    _name = "emergency.dashboard"
    _description = "Emergencies dashboard"

    date_from = fields.Date(
        string="From", required=True, default=lambda self: _first_of_month())
    date_to = fields.Date(
        string="To", required=True, default=lambda self: _last_of_month())
    team_id = fields.Many2one(
        comodel_name="helpdesk.ticket.team", string="Team", index=True,
        help="Only the emergencies of this team; all when empty.")

    count_evaluation = fields.Integer(
        string="In evaluation", compute="_compute_open_counts")
    count_proposed = fields.Integer(
        string="Proposed", compute="_compute_open_counts")
    count_accepted = fields.Integer(
        string="Accepted", compute="_compute_open_counts")
    count_awaiting_guarantee = fields.Integer(
        string="Awaiting the guarantee", compute="_compute_open_counts")
    count_normalization = fields.Integer(
        string="In normalization", compute="_compute_open_counts")
    count_mitigation = fields.Integer(
        string="In mitigation", compute="_compute_open_counts")
    # the same figures under the party they wait on: fields of their own, as
    # the web client gives every occurrence of a field the last one's label
    count_wait_specialist = fields.Integer(
        string="The specialist (evaluation)", compute="_compute_open_counts")
    count_wait_client = fields.Integer(
        string="The client (acceptance)", compute="_compute_open_counts")
    count_wait_payment = fields.Integer(
        string="The payment (guarantee)", compute="_compute_open_counts")
    count_open = fields.Integer(
        string="Open", compute="_compute_open_counts")
    count_overdue = fields.Integer(
        string="Overdue now", compute="_compute_open_counts")

    promise_due = fields.Integer(
        string="Evaluations due", compute="_compute_promise",
        help="Emergencies requested in the period that were answered, or "
             "whose deadline has passed without an answer.")
    promise_kept = fields.Integer(
        string="Answered in time", compute="_compute_promise")
    promise_share = fields.Float(
        string="Promise kept (%)", compute="_compute_promise",
        help="Answered within the promise, out of the evaluations due.")
    promise_median = fields.Float(
        string="Median minutes to evaluation", compute="_compute_promise")
    promise_p90 = fields.Float(
        string="90th percentile (minutes)", compute="_compute_promise",
        help="Nine answers in ten came within these minutes.")

    @api.multi
    def name_get(self):
        """The dashboard's title (the breadcrumb of the lists it opens), not
        ``emergency.dashboard,1``."""
        return [(board.id, _("Emergencies dashboard")) for board in self]

    @api.depends("date_from", "date_to", "team_id")
    def _compute_open_counts(self):
        tickets = self.env["helpdesk.ticket"]
        for board in self:
            groups = tickets.read_group(
                board._domain_team() + [
                    ("is_emergency", "=", True),
                    ("emergency_phase", "in", list(OPEN_PHASES))],
                ["emergency_phase"], ["emergency_phase"])
            counts = {group["emergency_phase"]: group["emergency_phase_count"]
                      for group in groups}
            for phase in OPEN_PHASES:
                board["count_%s" % phase] = counts.get(phase, 0)
            board.count_wait_specialist = board.count_evaluation
            board.count_wait_client = board.count_proposed
            board.count_wait_payment = board.count_awaiting_guarantee
            board.count_open = sum(counts.values())
            board.count_overdue = tickets.search_count(board._domain_overdue())

    @api.depends("date_from", "date_to", "team_id")
    def _compute_promise(self):
        for board in self:
            due, kept, median, p90 = board._promise_figures()
            board.promise_due = due
            board.promise_kept = kept
            board.promise_share = rules.share_percent(kept, due)
            board.promise_median = median or 0.0
            board.promise_p90 = p90 or 0.0

    # ------------------------------------------------------------------
    # queries
    # ------------------------------------------------------------------

    def _domain_team(self, path=""):
        """The chosen team's emergencies, on a model whose ``path`` leads to
        the emergency (``""`` for the emergency itself)."""
        if not self.team_id:
            return []
        return [(path + "team_id", "=", self.team_id.id)]

    def _rule_query(self, model, domain):
        """``(from, where, params)`` of ``domain`` on ``model`` with the
        reader's record rules, to aggregate in SQL what read_group cannot
        (percentiles, conditional sums)."""
        records = self.env[model]
        query = records._where_calc(domain)
        records._apply_ir_rules(query, "read")
        from_clause, where_clause, params = query.get_sql()
        return from_clause, where_clause or "TRUE", params

    def _promise_figures(self):
        """``(due, kept, median, p90)`` of the 60-minute promise (R9) for the
        emergencies requested in the period."""
        start, end = period_bounds(self.date_from, self.date_to)
        from_clause, where_clause, params = self._rule_query(
            "helpdesk.ticket",
            self._domain_team() + [
             ("is_emergency", "=", True), ("request_date", ">=", start),
             ("request_date", "<", end),
             "|", ("evaluation_date", "!=", False),
             ("evaluation_deadline", "<", fields.Datetime.now())])
        table = '"helpdesk_ticket"'
        self.env.cr.execute("""
            SELECT count(*),
                   count(*) FILTER (WHERE {t}.evaluation_on_time),
                   percentile_cont(0.5) WITHIN GROUP (
                       ORDER BY {t}.evaluation_response_minutes)
                       FILTER (WHERE {t}.evaluation_date IS NOT NULL),
                   percentile_cont(0.9) WITHIN GROUP (
                       ORDER BY {t}.evaluation_response_minutes)
                       FILTER (WHERE {t}.evaluation_date IS NOT NULL)
              FROM {f} WHERE {w}
        """.format(t=table, f=from_clause, w=where_clause), params)
        return self.env.cr.fetchone()

    # ------------------------------------------------------------------
    # the lists behind the counters
    # ------------------------------------------------------------------

    def _domain_overdue(self):
        return self._domain_team() + [
            ("is_emergency", "=", True), ("evaluation_overdue", "=", True)]

    def _counter(self, model, domain, field_name):
        """``(model, domain, title)`` of a counter: the list of ``model``
        that ``domain`` selects, titled with the label of the dashboard's
        field ``field_name`` (in the reader's language). The three addons
        describe their counters with it."""
        title = self._fields[field_name].get_description(self.env)["string"]
        return model, domain, title

    def _counter_domains(self):
        """``{counter: (model, domain, title)}``: what each counter opens."""
        start, end = period_bounds(self.date_from, self.date_to)
        emergencies = [("is_emergency", "=", True)]
        result = {
            "phase_%s" % phase: self._counter(
                "helpdesk.ticket", self._domain_team() + emergencies + [
                    ("emergency_phase", "=", phase)], "count_%s" % phase)
            for phase in OPEN_PHASES}
        result.update(
            open=self._counter("helpdesk.ticket", self._domain_team() + emergencies + [
                ("emergency_phase", "in", list(OPEN_PHASES))], "count_open"),
            overdue=self._counter(
                "helpdesk.ticket", self._domain_overdue(), "count_overdue"),
            promise=self._counter("helpdesk.ticket", self._domain_team() + emergencies + [
                ("request_date", ">=", start), ("request_date", "<", end),
                "|", ("evaluation_date", "!=", False),
                ("evaluation_deadline", "<", fields.Datetime.now())], "promise_due"),
        )
        return result

    def _counter_list_actions(self):
        """``{model: (xml id, context)}``: the window action whose views,
        search and help the list of a counter on ``model`` reuses; a model
        left out opens in its default views. Extended by the other addons."""
        return {"helpdesk.ticket": (
            "emergency_support.helpdesk_ticket_emergency_action", {})}

    @api.multi
    def action_open(self):
        """The list behind a counter (the button's ``counter`` context key);
        the reader's access rights and record rules decide what it shows."""
        self.ensure_one()
        model, domain, title = self._counter_domains()[
            self.env.context.get("counter", "open")]
        xmlid, context = self._counter_list_actions().get(model, (None, None))
        return list_action(self.env, model, domain, title, xmlid=xmlid,
                           context=context)
