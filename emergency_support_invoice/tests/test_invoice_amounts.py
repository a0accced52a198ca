# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
"""The amounts of the invoices for every combination (R3, R4, R11, R12, R16,
R18): plan / no plan x guarantee charged / credited / waived x normalization
time below, equal to and above the guarantee (2 Express hours = 70.00)."""
from odoo.tests.common import at_install, post_install

from .common import InvoiceCase

#: normalization hours below, equal to and above the 2 guarantee hours
HOURS = (1.0, 2.0, 3.0)


@at_install(False)
@post_install(True)
class TestInvoiceAmounts(InvoiceCase):

    def normalization_invoice(self, person, policy, hours):
        ticket = self.opened(person, policy=policy)
        self.log("2026-03-02 10:00:00", hours, ticket=ticket)
        self.approve(ticket)  # the last approval makes the invoice
        return ticket, self.invoice(ticket, "normalization")

    def check(self, person, policy, expected_fees, expected_credit):
        for hours, fees, credit in zip(HOURS, expected_fees, expected_credit):
            with self.subTest(hours=hours):
                ticket, invoice = self.normalization_invoice(person, policy, hours)
                self.assertEqual(len(invoice), 1)
                time_line = self.time_lines(invoice)
                self.assertEqual(len(time_line), 1)
                self.assertEqual(time_line.quantity, hours)
                self.assertAlmostEqual(time_line.price_subtotal, fees)
                credit_line = invoice.invoice_line_ids.filtered(
                    lambda l: l.emergency_line_kind == "credit")
                self.assertAlmostEqual(-sum(credit_line.mapped("price_subtotal")), credit)
                self.assertAlmostEqual(invoice.amount_untaxed, fees - credit)
                self.assertAlmostEqual(invoice.amount_total, round((fees - credit) * 1.1, 2))
                self.assertGreaterEqual(invoice.amount_total, 0.0)
                # every approved hour is linked to its invoice line, exactly once
                lines = self.lines(ticket)
                self.assertEqual(lines.mapped("emergency_invoice_line_id"), time_line)
                self.assertFalse(ticket._emergency_billable_lines())

    def test_no_plan_charged(self):
        """A charged guarantee is not deducted: 35.00 an hour."""
        self.check(self.person_b, "charged", (35.0, 70.0, 105.0), (0.0, 0.0, 0.0))

    def test_no_plan_credited(self):
        """A credited guarantee (70.00) is deducted, never below zero."""
        self.check(self.person_b, "credited", (35.0, 70.0, 105.0), (35.0, 70.0, 70.0))

    def test_no_plan_waived(self):
        """A waived guarantee had no invoice and deducts nothing."""
        self.check(self.person_b, "waived", (35.0, 70.0, 105.0), (0.0, 0.0, 0.0))
        # (not the common ticket: accepted, its guarantee issued, then waived)
        tickets = self.env["helpdesk.ticket"].search([("partner_id", "=", self.person_b.id),
                                                      ("id", "!=", self.ticket.id)])
        self.assertFalse(self.Invoice.search([("emergency_ticket_id", "in", tickets.ids),
                                              ("emergency_kind", "=", "guarantee"),
                                              ("state", "!=", "cancel")]))

    def test_plan_no_guarantee_plan_rates(self):
        """A plan client pays no guarantee; its Express rate is 30.00."""
        self.check(self.person_a, "charged", (30.0, 60.0, 90.0), (0.0, 0.0, 0.0))
        tickets = self.env["helpdesk.ticket"].search([("partner_id", "=", self.person_a.id)])
        self.assertFalse(self.Invoice.search([("emergency_ticket_id", "in", tickets.ids),
                                              ("emergency_kind", "=", "guarantee")]))

    def test_guarantee_invoice(self):
        """Guarantee hours x the Express rate, non-refundable, for the
        accountant: client's terms, company currency, tax from the product,
        the ticket as origin, the analytic account of the emergency."""
        ticket = self.accepted(self.person_b, guarantee_hours=3)
        invoice = self.invoice(ticket, "guarantee")
        self.assertEqual(invoice.state, "draft")
        self.assertTrue(invoice.emergency_non_refundable)
        self.assertIn("non-refundable", invoice.comment)
        self.assertEqual(invoice.amount_untaxed, 105.0)
        self.assertEqual(invoice.amount_tax, 10.5)
        self.assertEqual(invoice.origin, ticket.number)
        self.assertEqual(invoice.partner_id, self.client_b)
        self.assertEqual(invoice.payment_term_id, self.terms)
        self.assertEqual(invoice.currency_id, self.company.currency_id)
        self.assertEqual(invoice.invoice_line_ids.product_id, self.express)
        self.assertEqual(invoice.invoice_line_ids.invoice_line_tax_ids, self.tax)
        self.assertEqual(invoice.invoice_line_ids.account_analytic_id,
                         ticket.emergency_project_id.analytic_account_id)
        self.assertTrue(invoice.invoice_line_ids.account_analytic_id)

    def test_agreement_ending_mid_incident(self):
        """A plan ending on 2 March covers only its days: 3 March is billed
        at the Express list rate."""
        client = self.env["res.partner"].create({"name": "Client C", "is_company": True,
                                                 "tz": "UTC"})
        person = self.env["res.partner"].create({"name": "Carl C", "parent_id": client.id,
                                                 "email": "carl@example.com"})
        plan = self.env["emergency.plan.agreement"].create({
            "name": "Plan C ends", "partner_id": client.id,
            "service_area_ids": [(6, 0, self.area_db.ids)],
            "date_start": "2026-01-01", "date_end": "2026-03-02",
            "express_rate": 30.0, "ondemand_rate": 20.0})
        plan.action_confirm()
        ticket = self.accepted(person)
        self.assertEqual(ticket.emergency_phase, "normalization")
        self.set_history(ticket, normalized="2026-03-04 10:00:00")
        ticket.sudo()._emergency_write({"emergency_invoice_auto": True})
        self.log("2026-03-02 12:00:00", 2, ticket=ticket)
        self.log("2026-03-03 12:00:00", 1, ticket=ticket)
        cutoffs = self.Cutoff._emergency_make_cutoffs(ticket_ids=ticket.ids)
        cutoffs.sudo(self.specialist).action_submit()
        cutoffs.sudo(self.specialist).action_staff_approve()
        cutoffs.write({"client_approved_date": "2026-03-04 09:00:00"})
        cutoffs._emergency_finish()
        invoice = self.invoice(ticket, "normalization")
        lines = self.time_lines(invoice).sorted("id")
        self.assertEqual([(line.quantity, line.price_unit) for line in lines],
                         [(2.0, 30.0), (1.0, 35.0)])
        self.assertIn("Plan C ends", lines[0].name)
        self.assertEqual(invoice.amount_untaxed, 95.0)

    def test_mitigation_at_the_on_demand_rate_and_the_plan_lower_rate(self):
        """Mitigation: On-demand list rate (25.00); a plan client gets the
        lower of its rate (28.00) and the list rate (R16)."""
        for person, rate in ((self.person_b, 25.0), (self.person_a, 25.0)):
            with self.subTest(client=person.name):
                ticket = self.opened(person, policy="waived" if person == self.person_b
                                     else "charged")
                self.log("2026-03-02 15:00:00", 2, ticket=ticket)
                self.approve(ticket)
                self.assertFalse(self.invoice(ticket, "mitigation"))  # not closed yet
                ticket.sudo(self.specialist).action_emergency_close()
                invoice = self.invoice(ticket, "mitigation")
                self.assertEqual(self.time_lines(invoice).price_unit, rate)
                self.assertEqual(invoice.amount_untaxed, 2 * rate)
                self.assertEqual(self.time_lines(invoice).product_id, self.ondemand)
