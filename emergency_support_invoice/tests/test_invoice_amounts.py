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


@at_install(False)
@post_install(True)
class TestInvoiceAmountsWithVat(InvoiceCase):
    """Every invoice kind with a 16 % sales tax (the VAT of the demo
    company), amounts computed by hand. The guarantee is credited on untaxed
    amounts (hours x rate); the credit line carries the taxes of the hours
    it offsets, so it lowers their tax base and the tax is computed on what
    is left."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vat = cls.env["account.tax"].create({
            "name": "IVA 16 % (test)", "amount": 16.0, "amount_type": "percent",
            "type_tax_use": "sale", "company_id": cls.company.id})
        (cls.express | cls.ondemand).write({"taxes_id": [(6, 0, cls.vat.ids)]})

    def assertAmounts(self, invoice, untaxed, tax, total):
        self.assertEqual((invoice.amount_untaxed, invoice.amount_tax, invoice.amount_total),
                         (untaxed, tax, total))

    def credit_lines(self, invoice):
        return invoice.invoice_line_ids.filtered(
            lambda l: l.emergency_line_kind == "credit").sorted("id")

    def credit_note(self, invoice, mode):
        wizard = self.env["account.invoice.refund"].sudo(self.accountant).with_context(
            active_ids=invoice.ids, active_id=invoice.id,
            active_model="account.invoice").create(
                {"filter_refund": mode, "description": "Correction"})
        wizard.invoice_refund()
        return self.Invoice.search([("refund_invoice_id", "=", invoice.id)])

    def close_and_approve(self, ticket):
        ticket.sudo(self.specialist).action_emergency_close()
        self.approve(ticket)

    def test_guarantee_invoice(self):
        """(1) 2 Express hours: 70.00 + 16 % = 81.20, what the client pays."""
        ticket = self.accepted(self.person_b, guarantee_hours=2, policy="credited")
        invoice = self.invoice(ticket, "guarantee")
        self.assertAmounts(invoice, 70.0, 11.2, 81.2)
        # what the proposal told the client, taxes included
        self.assertEqual(ticket._emergency_guarantee_with_taxes(), 81.2)
        self.assertEqual(invoice.tax_line_ids.tax_id, self.vat)
        self.assertEqual(invoice.tax_line_ids.base, 70.0)
        self.pay(invoice)
        self.assertEqual(invoice.state, "paid")
        self.assertEqual(ticket.emergency_phase, "normalization")

    def test_normalization_invoice_with_the_credit_line(self):
        """(2) 3 Express hours (105.00) less the credited guarantee (70.00,
        untaxed): the credit line carries the VAT, the tax base is 35.00,
        the tax 5.60. Fees below the guarantee: everything is 0, never
        negative."""
        ticket = self.opened(self.person_b, guarantee_hours=2, policy="credited")
        self.log("2026-03-02 10:00:00", 3, ticket=ticket)
        self.approve(ticket)
        invoice = self.invoice(ticket, "normalization")
        credit = self.credit_lines(invoice)
        self.assertEqual(credit.price_subtotal, -70.0)
        self.assertEqual(credit.invoice_line_tax_ids, self.vat)
        self.assertAmounts(invoice, 35.0, 5.6, 40.6)
        self.assertEqual((invoice.tax_line_ids.base, invoice.tax_line_ids.amount), (35.0, 5.6))
        # fees below the guarantee: 35.00 - 35.00, no tax, nothing to pay
        ticket = self.opened(self.person_b, guarantee_hours=2, policy="credited")
        self.log("2026-03-02 10:00:00", 1, ticket=ticket)
        self.approve(ticket)
        invoice = self.invoice(ticket, "normalization")
        self.assertEqual(self.credit_lines(invoice).price_subtotal, -35.0)
        self.assertAmounts(invoice, 0.0, 0.0, 0.0)

    def test_mitigation_invoice_with_the_remaining_credit(self):
        """(3) The guarantee (70.00) credited 35.00 on (2); the mitigation's
        2 On-demand hours (50.00) get the other 35.00: 15.00 + 2.40."""
        ticket = self.opened(self.person_b, guarantee_hours=2, policy="credited")
        self.log("2026-03-02 10:00:00", 1, ticket=ticket)
        self.approve(ticket)
        self.assertAmounts(self.invoice(ticket, "normalization"), 0.0, 0.0, 0.0)
        self.log("2026-03-02 15:00:00", 2, ticket=ticket)
        self.close_and_approve(ticket)
        invoice = self.invoice(ticket, "mitigation")
        credit = self.credit_lines(invoice)
        self.assertEqual((credit.price_subtotal, credit.invoice_line_tax_ids),
                         (-35.0, self.vat))
        self.assertAmounts(invoice, 15.0, 2.4, 17.4)
        self.assertEqual(ticket.sudo()._emergency_credited_so_far(), 70.0)

    def test_supplement(self):
        """Late time on a supplement: 2 Express hours, 70.00 + 11.20."""
        ticket = self.opened(self.person_b)
        self.log("2026-03-02 10:00:00", 1, ticket=ticket)
        self.approve(ticket)
        self.assertAmounts(self.invoice(ticket, "normalization"), 35.0, 5.6, 40.6)
        self.log("2026-03-02 12:00:00", 2, ticket=ticket)
        self.approve(ticket)
        self.assertAmounts(self.invoice(ticket, "supplement", 1), 70.0, 11.2, 81.2)

    def test_credit_notes(self):
        """A cancelling credit note of (2) reverses it whole, VAT and credit
        line included (35.00 + 5.60); its hours and the credit they used go
        on a supplement with the same amounts. A draft credit note (a
        goodwill refund) copies the invoice's lines and taxes."""
        ticket = self.opened(self.person_b, guarantee_hours=2, policy="credited")
        self.log("2026-03-02 10:00:00", 3, ticket=ticket)
        self.approve(ticket)
        second = self.invoice(ticket, "normalization")
        second.sudo(self.accountant).action_invoice_open()
        refund = self.credit_note(second, "cancel")
        self.assertEqual(refund.type, "out_refund")
        self.assertAmounts(refund, 35.0, 5.6, 40.6)
        self.assertEqual(self.credit_lines(refund).price_subtotal, -70.0)
        self.assertEqual(self.credit_lines(refund).invoice_line_tax_ids, self.vat)
        self.assertEqual((second.state, second.residual), ("paid", 0.0))
        supplement = self.invoice(ticket, "supplement", 1)
        self.assertAmounts(supplement, 35.0, 5.6, 40.6)
        self.assertEqual(ticket.sudo()._emergency_credited_so_far(), 70.0)
        supplement.sudo(self.accountant).action_invoice_open()
        goodwill = self.credit_note(supplement, "refund")
        self.assertEqual(goodwill.state, "draft")
        self.assertAmounts(goodwill, 35.0, 5.6, 40.6)

    def test_the_credit_follows_the_taxes_of_the_hours(self):
        """On-demand hours without tax, Express with VAT: the credit goes
        first on the hours of the guarantee's own tax, then on the others,
        one credit line per set of taxes, none below zero. Guarantee 3 h
        (105.00): 35.00 on (2); on (3), late Express 35.00 (VAT) and
        On-demand 50.00 (no tax) take 35.00 and 35.00."""
        self.ondemand.taxes_id = False
        ticket = self.opened(self.person_b, guarantee_hours=3, policy="credited")
        self.log("2026-03-02 10:00:00", 1, ticket=ticket)
        self.approve(ticket)
        self.log("2026-03-02 12:00:00", 1, ticket=ticket)   # normalization, late
        self.log("2026-03-02 15:00:00", 2, ticket=ticket)   # mitigation
        self.close_and_approve(ticket)
        invoice = self.invoice(ticket, "mitigation")
        self.assertEqual([(line.price_subtotal, line.invoice_line_tax_ids)
                          for line in self.credit_lines(invoice)],
                         [(-35.0, self.vat), (-35.0, self.env["account.tax"])])
        self.assertAmounts(invoice, 15.0, 0.0, 15.0)
        self.assertEqual(ticket.sudo()._emergency_credited_so_far(), 105.0)

    def test_a_tax_included_in_the_price(self):
        """With the VAT included in the rates, the credit is still the
        guarantee's untaxed amount (70.00 / 1.16 = 60.34), to the cent: the
        credit line's price is grossed up (69.99, the first price whose
        untaxed amount is 60.34), so its tax may differ from the guarantee's
        by a cent (9.65 against 9.66)."""
        self.vat.price_include = True
        ticket = self.opened(self.person_b, guarantee_hours=2, policy="credited")
        self.assertAmounts(self.invoice(ticket, "guarantee").sudo(), 60.34, 9.66, 70.0)
        self.log("2026-03-02 10:00:00", 3, ticket=ticket)
        self.approve(ticket)
        invoice = self.invoice(ticket, "normalization")
        credit = self.credit_lines(invoice)
        self.assertEqual((credit.price_unit, credit.price_subtotal), (-69.99, -60.34))
        # 105.00 / 1.16 = 90.52 (tax 14.48); less 60.34 (tax 9.65)
        self.assertAmounts(invoice, 30.18, 4.83, 35.01)
