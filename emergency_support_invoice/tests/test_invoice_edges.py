# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
"""The money at the edges (issue 13, items 2, 3, 10, 12, 13, 14): credit
notes and the credited guarantee, a waived guarantee that was issued, hours
never rounded per group, tiny supplements, labels that say which rate and
why, and a failure to invoice that never loses the user's step."""
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError
from odoo.tests.common import at_install, post_install

from .common import InvoiceCase


@at_install(False)
@post_install(True)
class TestInvoiceEdges(InvoiceCase):

    def credit_note(self, invoice, mode, description="Correction"):
        """The accountant's *Add Credit Note* with ``mode``."""
        wizard = self.env["account.invoice.refund"].sudo(self.accountant).with_context(
            active_ids=invoice.ids, active_id=invoice.id,
            active_model="account.invoice").create(
                {"filter_refund": mode, "description": description})
        wizard.invoice_refund()
        return self.Invoice.search([("refund_invoice_id", "=", invoice.id)])

    def close(self, ticket):
        ticket.sudo(self.specialist).action_emergency_close()

    # -- item 2: credit notes and the credited guarantee -----------------------

    def test_a_credit_note_does_not_count_the_credit_twice(self):
        """The issue's case: guarantee 1 h (35.00) credited; invoice (2) is
        8.75 - 8.75 = 0; a credit note of it; invoice (3) for 1 h at 25.00
        deducts 25.00."""
        ticket = self.opened(self.person_b, guarantee_hours=1, policy="credited")
        self.log("2026-03-02 10:00:00", 0.25, ticket=ticket)
        self.approve(ticket)
        second = self.invoice(ticket, "normalization")
        self.assertEqual(second.amount_untaxed, 0.0)
        self.assertEqual(sorted(second.invoice_line_ids.mapped("price_subtotal")),
                         [-8.75, 8.75])
        second.sudo(self.accountant).action_invoice_open()
        refund = self.credit_note(second, "refund")
        self.assertEqual(refund.state, "draft")
        self.assertEqual(refund.emergency_ticket_id, ticket)
        self.assertFalse(refund.emergency_kind)
        self.assertEqual(refund.emergency_hours, 0.0)  # a credit note bills no hours
        # a draft credit note counts nothing
        self.assertEqual(ticket.sudo()._emergency_credited_so_far(), 8.75)
        refund.sudo(self.accountant).action_invoice_open()
        # posted: its credit line gives the 8.75 back, with its sign
        self.assertEqual(ticket.sudo()._emergency_credited_so_far(), 0.0)
        # a goodwill credit note: the hours stay invoiced
        self.assertTrue(all(self.lines(ticket).mapped("emergency_invoice_line_id")))
        self.log("2026-03-02 15:00:00", 1, ticket=ticket)  # mitigation, 25.00
        self.close(ticket)
        self.approve(ticket)
        third = self.invoice(ticket, "mitigation")
        credit = third.invoice_line_ids.filtered(lambda l: l.emergency_line_kind == "credit")
        self.assertEqual(credit.price_subtotal, -25.0)
        self.assertEqual(third.amount_untaxed, 0.0)

    def test_a_cancelling_credit_note_frees_the_hours_once(self):
        """Cancel mode: invoice (2) reversed whole; its 2 h are billable
        again and go, once, on the next invoice with the credit they used."""
        ticket = self.opened(self.person_b, guarantee_hours=1, policy="credited")
        self.log("2026-03-02 10:00:00", 2, ticket=ticket)
        self.approve(ticket)
        second = self.invoice(ticket, "normalization")
        self.assertEqual(second.amount_untaxed, 35.0)  # 70.00 - 35.00
        second.sudo(self.accountant).action_invoice_open()
        refund = self.credit_note(second, "cancel")
        self.assertEqual(refund.state, "paid")
        self.assertEqual(second.state, "paid")  # reconciled with its credit note
        # released from invoice (2): its credit given back, then billed anew
        self.assertNotIn(second, self.lines(ticket).mapped("emergency_invoice_id"))
        self.assertTrue(second.message_ids.filtered(
            lambda m: "billable again" in (m.body or "")))
        # 70.00 of late time is above the minimum: a supplement at once
        supplement = self.invoice(ticket, "supplement", 1)
        self.assertEqual(supplement.amount_untaxed, 35.0)
        self.assertEqual(sum(self.time_lines(supplement).mapped("quantity")), 2.0)
        self.assertEqual(self.lines(ticket).mapped("emergency_invoice_id"), supplement)
        # the credit used: 35.00 on (2), given back by its credit note, 35.00
        # on the supplement; nothing more: each hour once
        self.assertEqual(ticket.sudo()._emergency_credited_so_far(), 35.0)
        self.assertFalse(ticket._emergency_make_invoices())

    def test_modify_is_refused_for_an_emergency_invoice(self):
        ticket = self.opened(self.person_b)
        self.log("2026-03-02 10:00:00", 1, ticket=ticket)
        self.approve(ticket)
        invoice = self.invoice(ticket, "normalization")
        invoice.sudo(self.accountant).action_invoice_open()
        with self.assertRaisesRegex(UserError, "bills its hours a second time"):
            self.credit_note(invoice, "modify")
        self.assertEqual(invoice.state, "open")

    def test_the_invoice_form_tells_the_accountant_how_to_correct(self):
        arch = self.Invoice.sudo(self.accountant).load_views(
            [(self.env.ref("account.invoice_form").id, "form")])[
                "fields_views"]["form"]["arch"]
        self.assertIn("Modify", arch)
        self.assertIn("billable again", arch)

    # -- item 3: a waived guarantee that was issued -------------------------------

    def test_waiving_settles_an_issued_guarantee_with_a_reason(self):
        self.company.emergency_guarantee_validate = True
        ticket = self.accepted(self.person_b)
        invoice = self.invoice(ticket, "guarantee")
        self.assertEqual(invoice.state, "open")
        self.assertTrue(invoice._emergency_payable())
        ticket.sudo(self.specialist).action_emergency_waive_guarantee(
            reason="Long-standing client")
        self.assertEqual(ticket.emergency_phase, "normalization")
        self.assertEqual(invoice.residual, 0.0)
        self.assertNotEqual(invoice.state, "open")
        self.assertFalse(invoice._emergency_payable())
        refund = self.Invoice.search([("refund_invoice_id", "=", invoice.id)])
        self.assertEqual(refund.state, "paid")
        self.assertEqual(refund.amount_total, invoice.amount_total)
        # settled by its credit note, not paid: no credit, no "paid" service
        self.assertFalse(ticket.guarantee_paid_date)
        self.assertEqual(ticket.sudo()._emergency_guarantee_paid_amount(), 0.0)
        bodies = " ".join(ticket.message_ids.mapped("body"))
        self.assertIn("Long-standing client", bodies)
        self.assertIn("nothing is left to pay", bodies)
        self.assertFalse(self.Invoice.search([
            ("emergency_ticket_id", "=", ticket.id), ("state", "=", "open")]))

    def test_the_waiver_button_asks_for_a_reason(self):
        ticket = self.accepted(self.person_b)
        action = ticket.sudo(self.specialist).with_context(
            emergency_ask_reason=True).action_emergency_waive_guarantee()
        self.assertEqual(action["res_model"], "emergency.guarantee.decision")
        self.assertEqual(ticket.guarantee_policy, "charged")  # nothing decided yet
        Wizard = self.env["emergency.guarantee.decision"].sudo(self.specialist)
        wizard = Wizard.with_context(**action["context"]).create({"reason": "  "})
        with self.assertRaisesRegex(UserError, "Say why"):
            wizard.action_confirm()
        wizard = Wizard.with_context(**action["context"]).create(
            {"reason": "Hospital, public interest"})
        wizard.action_confirm()
        self.assertEqual(ticket.guarantee_policy, "waived")
        self.assertTrue(ticket.message_ids.filtered(
            lambda m: "Hospital, public interest" in (m.body or "")))

    def test_a_guarantee_no_longer_due_is_not_payable(self):
        self.company.emergency_guarantee_validate = True
        ticket = self.accepted(self.person_b)
        invoice = self.invoice(ticket, "guarantee")
        ticket.sudo(self.specialist).action_emergency_cancel()
        self.assertFalse(invoice._emergency_payable())
        self.assertEqual(invoice.residual, 0.0)
        self.assertEqual(ticket.emergency_phase, "cancelled")
        self.assertFalse(ticket.service_opened_date)

    def test_the_payment_that_opens_the_service_says_so(self):
        ticket = self.accepted(self.person_b)
        invoice = self.invoice(ticket, "guarantee")
        payment = self.pay(invoice)
        self.assertEqual(ticket.emergency_phase, "normalization")
        for record in (invoice, payment):
            self.assertTrue(record.message_ids.filtered(
                lambda m: "This payment opened the service" in (m.body or "")), record)

    def test_the_payment_opens_at_once_and_announces_it_after_the_click(self):
        """Issue 16: the service opens in the accountant's click; the
        messages and the lead expert's mail are a job after it."""
        ticket = self.accepted(self.person_b)
        invoice = self.invoice(ticket, "guarantee")
        self.env = self.env(context=dict(self.env.context, test_queue_job_no_delay=False))
        payment = self.pay(invoice.with_env(self.env))
        self.assertEqual(ticket.emergency_phase, "normalization")
        self.assertTrue(ticket.guarantee_paid_date)

        def announced(record):
            record.invalidate_cache()
            return record.message_ids.filtered(
                lambda m: "This payment opened the service" in (m.body or ""))
        self.assertFalse(announced(invoice))
        queued = self.env["queue.job"].search([
            ("func_string", "=like", "%r._emergency_announce_opening(%%" % invoice)])
        self.assertEqual(len(queued), 1)
        self.run_job(queued)
        self.assertTrue(announced(invoice))
        self.assertTrue(announced(payment))
        told = ticket.message_ids.filtered(lambda m: "the service is open" in (m.body or ""))
        self.assertEqual(told.partner_ids, ticket.lead_expert_id.partner_id)

    # -- item 10: no rounding per group ---------------------------------------------

    def test_hours_billed_equal_hours_approved(self):
        """0.016667 h + 0.004 h on one day and 0.004 h on the next: billed
        0.0207 h and 0.004 h (never 0.02 h and 0)."""
        ticket = self.opened(self.person_b, normalized="2026-03-04 14:00:00")
        self.log("2026-03-02 10:00:00", 0.016667, ticket=ticket)
        self.log("2026-03-02 11:00:00", 0.004, ticket=ticket)
        self.log("2026-03-03 11:00:00", 0.004, ticket=ticket)
        self.approve(ticket)
        lines = self.time_lines(self.invoice(ticket, "normalization"))
        self.assertEqual(len(lines), 2)
        self.assertAlmostEqual(sum(lines.mapped("quantity")), 0.0247, places=6)
        self.assertNotIn(0.0, lines.mapped("quantity"))
        self.assertAlmostEqual(sum(lines.mapped("price_subtotal")),
                               round(0.024667 * 35, 2), delta=0.01)

    # -- item 12: tiny supplements ---------------------------------------------------

    def test_tiny_late_time_waits_and_the_closure_invoices_it(self):
        ticket = self.opened(self.person_b)
        self.log("2026-03-02 10:00:00", 1, ticket=ticket)
        self.approve(ticket)
        self.assertEqual(self.invoice(ticket, "normalization").amount_untaxed, 35.0)
        self.log("2026-03-02 12:00:00", 0.01, ticket=ticket)  # 0.35, late
        self.approve(ticket)
        self.assertFalse(self.invoice(ticket, "supplement", 1))
        self.assertEqual(len(ticket._emergency_billable_lines()), 1)  # waits, not lost
        self.close(ticket)  # nothing else approved: the closure invoices it
        supplement = self.invoice(ticket, "supplement", 1)
        self.assertEqual(supplement.amount_untaxed, 0.35)
        self.assertFalse(ticket._emergency_billable_lines())

    def test_tiny_late_time_rides_on_the_mitigation_invoice(self):
        ticket = self.opened(self.person_b)
        self.log("2026-03-02 10:00:00", 1, ticket=ticket)
        self.approve(ticket)
        self.log("2026-03-02 12:00:00", 0.01, ticket=ticket)
        self.log("2026-03-02 15:00:00", 1, ticket=ticket)
        self.close(ticket)
        self.approve(ticket)
        self.assertFalse(self.invoice(ticket, "supplement", 1))
        self.assertEqual(self.invoice(ticket, "mitigation").amount_untaxed, 25.35)

    def test_the_minimum_is_a_company_setting(self):
        self.company.emergency_supplement_minimum = 0.0
        ticket = self.opened(self.person_b)
        self.log("2026-03-02 10:00:00", 1, ticket=ticket)
        self.approve(ticket)
        self.log("2026-03-02 12:00:00", 0.01, ticket=ticket)
        self.approve(ticket)
        self.assertEqual(self.invoice(ticket, "supplement", 1).amount_untaxed, 0.35)

    # -- item 13: labels -------------------------------------------------------------

    def test_labels_say_which_rate_and_why(self):
        ticket = self.opened(self.person_a)
        self.log("2026-03-02 10:00:00", 1.5, ticket=ticket)
        self.log("2026-03-02 15:00:00", 1, ticket=ticket)
        self.close(ticket)
        self.approve(ticket)
        express = self.time_lines(self.invoice(ticket, "normalization"))
        self.assertEqual(express.price_unit, 30.0)
        self.assertIn("1.50 h", express.name)
        self.assertIn("Express rate of the monthly plan %s" % self.plan.name, express.name)
        ondemand = self.time_lines(self.invoice(ticket, "mitigation"))
        self.assertEqual(ondemand.price_unit, 25.0)  # list 25 < the plan's 28
        self.assertIn("On-demand list price, lower than the monthly plan %s's"
                      % self.plan.name, ondemand.name)
        no_plan = self.opened(self.person_b)
        self.log("2026-03-02 10:00:00", 1, ticket=no_plan)
        self.approve(no_plan)
        self.assertIn("Express list price",
                      self.time_lines(self.invoice(no_plan, "normalization")).name)

    def test_hours_in_the_clients_language(self):
        Lang = self.env["res.lang"].with_context(active_test=False)
        lang = Lang.search([("code", "=", "es_ES")])
        if not lang:
            Lang.load_lang("es_ES")
        elif not lang.active:
            lang.active = True
        (self.client_b | self.person_b).write({"lang": "es_ES"})
        ticket = self.opened(self.person_b)
        self.log("2026-03-02 10:00:00", 1.5, ticket=ticket)
        self.approve(ticket)
        self.assertIn("1,50 h", self.time_lines(self.invoice(ticket, "normalization")).name)

    # -- item 14: a failure to invoice never loses the step -----------------------------

    def test_a_failure_to_invoice_keeps_the_approval(self):
        ticket = self.opened(self.person_b)
        self.log("2026-03-02 10:00:00", 2, ticket=ticket)
        cutoffs = self.Cutoff._emergency_make_cutoffs(ticket_ids=ticket.ids)
        cutoffs.sudo(self.specialist).action_submit()
        cutoffs.sudo(self.specialist).action_staff_approve()
        Ticket = type(self.env["helpdesk.ticket"])
        with patch.object(Ticket, "_emergency_link_time", side_effect=UserError("boom")):
            cutoffs.sudo(self.portal_b).emergency_client_approve()
        self.assertEqual(cutoffs.state, "approved")  # the client's step stays
        self.assertFalse(self.invoice(ticket, "normalization"))  # nothing half made
        self.assertFalse(self.lines(ticket).mapped("emergency_invoice_line_id"))
        self.assertTrue(ticket.message_ids.filtered(
            lambda m: "could not be made: boom" in (m.body or "")))
        activity = self.env["mail.activity"].search([
            ("res_model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id),
            ("user_id", "=", self.accountant.id)])
        self.assertTrue(activity)
        # the hourly scheduled action finds it (what is due only) and makes it
        Ticket = self.env["helpdesk.ticket"]
        self.assertIn(ticket.id, Ticket._emergency_ids_with_invoices_due())
        Ticket._cron_emergency_invoices()
        self.assertEqual(self.invoice(ticket, "normalization").amount_untaxed, 70.0)
        self.assertNotIn(ticket.id, Ticket._emergency_ids_with_invoices_due())

    def test_one_emergencys_failure_does_not_stop_the_invoice_cron(self):
        """Item 14: the hourly run makes each emergency's invoices in a
        savepoint of its own: one that fails (an error of any kind, the
        worst: not a UserError) is left for the next run, the others are
        invoiced."""
        failing, other = self.opened(self.person_b), self.opened(self.person_b)
        Ticket = self.env["helpdesk.ticket"]
        for ticket in (failing, other):
            self.log("2026-03-02 10:00:00", 2, ticket=ticket)
            self.approve(ticket)
            self.invoice(ticket, "normalization").sudo(self.accountant).action_invoice_cancel()
        self.assertLessEqual({failing.id, other.id}, set(Ticket._emergency_ids_with_invoices_due()))
        make = type(Ticket)._emergency_make_invoices

        def broken(tickets):
            if failing in tickets:
                raise ZeroDivisionError("boom")
            return make(tickets)
        with patch.object(type(Ticket), "_emergency_make_invoices", broken), \
                self.assertLogs("odoo.addons.emergency_support_invoice", "ERROR") as logged:
            Ticket._cron_emergency_invoices()
        self.assertIn("%s: its invoices could not be made" % failing.number,
                      "\n".join(logged.output))
        self.assertFalse(self.invoice(failing, "normalization"))
        self.assertFalse(self.lines(failing).mapped("emergency_invoice_line_id"))
        self.assertEqual(self.invoice(other, "normalization").amount_untaxed, 70.0)
        # the next run makes it
        Ticket._cron_emergency_invoices()
        self.assertEqual(self.invoice(failing, "normalization").amount_untaxed, 70.0)

    def test_the_accountant_sees_failed_background_work(self):
        """Issue 16: a failed job (mail, report) is shown to the accountant
        too, read only, from Invoicing > Emergencies."""
        ticket = self.new_emergency(self.person_b)
        queued = ticket.with_context(test_queue_job_no_delay=False).with_delay(
        )._emergency_render_report("no_such_kind")
        job = self.env["queue.job"].search([("uuid", "=", queued.uuid)])
        job.write({"state": "failed", "exc_info": "KeyError: 'no_such_kind'"})
        as_accountant = self.env["queue.job"].sudo(self.accountant)
        self.assertIn(job, as_accountant.search([("state", "=", "failed")]))
        menu = self.env.ref("emergency_support_invoice.queue_job_failed_accounting_menu")
        self.assertEqual(menu.action, self.env.ref("emergency_support.queue_job_failed_action"))
        self.assertIn(menu, self.env["ir.ui.menu"].sudo(self.accountant).search(
            [("id", "=", menu.id)]))
        with self.assertRaises(AccessError):
            job.sudo(self.accountant).write({"state": "pending"})
