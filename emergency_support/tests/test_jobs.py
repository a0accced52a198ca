# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
"""The heavy work of a click is queued (issue 16): the client's mails and the
technical report are queue_job jobs; the click only records the step. The
other tests run the jobs at once (``test_queue_job_no_delay`` in
``EmergencyCase``); here they are queued, then run as the job runner does.
Over HTTP, with the job runner of a real server: ``tests/test_queue_jobs.py``."""
import traceback

from odoo.exceptions import AccessError
from odoo.tests.common import at_install, post_install

from odoo.addons.queue_job.job import Job

from .common import EmergencyCase


@at_install(False)
@post_install(True)
class TestQueuedWork(EmergencyCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, test_queue_job_no_delay=False))

    def jobs(self, ticket, method):
        return self.env["queue.job"].search([
            ("func_string", "=like", "%r.%s(%%" % (ticket, method))])

    def client_mails(self, ticket):
        return ticket.message_ids.filtered(lambda m: self.person_b in m.partner_ids)

    def test_the_request_received_mail_is_sent_after_the_click(self):
        ticket = self.new_emergency(self.person_b)
        self.assertEqual(ticket.emergency_phase, "evaluation")
        queued = self.jobs(ticket, "_emergency_post_mail")
        self.assertEqual(len(queued), 1)
        self.assertEqual(queued.state, "pending")
        self.assertEqual(queued.user_id, self.env.user)
        self.assertFalse(self.client_mails(ticket), "the click did not render the mail")
        self.run_job(queued)
        self.assertEqual(self.client_mails(ticket).mapped("subject"),
                         ["%s: we received your emergency request" % ticket.number])
        self.assertEqual(queued.state, "done")

    def test_the_report_is_rendered_after_the_click(self):
        ticket = self.open_with_waiver(self.new_emergency(self.person_b))
        self.env["emergency.criterion"].create(
            {"ticket_id": ticket.id, "name": "Up"}).sudo(self.specialist).action_confirm()
        ticket.sudo(self.specialist).action_emergency_normalized()
        self.assertEqual(ticket.emergency_phase, "mitigation")
        pdfs = ticket.attachment_ids.filtered(lambda a: a.mimetype == "application/pdf")
        self.assertFalse(pdfs, "the click does not render the report")
        queued = self.jobs(ticket, "_emergency_render_report")
        self.assertEqual(len(queued), 1)
        self.assertEqual(queued.user_id, self.specialist)
        self.run_job(queued)
        ticket.invalidate_cache()
        pdfs = ticket.attachment_ids.filtered(lambda a: a.mimetype == "application/pdf")
        self.assertEqual(len(pdfs), 1)
        self.assertIn("normalization", pdfs.name)

    def test_the_assignment_mail_is_sent_after_the_click(self):
        """helpdesk_mgmt tells the ticket's contact who took the ticket: a
        job for an emergency (the service opening with the guarantee's
        payment assigns the lead expert), at once for a plain ticket."""
        Mail = self.env["mail.mail"]
        sent_before = Mail.search([]).ids
        ticket = self.new_emergency(self.person_b)
        ticket.sudo(self.manager).write({"user_id": self.specialist.id})
        queued = self.jobs(ticket, "_emergency_send_user_mail")
        self.assertEqual(len(queued), 1)
        self.assertFalse(Mail.search([("id", "not in", sent_before),
                                      ("model", "=", "helpdesk.ticket"),
                                      ("res_id", "=", ticket.id)]))
        self.run_job(queued)
        mails = Mail.search([("id", "not in", sent_before), ("model", "=", "helpdesk.ticket"),
                             ("res_id", "=", ticket.id)])
        self.assertEqual(len(mails), 1)
        self.assertEqual(mails.recipient_ids, self.person_b)
        plain = self.env["helpdesk.ticket"].create({"name": "Printer jam",
                                                   "partner_id": self.person_b.id})
        plain.write({"user_id": self.specialist.id})
        self.assertFalse(self.jobs(plain, "_emergency_send_user_mail"))
        self.assertEqual(len(Mail.search([("model", "=", "helpdesk.ticket"),
                                          ("res_id", "=", plain.id)])), 1)

    def test_the_assignment_mail_is_not_anyones_to_send(self):
        """``send_user_mail`` is public (RPC): only who may assign the
        emergency (write it) has the assignment mail sent; its client reads
        it but may not."""
        ticket = self.new_emergency(self.person_b)
        self.assertTrue(ticket.sudo(self.portal_b).read(["number"]))
        with self.assertRaises(AccessError):
            ticket.sudo(self.portal_b).send_user_mail()
        self.assertFalse(self.jobs(ticket, "_emergency_send_user_mail"))
        ticket.sudo(self.specialist).send_user_mail()
        self.assertEqual(len(self.jobs(ticket, "_emergency_send_user_mail")), 1)

    def test_the_assigned_notice_is_sent_after_the_click(self):
        """Odoo's "you have been assigned" notice to the lead expert when
        the service opens (a tracked user field): a job after the click."""
        ticket = self.new_emergency(self.person_b)
        self.evaluate(ticket, guarantee_hours=2)
        ticket.sudo().emergency_accept_proposal(accept_default_nda=True)
        # the chatter's tracking on (the test classes turn it off)
        ticket.sudo(self.manager).with_context(
            tracking_disable=False).action_emergency_waive_guarantee()
        self.assertEqual(ticket.lead_expert_id, self.specialist)

        # Odoo sends that notice at once (a mass mail, deleted once sent):
        # in the click, an SMTP connection; here, in the job
        queued = self.jobs(ticket, "_emergency_auto_subscribe_notify")
        self.assertEqual(len(queued), 1)
        self.assertIn("[%d]" % self.specialist.partner_id.id, queued.func_string)
        # (the mail and its message are deleted once sent: their sequence
        # tells that one was made)
        made = "SELECT last_value FROM mail_mail_id_seq"
        self.env.cr.execute(made)
        before = self.env.cr.fetchone()[0]
        self.run_job(queued)
        self.env.cr.execute(made)
        self.assertEqual(self.env.cr.fetchone()[0], before + 1)
        self.assertEqual(queued.state, "done")

    def fail_job(self, queued):
        """What the job runner does with a job that raises: failed, with
        the error's traceback."""
        job = Job.load(self.env, queued.uuid)
        job.set_started()
        try:
            with self.env.cr.savepoint():
                job.perform()
        except Exception:  # pylint: disable=broad-except
            job.set_failed(exc_info=traceback.format_exc())
        job.store()

    def test_failed_work_is_shown_to_the_managers_and_the_step_kept(self):
        ticket = self.new_emergency(self.person_b)
        ticket._emergency_later("a report of a kind that does not exist")\
            ._emergency_render_report("no_such_kind")
        queued = self.jobs(ticket, "_emergency_render_report")
        self.fail_job(queued)
        self.assertEqual(queued.state, "failed")
        self.assertEqual(ticket.emergency_phase, "evaluation", "the step is kept")
        Job_ = self.env["queue.job"]
        failed = Job_.sudo(self.manager).search([("state", "=", "failed")])
        self.assertIn(queued, failed)
        self.assertIn("no_such_kind", failed.filtered(lambda j: j == queued).exc_info)
        menu = self.env.ref("emergency_support.queue_job_failed_menu")
        self.assertIn(menu, self.env["ir.ui.menu"].sudo(self.manager).search(
            [("id", "=", menu.id)]))
        # a specialist neither reads the jobs nor sees the menu
        with self.assertRaises(AccessError):
            Job_.sudo(self.specialist).search([("state", "=", "failed")])
        self.assertFalse(self.env["ir.ui.menu"].sudo(self.specialist).search(
            [("id", "=", menu.id)]))
        # read only: the manager does not requeue (an administrator does)
        with self.assertRaises(AccessError):
            queued.sudo(self.manager).write({"state": "pending"})
