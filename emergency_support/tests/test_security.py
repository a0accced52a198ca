# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError

from .common import EmergencyCase


class TestPortalIsolation(EmergencyCase):
    """A portal client sees only its own company's emergencies and their parts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ticket_a = cls.new_emergency(cls.person_a)
        cls.ticket_b = cls.new_emergency(cls.person_b)
        colleague = cls.env["res.partner"].create(
            {"name": "Alan A", "parent_id": cls.client_a.id})
        cls.ticket_a2 = cls.new_emergency(colleague)
        for ticket in (cls.ticket_a, cls.ticket_b):
            cls.env["emergency.evaluation"].sudo(cls.specialist).create(
                {"ticket_id": ticket.id, "verdict": "viable"})
            cls.env["emergency.criterion"].create(
                {"ticket_id": ticket.id, "name": "Service up"})

    def test_portal_user_sees_own_company_emergencies_only(self):
        Ticket = self.env["helpdesk.ticket"].sudo(self.portal_a)
        visible = Ticket.search([("is_emergency", "=", True)])
        self.assertIn(self.ticket_a, visible)
        self.assertIn(self.ticket_a2, visible)  # a colleague's request
        self.assertNotIn(self.ticket_b, visible)
        self.assertEqual(self.ticket_a.sudo(self.portal_a).emergency_phase, "proposed")
        with self.assertRaises(AccessError):
            self.ticket_b.sudo(self.portal_a).read(["name"])
        with self.assertRaises(AccessError):
            self.ticket_a.sudo(self.portal_b).read(["name"])

    def test_portal_user_cannot_read_another_clients_parts(self):
        for model, field in (("emergency.evaluation", "ticket_id"),
                             ("emergency.criterion", "ticket_id"),
                             ("emergency.phase.history", "ticket_id")):
            Model = self.env[model].sudo(self.portal_a)
            records = Model.search([])
            self.assertTrue(records, model)
            self.assertEqual(records.mapped(field).mapped("partner_id.commercial_partner_id"),
                             self.client_a, model)
            other = self.env[model].search([(field, "=", self.ticket_b.id)])
            with self.assertRaises(AccessError):
                other.sudo(self.portal_a).read([field])
        acceptances = self.env["emergency.nda.acceptance"].sudo(self.portal_b).search([])
        self.assertFalse(acceptances)
        plans = self.env["emergency.plan.agreement"].sudo(self.portal_b).search([])
        self.assertFalse(plans)
        self.assertEqual(
            self.env["emergency.plan.agreement"].sudo(self.portal_a).search([]), self.plan)

    def test_portal_user_changes_nothing_directly(self):
        with self.assertRaises(AccessError):
            self.ticket_a.sudo(self.portal_a).write({"name": "hacked"})
        with self.assertRaises(AccessError):
            self.env["emergency.evaluation"].sudo(self.portal_a).create(
                {"ticket_id": self.ticket_a.id})
        with self.assertRaises(AccessError):
            self.ticket_a.criterion_ids.sudo(self.portal_a).write({"name": "x"})


class TestMultiCompany(EmergencyCase):

    def test_other_company_records_are_invisible(self):
        other = self.env["res.company"].create({"name": "Other Co (test)"})
        area = self.env["emergency.service.area"].create(
            {"name": "Other area", "company_id": other.id})
        plan = self.env["emergency.plan.agreement"].create({
            "name": "Other plan", "partner_id": self.client_b.id, "company_id": other.id,
            "service_area_ids": [(6, 0, (area | self.area_db).ids)],
            "date_start": "2026-01-01", "date_end": "2026-12-31",
            "express_rate": 1, "ondemand_rate": 1})
        plan.action_confirm()
        manager = self.manager
        self.assertNotIn(area, self.env["emergency.service.area"].sudo(manager).search([]))
        self.assertNotIn(plan, self.env["emergency.plan.agreement"].sudo(manager).search([]))
        ticket_b = self.new_emergency(self.person_b)
        # the other company's plan never applies to this company's tickets
        self.assertFalse(ticket_b._emergency_find_agreement())
