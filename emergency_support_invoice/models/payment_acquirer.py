# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
from odoo import _, api, models
from odoo.tools import html_escape


def _terms(field, html):
    """The translatable terms of ``html``, in order, as ``field`` sees them
    (``html_translate``: a term per block of text; ``translate=True``: the
    whole text)."""
    if not callable(field.translate):
        return [html]
    terms = []
    field.translate(lambda term: terms.append(term), html)
    return terms


class PaymentAcquirer(models.Model):
    _inherit = "payment.acquirer"

    @api.multi
    def action_emergency_transfer_details(self):
        """Write the wire-transfer instructions (the company's bank accounts)
        and the message shown while a transfer is awaited, in English, their
        source, and their terms in every other installed language: Odoo
        writes them once, in the language of the installation (before any
        bank journal, often), speaks of an "order", and clients read them
        after paying a guarantee by transfer. An RPC endpoint: only who may
        change the acquirers (writes the translations as the superuser then)."""
        self.check_access_rights("write")
        self.check_access_rule("write")
        for acquirer in self.filtered(lambda acq: acq.provider == "transfer"):
            scoped = acquirer.with_context(force_company=acquirer.company_id.id)
            scoped._emergency_write_translated(
                "post_msg", lambda record: record._emergency_transfer_data())
            scoped._emergency_write_translated(
                "pending_msg", lambda record: record._emergency_transfer_pending())
        return True

    def _emergency_write_translated(self, field_name, render):
        """Write ``render(record)`` into ``field_name``: the English text as
        the source, each installed language's terms as its translation."""
        self.ensure_one()
        field = self._fields[field_name]
        name = "%s,%s" % (self._name, field_name)
        languages = [code for code, _name in self.env["res.lang"].get_installed()
                     if code != "en_US"]
        Translation = self.env["ir.translation"].sudo()
        source = render(self.with_context(lang="en_US"))
        # without a language: the column, the English source
        self.with_context(lang=None).write({field_name: source})
        source_terms = _terms(field, source)
        for code in languages:
            translated = _terms(field, render(self.with_context(lang=code)))
            if len(translated) != len(source_terms):
                continue  # not the same text: Odoo shows the source
            pairs = {src: value for src, value in zip(source_terms, translated)}
            Translation.search([("name", "=", name), ("lang", "=", code),
                                ("res_id", "=", self.id),
                                ("src", "in", list(pairs))]).unlink()
            for src, value in pairs.items():
                Translation.create({
                    "name": name, "lang": code, "res_id": self.id,
                    "type": "model", "src": src, "value": value,
                    "state": "translated"})

    def _emergency_transfer_pending(self):
        """Shown while the transfer is awaited: what happens next."""
        return "<p>%s</p>" % html_escape(_(
            "Pending: we confirm your payment as soon as your transfer reaches "
            "our account, and the invoice is then marked as paid."))

    def _emergency_transfer_data(self):
        """The wire-transfer instructions a client reads after announcing a
        transfer (Odoo's say "order" and give the account number alone): for
        each bank account of the company's bank journals, the bank, the
        account holder and the number; the invoice number as the concept."""
        self.ensure_one()
        journals = self.env["account.journal"].search([
            ("type", "=", "bank"), ("company_id", "=", self.company_id.id)])
        accounts = journals.mapped("bank_account_id")
        items = ""
        # a loop, not a comprehension: _() finds the language in this frame
        for account in accounts:
            lines = (_("Bank: %s") % (account.bank_id.name or "-"),
                     _("Account holder: %s") % (account.partner_id.name or "-"),
                     _("Account number: %s") % account.acc_number)
            items += "<li>%s</li>" % "<br/>".join(html_escape(line) for line in lines)
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
