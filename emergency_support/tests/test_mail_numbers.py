# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
"""Hours in the client's mails are written in the client's language, as on
the portal (issue 14): "2,0 horas" in Spanish, "2.0 hours" in English, and
"1 hora Express", not "1 horas Express"."""
from .common import EmergencyCase


class TestMailNumbers(EmergencyCase):

    def _evaluation_mail(self, person, guarantee_hours):
        ticket = self.new_emergency(person)
        self.evaluate(ticket, guarantee_hours=guarantee_hours,
                      estimated_emergency_hours=2.0,
                      estimated_normalization_hours=1.5)
        messages = ticket.message_ids.filtered(lambda m: person in m.partner_ids)
        return messages.sorted("id")[-1].body

    def test_a_spanish_client_reads_spanish_numbers(self):
        self.person_b.lang = "es_ES"
        body = self._evaluation_mail(self.person_b, 1)
        self.assertIn("Tiempo estimado en emergencia: 2,0 horas", body)
        self.assertIn("normalización del servicio: 1,5 horas", body)
        self.assertIn("Garantía: 1 hora Express,", body)
        self.assertNotIn("2.0", body)
        body = self._evaluation_mail(self.person_b, 3)
        self.assertIn("Garantía: 3 horas Express,", body)

    def test_an_english_client_reads_english_numbers(self):
        self.person_b.lang = "en_US"
        body = self._evaluation_mail(self.person_b, 1)
        self.assertIn("Estimated time in emergency: 2.0 hours", body)
        self.assertIn("Guarantee: 1 Express hour,", body)
        body = self._evaluation_mail(self.person_b, 2)
        self.assertIn("Guarantee: 2 Express hours,", body)
