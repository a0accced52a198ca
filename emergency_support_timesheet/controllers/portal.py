# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
"""The client's daily cut-offs on the portal: read a day's time, approve it
or dispute single lines (R15). Portal users have no access to the time
lines themselves: the page reads an explicit list of their fields."""
import werkzeug.utils

from odoo import _, http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.emergency_support.controllers.portal import EmergencyPortal, _text

from .. import rules


def _redirect(url):
    return werkzeug.utils.redirect(url, 303)


class EmergencyTimesheetPortal(EmergencyPortal):

    def _emergency_page_values(self, ticket, **kw):
        values = super()._emergency_page_values(ticket, **kw)
        values["cutoffs"] = ticket.emergency_cutoff_ids.sorted(
            key=lambda c: (c.date, c.id), reverse=True)
        return values

    def _emergency_cutoff_get(self, cutoff_id):
        """The cut-off as the superuser if the user may read it (its own
        company's emergency), else None."""
        cutoff = request.env["emergency.timesheet.cutoff"].browse(cutoff_id)
        try:
            cutoff.check_access_rights("read")
            cutoff.check_access_rule("read")
            cutoff = cutoff.sudo().exists()
        except (AccessError, MissingError):
            return None
        return cutoff or None

    def _emergency_cutoff_render(self, cutoff, error=None, message=None):
        lines = cutoff.line_ids.sorted(key=lambda l: (l.emergency_date_start or "", l.id))
        phases = dict(cutoff.ticket_id._fields["emergency_phase"]._description_selection(
            request.env))
        states = dict(cutoff._fields["state"]._description_selection(request.env))
        values = self._prepare_portal_layout_values()
        values.update({
            "page_name": "emergency",
            "emergency": cutoff.ticket_id,
            "cutoff": cutoff,
            "cutoff_state": states.get(cutoff.state),
            # what the client reads of each line: never the internal note or the cost
            "cutoff_lines": [{
                "id": line.id,
                "start": line.emergency_date_start,
                "person": line.user_id.name,
                "hours": line.unit_amount,
                "phase": phases.get(line.emergency_phase, ""),
                "description": line.emergency_client_description or "",
                "disputed": line.emergency_disputed,
                "reason": line.emergency_dispute_reason or "",
            } for line in lines],
            "can_answer": cutoff.state == rules.SUBMITTED and not cutoff.client_approved_date,
            "error": error,
            "message": message,
        })
        return request.render("emergency_support_timesheet.portal_my_cutoff", values)

    @http.route(["/my/emergency/cutoff/<int:cutoff_id>"], type="http", auth="user",
                website=True)
    def portal_my_cutoff(self, cutoff_id, **kw):
        cutoff = self._emergency_cutoff_get(cutoff_id)
        if not cutoff:
            return _redirect("/my/emergencies")
        return self._emergency_cutoff_render(cutoff)

    @http.route(["/my/emergency/cutoff/<int:cutoff_id>/approve"], type="http",
                auth="user", methods=["POST"], website=True, csrf=True)
    def portal_my_cutoff_approve(self, cutoff_id, **kw):
        cutoff = self._emergency_cutoff_get(cutoff_id)
        if not cutoff:
            return _redirect("/my/emergencies")
        try:
            with request.env.cr.savepoint():
                cutoff.sudo(request.env.uid).emergency_client_approve()
        except (UserError, ValidationError, AccessError) as error:
            return self._emergency_cutoff_render(cutoff, error=error.name)
        return self._emergency_cutoff_render(
            cutoff, message=_("Thank you: you approved the time of this day."))

    @http.route(["/my/emergency/cutoff/<int:cutoff_id>/dispute"], type="http",
                auth="user", methods=["POST"], website=True, csrf=True)
    def portal_my_cutoff_dispute(self, cutoff_id, **post):
        cutoff = self._emergency_cutoff_get(cutoff_id)
        if not cutoff:
            return _redirect("/my/emergencies")
        disputes = []
        for line in cutoff.line_ids:
            if not post.get("dispute_%d" % line.id):
                continue
            reason = _text(post.get("reason_%d" % line.id, ""), 2000)
            try:
                hours = float((post.get("hours_%d" % line.id) or "").replace(",", "."))
            except ValueError:
                hours = None
            if not reason or hours is None or not 0 <= hours <= 24:
                return self._emergency_cutoff_render(cutoff, error=_(
                    "For each line you dispute, give the reason and the hours "
                    "you propose (from 0 to 24)."))
            disputes.append({"line_id": line.id, "reason": reason,
                             "proposed_hours": hours})
        if not disputes:
            return self._emergency_cutoff_render(cutoff, error=_(
                "Tick the lines you dispute, with a reason and the hours you propose."))
        try:
            with request.env.cr.savepoint():
                cutoff.sudo(request.env.uid).emergency_client_dispute(disputes)
        except (UserError, ValidationError, AccessError) as error:
            return self._emergency_cutoff_render(cutoff, error=error.name)
        return self._emergency_cutoff_render(cutoff, message=_(
            "Your objection was sent: the team answers with corrected time."))
