# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
from datetime import datetime
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError

from .common import NORMALIZED, TimesheetCase


class TestTimesheetCutoff(TimesheetCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.set_history(cls.ticket, normalized=NORMALIZED)
        cls.ticket.message_subscribe(partner_ids=cls.person_b.ids)
        cls.company.email = "support@example.com"

    def make_day(self, *spans):
        for start, hours in spans:
            self.log(start, hours)
        return self.Cutoff._emergency_make_cutoffs(ticket_ids=self.ticket.ids)

    def test_one_cutoff_per_client_day_with_totals_per_phase(self):
        cutoffs = self.make_day(("2026-03-02 12:00:00", 3), ("2026-03-03 09:00:00", 1))
        self.assertEqual(sorted(cutoffs.mapped("date")), ["2026-03-02", "2026-03-03"])
        day = cutoffs.filtered(lambda c: c.date == "2026-03-02")
        self.assertEqual((day.hours_normalization, day.hours_mitigation, day.hours_total),
                         (2.0, 1.0, 3.0))
        self.assertEqual(day.partner_id, self.client_b)
        self.assertEqual(len(day.line_ids), 2)
        # nothing new: nothing made
        self.assertFalse(self.Cutoff._emergency_make_cutoffs(ticket_ids=self.ticket.ids))

    def test_button_makes_the_cutoffs(self):
        self.log("2026-03-02 12:00:00", 1)
        action = self.ticket.sudo(self.specialist).action_emergency_make_cutoff()
        cutoff = self.Cutoff.search(action["domain"])
        self.assertEqual(cutoff.ticket_id, self.ticket)

    def test_submit_mails_the_client_with_the_portal_link(self):
        cutoff = self.make_day(("2026-03-02 12:00:00", 1))
        cutoff.sudo(self.specialist).action_submit()
        self.assertEqual(cutoff.state, "submitted")
        self.assertEqual(cutoff.submitted_by_id, self.specialist)
        message = cutoff.message_ids.filtered(lambda m: "/my/emergency/cutoff/%s" % cutoff.id
                                              in (m.body or ""))
        self.assertTrue(message)
        self.assertIn(self.person_b, message.partner_ids | cutoff.message_partner_ids)
        with self.assertRaisesRegex(UserError, "already submitted"):
            cutoff.sudo(self.specialist).action_submit()

    def test_the_submission_mail_is_sent_after_the_click(self):
        """Issue 16: submitting records the step and the tacit-approval
        notice at once; the client's mail is a job after the click."""
        self.company.write({"emergency_tacit_approval": True, "emergency_tacit_hours": 48})
        cutoff = self.make_day(("2026-03-02 12:00:00", 1)).with_context(
            test_queue_job_no_delay=False)
        cutoff.sudo(self.specialist).action_submit()
        self.assertEqual(cutoff.state, "submitted")
        self.assertTrue(cutoff.tacit_notice_date)
        self.assertEqual(cutoff.tacit_notice_hours, 48)

        def mails():
            cutoff.invalidate_cache()
            return cutoff.message_ids.filtered(
                lambda m: "/my/emergency/cutoff/%s" % cutoff.id in (m.body or ""))
        self.assertFalse(mails())
        queued = self.env["queue.job"].search([
            ("func_string", "=like", "%r._emergency_post_mail(%%" % cutoff.sudo())])
        self.assertEqual(len(queued), 1)
        self.run_job(queued)
        self.assertEqual(len(mails()), 1)
        self.assertIn(self.person_b, cutoff.message_partner_ids)

    def test_two_approvals_store_who_when_and_the_rates(self):
        cutoff = self.make_day(("2026-03-02 13:00:00", 2))
        cutoff.sudo(self.specialist).action_submit()
        cutoff.sudo(self.portal_b).emergency_client_approve()
        self.assertEqual(cutoff.state, "submitted")
        self.assertFalse(self.ticket._emergency_billable_lines())
        cutoff.sudo(self.specialist).action_staff_approve()
        self.assertEqual(cutoff.state, "approved")
        self.assertEqual(cutoff.client_approved_by_id, self.portal_b)
        self.assertEqual(cutoff.staff_approved_by_id, self.specialist)
        self.assertTrue(cutoff.client_approved_date and cutoff.staff_approved_date)
        lines = cutoff.line_ids.sorted("emergency_date_start")
        # client B has no plan: list prices (Express 35, On-demand 25)
        self.assertEqual(lines.mapped("emergency_rate_kind"), ["express", "ondemand"])
        self.assertEqual(lines.mapped("emergency_rate"), [35.0, 25.0])
        # a later price change never re-prices approved time
        self.express.list_price = 99.0
        self.assertEqual(lines[0].emergency_rate, 35.0)
        billable = self.ticket._emergency_billable_lines(phases=["normalization"])
        self.assertEqual(billable, lines[0])
        self.assertEqual(self.ticket._emergency_billable_lines(), lines)

    def test_staff_first_then_client_and_plan_rates(self):
        ticket = self.open_emergency(self.person_a)
        self.log("2026-03-02 11:00:00", 1, ticket=ticket)
        cutoff = self.Cutoff._emergency_make_cutoffs(ticket_ids=ticket.ids)
        cutoff.sudo(self.specialist).action_submit()
        cutoff.sudo(self.manager).action_staff_approve()
        cutoff.sudo(self.portal_a).emergency_client_approve()
        self.assertEqual(cutoff.state, "approved")
        self.assertEqual(cutoff.line_ids.emergency_agreement_id, self.plan)
        self.assertEqual(cutoff.line_ids.emergency_rate, 30.0)

    def test_cannot_approve_twice(self):
        cutoff = self.make_day(("2026-03-02 11:00:00", 1))
        with self.assertRaisesRegex(UserError, "not submitted"):
            cutoff.sudo(self.portal_b).emergency_client_approve()
        cutoff.sudo(self.specialist).action_submit()
        cutoff.sudo(self.portal_b).emergency_client_approve()
        with self.assertRaisesRegex(UserError, "already approved"):
            cutoff.sudo(self.portal_b).emergency_client_approve()
        cutoff.sudo(self.specialist).action_staff_approve()
        with self.assertRaisesRegex(UserError, "already approved"):
            cutoff.sudo(self.specialist2).action_staff_approve()
        with self.assertRaisesRegex(UserError, "already approved"):
            cutoff.sudo(self.portal_b).emergency_client_approve()

    def test_another_clients_portal_user_is_refused(self):
        cutoff = self.make_day(("2026-03-02 11:00:00", 1))
        cutoff.sudo(self.specialist).action_submit()
        self.assertFalse(self.Cutoff.sudo(self.portal_a).search([("id", "=", cutoff.id)]))
        with self.assertRaises(AccessError):
            cutoff.sudo(self.portal_a).emergency_client_approve()
        with self.assertRaises(AccessError):
            cutoff.sudo(self.portal_a).emergency_client_dispute(
                [{"line_id": cutoff.line_ids.id, "reason": "No", "proposed_hours": 0}])
        # staff cannot approve in the client's name, nor the client as staff
        with self.assertRaises(AccessError):
            cutoff.sudo(self.specialist).emergency_client_approve()
        with self.assertRaises(AccessError):
            cutoff.sudo(self.portal_b).action_staff_approve()
        with self.assertRaises(AccessError):
            cutoff.sudo(self.portal_b).write({"state": "approved"})
        self.assertEqual(cutoff.state, "submitted")

    def test_dispute_correction_and_resubmission(self):
        cutoff = self.make_day(("2026-03-02 11:00:00", 2), ("2026-03-02 15:00:00", 1))
        disputed, kept = cutoff.line_ids.sorted("emergency_date_start")
        cutoff.sudo(self.specialist).action_submit()
        with self.assertRaisesRegex(UserError, "reason"):
            cutoff.sudo(self.portal_b).emergency_client_dispute(
                [{"line_id": disputed.id, "reason": " ", "proposed_hours": 1}])
        cutoff.sudo(self.portal_b).emergency_client_dispute(
            [{"line_id": disputed.id, "reason": "The backup took one hour",
              "proposed_hours": 1.5}])
        self.assertEqual(cutoff.state, "disputed")
        self.assertEqual(cutoff.disputed_by_id, self.portal_b)
        self.assertTrue(disputed.emergency_disputed)
        self.assertEqual(disputed.emergency_proposed_hours, 1.5)
        with self.assertRaisesRegex(UserError, "disputed"):
            cutoff.sudo(self.portal_b).emergency_client_approve()
        with self.assertRaisesRegex(UserError, "disputed"):
            cutoff.sudo(self.specialist).action_staff_approve()
        with self.assertRaisesRegex(UserError, "submitted"):
            disputed.sudo(self.specialist).write({"unit_amount": 1.5})
        action = cutoff.sudo(self.specialist).action_correct()
        correction = self.Cutoff.browse(action["res_id"])
        self.assertEqual(cutoff.state, "corrected")
        self.assertEqual((correction.correction_of_id, correction.date, correction.state),
                         (cutoff, "2026-03-02", "draft"))
        self.assertEqual(correction.line_ids.unit_amount, -0.5)
        self.assertEqual(correction.line_ids.emergency_corrected_line_id, disputed)
        self.assertEqual(correction.line_ids.emergency_phase, "normalization")
        correction.sudo(self.specialist).action_submit()
        correction.sudo(self.portal_b).emergency_client_approve()
        correction.sudo(self.specialist).action_staff_approve()
        self.assertEqual((correction.state, cutoff.state), ("approved", "approved"))
        billable = self.ticket._emergency_billable_lines()
        self.assertEqual(sum(billable.mapped("unit_amount")), 2.5)
        self.assertIn(kept, billable)
        self.assertEqual(
            sum(self.ticket._emergency_billable_lines(["normalization"]).mapped(
                "unit_amount")), 1.5)

    def test_two_approvers_at_once(self):
        cutoff = self.make_day(("2026-03-02 11:00:00", 1))
        cutoff.sudo(self.specialist).action_submit()
        # both load the cut-off before either approves
        as_client = cutoff.sudo(self.portal_b)
        as_staff = cutoff.sudo(self.specialist)
        as_client.read(["state"])
        as_staff.read(["state"])
        as_staff.action_staff_approve()
        as_client.emergency_client_approve()
        self.assertEqual(cutoff.state, "approved")
        self.assertEqual(len(self.ticket._emergency_billable_lines()), 1)

    def test_tacit_approval_after_a_reminder(self):
        cutoff = self.make_day(("2026-03-02 11:00:00", 1))
        self.company.write({"emergency_tacit_approval": True, "emergency_tacit_hours": 72})
        cutoff.sudo(self.specialist).action_submit()
        # the client was told at submission (moved to a fixed moment)
        self.assertTrue(cutoff.tacit_notice_date)
        cutoff.sudo().write({"tacit_notice_date": "2026-03-03 20:00:00"})
        cutoff.sudo(self.specialist).action_staff_approve()
        # turned off: nothing happens
        self.company.emergency_tacit_approval = False
        self.assertFalse(self.Cutoff._emergency_tacit_approvals(datetime(2026, 3, 9)))
        self.company.emergency_tacit_approval = True
        self.assertFalse(self.Cutoff._emergency_tacit_approvals(datetime(2026, 3, 5, 19, 0)))
        self.assertFalse(cutoff.reminder_sent)
        self.Cutoff._emergency_tacit_approvals(datetime(2026, 3, 5, 20, 0))
        self.assertTrue(cutoff.reminder_sent)
        self.assertEqual(cutoff.state, "submitted")
        self.Cutoff._emergency_tacit_approvals(datetime(2026, 3, 6, 20, 0))
        self.assertEqual(cutoff.state, "approved")
        self.assertTrue(cutoff.client_approval_tacit)
        self.assertFalse(cutoff.client_approved_by_id)

    def test_cron_makes_cutoffs_after_the_company_hour_once_a_day(self):
        self.log("2026-03-02 11:00:00", 1)
        self.company.partner_id.tz = "UTC"
        self.company.write({"emergency_cutoff_hour": 20, "emergency_cutoff_last_day": False})
        target = ("odoo.addons.emergency_support_timesheet.models."
                  "emergency_timesheet_cutoff.datetime")
        with patch(target) as clock:
            clock.utcnow.return_value = datetime(2026, 3, 2, 19, 0)
            self.assertFalse(self.Cutoff._cron_emergency_cutoffs())
            clock.utcnow.return_value = datetime(2026, 3, 2, 20, 5)
            made = self.Cutoff._cron_emergency_cutoffs()
            self.assertEqual(made.ticket_id, self.ticket)
            self.assertEqual(self.company.emergency_cutoff_last_day, "2026-03-02")
            self.log("2026-03-02 21:00:00", 1)
            self.assertFalse(self.Cutoff._cron_emergency_cutoffs())

    def test_only_draft_cutoffs_are_deleted(self):
        cutoff = self.make_day(("2026-03-02 11:00:00", 1))
        cutoff.sudo(self.specialist).action_submit()
        with self.assertRaisesRegex(UserError, "draft"):
            cutoff.sudo().unlink()
