# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
"""The manager's dashboard: a known set of emergencies of one team in March
2026, each figure against the value computed by hand."""
from .common import InvoiceCase

MARCH = {"date_from": "2026-03-01", "date_to": "2026-03-31"}


class TestDashboard(InvoiceCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env["helpdesk.ticket.team"].create({
            "name": "Dashboard team (test)",
            "user_ids": [(6, 0, (cls.specialist | cls.manager).ids)]})

    def in_team(self, ticket, minutes=None, on_time=None, answered="2026-03-04 09:00:00"):
        """The ticket in the test team; with ``minutes``, answered after
        those minutes (SQL: the workflow stamps "now")."""
        ticket.sudo().write({"team_id": self.team.id})
        if minutes is not None:
            self.env.cr.execute("""
                UPDATE helpdesk_ticket SET evaluation_date = %s,
                       evaluation_response_minutes = %s, evaluation_on_time = %s
                 WHERE id = %s""", (answered, minutes, on_time, ticket.id))
            ticket.invalidate_cache()
        return ticket

    def board(self, user=None, **vals):
        values = dict(MARCH, team_id=self.team.id)
        values.update(vals)
        return self.env["emergency.dashboard"].sudo(user or self.manager).create(values)

    def build(self):
        """The known set; returns the team's tickets."""
        # 1. in evaluation, never answered, deadline passed: overdue
        t_eval = self.in_team(self.new_emergency(
            self.person_b, request_date="2026-03-03 08:00:00"))
        # 2. proposed, answered in 30 minutes
        t_prop = self.new_emergency(self.person_b, request_date="2026-03-04 08:00:00")
        self.evaluate(t_prop, guarantee_hours=2)
        self.in_team(t_prop, 30, True)
        # 3. accepted, awaiting the guarantee (a draft invoice), 45 minutes
        t_await = self.accepted(self.person_b)
        self.in_team(t_await, 45, True)
        # 4. normalization: guarantee paid; 2 h approved, not invoiced yet;
        #    answered late (90 minutes)
        t_norm = self.opened(self.person_b, normalized=None)
        self.in_team(t_norm, 90, False)
        self.log("2026-03-02 10:00:00", 2.0, ticket=t_norm)
        self.approve(t_norm)
        # 5. mitigation: guarantee paid; 3 h of normalization approved (its
        #    invoice made at the approval); 1.5 h of mitigation submitted,
        #    1 h disputed; 20 minutes
        t_mit = self.opened(self.person_b)
        self.in_team(t_mit, 20, True)
        self.log("2026-03-02 10:00:00", 3.0, ticket=t_mit)
        self.approve(t_mit)
        self.log("2026-03-02 15:00:00", 1.5, ticket=t_mit)
        pending = self.Cutoff._emergency_make_cutoffs(ticket_ids=t_mit.ids)
        pending.sudo(self.specialist).action_submit()
        disputed_line = self.log("2026-03-03 10:00:00", 1.0, ticket=t_mit)
        disputed = self.Cutoff._emergency_make_cutoffs(ticket_ids=t_mit.ids)
        disputed.sudo(self.specialist).action_submit()
        disputed.sudo(self.portal_b).emergency_client_dispute([{
            "line_id": disputed_line.id, "reason": "We did not ask for it",
            "proposed_hours": 0.5}])
        self.env.cr.execute(
            "UPDATE emergency_timesheet_cutoff SET disputed_date = %s WHERE id = %s",
            ("2026-03-03 18:00:00", disputed.id))
        # the invoices are dated in March; the normalization one validated
        tickets = t_eval | t_prop | t_await | t_norm | t_mit
        self.env.cr.execute(
            "UPDATE account_invoice SET date_invoice = %s WHERE emergency_ticket_id IN %s",
            ("2026-03-10", tuple(tickets.ids)))
        self.Invoice.invalidate_cache()
        self.invoice(t_mit, "normalization").sudo(self.accountant).action_invoice_open()
        return tickets

    def test_each_figure_against_the_hand_count(self):
        self.build()
        board = self.board()
        # open, by phase, and on whom they wait
        self.assertEqual(
            [board.count_evaluation, board.count_proposed, board.count_accepted,
             board.count_awaiting_guarantee, board.count_normalization,
             board.count_mitigation, board.count_open, board.count_overdue],
            [1, 1, 0, 1, 1, 1, 5, 1])
        self.assertEqual((board.count_cutoff_staff, board.count_cutoff_client), (1, 1))
        # the promise: 5 due (4 answered, 1 overdue), 3 in time; minutes
        # answered 20, 30, 45, 90: median (30 + 45) / 2, 90th percentile
        # 45 + 0.7 * (90 - 45) (linear, as percentile_cont)
        self.assertEqual((board.promise_due, board.promise_kept), (5, 3))
        self.assertEqual(board.promise_share, 60.0)
        self.assertAlmostEqual(board.promise_median, 37.5)
        self.assertAlmostEqual(board.promise_p90, 76.5)
        # hours of March days by phase and state
        self.assertEqual(
            [board.hours_approved_normalization, board.hours_pending_normalization,
             board.hours_disputed_normalization, board.hours_approved_mitigation,
             board.hours_pending_mitigation, board.hours_disputed_mitigation],
            [5.0, 0.0, 0.0, 0.0, 1.5, 1.0])
        self.assertEqual(board.hours_logged, 7.5)
        self.assertEqual(board.disputes_count, 1)
        self.assertEqual(board.disputes_per_100h, 13.33)  # 1 / 7.5 h * 100
        # estimate (3 h + 5 h each) against actual, emergencies opened
        self.assertEqual((board.estimate_normalization, board.actual_normalization),
                         (6.0, 5.0))
        self.assertEqual((board.estimate_mitigation, board.actual_mitigation),
                         (10.0, 2.5))
        # money, untaxed: two guarantees paid (2 h x 35), normalization 3 h
        # x 35; a guarantee still in draft; t_norm's 2 h approved unbilled
        self.assertEqual(
            [board.invoiced_guarantee, board.invoiced_normalization,
             board.invoiced_mitigation, board.invoiced_supplement,
             board.invoiced_total], [140.0, 105.0, 0.0, 0.0, 245.0])
        self.assertEqual(board.count_invoice_draft, 1)
        self.assertEqual((board.unbilled_hours, board.unbilled_amount), (2.0, 70.0))

    def test_the_hours_report_counts_as_the_dashboard(self):
        self.build()
        groups = self.env["emergency.time.report"].sudo(self.manager).read_group(
            [("team_id", "=", self.team.id), ("date", ">=", "2026-03-01"),
             ("date", "<=", "2026-03-31")],
            ["phase", "hours_kind", "hours"], ["phase", "hours_kind"], lazy=False)
        self.assertEqual(
            {(group["phase"], group["hours_kind"]): group["hours"] for group in groups},
            {("normalization", "approved"): 5.0, ("mitigation", "pending"): 1.5,
             ("mitigation", "disputed"): 1.0})

    def test_another_period_shows_nothing_of_march(self):
        self.build()
        board = self.board(date_from="2026-04-01", date_to="2026-04-30")
        self.assertEqual((board.promise_due, board.hours_logged, board.invoiced_total),
                         (0, 0.0, 0.0))
        self.assertEqual(board.promise_share, 0.0)
        # what waits now does not depend on the period
        self.assertEqual((board.count_open, board.unbilled_hours), (5, 2.0))

    def test_a_day_disputed_after_the_period_counts_in_its_period(self):
        """Regression: "Hours logged 00:00" next to "Days disputed 1". The
        hours counted by the day of the work, the disputes by the moment of
        the dispute: a day of March disputed on April 2nd showed in April
        without its hours. Both count by the day of the work now, and a day
        corrected down to nothing still shows the hours the team logged."""
        ticket = self.in_team(self.opened(self.person_b, normalized=None))
        line = self.log("2026-03-31 10:00:00", 2.0, ticket=ticket)
        cutoff = self.Cutoff._emergency_make_cutoffs(ticket_ids=ticket.ids)
        cutoff.sudo(self.specialist).action_submit()
        cutoff.sudo(self.portal_b).emergency_client_dispute([{
            "line_id": line.id, "reason": "We did not ask for it",
            "proposed_hours": 0.0}])
        self.env.cr.execute(
            "UPDATE emergency_timesheet_cutoff SET disputed_date = %s WHERE id = %s",
            ("2026-04-02 09:00:00", cutoff.id))
        cutoff.invalidate_cache()
        # the team agrees with the client: the day's time corrected to nothing
        cutoff.sudo(self.specialist).action_correct()
        self.assertTrue(cutoff.correction_ids)
        march = self.board()
        self.assertEqual((march.hours_logged, march.disputes_count), (2.0, 1))
        self.assertEqual(march.disputes_per_100h, 50.0)
        april = self.board(date_from="2026-04-01", date_to="2026-04-30")
        self.assertEqual((april.hours_logged, april.disputes_count), (0.0, 0))
        # the counter's list is that day; the hours' list, its logged line
        action = march.with_context(counter="disputes").action_open()
        self.assertEqual(self.Cutoff.sudo(self.manager).search(action["domain"]), cutoff)
        action = march.with_context(counter="hours").action_open()
        self.assertEqual(self.Line.sudo(self.manager).search(action["domain"]), line)

    def test_a_group_of_time_lines_has_no_summed_rate(self):
        """The accountant's time lines grouped (by cut-off, by emergency):
        the group row sums the hours, never the hourly rates (two lines at
        35 made a "rate" of 70)."""
        ticket = self.in_team(self.opened(self.person_b, normalized=None))
        self.log("2026-03-05 10:00:00", 1.0, ticket=ticket)
        self.log("2026-03-05 12:00:00", 1.5, ticket=ticket)
        cutoff = self.approve(ticket)
        self.assertEqual(cutoff.line_ids.mapped("emergency_rate"), [35.0, 35.0])
        for groupby in ("emergency_cutoff_id", "ticket_id"):
            groups = self.Line.sudo(self.accountant).read_group(
                [("ticket_id", "=", ticket.id)],
                ["unit_amount", "emergency_rate", groupby], [groupby])
            self.assertEqual(len(groups), 1)
            self.assertEqual(groups[0]["unit_amount"], 2.5)
            self.assertNotIn("emergency_rate", groups[0])
        # the monthly plans grouped by client: their average rate
        self.env["emergency.plan.agreement"].create({
            "name": "Plan A 2027", "partner_id": self.client_a.id,
            "service_area_ids": [(6, 0, self.area_db.ids)],
            "date_start": "2027-01-01", "date_end": "2027-12-31",
            "express_rate": 40.0, "ondemand_rate": 30.0})
        groups = self.env["emergency.plan.agreement"].read_group(
            [("partner_id", "=", self.client_a.id)],
            ["partner_id", "express_rate", "ondemand_rate"], ["partner_id"])
        self.assertEqual((groups[0]["express_rate"], groups[0]["ondemand_rate"]),
                         (35.0, 29.0))

    def test_each_counter_opens_its_list(self):
        tickets = self.build()
        board = self.board()
        action = board.with_context(counter="phase_normalization").action_open()
        self.assertEqual(action["res_model"], "helpdesk.ticket")
        found = self.env["helpdesk.ticket"].sudo(self.manager).search(action["domain"])
        self.assertEqual(found, tickets.filtered(
            lambda t: t.emergency_phase == "normalization"))
        action = board.with_context(counter="overdue").action_open()
        found = self.env["helpdesk.ticket"].sudo(self.manager).search(action["domain"])
        self.assertEqual(found.mapped("emergency_phase"), ["evaluation"])
        action = board.with_context(counter="cutoff_client").action_open()
        self.assertEqual(action["res_model"], "emergency.timesheet.cutoff")
        self.assertEqual(self.Cutoff.sudo(self.manager).search_count(action["domain"]), 1)
        action = board.with_context(counter="unbilled").action_open()
        lines = self.Line.sudo(self.manager).search(action["domain"])
        self.assertEqual(sum(lines.mapped("unit_amount")), 2.0)
        action = self.board(self.accountant).with_context(counter="invoiced").action_open()
        self.assertEqual(action["res_model"], "account.invoice")
        self.assertEqual(len(self.Invoice.sudo(self.accountant).search(action["domain"])), 3)

    def test_same_queries_for_few_and_many_emergencies(self):
        self.build()
        names = [name for name, field in self.env["emergency.dashboard"]._fields.items()
                 if field.compute and name != "display_name"]

        def queries():
            board = self.board()
            board.invalidate_cache()
            before = self.env.cr.sql_log_count
            board.read(names)
            return self.env.cr.sql_log_count - before

        queries()  # the first read fills the caches (access rights, rules)
        few = queries()
        for day in range(3, 9):
            ticket = self.opened(self.person_b, normalized=None)
            self.in_team(ticket, 10, True)
            self.log("2026-03-%02d 10:00:00" % day, 1.0, ticket=ticket)
        queries()
        self.assertEqual(queries(), few)

    def test_from_an_invoice_line_to_its_time_and_cutoffs(self):
        self.build()
        invoice = self.Invoice.search([
            ("emergency_ticket_id.team_id", "=", self.team.id),
            ("emergency_kind", "=", "normalization")])
        line = self.time_lines(invoice).sudo(self.accountant)
        action = line.action_emergency_open_time()
        time = self.Line.sudo(self.accountant).search(action["domain"])
        self.assertEqual(sum(time.mapped("unit_amount")), 3.0)
        action = line.action_emergency_open_cutoffs()
        cutoffs = self.Cutoff.sudo(self.accountant).search(action["domain"])
        self.assertEqual(len(cutoffs), 1)
        # who approved, when: the accountant reads it
        self.assertEqual(cutoffs.staff_approved_by_id, self.specialist)
        self.assertEqual(cutoffs.client_approved_by_id, self.portal_b)
        self.assertTrue(cutoffs.client_approved_date)
