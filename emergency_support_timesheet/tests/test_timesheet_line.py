# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError, UserError, ValidationError

from ..models.account_analytic_line import DAY_CAP_QUERY
from .common import NORMALIZED, TimesheetCase


class TestTimesheetLine(TimesheetCase):

    def test_line_takes_phase_day_and_client_project(self):
        line = self.log("2026-03-02 11:00:00", 2)
        self.assertEqual(line.emergency_phase, "normalization")
        self.assertEqual(line.date, "2026-03-02")
        self.assertEqual(line.emergency_date_end, "2026-03-02 13:00:00")
        self.assertEqual(line.project_id.emergency_client_id, self.client_b)
        self.assertEqual(line.account_id, line.project_id.analytic_account_id)
        self.assertEqual(self.ticket.emergency_project_id, line.project_id)
        # a second emergency of the same client shares the project
        other = self.open_emergency(self.person_b)
        self.assertEqual(self.log("2026-03-02 11:00:00", 1, ticket=other).project_id,
                         line.project_id)
        # searchable by phase
        self.assertIn(line, self.Line.search([("emergency_phase", "=", "normalization")]))

    def test_backdated_line_lands_in_the_phase_of_its_moment(self):
        self.set_history(self.ticket, normalized=NORMALIZED)
        self.assertEqual(self.ticket.emergency_phase, "mitigation")
        line = self.log("2026-03-02 12:00:00", 1)
        self.assertEqual(line.emergency_phase, "normalization")
        self.assertEqual(self.log("2026-03-02 15:00:00", 1).emergency_phase, "mitigation")

    def test_work_spanning_the_normalization_is_split(self):
        self.set_history(self.ticket, normalized=NORMALIZED)
        self.log("2026-03-02 13:00:00", 2.5)
        lines = self.lines()
        self.assertEqual(lines.mapped("emergency_phase"), ["normalization", "mitigation"])
        self.assertEqual(lines.mapped("unit_amount"), [1.0, 1.5])
        self.assertEqual(lines.mapped("emergency_date_start"),
                         ["2026-03-02 13:00:00", NORMALIZED])
        self.assertEqual(set(lines.mapped("emergency_client_description")),
                         {"Work (for the client)"})

    def test_caracas_midnight_splits_the_line_into_two_client_days(self):
        self.client_b.tz = "America/Caracas"  # UTC-4: midnight is 04:00 UTC
        self.log("2026-03-03 03:00:00", 2)
        lines = self.lines()
        self.assertEqual(lines.mapped("date"), ["2026-03-02", "2026-03-03"])
        self.assertEqual(lines.mapped("unit_amount"), [1.0, 1.0])

    def test_kiritimati_client_day_is_ahead_of_utc(self):
        self.client_b.tz = "Pacific/Kiritimati"  # UTC+14
        line = self.log("2026-03-02 11:00:00", 1)
        self.assertEqual(line.date, "2026-03-03")

    def test_refusals(self):
        with self.assertRaisesRegex(UserError, "not open"):
            self.log("2026-03-02 09:30:00", 1)
        with self.assertRaises(ValidationError):
            self.log("2026-03-02 11:00:00", 0)
        with self.assertRaises(ValidationError):
            self.log("2026-03-02 11:00:00", -1)
        with self.assertRaisesRegex(UserError, "started"):
            self.log(False, 1)
        self.set_history(self.ticket, normalized=NORMALIZED, closed="2026-03-04 09:00:00")
        with self.assertRaisesRegex(UserError, "closed"):
            self.log("2026-03-04 08:30:00", 1)
        self.assertFalse(self.lines())

    def test_no_more_than_24_hours_a_day_per_person(self):
        self.log("2026-03-02 10:00:00", 13)  # until 23:00
        other = self.open_emergency(self.person_b)
        with self.assertRaisesRegex(ValidationError, "24 hours"):
            self.log("2026-03-02 12:00:00", 11.5, ticket=other)
        self.log("2026-03-02 12:00:00", 11, ticket=other)
        # another person is not counted
        self.log("2026-03-02 12:00:00", 11, ticket=other, user=self.specialist2)

    def test_the_daily_cap_has_its_index(self):
        """Each time line checks the 24-hour cap of its person's days: the
        (day, person) index of the timesheet lines answers it, so a time
        entry costs the same whatever the size of the table (it read all of
        it). Its columns and condition are those of the query."""
        self.env.cr.execute("""
            SELECT indexdef FROM pg_indexes
             WHERE indexname = 'account_analytic_line_emergency_day_user'""")
        [(definition,)] = self.env.cr.fetchall()
        self.assertIn("(date, user_id)", definition)
        self.assertIn("WHERE (project_id IS NOT NULL)", definition)
        for condition in ("user_id = %s", "date IN %s", "project_id IS NOT NULL"):
            self.assertIn(condition, DAY_CAP_QUERY)

    def test_ticket_of_another_company_is_refused(self):
        company = self.env["res.company"].create({"name": "Other company (test)"})
        self.ticket.sudo().write({"company_id": company.id})
        with self.assertRaisesRegex(UserError, "company"):
            self.log("2026-03-02 11:00:00", 1)

    def test_phase_and_cutoff_are_never_typed(self):
        with self.assertRaises(UserError):
            self.log("2026-03-02 11:00:00", 1, emergency_phase="mitigation")
        line = self.log("2026-03-02 11:00:00", 1)
        with self.assertRaises(UserError):
            line.sudo(self.specialist).write({"emergency_phase": "mitigation"})
        with self.assertRaises(UserError):
            line.sudo(self.specialist).write({"emergency_rate": 1.0})

    def test_draft_line_changes_derive_again(self):
        self.set_history(self.ticket, normalized=NORMALIZED)
        line = self.log("2026-03-02 11:00:00", 1)
        line.sudo(self.specialist).write({"emergency_date_start": "2026-03-02 15:00:00"})
        self.assertEqual(line.emergency_phase, "mitigation")
        with self.assertRaisesRegex(UserError, "separate lines"):
            line.sudo(self.specialist).write({"emergency_date_start": "2026-03-02 13:30:00"})

    def test_submitted_lines_are_locked(self):
        line = self.log("2026-03-02 11:00:00", 1)
        cutoff = self.Cutoff._emergency_make_cutoffs(ticket_ids=self.ticket.ids)
        self.assertEqual(line.emergency_cutoff_id, cutoff)
        line.sudo(self.specialist).write({"name": "Still a draft"})
        cutoff.sudo(self.specialist).action_submit()
        for vals in ({"unit_amount": 2}, {"name": "x"}, {"date": "2026-03-03"},
                     {"emergency_client_description": "x"},
                     {"user_id": self.specialist2.id}):
            with self.assertRaisesRegex(UserError, "submitted"):
                line.sudo(self.specialist).write(vals)
        with self.assertRaisesRegex(UserError, "submitted"):
            line.sudo(self.specialist).unlink()
        with self.assertRaisesRegex(UserError, "submitted"):
            line.sudo().unlink()

    def test_late_line_of_a_submitted_day_gets_a_new_cutoff(self):
        self.log("2026-03-02 11:00:00", 1)
        first = self.Cutoff._emergency_make_cutoffs(ticket_ids=self.ticket.ids)
        first.sudo(self.specialist).action_submit()
        late = self.log("2026-03-02 16:00:00", 1)
        self.assertFalse(late.emergency_cutoff_id)
        second = self.Cutoff._emergency_make_cutoffs(ticket_ids=self.ticket.ids)
        self.assertEqual(late.emergency_cutoff_id, second)
        self.assertNotEqual(first, second)
        self.assertEqual((second.date, second.state), ("2026-03-02", "draft"))
        self.assertEqual(first.hours_total, 1.0)

    def test_portal_user_reads_no_time_line(self):
        line = self.log("2026-03-02 11:00:00", 1)
        self.ticket.message_subscribe(partner_ids=self.person_b.ids)
        self.assertFalse(self.Line.sudo(self.portal_b).search([("id", "=", line.id)]))
        with self.assertRaises(AccessError):
            line.sudo(self.portal_b).read(["unit_amount"])

    def test_time_per_phase_for_the_report(self):
        self.set_history(self.ticket, normalized=NORMALIZED)
        self.log("2026-03-02 13:00:00", 2.5)
        self.assertEqual(self.ticket._emergency_time_per_phase()[self.ticket.id],
                         {"normalization": 1.0, "mitigation": 1.5})
        self.assertEqual(self.ticket.emergency_hours_used, 2.5)

    def test_pool_alert_for_the_lead_expert_past_the_margin(self):
        # estimate 3 + 5 = 8 hours, margin 10 %: 8.8 hours pass it
        self.log("2026-03-02 10:00:00", 9)
        self.assertTrue(self.ticket.emergency_over_estimate)
        self.Cutoff._emergency_make_cutoffs(ticket_ids=self.ticket.ids)
        activity = self.env["mail.activity"].search([
            ("res_model", "=", "helpdesk.ticket"), ("res_id", "=", self.ticket.id),
            ("summary", "=", "Time over the estimate")])
        self.assertEqual(activity.user_id, self.ticket.lead_expert_id)
        self.assertTrue(self.ticket.emergency_pool_alert_sent)

    def test_technical_report_shows_the_actual_hours_per_phase(self):
        self.set_history(self.ticket, normalized=NORMALIZED)
        self.log("2026-03-02 13:00:00", 2.25)
        report = self.env.ref("emergency_support.action_report_emergency_technical")
        html = report.render_qweb_html(self.ticket.ids)[0].decode()
        self.assertIn("1.00", html)
        self.assertIn("1.25", html)

    def test_the_report_writes_hours_the_clients_way_whoever_prints_it(self):
        """The report is in the client's language for every reader: a
        Spanish specialist printing an English client's report reads 1.25
        (it read 1,25: the hours took the printer's way of writing numbers)."""
        self.env.ref("base.lang_es").sudo().active = True
        self.set_history(self.ticket, normalized=NORMALIZED)
        self.log("2026-03-02 13:00:00", 2.25)
        self.ticket.partner_id.sudo().lang = "en_US"
        self.specialist.sudo().lang = "es_ES"
        report = self.env.ref("emergency_support.action_report_emergency_technical")
        html = report.sudo(self.specialist).with_context(lang="es_ES").render_qweb_html(
            self.ticket.ids)[0].decode()
        self.assertIn("1.25", html)
        self.assertNotIn("1,25", html)
