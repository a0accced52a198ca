# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import html_escape


class MailActivity(models.Model):
    _inherit = "mail.activity"

    @api.model
    def _emergency_create_batch(self, records, users, summary, note_of):
        """A to-do activity for each of ``users`` on each of ``records``, in
        one INSERT (``mail.activity.create`` costs some 25 queries each).
        ``note_of(record)`` gives the note. The users see them in their
        activities menu at once."""
        if not records or not users:
            return self.browse()
        model = self.env["ir.model"]._get(records._name)
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        names = dict(records.name_get())
        rows = [(record.id, names[record.id], html_escape(note_of(record)), user.id)
                for record in records for user in users]
        res_ids, res_names, notes, user_ids = (list(column) for column in zip(*rows))
        self.env.cr.execute("""
            INSERT INTO mail_activity (
                res_model_id, res_model, res_id, res_name, activity_type_id,
                summary, note, date_deadline, user_id,
                create_uid, create_date, write_uid, write_date)
            SELECT %s, %s, row.res_id, row.res_name, %s, %s, row.note, %s,
                   row.user_id, %s, now() AT TIME ZONE 'UTC', %s,
                   now() AT TIME ZONE 'UTC'
              FROM unnest(%s::int[], %s::varchar[], %s::text[], %s::int[])
                   AS row(res_id, res_name, note, user_id)
         RETURNING id""", (
            model.id, records._name, activity_type.id, summary,
            fields.Date.context_today(self), self.env.uid, self.env.uid,
            res_ids, res_names, notes, user_ids))
        activities = self.browse([row[0] for row in self.env.cr.fetchall()])
        records.invalidate_cache()
        for user in users:
            self.env["bus.bus"].sendone(
                (self._cr.dbname, "res.partner", user.partner_id.id),
                {"type": "activity_updated", "activity_created": True})
        return activities
