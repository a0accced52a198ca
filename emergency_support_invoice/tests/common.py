# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
from odoo.addons.emergency_support_timesheet.tests.common import TimesheetCase

NORMALIZED = "2026-03-02 14:00:00"


class InvoiceCase(TimesheetCase):
    """Emergencies to invoice: a 10 % sales tax on the Express and On-demand
    products, an accountant (Billing group only), client payment terms."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.Invoice = env["account.invoice"]
        cls.company.email = "support@example.com"
        # drafts wait for the accountant, the guarantee too (the tests of
        # the portal payment issue it at once, as the default does)
        cls.company.emergency_invoice_validate = False
        cls.company.emergency_guarantee_validate = False
        cls.tax = env["account.tax"].create({
            "name": "VAT 10 % (test)", "amount": 10.0, "amount_type": "percent",
            "type_tax_use": "sale", "company_id": cls.company.id})
        (cls.express | cls.ondemand).write({"taxes_id": [(6, 0, cls.tax.ids)]})
        cls.accountant = env["res.users"].create({
            "name": "Test Accountant", "login": "t_accountant",
            "email": "t_accountant@example.com",
            "groups_id": [(6, 0, [env.ref("base.group_user").id,
                                  env.ref("account.group_account_invoice").id])]})
        cls.terms = env.ref("account.account_payment_term_15days")
        (cls.client_a | cls.client_b).write({"property_payment_term_id": cls.terms.id})
        # the client's language decides the invoices' and report's texts
        (cls.client_a | cls.client_b | cls.person_a | cls.person_b).write({"lang": "en_US"})
        cls.bank = env["account.journal"].search([
            ("type", "=", "bank"), ("company_id", "=", cls.company.id)], limit=1)

    # -- emergencies ----------------------------------------------------------

    def accepted(self, person, guarantee_hours=2, policy="charged"):
        """An emergency of ``person``'s client, evaluated and accepted."""
        ticket = self.new_emergency(person)
        ticket.message_subscribe(partner_ids=person.ids)
        hours = 0 if ticket._emergency_find_agreement() else guarantee_hours
        self.evaluate(ticket, guarantee_hours=hours)
        if policy == "waived":
            ticket.sudo(self.specialist).action_emergency_waive_guarantee()
        ticket.sudo().emergency_accept_proposal(accept_default_nda=True)
        if policy == "credited":
            ticket.sudo(self.specialist).action_emergency_credit_guarantee()
        return ticket

    def opened(self, person, guarantee_hours=2, policy="charged", normalized=NORMALIZED):
        """Accepted, guarantee paid (unless waived or a plan), with the fixed
        phase history; in mitigation when ``normalized``."""
        ticket = self.accepted(person, guarantee_hours, policy)
        if ticket.emergency_phase == "awaiting_guarantee":
            self.pay(self.invoice(ticket, "guarantee"))
        self.assertEqual(ticket.emergency_phase, "normalization")
        self.set_history(ticket, normalized=normalized)
        if normalized:
            # reached through the step "normalization reached" (the fixed
            # history is written with SQL): approvals invoice at once
            ticket.sudo()._emergency_write({"emergency_invoice_auto": True})
        return ticket

    def invoice(self, ticket, kind, sequence=0):
        return self.Invoice.search([
            ("emergency_ticket_id", "=", ticket.id), ("emergency_kind", "=", kind),
            ("emergency_sequence", "=", sequence), ("state", "!=", "cancel")])

    def approve(self, ticket):
        """Make, submit and approve (both parties) the cut-offs of the ticket."""
        cutoffs = self.Cutoff._emergency_make_cutoffs(ticket_ids=ticket.ids)
        cutoffs.sudo(self.specialist).action_submit()
        cutoffs.sudo(self.specialist).action_staff_approve()
        client = self.portal_a if ticket.partner_id == self.person_a else self.portal_b
        cutoffs.sudo(client).emergency_client_approve()
        return cutoffs

    def pay(self, invoice, date="2026-03-02"):
        """The accountant validates the invoice and registers its payment."""
        invoice = invoice.sudo(self.accountant)
        if invoice.state == "draft":
            invoice.action_invoice_open()
        payment = self.env["account.payment"].sudo(self.accountant).create({
            "payment_type": "inbound",
            "partner_type": "customer",
            "partner_id": invoice.partner_id.id,
            "amount": invoice.amount_total,
            "journal_id": self.bank.id,
            "payment_date": date,
            "payment_method_id": self.env.ref(
                "account.account_payment_method_manual_in").id,
            "invoice_ids": [(6, 0, invoice.ids)],
        })
        payment.post()
        return payment

    def time_lines(self, invoice):
        return invoice.invoice_line_ids.filtered(lambda l: l.emergency_line_kind == "time")
