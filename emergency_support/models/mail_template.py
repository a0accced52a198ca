# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
"""``format_hours(value, digits=2)`` in the mail templates: hours as the
reader writes numbers (``2,0`` in Spanish, ``2.0`` in English), the same
rule as the portal pages' ``format_hours`` (issue 14). Odoo 11 builds the
templates' variables inside ``render_template``: the helper is a global of
its sandboxed environments, reading the language of the rendering (the
template's ``lang``, set in the context by ``generate_email``)."""
import jinja2

from odoo.addons.mail.models import mail_template


def hours_in_lang(env, value, digits=2, lang_code=None):
    """``value`` hours with ``digits`` decimals as the reader writes numbers
    (``lang_code``, else ``env``'s language): the one rule of the mails,
    the portal pages and the invoices' texts."""
    lang = env["res.lang"]._lang_get(lang_code or env.lang or "en_US")
    pattern = "%%.%df" % digits
    if not lang:
        return pattern % (value or 0.0)
    return lang.format(pattern, value or 0.0, grouping=True)


@jinja2.contextfunction
def format_hours(context, value, digits=2):
    """``value`` hours with ``digits`` decimals in the rendering's language."""
    user = context.get("user")
    if user is None:
        return "%%.%df" % digits % (value or 0.0)
    lang_code = (context.get("ctx") or {}).get("lang") or "en_US"
    return hours_in_lang(user.env, value, digits, lang_code)


for _environment in (mail_template.mako_template_env,
                     mail_template.mako_safe_template_env):
    _environment.globals["format_hours"] = format_hours
