# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
"""Every foreign key our addons add has an index on its column (issue 16).

Without one, deleting a row of the target table makes PostgreSQL scan the
whole referencing table for each row deleted (ON DELETE RESTRICT / SET NULL /
CASCADE all look the referencing rows up): deleting 1,000 time lines from a
21,000-line table took 10 s for the self-reference
``account_analytic_line.emergency_corrected_line_id`` alone. The list comes
from PostgreSQL's catalog: the foreign keys Odoo reflected in
``ir_model_constraint`` for a field of our modules (Many2one columns and the
columns of Many2many relation tables)."""
from odoo.tests.common import SavepointCase, at_install, post_install

OUR_MODULES = ("emergency_support", "emergency_support_timesheet",
               "emergency_support_invoice")


@at_install(False)
@post_install(True)
class TestForeignKeyIndexes(SavepointCase):

    def our_foreign_keys(self):
        """``[(table, column, target table)]`` of the foreign keys a field
        of our modules created."""
        self.env.cr.execute("""
            SELECT cl.relname, att.attname, target.relname
              FROM ir_model_constraint imc
              JOIN ir_module_module mod ON mod.id = imc.module
              JOIN pg_constraint con ON con.conname = imc.name
                                    AND con.contype = 'f'
              JOIN pg_class cl ON cl.oid = con.conrelid
              JOIN pg_class target ON target.oid = con.confrelid
              JOIN pg_attribute att ON att.attrelid = con.conrelid
                                   AND att.attnum = con.conkey[1]
             WHERE imc.type = 'f' AND mod.name IN %s
          ORDER BY 1, 2""", (OUR_MODULES,))
        return self.env.cr.fetchall()

    def indexed_columns(self, tables):
        """``{(table, column)}`` of the columns that lead some index."""
        self.env.cr.execute("""
            SELECT cl.relname, att.attname
              FROM pg_index ind
              JOIN pg_class cl ON cl.oid = ind.indrelid
              JOIN pg_attribute att ON att.attrelid = ind.indrelid
                                   AND att.attnum = ind.indkey[0]
             WHERE cl.relname IN %s""", (tuple(tables),))
        return set(self.env.cr.fetchall())

    def test_every_foreign_key_of_ours_has_an_index(self):
        keys = self.our_foreign_keys()
        columns = {(table, column) for table, column, _target in keys}
        # the catalog query finds what it should: a sample of each kind
        for known in (
                ("account_analytic_line", "emergency_corrected_line_id"),
                ("account_analytic_line", "ticket_id"),
                ("helpdesk_ticket", "service_area_id"),
                ("helpdesk_ticket_emergency_product_rel", "ticket_id")):
            self.assertIn(known, columns)
        indexed = self.indexed_columns({table for table, _c, _t in keys})
        missing = ["%s.%s -> %s" % key for key in keys if key[:2] not in indexed]
        self.assertFalse(missing, "foreign keys without an index (add "
                                  "index=True to their field): %s" % missing)
