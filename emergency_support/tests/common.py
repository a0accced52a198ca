# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
from odoo.tests.common import SavepointCase

from odoo.addons.queue_job.job import Job


class EmergencyCase(SavepointCase):
    """Own data for the emergency tests: two clients (one with a monthly plan
    and an NDA from earlier work, one with neither), a specialist, a manager,
    an internal user who is no specialist, portal users of both clients."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the work queued after a click (mails, reports: queue_job) runs at
        # once; emergency_support/tests/test_jobs.py tests the queue itself
        cls.env = cls.env(context=dict(
            cls.env.context, tracking_disable=True, lang="en_US",
            no_reset_password=True, test_queue_job_no_delay=True))
        env = cls.env
        cls._activate_languages("en_US", "es_ES")
        cls.company = env.ref("base.main_company")
        cls.express = env["product.product"].create({
            "name": "Express hour (test)", "type": "service", "list_price": 35.0})
        cls.ondemand = env["product.product"].create({
            "name": "On-demand hour (test)", "type": "service", "list_price": 25.0})
        cls.nda = env["emergency.nda"].create({
            "name": "Test NDA", "version": "T-1", "date": "2026-01-01"})
        cls.company.write({
            "emergency_express_product_id": cls.express.id,
            "emergency_ondemand_product_id": cls.ondemand.id,
            "emergency_evaluation_minutes": 60,
            "emergency_nda_id": cls.nda.id,
        })
        Users = env["res.users"]
        helpdesk_user = env.ref("helpdesk_mgmt.group_helpdesk_user")
        helpdesk_manager = env.ref("helpdesk_mgmt.group_helpdesk_manager")
        cls.specialist = Users.create({
            "name": "Test Specialist", "login": "t_specialist",
            "email": "t_specialist@example.com",
            "groups_id": [(6, 0, [env.ref("base.group_user").id, helpdesk_user.id])]})
        cls.manager = Users.create({
            "name": "Test Manager", "login": "t_manager",
            "email": "t_manager@example.com",
            "groups_id": [(6, 0, [env.ref("base.group_user").id, helpdesk_manager.id])]})
        cls.employee = Users.create({
            "name": "Test Employee", "login": "t_employee",
            "groups_id": [(6, 0, [env.ref("base.group_user").id])]})
        Area = env["emergency.service.area"]
        cls.area_db = Area.create({"name": "Databases (test)", "code": "T-DB"})
        cls.area_net = Area.create({"name": "Networks (test)", "code": "T-NET"})
        Product = env["emergency.supported.product"]
        cls.postgres = Product.create({"name": "PostgreSQL", "service_area_id": cls.area_db.id})
        cls.exadata = Product.create({"name": "Exadata", "service_area_id": cls.area_db.id,
                                      "supported": False})
        Partner = env["res.partner"]
        # English-speaking clients, whatever the database's default language
        cls.client_a = Partner.create({"name": "Client A (plan)", "is_company": True,
                                       "email": "a@example.com", "lang": "en_US"})
        cls.person_a = Partner.create({"name": "Alice A", "parent_id": cls.client_a.id,
                                       "email": "alice@example.com", "lang": "en_US"})
        cls.client_b = Partner.create({"name": "Client B (no plan)", "is_company": True,
                                       "email": "b@example.com", "lang": "en_US"})
        cls.person_b = Partner.create({"name": "Bob B", "parent_id": cls.client_b.id,
                                       "email": "bob@example.com", "lang": "en_US"})
        portal = env.ref("base.group_portal")
        cls.portal_a = Users.create({"login": "t_portal_a", "partner_id": cls.person_a.id,
                                     "groups_id": [(6, 0, [portal.id])]})
        cls.portal_b = Users.create({"login": "t_portal_b", "partner_id": cls.person_b.id,
                                     "groups_id": [(6, 0, [portal.id])]})
        cls.plan = env["emergency.plan.agreement"].create({
            "name": "Plan A 2026", "partner_id": cls.client_a.id,
            "service_area_ids": [(6, 0, cls.area_db.ids)],
            "date_start": "2026-01-01", "date_end": "2026-12-31",
            "express_rate": 30.0, "ondemand_rate": 28.0,
        })
        cls.plan.action_confirm()
        env["emergency.nda.acceptance"].create({
            "partner_id": cls.client_a.id, "kind": "prior",
            "reference": "NDA-2025-001", "accepted_by_id": cls.person_a.id,
            "date_accepted": "2025-06-01 10:00:00"})

    @classmethod
    def _activate_languages(cls, *codes):
        """The languages the tests need, whatever the database was made with
        (English only, or Spanish with English left inactive)."""
        Lang = cls.env["res.lang"].with_context(active_test=False)
        module = cls.env["ir.module.module"].search([("name", "=", "emergency_support")])
        for code in codes:
            lang = Lang.search([("code", "=", code)])
            if not lang:
                Lang.load_lang(code)
                module._update_translations(code)
            elif not lang.active:
                lang.active = True

    def run_job(self, queued):
        """Run a queued job (a ``queue.job`` record) as the job runner does."""
        job = Job.load(self.env, queued.uuid)
        job.set_started()
        job.perform()
        job.set_done()
        job.store()

    @classmethod
    def new_emergency(cls, person, area=None, request_date="2026-03-02 08:00:00", **vals):
        values = {
            "name": "Database down",
            "is_emergency": True,
            "partner_id": person.id,
            "service_area_id": (area or cls.area_db).id,
            "emergency_product_ids": [(6, 0, cls.postgres.ids)],
            "emergency_facts": "The main database does not start.",
            "desired_scenario": "Orders are taken again.",
        }
        values.update(vals)
        Ticket = cls.env["helpdesk.ticket"]
        if request_date:
            # a request received earlier: only the superuser may record its
            # date (a specialist cannot backdate the evaluation clock)
            values["request_date"] = request_date
            return Ticket.create(values).sudo(cls.specialist)
        return Ticket.sudo(cls.specialist).create(values)

    def evaluate(self, ticket, user=None, **vals):
        values = {"ticket_id": ticket.id, "verdict": "viable", "uncertainty": "low",
                  "risk": "medium", "estimated_emergency_hours": 4.0,
                  "estimated_normalization_hours": 3.0,
                  "estimated_mitigation_hours": 5.0}
        values.update(vals)
        return self.env["emergency.evaluation"].sudo(user or self.specialist).create(values)

    def open_with_waiver(self, ticket):
        """An emergency of client B, accepted with the default NDA, guarantee
        waived: in normalization."""
        self.evaluate(ticket, guarantee_hours=2)
        ticket.sudo().emergency_accept_proposal(accept_default_nda=True)
        ticket.sudo(self.specialist).action_emergency_waive_guarantee()
        return ticket
