# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
from .common import EmergencyCase


class TestViews(EmergencyCase):
    """Every window action of the addon opens, with all its views, for the
    people it is meant for (a view naming a field they cannot read fails)."""

    def _open_all(self, user):
        actions = self.env["ir.actions.act_window"].search([
            ("id", "in", self.env["ir.model.data"].search([
                ("module", "=", "emergency_support"),
                ("model", "=", "ir.actions.act_window")]).mapped("res_id"))])
        self.assertGreaterEqual(len(actions), 10)
        opened = 0
        for action in actions:
            Model = self.env[action.res_model].sudo(user)
            if not Model.check_access_rights("read", raise_exception=False):
                continue
            for mode in action.view_mode.split(","):
                view = Model.fields_view_get(view_type=mode.strip())
                self.assertTrue(view["arch"], (action.name, mode))
            Model.search([], limit=1)
            opened += 1
        return opened

    def test_specialist_and_manager_open_every_screen_they_may_read(self):
        self.assertGreaterEqual(self._open_all(self.specialist), 8)
        self.assertGreaterEqual(self._open_all(self.manager), 10)

    def test_ticket_and_partner_forms_for_each_role(self):
        ticket = self.open_with_waiver(self.new_emergency(self.person_b))
        for user in (self.specialist, self.manager):
            view = self.env["helpdesk.ticket"].sudo(user).fields_view_get(view_type="form")
            self.assertIn("emergency_phase", view["fields"])
            fields = list(view["fields"])
            ticket.sudo(user).read(fields)
            partner_view = self.env["res.partner"].sudo(user).fields_view_get(
                view_type="form")
            self.client_b.sudo(user).read(list(partner_view["fields"]))
        # an internal user who is no specialist still opens contacts
        partner_view = self.env["res.partner"].sudo(self.employee).fields_view_get(
            view_type="form")
        self.assertNotIn("emergency_nda_acceptance_ids", partner_view["fields"])
        self.client_b.sudo(self.employee).read(list(partner_view["fields"]))
