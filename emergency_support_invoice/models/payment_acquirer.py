# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
from odoo import api, models


class PaymentAcquirer(models.Model):
    _inherit = "payment.acquirer"

    @api.multi
    def action_emergency_transfer_details(self):
        """Write the wire-transfer instructions (the company's bank accounts)
        in English, their source, and in every other installed language:
        Odoo writes them once, in the language of the installation, and
        clients read them after paying a guarantee by transfer."""
        languages = [code for code, _name in self.env["res.lang"].get_installed()
                     if code != "en_US"]
        Translation = self.env["ir.translation"].sudo()
        for acquirer in self.filtered(lambda acq: acq.provider == "transfer"):
            scoped = acquirer.with_context(force_company=acquirer.company_id.id)
            source = scoped.with_context(lang="en_US")._format_transfer_data()
            # no language in the context: the column (the English source)
            scoped.with_context(lang=None).write({"post_msg": source})
            for code in languages:
                Translation._set_ids(
                    "payment.acquirer,post_msg", "model", code, acquirer.ids,
                    scoped.with_context(lang=code)._format_transfer_data(), source)
        return True
