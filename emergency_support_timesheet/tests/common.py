# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
from odoo.addons.emergency_support.tests.common import EmergencyCase

#: a fixed history: opened 2 March 10:00 UTC, normalized 14:00 UTC
OPENED = "2026-03-02 10:00:00"
NORMALIZED = "2026-03-02 14:00:00"


class TimesheetCase(EmergencyCase):
    """Emergencies in normalization with a fixed phase history (the workflow
    stamps "now"; the tests need fixed moments), a second company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Line = cls.env["account.analytic.line"]
        cls.Cutoff = cls.env["emergency.timesheet.cutoff"]
        cls.client_b.tz = "UTC"
        cls.client_a.tz = "UTC"
        cls.ticket = cls.open_emergency(cls.person_b)
        cls.specialist2 = cls.env["res.users"].create({
            "name": "Second Specialist", "login": "t_specialist2",
            "groups_id": [(6, 0, [cls.env.ref("base.group_user").id,
                                  cls.env.ref("helpdesk_mgmt.group_helpdesk_user").id])]})

    @classmethod
    def open_emergency(cls, person, normalized=None, closed=None, **vals):
        ticket = cls.new_emergency(person, **vals)
        cls.evaluate(cls, ticket, guarantee_hours=0 if ticket._emergency_find_agreement()
                     else 2)
        ticket.sudo().emergency_accept_proposal(accept_default_nda=True)
        if ticket.emergency_phase != "normalization":
            ticket.sudo(cls.specialist).action_emergency_waive_guarantee()
        cls.set_history(ticket, normalized=normalized, closed=closed)
        return ticket

    @classmethod
    def set_history(cls, ticket, normalized=None, closed=None):
        """Rewrite the phase history with fixed moments (SQL: the history is
        written only by the workflow)."""
        history = [("evaluation", "2026-03-02 08:00:00", "2026-03-02 08:30:00"),
                   ("proposed", "2026-03-02 08:30:00", "2026-03-02 09:00:00"),
                   ("accepted", "2026-03-02 09:00:00", OPENED),
                   ("normalization", OPENED, normalized)]
        phase = "normalization"
        if normalized:
            history.append(("mitigation", normalized, closed))
            phase = "mitigation"
        if closed:
            history.append(("closed", closed, None))
            phase = "closed"
        cr = cls.env.cr
        cr.execute("DELETE FROM emergency_phase_history WHERE ticket_id = %s", (ticket.id,))
        for name, start, end in history:
            cr.execute("""INSERT INTO emergency_phase_history
                          (ticket_id, phase, date_start, date_end, company_id)
                          VALUES (%s, %s, %s, %s, %s)""",
                       (ticket.id, name, start, end, ticket.company_id.id))
        cr.execute("""UPDATE helpdesk_ticket SET emergency_phase = %s,
                      service_opened_date = %s, normalization_date = %s,
                      emergency_closed_date = %s WHERE id = %s""",
                   (phase, OPENED, normalized, closed, ticket.id))
        ticket.invalidate_cache()

    def log(self, start, hours, ticket=None, user=None, **vals):
        values = {"ticket_id": (ticket or self.ticket).id,
                  "emergency_date_start": start, "unit_amount": hours,
                  "name": "Work (internal)",
                  "emergency_client_description": "Work (for the client)"}
        values.update(vals)
        line = self.Line.sudo(user or self.specialist).create(values)
        return line

    def lines(self, ticket=None):
        return self.Line.search([("ticket_id", "=", (ticket or self.ticket).id)],
                                order="emergency_date_start, id")
