# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
from odoo import api, models


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
        a guarantee by transfer. An RPC endpoint: only who may change the
        acquirers (writes the translations as the superuser then)."""
        self.check_access_rights("write")
        self.check_access_rule("write")
        field = self._fields["post_msg"]
        name = "%s,post_msg" % self._name
        languages = [code for code, _name in self.env["res.lang"].get_installed()
                     if code != "en_US"]
        Translation = self.env["ir.translation"].sudo()
        for acquirer in self.filtered(lambda acq: acq.provider == "transfer"):
            scoped = acquirer.with_context(force_company=acquirer.company_id.id)
            source = scoped.with_context(lang="en_US")._format_transfer_data()
            # without a language: the column, the English source
            scoped.with_context(lang=None).write({"post_msg": source})
            source_terms = _terms(field, source)
            for code in languages:
                translated = _terms(
                    field, scoped.with_context(lang=code)._format_transfer_data())
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
