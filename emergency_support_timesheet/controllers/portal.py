# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
"""The client's daily cut-offs on the portal: read a day's time, approve it
or dispute single lines (R15). Portal users have no access to the time
lines themselves: the page reads an explicit list of their fields."""
import werkzeug.utils

from odoo import _, fields, http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.http import request

from odoo.addons.emergency_support import rules as core
from odoo.addons.emergency_support.controllers.main import readable_sudo
from odoo.addons.emergency_support.controllers.portal import EmergencyPortal, _text

from .. import rules


def _redirect(url):
    return werkzeug.utils.redirect(url, 303)


class EmergencyTimesheetPortal(EmergencyPortal):

    def _emergency_page_values(self, ticket, **kw):
        values = super()._emergency_page_values(ticket, **kw)
        values["cutoffs"] = ticket.emergency_cutoff_ids.sorted(
            key=lambda c: (c.date, c.id), reverse=True)
        values["hour_pool"] = self._emergency_hour_pool(ticket)
        return values

    def _emergency_pool_groups(self, ticket):
        """The emergency's hours as ``rules.pool_hours`` reads them: three
        grouped reads of the hours alone (no cost, note or rate), whatever
        the number of lines. Portal users cannot read the lines: superuser."""
        Line = request.env["account.analytic.line"].sudo()
        mine = [("ticket_id", "=", ticket.id)]
        approved = [("emergency_cutoff_id.state", "=", rules.APPROVED)]
        not_approved = ["|", ("emergency_cutoff_id", "=", False),
                        ("emergency_cutoff_id.state", "!=", rules.APPROVED)]
        groups = []
        for group in Line.read_group(
                mine + approved, ["emergency_phase", "unit_amount"],
                ["emergency_phase"]):
            groups.append((group["emergency_phase"], rules.APPROVED, False, False,
                           group["unit_amount"]))
        # not approved: the lines themselves (disputed or not) ...
        for group in Line.read_group(
                mine + not_approved + ["|", ("emergency_disputed", "=", True),
                                       ("emergency_corrected_line_id", "=", False)],
                ["emergency_phase", "emergency_disputed", "unit_amount"],
                ["emergency_phase", "emergency_disputed"], lazy=False):
            groups.append((group["emergency_phase"], None, group["emergency_disputed"],
                           False, group["unit_amount"]))
        # ... and the team's correcting lines answering a dispute
        for group in Line.read_group(
                mine + not_approved + [("emergency_disputed", "=", False),
                                       ("emergency_corrected_line_id", "!=", False)],
                ["emergency_phase", "unit_amount"], ["emergency_phase"]):
            groups.append((group["emergency_phase"], None, False, True,
                           group["unit_amount"]))
        return groups

    def _emergency_coverage_sentence(self, ticket):
        """One sentence telling the client why the time is covered (R3, R4,
        R12, R16): a monthly plan in force today, the paid guarantee credited
        against the fees, or the list rates."""
        today = ticket._emergency_company_date(fields.Datetime.now())
        plan = ticket._emergency_find_agreement(today)
        coverage = rules.pool_coverage(
            bool(plan), ticket.guarantee_policy, bool(ticket.guarantee_paid_date),
            ticket.guarantee_hours)
        if coverage == rules.COVERED_BY_PLAN:
            return _("Your monthly plan %(plan)s covers this time: its agreed rates "
                     "apply, mitigation at the lower of its rate and the On-demand "
                     "rate, and no guarantee is asked.") % {"plan": plan.name}
        if coverage == rules.COVERED_BY_GUARANTEE:
            return _("The guarantee you paid (%(hours)s Express hours) is credited "
                     "against the fees of the approved time; the time beyond it is "
                     "billed at the Express rate in normalization and the On-demand "
                     "rate in mitigation.") % {"hours": ticket.guarantee_hours}
        return _("No monthly plan covers this emergency: the approved time is "
                 "billed at the list rates, Express in normalization and On-demand "
                 "in mitigation.")

    def _emergency_hour_pool(self, ticket):
        """The client's hour pool (R13, R15, R19, R21), once the service is
        open: hours approved, pending and disputed per phase and in total,
        against the estimates and the guarantee hours paid; None before."""
        if not ticket.service_opened_date:
            return None
        guarantee = ticket.guarantee_hours if ticket.guarantee_paid_date else 0
        rows = rules.hour_pool(
            rules.pool_hours(self._emergency_pool_groups(ticket)),
            {core.NORMALIZATION: ticket.estimated_normalization_hours,
             core.MITIGATION: ticket.estimated_mitigation_hours},
            guarantee, ticket.company_id.emergency_pool_margin)
        phases = dict(ticket._fields["emergency_phase"]._description_selection(
            request.env))
        return {
            "rows": [dict(row._asdict(), key=row.phase or "total",
                          label=phases.get(row.phase) if row.phase else _("Total"))
                     for row in rows],
            "coverage": self._emergency_coverage_sentence(ticket),
        }

    def _emergency_cutoff_get(self, cutoff_id):
        """The cut-off as the superuser if the user may read it (its own
        company's emergency), else None."""
        return readable_sudo("emergency.timesheet.cutoff", cutoff_id) or None

    def _emergency_cutoff_render(self, cutoff, error=None, message=None):
        lines = cutoff.line_ids.sorted(key=lambda l: (l.emergency_date_start or "", l.id))
        phases = dict(cutoff.ticket_id._fields["emergency_phase"]._description_selection(
            request.env))
        states = dict(cutoff._fields["state"]._description_selection(request.env))
        values = self._emergency_layout_values()
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
            # the model checks the reason and the hours (as typed: "1,5")
            disputes.append({"line_id": line.id,
                             "reason": _text(post.get("reason_%d" % line.id, ""), 2000),
                             "proposed_hours": _text(post.get("hours_%d" % line.id, ""), 50)})
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
