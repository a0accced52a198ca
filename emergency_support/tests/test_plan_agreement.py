# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError, UserError, ValidationError

from .common import EmergencyCase


class TestPlanAgreement(EmergencyCase):

    def _values(self, **vals):
        values = {"name": "Plan B", "partner_id": self.client_b.id,
                  "service_area_ids": [(6, 0, self.area_db.ids)],
                  "date_start": "2026-01-01", "date_end": "2026-12-31",
                  "express_rate": 30.0, "ondemand_rate": 20.0}
        values.update(vals)
        return values

    def test_inverted_dates_are_refused(self):
        Agreement = self.env["emergency.plan.agreement"].sudo(self.manager)
        # the savepoint stands for the request's transaction, rolled back on error
        with self.assertRaisesRegex(ValidationError, "ends before it starts"), \
                self.env.cr.savepoint():
            Agreement.create(self._values(date_start="2026-06-01", date_end="2026-05-31"))
        self.assertFalse(Agreement.search([("partner_id", "=", self.client_b.id)]))

    def test_negative_rates_are_refused(self):
        with self.assertRaisesRegex(ValidationError, "negative"):
            self.env["emergency.plan.agreement"].sudo(self.manager).create(
                self._values(express_rate=-1))

    def test_states(self):
        agreement = self.env["emergency.plan.agreement"].sudo(self.manager).create(
            self._values())
        agreement.action_confirm()
        with self.assertRaises(UserError):
            agreement.action_confirm()
        with self.assertRaises(UserError):
            agreement.action_draft()
        agreement.action_cancel()
        agreement.action_draft()
        self.assertEqual(agreement.state, "draft")

    def test_managers_configure_plans_specialists_read_them(self):
        with self.assertRaises(AccessError):
            self.env["emergency.plan.agreement"].sudo(self.specialist).create(self._values())
        self.assertEqual(self.plan.sudo(self.specialist).name, "Plan A 2026")
        with self.assertRaises(AccessError):
            self.plan.sudo(self.specialist).write({"express_rate": 1.0})
