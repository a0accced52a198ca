# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
"""Time lines and cut-offs at the edges (issue 13, items 1, 11, 15): every
cut-off can end approved, no time in the future, messages in the user's time
zone, tacit approval only after a notice the client received."""
from datetime import datetime, timedelta

from odoo import fields
from odoo.exceptions import UserError

from .common import NORMALIZED, TimesheetCase


def _now_minus(**delta):
    return fields.Datetime.to_string(datetime.utcnow() - timedelta(**delta))


class TestTimesheetEdges(TimesheetCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.email = "support@example.com"
        cls.specialist.tz = "America/Caracas"

    # ------------------------------------------------------------------
    # item 11: no time in the future; moments in the user's time zone
    # ------------------------------------------------------------------

    def test_time_in_the_future_is_refused_in_the_users_time_zone(self):
        ahead = datetime.utcnow() + timedelta(days=3)
        with self.assertRaisesRegex(UserError, r"after now .*America/Caracas") as refusal:
            self.log(fields.Datetime.to_string(ahead), 1)
        caracas = (ahead + timedelta(hours=1) - timedelta(hours=4)).strftime("%Y-%m-%d %H:")
        self.assertIn(caracas, refusal.exception.name)
        # work that ends half an hour from now is refused too...
        with self.assertRaisesRegex(UserError, "after now"):
            self.log(_now_minus(minutes=30), 1)
        self.assertFalse(self.lines())
        # ...but a line typed in the minutes its work ends is accepted (5 min)
        line = self.log(_now_minus(hours=1), 1 + 3 / 60.0)
        self.assertEqual(line.emergency_phase, "normalization")

    def test_refusals_give_the_users_local_times(self):
        with self.assertRaisesRegex(UserError, "not open") as refusal:
            self.log("2026-03-02 09:30:00", 1)
        message = refusal.exception.name
        self.assertIn("2026-03-02 05:30 (America/Caracas)", message)  # the moment
        self.assertIn("2026-03-02 06:00 (America/Caracas)", message)  # the opening
        self.assertNotIn("UTC", message)
        self.set_history(self.ticket, normalized=NORMALIZED, closed="2026-03-04 09:00:00")
        with self.assertRaisesRegex(UserError, r"2026-03-04 05:00 \(America/Caracas\)"):
            self.log("2026-03-04 08:30:00", 1)

    def test_a_line_keeps_the_phase_of_its_start_after_a_phase_change(self):
        line = self.log(_now_minus(hours=1), 1 + 2 / 60.0)  # ends 2 min from now
        self.assertEqual(line.emergency_phase, "normalization")
        # normalization is reached now, inside the tolerance of the line
        self.set_history(self.ticket, normalized=fields.Datetime.now())
        line.sudo(self.specialist).write({"name": "Restarted the service"})
        line.invalidate_cache()
        self.assertEqual(line.emergency_phase, "normalization")
        self.assertEqual(self.log(_now_minus(minutes=-1), 0.05).emergency_phase,
                         "mitigation")

    # ------------------------------------------------------------------
    # item 1: from every state a cut-off can end approved
    # ------------------------------------------------------------------

    def make_submitted(self, *spans):
        for start, hours in spans:
            self.log(start, hours)
        cutoff = self.Cutoff._emergency_make_cutoffs(ticket_ids=self.ticket.ids)
        cutoff.sudo(self.specialist).action_submit()
        return cutoff

    def dispute(self, cutoff, proposed, line=None):
        line = line or cutoff.line_ids[:1]
        cutoff.sudo(self.portal_b).emergency_client_dispute([{
            "line_id": line.id, "reason": "We saw less work", "proposed_hours": proposed}])
        return line

    def drive_to_approved(self, cutoff):
        """What the parties do, whatever the state: submit, approve, correct,
        follow the correction. Fails if a cut-off cannot move on."""
        for _step in range(10):
            if cutoff.state == "approved":
                return cutoff
            if cutoff.state == "draft":
                cutoff.sudo(self.specialist).action_submit()
            elif cutoff.state == "submitted":
                if not cutoff.staff_approved_date:
                    cutoff.sudo(self.specialist).action_staff_approve()
                if not cutoff.client_approved_date:
                    cutoff.sudo(self.portal_b).emergency_client_approve()
            elif cutoff.state == "disputed":
                cutoff.sudo(self.specialist).action_correct()
            elif cutoff.state == "corrected":
                self.drive_to_approved(cutoff.correction_ids[-1:])
        self.assertEqual(cutoff.state, "approved")
        return cutoff

    def approved_hours(self):
        return sum(self.lines().filtered(
            lambda l: l.emergency_cutoff_id.state == "approved").mapped("unit_amount"))

    def test_a_dispute_proposing_the_logged_hours_closes_approved(self):
        cutoff = self.make_submitted(("2026-03-02 11:00:00", 0.25))
        line = self.dispute(cutoff, 0.25)
        self.assertEqual(cutoff.sudo(self.specialist).action_correct(), True)
        self.assertEqual(cutoff.state, "approved")
        self.assertFalse(cutoff.correction_ids)
        self.assertEqual((cutoff.client_approved_by_id, cutoff.staff_approved_by_id),
                         (self.portal_b, self.specialist))
        # the client's words stay readable on the line and in the chatter
        self.assertEqual(line.emergency_dispute_reason, "We saw less work")
        self.assertTrue(cutoff.message_ids.filtered(
            lambda m: "We saw less work" in (m.body or "")))
        self.assertEqual(self.approved_hours(), 0.25)
        self.assertEqual(line.emergency_rate, 35.0)

    def test_every_reachable_state_ends_approved(self):
        """Each case brings a day to one state, then the parties drive it to
        approved; the hours approved are the ones agreed."""
        def draft():
            self.log("2026-03-02 11:00:00", 1)
            return self.Cutoff._emergency_make_cutoffs(ticket_ids=self.ticket.ids), 1.0

        def submitted():
            return self.make_submitted(("2026-03-02 11:00:00", 1)), 1.0

        def staff_approved():
            cutoff = self.make_submitted(("2026-03-02 11:00:00", 1))
            cutoff.sudo(self.specialist).action_staff_approve()
            return cutoff, 1.0

        def client_approved():
            cutoff = self.make_submitted(("2026-03-02 11:00:00", 1))
            cutoff.sudo(self.portal_b).emergency_client_approve()
            return cutoff, 1.0

        def disputed_same():
            cutoff = self.make_submitted(("2026-03-02 11:00:00", 1))
            self.dispute(cutoff, 1)
            return cutoff, 1.0

        def disputed_zero():
            cutoff = self.make_submitted(("2026-03-02 11:00:00", 1))
            self.dispute(cutoff, 0)
            return cutoff, 0.0

        def disputed_more():
            cutoff = self.make_submitted(("2026-03-02 11:00:00", 1))
            self.dispute(cutoff, 1.5)
            return cutoff, 1.5

        def corrected():
            cutoff = self.make_submitted(("2026-03-02 11:00:00", 1))
            self.dispute(cutoff, 0.5)
            cutoff.sudo(self.specialist).action_correct()
            return cutoff, 0.5

        def correction_disputed_again():
            cutoff = self.make_submitted(("2026-03-02 11:00:00", 1))
            self.dispute(cutoff, 0.5)
            cutoff.sudo(self.specialist).action_correct()
            correction = cutoff.correction_ids
            correction.sudo(self.specialist).action_submit()
            # the client now proposes no correction at all (the -0.5 h line to 0)
            self.dispute(correction, 0)
            return cutoff, 1.0

        def correction_disputed_and_corrected():
            cutoff = self.make_submitted(("2026-03-02 11:00:00", 1))
            self.dispute(cutoff, 0.5)
            cutoff.sudo(self.specialist).action_correct()
            correction = cutoff.correction_ids
            correction.sudo(self.specialist).action_submit()
            self.dispute(correction, 0)  # as above, and the team corrects it
            correction.sudo(self.specialist).action_correct()
            return cutoff, 1.0

        cases = [draft, submitted, staff_approved, client_approved, disputed_same,
                 disputed_zero, disputed_more, corrected, correction_disputed_again,
                 correction_disputed_and_corrected]
        for case in cases:
            with self.subTest(case=case.__name__):
                ticket = self.ticket
                self.ticket = self.open_emergency(self.person_b)
                try:
                    cutoff, hours = case()
                    self.drive_to_approved(cutoff)
                    self.assertFalse(self.Cutoff.search([
                        ("ticket_id", "=", self.ticket.id), ("state", "!=", "approved")]))
                    self.assertAlmostEqual(self.approved_hours(), hours)
                finally:
                    self.ticket = ticket

    def test_a_correction_is_not_deleted_and_its_hours_can_be_adjusted(self):
        cutoff = self.make_submitted(("2026-03-02 11:00:00", 2))
        self.dispute(cutoff, 1)
        correction = self.Cutoff.browse(cutoff.sudo(self.specialist).action_correct()["res_id"])
        fix = correction.line_ids
        self.assertEqual(fix.unit_amount, -1.0)
        with self.assertRaisesRegex(UserError, "instead of deleting"):
            correction.sudo().unlink()
        with self.assertRaisesRegex(UserError, "instead of deleting"):
            fix.sudo(self.specialist).unlink()
        with self.assertRaisesRegex(UserError, "more than the 2.00 hours"):
            fix.sudo(self.specialist).write({"unit_amount": -3})
        with self.assertRaisesRegex(UserError, "only its hours"):
            fix.sudo(self.specialist).write({"emergency_date_start": "2026-03-02 12:00:00"})
        fix.sudo(self.specialist).write({"unit_amount": -0.5})
        self.drive_to_approved(cutoff)
        self.assertEqual(self.approved_hours(), 1.5)

    def test_the_correction_obeys_the_daily_cap(self):
        cutoff = self.make_submitted(("2026-03-02 10:00:00", 10))
        self.dispute(cutoff, 14)  # allowed: 14 h keep the day within 24 h
        # the specialist logs 12 h more that day before the team corrects
        other = self.open_emergency(self.person_b)
        self.log("2026-03-02 10:00:00", 12, ticket=other)
        correction = self.Cutoff.browse(cutoff.sudo(self.specialist).action_correct()["res_id"])
        self.assertEqual(correction.line_ids.unit_amount, 2.0)  # not 4: 24 h that day
        day = self.Line.search([("user_id", "=", self.specialist.id),
                                ("date", "=", "2026-03-02")])
        self.assertEqual(sum(day.mapped("unit_amount")), 24.0)

    # ------------------------------------------------------------------
    # item 15: tacit approval only after a notice the client received
    # ------------------------------------------------------------------

    def test_tacit_approval_only_for_a_client_told_so(self):
        self.company.write({"emergency_tacit_approval": True, "emergency_tacit_hours": 48})
        told = self.make_submitted(("2026-03-02 11:00:00", 1))
        self.assertTrue(told.tacit_notice_date)
        self.assertEqual(told.tacit_notice_hours, 48)
        # a client without an e-mail address is never told, never tacit
        silent_person = self.env["res.partner"].create({
            "name": "Carl C", "parent_id": self.client_b.id, "lang": "en_US"})
        ticket = self.ticket
        self.ticket = self.open_emergency(silent_person)
        untold = self.make_submitted(("2026-03-02 11:00:00", 1))
        self.ticket = ticket
        self.assertFalse(untold.tacit_notice_date)
        # tacit approval turned on after the submission: that mail said nothing
        self.company.emergency_tacit_approval = False
        before = self.make_submitted(("2026-03-02 16:00:00", 1))
        self.assertFalse(before.tacit_notice_date)
        self.company.emergency_tacit_approval = True
        (told | untold | before).sudo(self.specialist).action_staff_approve()
        notice = fields.Datetime.from_string(told.tacit_notice_date)
        self.Cutoff._emergency_tacit_approvals(notice + timedelta(hours=30))
        self.assertEqual((told.reminder_sent, untold.reminder_sent, before.reminder_sent),
                         (True, False, False))
        approved = self.Cutoff._emergency_tacit_approvals(notice + timedelta(hours=480))
        self.assertEqual(approved, told)
        self.assertEqual((told.state, untold.state, before.state),
                         ("approved", "submitted", "submitted"))
        self.assertTrue(told.client_approval_tacit)

    def test_migration_marks_only_proven_notices(self):
        """Cut-offs submitted before the notice existed: marked when their
        submission mail with the tacit sentence was sent to the client."""
        self.company.write({"emergency_tacit_approval": True, "emergency_tacit_hours": 60})
        sent = self.make_submitted(("2026-03-02 11:00:00", 1))
        failed = self.make_submitted(("2026-03-02 16:00:00", 1))
        self.company.emergency_tacit_approval = False
        quiet = self.make_submitted(("2026-03-02 18:00:00", 1))
        cutoffs = sent | failed | quiet
        cutoffs._emergency_write({"tacit_notice_date": False, "tacit_notice_hours": 0})
        # the company changed its hours since: the mail's 60 hours count
        self.company.write({"emergency_tacit_approval": True, "emergency_tacit_hours": 90})
        Notification = self.env["mail.notification"]
        for cutoff, status in ((sent, "sent"), (failed, "exception"), (quiet, "sent")):
            notifications = Notification.search([
                ("mail_message_id.model", "=", cutoff._name),
                ("mail_message_id.res_id", "=", cutoff.id),
                ("res_partner_id", "=", self.person_b.id)])
            self.assertTrue(notifications.filtered("is_email"))
            notifications.write({"email_status": status})
        self.assertEqual(self.Cutoff._emergency_recover_tacit_notices(), sent)
        self.assertEqual(sent.tacit_notice_hours, 60)
        self.assertFalse(failed.tacit_notice_date or quiet.tacit_notice_date)
