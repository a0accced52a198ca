# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
"""Issue 13, items 6 (the NDA records), 17, 18 and 19, at the model level."""
from odoo.exceptions import AccessError, UserError, ValidationError

from .common import EmergencyCase

SIGNED_PDF = "JVBERi0xLjQK"  # "%PDF-1.4\n", base64


class TestEdgesRoles(EmergencyCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.email = "emergencias@company.example.com"
        cls.no_mail = cls.env["res.users"].create({
            "name": "Specialist Without Mail", "login": "t_no_mail", "email": False,
            "groups_id": [(6, 0, cls.specialist.groups_id.ids)]})
        cls.other_company = cls.env["res.company"].create({"name": "Other Co (test)"})
        cls.other_area = cls.env["emergency.service.area"].create({
            "name": "Other's area", "code": "T-OTHER",
            "company_id": cls.other_company.id})
        cls.other_product = cls.env["emergency.supported.product"].create({
            "name": "Other's product", "service_area_id": cls.other_area.id})

    # item 17 ------------------------------------------------------------

    def test_a_specialist_without_an_address_evaluates(self):
        """Odoo refused the evaluation ("Unable to send email, please
        configure the sender's email address"): the message goes out from
        the company's address, in the specialist's name."""
        ticket = self.new_emergency(self.person_b)
        evaluations = self.env["emergency.evaluation"].sudo(self.no_mail).with_context(
            tracking_disable=False, mail_notrack=False)
        evaluations.create({
            "ticket_id": ticket.id, "verdict": "viable", "uncertainty": "low",
            "risk": "low", "guarantee_hours": 1})
        self.assertEqual(ticket.emergency_phase, "proposed")
        note = ticket.sudo(self.no_mail).with_context(
            tracking_disable=False).message_post(body="Called the client back.")
        self.assertEqual(note.email_from,
                         "Specialist Without Mail <emergencias@company.example.com>")
        tracked = ticket.message_ids.filtered(
            lambda m: m.author_id == self.no_mail.partner_id and m != note)
        self.assertTrue(tracked, "the phase change is tracked in the chatter")
        self.assertIn("emergencias@company.example.com", tracked[0].email_from)

    def test_no_address_at_all_never_blocks_the_work(self):
        self.company.email = False
        ticket = self.new_emergency(self.person_b)
        note = ticket.sudo(self.no_mail).message_post(body="Working on it.")
        self.assertFalse(note.email_from)
        self.assertEqual(note.author_id, self.no_mail.partner_id)

    # item 18 ------------------------------------------------------------

    def test_a_request_names_its_own_companys_area_and_products(self):
        with self.assertRaisesRegex(ValidationError, "another company"), \
                self.env.cr.savepoint():
            self.new_emergency(self.person_b, area=self.other_area,
                               emergency_product_ids=[(6, 0, [])])
        with self.assertRaisesRegex(ValidationError, "Other's area"), \
                self.env.cr.savepoint():
            self.new_emergency(self.person_b, emergency_product_ids=[
                (6, 0, [self.postgres.id, self.other_product.id])])
        ticket = self.new_emergency(self.person_b)
        with self.assertRaisesRegex(ValidationError, "another company"), \
                self.env.cr.savepoint():
            ticket.write({"service_area_id": self.other_area.id})
        ticket.invalidate_cache()
        self.assertEqual(ticket.service_area_id, self.area_db)

    # item 19 ------------------------------------------------------------

    def test_the_users_own_values_on_create_get_no_privilege(self):
        """The workflow block wrapped the whole create: the child records a
        specialist passed were written with the workflow's privileges (a
        confirmed criterion, a stamped action on a new emergency)."""
        Ticket = self.env["helpdesk.ticket"].sudo(self.specialist)
        values = {"name": "Forged", "is_emergency": True,
                  "partner_id": self.person_b.id,
                  "service_area_id": self.area_db.id}
        with self.assertRaisesRegex(UserError, "confirmed"), self.env.cr.savepoint():
            Ticket.create(dict(values, criterion_ids=[(0, 0, {
                "name": "Up", "confirmed": True,
                "confirmed_by_id": self.manager.id,
                "confirmed_date": "2026-01-01 00:00:00"})]))
        with self.assertRaises(UserError), self.env.cr.savepoint():
            Ticket.create(dict(values, action_ids=[(0, 0, {
                "name": "Restarted", "state": "done", "result": "Up",
                "date_done": "2026-01-01 00:00:00"})]))
        self.assertFalse(self.env["helpdesk.ticket"].search([("name", "=", "Forged")]))
        # the request as a client makes it: its criteria, nothing confirmed
        ticket = Ticket.create(dict(values, criterion_ids=[(0, 0, {"name": "Up"})]))
        self.assertEqual(ticket.criterion_ids.mapped("confirmed"), [False])
        self.assertEqual(ticket.emergency_phase, "evaluation")

    # item 6 (the records) -------------------------------------------------

    def test_staff_record_an_nda_signed_elsewhere_with_its_document(self):
        Acceptance = self.env["emergency.nda.acceptance"].sudo(self.specialist)
        values = {"partner_id": self.client_b.id, "accepted_by_id": self.person_b.id}
        with self.assertRaisesRegex(UserError, "accepted online by the client"):
            Acceptance.create(dict(values, kind="default", nda_id=self.nda.id))
        with self.assertRaisesRegex(UserError, "Attach the signed document"):
            Acceptance.create(dict(values, kind="prior", reference="Paper 1"))
        with self.assertRaisesRegex(UserError, "user_id"):
            Acceptance.create(dict(values, kind="prior", reference="Paper 1",
                                   document=SIGNED_PDF, user_id=self.portal_b.id))
        self.assertFalse(self.client_b.emergency_nda_acceptance_ids)
        acceptance = Acceptance.create(dict(
            values, kind="prior", reference="Paper 1", document=SIGNED_PDF,
            document_name="nda.pdf"))
        self.assertEqual(acceptance.recorded_by_id, self.specialist)
        self.assertFalse(acceptance.user_id)
        with self.assertRaisesRegex(UserError, "accepted_by_id"):
            acceptance.write({"accepted_by_id": self.person_b.id})
        acceptance.write({"revoked": True})
        self.assertTrue(acceptance.revoked)

    def test_a_specialist_never_accepts_the_default_nda_for_the_client(self):
        ticket = self.new_emergency(self.person_b)
        self.evaluate(ticket)
        with self.assertRaisesRegex(AccessError, "client's own user"):
            ticket.emergency_accept_proposal(accept_default_nda=True)
        self.assertEqual(ticket.emergency_phase, "proposed")
        self.assertFalse(self.client_b.emergency_nda_acceptance_ids)
        # the client's own user does, and is recorded
        ticket.sudo(self.portal_b).emergency_accept_proposal(accept_default_nda=True)
        acceptance = self.client_b.emergency_nda_acceptance_ids
        self.assertEqual(acceptance.user_id, self.portal_b)
        self.assertEqual(acceptance.accepted_by_id, self.person_b)
        self.assertEqual(ticket.emergency_phase, "awaiting_guarantee")
