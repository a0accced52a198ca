# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
"""Issue 14: the wire-transfer instructions name the bank and the account
holder and ask for the invoice number as the concept (Odoo's speak of an
"order"), and the pending message too: write them again on every wire
transfer acquirer, in every installed language."""
from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["payment.acquirer"].search(
        [("provider", "=", "transfer")]).action_emergency_transfer_details()
