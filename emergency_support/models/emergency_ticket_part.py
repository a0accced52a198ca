# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
from odoo import _, api, models
from odoo.exceptions import UserError

from ..workflow import privileged


class EmergencyTicketPart(models.AbstractModel):
    """A part of an emergency (criterion, critical action): it changes only
    while its emergency is in one of ``_emergency_editable_phases()``, and
    the fields of ``_emergency_protected_fields()`` are set by its own steps
    only. One lock, one error, for every part."""

    _name = "emergency.ticket.part"
    _description = "Part of an emergency"

    @api.model
    def _emergency_editable_phases(self):
        """The phases of the emergency in which the part may change."""
        return ()

    @api.model
    def _emergency_protected_fields(self):
        """The fields only the part's own steps write."""
        return set()

    @api.model
    def create(self, vals):
        self._emergency_check_protected(vals)
        part = super().create(vals)
        part._emergency_check_ticket_open()
        return part

    @api.multi
    def write(self, vals):
        self._emergency_check_protected(vals)
        self._emergency_check_ticket_open()
        result = super().write(vals)
        if "ticket_id" in vals:
            self._emergency_check_ticket_open()
        return result

    @api.multi
    def unlink(self):
        self._emergency_check_ticket_open()
        return super().unlink()

    def _emergency_check_protected(self, vals):
        forged = self._emergency_protected_fields().intersection(vals)
        if forged and not privileged(self.env):
            raise UserError(_(
                "These fields are set by the emergency's buttons and cannot "
                "be written directly: %s.") % ", ".join(sorted(forged)))

    def _emergency_check_ticket_open(self):
        phases = self._emergency_editable_phases()
        settled = self.mapped("ticket_id").filtered(
            lambda t: t.emergency_phase not in phases)
        if settled and not privileged(self.env):
            raise UserError(_(
                "%(parts)s of %(tickets)s can no longer change: the emergency "
                "is past that point (phase '%(phase)s').") % {
                    "parts": self._description,
                    "tickets": ", ".join(settled.mapped("number")),
                    "phase": dict(settled._fields["emergency_phase"]
                                  ._description_selection(self.env)).get(
                                      settled[0].emergency_phase, "-")})
