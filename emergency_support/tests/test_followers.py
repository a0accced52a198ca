# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
"""Managers follow what they must, not every client e-mail: the portal
creates an emergency as the superuser (the administrator in 11.0), who must
not become its follower."""
from .common import EmergencyCase


class TestFollowers(EmergencyCase):

    def test_portal_request_is_not_followed_by_the_administrator(self):
        admin = self.env.ref("base.user_root")
        # as the portal controller does: sudo(), in the client's name
        ticket = self.env["helpdesk.ticket"].sudo().with_context(
            tracking_disable=False).create({
                "name": "Mail server down", "is_emergency": True,
                "partner_id": self.person_b.id,
                "service_area_id": self.area_db.id,
                "emergency_facts": "No mail since 8:00.",
                "desired_scenario": "Mail flows again."})
        self.assertIn(self.person_b, ticket.message_partner_ids)
        self.assertNotIn(admin.partner_id, ticket.message_partner_ids)
        # the client writes: the administrator's inbox gets nothing
        message = ticket.message_post(
            body="Any news?", author_id=self.person_b.id,
            message_type="comment", subtype="mail.mt_comment")
        self.assertNotIn(admin.partner_id, message.needaction_partner_ids)
        self.assertNotIn(admin.partner_id, message.partner_ids)

    def test_the_lead_expert_follows_the_emergency(self):
        ticket = self.new_emergency(self.person_b)
        ticket.sudo().with_context(tracking_disable=False).write(
            {"lead_expert_id": self.specialist.id})
        self.assertIn(self.specialist.partner_id, ticket.message_partner_ids)

    def test_the_demo_emergencies_are_not_followed_by_the_administrator(self):
        """The administrator loads the demo (its notes included): no demo
        emergency sends him its client's mails."""
        admin = self.env.ref("base.user_root")
        followed = self.env["helpdesk.ticket"].search([
            ("is_emergency", "=", True),
            ("message_partner_ids", "in", admin.partner_id.ids)])
        followed = followed.filtered(
            lambda t: admin not in (t.user_id | t.lead_expert_id))
        self.assertFalse(followed, followed.mapped("number"))
