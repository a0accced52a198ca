# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
from odoo import _, api, models
from odoo.tools import html_escape


def _terms(field, html):
    """The translatable terms of ``html``, in order, as ``field`` sees them
    (``html_translate``: a term per block of text)."""
    terms = []
    field.translate(lambda term: terms.append(term), html)
    return terms


class PaymentAcquirer(models.Model):
    _inherit = "payment.acquirer"

    @api.multi
    def action_emergency_transfer_details(self):
        """Write the wire-transfer instructions (the company's bank accounts)
        in English, their source, and their terms in every other installed
        language: Odoo writes them once, in the language of the installation
        (before any bank journal, often), and clients read them after paying
        a guarantee by transfer."""
        field = self._fields["post_msg"]
        name = "%s,post_msg" % self._name
        languages = [code for code, _name in self.env["res.lang"].get_installed()
                     if code != "en_US"]
        Translation = self.env["ir.translation"].sudo()
        for acquirer in self.filtered(lambda acq: acq.provider == "transfer"):
            scoped = acquirer.with_context(force_company=acquirer.company_id.id)
            source = scoped.with_context(lang="en_US")._emergency_transfer_data()
            # without a language: the column, the English source
            scoped.with_context(lang=None).write({"post_msg": source})
            source_terms = _terms(field, source)
            for code in languages:
                translated = _terms(
                    field, scoped.with_context(lang=code)._emergency_transfer_data())
                if len(translated) != len(source_terms):
                    continue  # not the same text: Odoo shows the source
                pairs = {src: value for src, value in zip(source_terms, translated)}
                Translation.search([("name", "=", name), ("lang", "=", code),
                                    ("res_id", "=", acquirer.id),
                                    ("src", "in", list(pairs))]).unlink()
                for src, value in pairs.items():
                    Translation.create({
                        "name": name, "lang": code, "res_id": acquirer.id,
                        "type": "model", "src": src, "value": value,
                        "state": "translated"})
        return True

    def _emergency_transfer_data(self):
        """The wire-transfer instructions a client reads after announcing a
        transfer (Odoo's say "order" and give the account number alone): for
        each bank account of the company's bank journals, the bank, the
        account holder and the number; the invoice number as the concept."""
        self.ensure_one()
        journals = self.env["account.journal"].search([
            ("type", "=", "bank"), ("company_id", "=", self.company_id.id)])
        accounts = journals.mapped("bank_account_id")
        items = "".join(
            "<li>%s</li>" % "<br/>".join(html_escape(line) for line in (
                _("Bank: %s") % (account.bank_id.name or "-"),
                _("Account holder: %s") % (account.partner_id.name or "-"),
                _("Account number: %s") % account.acc_number))
            for account in accounts)
        return (
            "<div>\n<h3>%(title)s</h3>\n<h4>%(accounts)s</h4>\n<ul>%(items)s</ul>\n"
            "<h4>%(communication)s</h4>\n<p>%(concept)s</p>\n</div>") % {
                "title": html_escape(_("Please use the following transfer details")),
                "accounts": html_escape(
                    _("Bank accounts") if len(accounts) > 1 else _("Bank account")),
                "items": items,
                "communication": html_escape(_("Concept of the transfer")),
                "concept": html_escape(_(
                    "Please write the invoice number as the concept of the "
                    "transfer: it tells us which invoice you paid.")),
            }
