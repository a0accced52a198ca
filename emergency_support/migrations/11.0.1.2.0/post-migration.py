# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
"""Issue 14: the client's mails write hours in the client's language
(``format_hours``) and "1 Express hour" in the singular. The mail templates
are ``noupdate``: an update keeps their old bodies; load them again (their
Spanish terms come with the module's translations, loaded after)."""
from odoo.tools import convert_file


def migrate(cr, version):
    if not version:
        return
    convert_file(cr, "emergency_support", "data/mail_template_data.xml", {},
                 mode="init", noupdate=False, kind="data")
