# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
"""The invoices through the emergency's steps (R13, R15, R18, R19): paid
guarantee opens the service, invoices wait for cut-offs and are made at the
last approval, late time, exactly once, cancelling releases, refunds."""
from unittest.mock import patch

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError
from odoo.tests.common import at_install, post_install
from odoo.tools import mute_logger

from .common import InvoiceCase


@at_install(False)
@post_install(True)
class TestInvoiceFlow(InvoiceCase):

    def test_paying_the_guarantee_opens_the_service(self):
        ticket = self.accepted(self.person_b)
        self.assertEqual(ticket.emergency_phase, "awaiting_guarantee")
        invoice = self.invoice(ticket, "guarantee")
        self.pay(invoice, date="2026-03-01")
        self.assertEqual(invoice.state, "paid")
        self.assertEqual(ticket.emergency_phase, "normalization")
        self.assertEqual(ticket.guarantee_paid_date, "2026-03-01 00:00:00")
        self.assertTrue(ticket.lead_expert_id)
        note = ticket.message_ids.filtered(
            lambda m: ticket.lead_expert_id.partner_id in m.partner_ids)
        self.assertTrue(note, "the lead expert is notified")
        # accepting again or making the invoices again makes no second guarantee
        ticket._emergency_make_invoices()
        self.assertEqual(len(self.Invoice.search([
            ("emergency_ticket_id", "=", ticket.id)])), 1)

    def test_cancellation_settles_the_issued_guarantee(self):
        """(Was: a payment after the cancellation opens nothing.) The issued
        guarantee of a cancelled emergency is settled by its credit note:
        nothing is left to pay, nothing opens."""
        ticket = self.accepted(self.person_b)
        invoice = self.invoice(ticket, "guarantee").sudo(self.accountant)
        invoice.action_invoice_open()
        ticket.sudo(self.specialist).action_emergency_cancel()
        self.assertEqual(invoice.residual, 0.0)
        self.assertEqual(ticket.emergency_phase, "cancelled")
        self.assertFalse(ticket.service_opened_date)
        self.assertTrue(ticket.message_ids.filtered(
            lambda m: "the emergency was cancelled" in (m.body or "")))

    def test_waiving_cancels_the_draft_guarantee_invoice(self):
        ticket = self.accepted(self.person_b)
        invoice = self.invoice(ticket, "guarantee")
        ticket.sudo(self.specialist).action_emergency_waive_guarantee()
        self.assertEqual(invoice.state, "cancel")
        self.assertEqual(ticket.emergency_phase, "normalization")

    def test_normalization_reached_makes_the_invoice(self):
        ticket = self.opened(self.person_b, normalized=None)
        self.log("2026-03-02 10:00:00", 1.5, ticket=ticket)
        self.log("2026-03-02 12:00:00", 1.0, ticket=ticket)
        self.approve(ticket)
        self.assertFalse(self.invoice(ticket, "normalization"))  # still normalizing
        criterion = self.env["emergency.criterion"].create(
            {"ticket_id": ticket.id, "name": "Orders are taken"})
        criterion.sudo(self.specialist).action_confirm()
        ticket.sudo(self.specialist).action_emergency_normalized()
        invoice = self.invoice(ticket, "normalization")
        # grouped: one invoice line for the phase, rate and day
        line = self.time_lines(invoice)
        self.assertEqual(len(line), 1)
        self.assertEqual(line.quantity, 2.5)
        self.assertIn("2026-03-02", line.name)
        self.assertIn("2.50 h", line.name)
        self.assertEqual(len(line.emergency_timesheet_ids), 2)
        self.assertEqual(invoice.state, "draft")

    def test_invoice_waits_for_the_cutoff_and_is_made_at_its_approval(self):
        ticket = self.opened(self.person_b)
        self.log("2026-03-02 10:00:00", 2, ticket=ticket)
        ticket._emergency_make_invoices()
        self.assertFalse(self.invoice(ticket, "normalization"))
        self.assertIn("not yet in a daily cut-off", ticket.emergency_invoice_waiting)
        cutoff = self.Cutoff._emergency_make_cutoffs(ticket_ids=ticket.ids)
        ticket.invalidate_cache()
        self.assertIn(cutoff.name, ticket.emergency_invoice_waiting)
        self.assertIn("the team submits it", ticket.emergency_invoice_waiting)
        cutoff.sudo(self.specialist).action_submit()
        cutoff.sudo(self.specialist).action_staff_approve()
        ticket.invalidate_cache()
        self.assertIn("the client's approval on the portal", ticket.emergency_invoice_waiting)
        self.assertFalse(self.invoice(ticket, "normalization"))
        cutoff.sudo(self.portal_b).emergency_client_approve()
        invoice = self.invoice(ticket, "normalization")
        self.assertEqual(invoice.amount_untaxed, 70.0)
        ticket.invalidate_cache()
        self.assertFalse(ticket.emergency_invoice_waiting)

    def test_phase_set_without_its_step_is_invoiced_by_the_cron(self):
        """An emergency whose phase was not reached through its step (data
        set by SQL, addon installed later) is not invoiced at approval: the
        button or the hourly scheduled action does it, once."""
        ticket = self.opened(self.person_b, normalized=None)
        self.set_history(ticket, normalized="2026-03-02 14:00:00")
        self.log("2026-03-02 10:00:00", 1, ticket=ticket)
        self.approve(ticket)
        self.assertFalse(self.invoice(ticket, "normalization"))
        self.env["helpdesk.ticket"]._cron_emergency_invoices()
        self.assertEqual(self.invoice(ticket, "normalization").amount_untaxed, 35.0)
        self.env["helpdesk.ticket"]._cron_emergency_invoices()
        self.assertEqual(len(self.Invoice.search([
            ("emergency_ticket_id", "=", ticket.id),
            ("emergency_kind", "=", "normalization")])), 1)

    def test_forms_of_the_accountant_and_the_specialist(self):
        ticket = self.accepted(self.person_b)
        Ticket = self.env["helpdesk.ticket"]
        form = Ticket.sudo(self.accountant).load_views([(False, "form")])[
            "fields_views"]["form"]
        self.assertIn("action_view_emergency_invoices", form["arch"])
        values = ticket.sudo(self.accountant).read(list(form["fields"]))[0]
        self.assertEqual(values["emergency_invoice_count"], 1)
        form = Ticket.sudo(self.specialist).load_views([(False, "form")])[
            "fields_views"]["form"]
        self.assertIn("emergency_invoice_waiting", form["arch"])
        self.assertIn("action_emergency_make_invoices", form["arch"])
        ticket.sudo(self.specialist).read(list(form["fields"]))

    def test_late_approved_time_goes_on_a_supplement(self):
        ticket = self.opened(self.person_b)
        self.log("2026-03-02 10:00:00", 1, ticket=ticket)
        self.approve(ticket)
        first = self.invoice(ticket, "normalization")
        self.assertEqual(first.amount_untaxed, 35.0)
        # work of the normalization logged late, approved after the invoice
        self.log("2026-03-02 12:00:00", 2, ticket=ticket)
        self.approve(ticket)
        supplement = self.invoice(ticket, "supplement", 1)
        self.assertEqual(supplement.amount_untaxed, 70.0)
        self.assertEqual(first.amount_untaxed, 35.0)  # never billed twice
        self.log("2026-03-02 13:00:00", 0.5, ticket=ticket)
        self.approve(ticket)
        self.assertEqual(self.invoice(ticket, "supplement", 2).amount_untaxed, 17.5)
        self.assertEqual(sum(self.lines(ticket).mapped("unit_amount")), 3.5)
        self.assertTrue(all(self.lines(ticket).mapped("emergency_invoice_line_id")))

    def test_late_normalization_time_rides_on_the_mitigation_invoice(self):
        ticket = self.opened(self.person_b)
        self.log("2026-03-02 10:00:00", 1, ticket=ticket)
        self.approve(ticket)
        self.log("2026-03-02 12:00:00", 1, ticket=ticket)   # normalization, late
        self.log("2026-03-02 15:00:00", 2, ticket=ticket)   # mitigation
        cutoffs = self.Cutoff._emergency_make_cutoffs(ticket_ids=ticket.ids)
        cutoffs.sudo(self.specialist).action_submit()
        cutoffs.sudo(self.specialist).action_staff_approve()
        ticket.sudo(self.specialist).action_emergency_close()
        self.assertFalse(self.invoice(ticket, "mitigation"))  # waits for the client
        cutoffs.sudo(self.portal_b).emergency_client_approve()
        invoice = self.invoice(ticket, "mitigation")
        self.assertEqual(sorted(self.time_lines(invoice).mapped("price_subtotal")),
                         [35.0, 50.0])
        self.assertFalse(self.invoice(ticket, "supplement", 1))

    def test_one_invoice_per_ticket_and_kind_in_the_database(self):
        ticket = self.opened(self.person_b)
        self.log("2026-03-02 10:00:00", 1, ticket=ticket)
        self.approve(ticket)
        invoice = self.invoice(ticket, "normalization")
        self.assertFalse(ticket._emergency_make_invoices())
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), \
                self.env.cr.savepoint():
            self.Invoice.create({
                "partner_id": self.client_b.id, "emergency_ticket_id": ticket.id,
                "emergency_kind": "normalization"})
        self.assertEqual(len(invoice), 1)

    def test_cancelling_releases_the_lines(self):
        ticket = self.opened(self.person_b)
        self.log("2026-03-02 10:00:00", 2, ticket=ticket)
        self.approve(ticket)
        invoice = self.invoice(ticket, "normalization")
        invoice.sudo(self.accountant).action_invoice_cancel()
        self.assertFalse(self.lines(ticket).mapped("emergency_invoice_line_id"))
        self.assertEqual(ticket._emergency_billable_lines(), self.lines(ticket))
        ticket.invalidate_cache()
        with self.assertRaisesRegex(UserError, "Make the emergency's invoices again"):
            invoice.sudo(self.accountant).action_invoice_draft()
        ticket.sudo(self.specialist).action_emergency_make_invoices()
        again = self.invoice(ticket, "normalization")
        self.assertNotEqual(again, invoice)
        self.assertEqual(again.amount_untaxed, 70.0)
        self.assertEqual(self.lines(ticket).mapped("emergency_invoice_id"), again)

    def test_a_failure_midway_leaves_nothing(self):
        """A failure after the invoice is created (here, linking the time)
        undoes the invoice (its savepoint), and no line is marked as billed;
        the approval itself stays (test_invoice_edges)."""
        ticket = self.opened(self.person_b)
        self.log("2026-03-02 10:00:00", 2, ticket=ticket)
        self.approve(ticket)
        self.invoice(ticket, "normalization").sudo(self.accountant).action_invoice_cancel()
        Ticket = type(self.env["helpdesk.ticket"])
        with patch.object(Ticket, "_emergency_link_time", side_effect=UserError("boom")):
            ticket.sudo()._emergency_make_invoices_safely()
        self.assertFalse(self.invoice(ticket, "normalization"))
        self.assertFalse(self.lines(ticket).mapped("emergency_invoice_line_id"))
        ticket.sudo()._emergency_make_invoices_safely()
        self.assertEqual(self.invoice(ticket, "normalization").amount_untaxed, 70.0)

    def test_fiscal_position_maps_the_taxes(self):
        exempt = self.env["account.tax"].create({
            "name": "Exempt (test)", "amount": 0.0, "amount_type": "percent",
            "type_tax_use": "sale", "company_id": self.company.id})
        position = self.env["account.fiscal.position"].create({
            "name": "Export (test)",
            "tax_ids": [(0, 0, {"tax_src_id": self.tax.id, "tax_dest_id": exempt.id})]})
        self.client_b.property_account_position_id = position
        ticket = self.accepted(self.person_b)
        invoice = self.invoice(ticket, "guarantee")
        self.assertEqual(invoice.fiscal_position_id, position)
        self.assertEqual(invoice.invoice_line_ids.invoice_line_tax_ids, exempt)
        self.assertEqual(invoice.amount_total, 70.0)
        # the proposal's guarantee with taxes is what the invoice charges
        self.assertEqual(ticket._emergency_guarantee_with_taxes(), 70.0)

    def test_a_refund_says_which_hours_it_gives_back(self):
        self.company.emergency_invoice_validate = True
        ticket = self.opened(self.person_b, policy="waived")
        self.log("2026-03-02 10:00:00", 3, ticket=ticket)
        self.approve(ticket)
        invoice = self.invoice(ticket, "normalization")
        self.assertEqual(invoice.state, "open")  # the company validates them
        refund = invoice.sudo(self.accountant).refund()
        self.assertIn("makes its hours billable again", refund.comment)
        self.assertEqual(refund.emergency_ticket_id, ticket)
        self.assertFalse(refund.emergency_kind)

    def test_time_lines_cannot_be_marked_invoiced_by_hand(self):
        ticket = self.opened(self.person_b)
        line = self.log("2026-03-02 10:00:00", 1, ticket=ticket)
        with self.assertRaisesRegex(UserError, "not typed"):
            line.sudo(self.specialist).write({"emergency_invoice_line_id": 1})

    def test_accountant_sees_them_specialist_does_not_invoice_by_hand(self):
        ticket = self.accepted(self.person_b)
        invoice = self.invoice(ticket, "guarantee")
        as_accountant = ticket.sudo(self.accountant)
        self.assertEqual(as_accountant.emergency_invoice_count, 1)
        action = as_accountant.action_view_emergency_invoices()
        self.assertEqual(self.Invoice.sudo(self.accountant).search(action["domain"]), invoice)
        self.assertEqual(invoice.sudo(self.accountant).emergency_ticket_id.number,
                         ticket.number)
        with self.assertRaises(AccessError):
            ticket.sudo(self.employee).action_emergency_make_invoices()
        found = self.Invoice.sudo(self.accountant).search(
            [("emergency_kind", "=", "guarantee"), ("emergency_ticket_id", "=", ticket.id)])
        self.assertEqual(found, invoice)

    def test_technical_report_lists_the_invoices(self):
        ticket = self.accepted(self.person_b)
        invoice = self.invoice(ticket, "guarantee")
        report = self.env.ref("emergency_support.action_report_emergency_technical")
        # a draft is the accountant's: the client's report lists the issued
        # invoices only, as its portal page does (issue 13, item 8)
        html = report.render_qweb_html(ticket.ids)[0].decode()
        self.assertNotIn('name="invoices"', html)
        invoice.action_invoice_open()
        html = report.render_qweb_html(ticket.ids)[0].decode()
        self.assertIn('name="invoices"', html)
        self.assertIn(invoice.number, html)
        self.assertIn("77.00", html)  # 2 Express hours + 10 % tax

    def test_a_spanish_client_gets_spanish_invoices(self):
        Lang = self.env["res.lang"].with_context(active_test=False)
        lang = Lang.search([("code", "=", "es_ES")])
        if not lang:
            Lang.load_lang("es_ES")
            self.env["ir.module.module"].search([
                ("name", "=", "emergency_support_invoice")])._update_translations("es_ES")
        elif not lang.active:
            lang.active = True
        (self.client_b | self.person_b).write({"lang": "es_ES"})
        ticket = self.accepted(self.person_b)
        invoice = self.invoice(ticket, "guarantee")
        self.assertIn("no reembolsable", invoice.comment)
        self.assertIn("horas Express", invoice.invoice_line_ids.name)
