# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models

from odoo.addons.emergency_support import rules as core

from .. import rules


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    emergency_project_id = fields.Many2one(
        comodel_name="project.project",
        string="Time project",
        readonly=True,
        copy=False,
        help="The client's emergency project where the time is logged.",
        index=True,
    )
    emergency_timesheet_ids = fields.One2many(
        comodel_name="account.analytic.line",
        inverse_name="ticket_id",
        string="Time",
    )
    emergency_cutoff_ids = fields.One2many(
        comodel_name="emergency.timesheet.cutoff",
        inverse_name="ticket_id",
        string="Daily cut-offs",
        readonly=True,
    )
    emergency_hours_normalization = fields.Float(
        string="Hours in normalization", compute="_compute_emergency_hours")
    emergency_hours_mitigation = fields.Float(
        string="Hours in mitigation", compute="_compute_emergency_hours")
    emergency_hours_used = fields.Float(
        string="Hours used", compute="_compute_emergency_hours",
        help="Time logged on the emergency, approved or not.")
    emergency_hours_approved = fields.Float(
        string="Hours approved", compute="_compute_emergency_hours",
        help="Time in daily cut-offs approved by both parties.")
    emergency_over_estimate = fields.Boolean(
        string="Over the estimate", compute="_compute_emergency_hours",
        help="The time passes the estimate by more than the company's margin.")
    emergency_over_pool = fields.Boolean(
        string="Past the guarantee hours", compute="_compute_emergency_hours")
    emergency_pool_alert_sent = fields.Boolean(readonly=True, copy=False)

    @api.depends("emergency_timesheet_ids.unit_amount",
                 "emergency_timesheet_ids.emergency_cutoff_id")
    def _compute_emergency_hours(self):
        per_phase = self._emergency_time_per_phase()
        approved = self._emergency_hours_by_state(approved_only=True)
        for ticket in self:
            hours = per_phase.get(ticket.id, {})
            used = sum(hours.values())
            estimate = (ticket.estimated_normalization_hours
                        + ticket.estimated_mitigation_hours)
            status = rules.pool_status(
                used, ticket.guarantee_hours, estimate,
                ticket.company_id.emergency_pool_margin)
            ticket.emergency_hours_normalization = hours.get(core.NORMALIZATION, 0.0)
            ticket.emergency_hours_mitigation = hours.get(core.MITIGATION, 0.0)
            ticket.emergency_hours_used = used
            ticket.emergency_hours_approved = approved.get(ticket.id, 0.0)
            ticket.emergency_over_estimate = status.over_estimate
            ticket.emergency_over_pool = status.over_pool

    @api.model
    def _emergency_protected_fields(self):
        return super()._emergency_protected_fields() | {
            "emergency_project_id", "emergency_pool_alert_sent"}

    # ------------------------------------------------------------------
    # extension points of the core
    # ------------------------------------------------------------------

    @api.multi
    def _emergency_time_per_phase(self):
        """Hours logged per phase: ``{ticket id: {phase: hours}}`` (one
        query for all the tickets)."""
        result = super()._emergency_time_per_phase()
        if not self.ids:
            return result
        groups = self.env["account.analytic.line"].sudo().read_group(
            [("ticket_id", "in", self.ids)],
            ["ticket_id", "emergency_phase", "unit_amount"],
            ["ticket_id", "emergency_phase"], lazy=False)
        for group in groups:
            phases = result.setdefault(group["ticket_id"][0], {})
            phases[group["emergency_phase"]] = group["unit_amount"]
        return result

    def _emergency_hours_by_state(self, approved_only):
        domain = [("ticket_id", "in", self.ids)]
        if approved_only:
            domain.append(("emergency_cutoff_id.state", "=", rules.APPROVED))
        groups = self.env["account.analytic.line"].sudo().read_group(
            domain, ["ticket_id", "unit_amount"], ["ticket_id"])
        return {group["ticket_id"][0]: group["unit_amount"] for group in groups}

    # ------------------------------------------------------------------
    # time
    # ------------------------------------------------------------------

    @api.multi
    def _emergency_timesheet_project(self):
        """The project of this emergency's time: the client's emergency
        project (one per client and company), set on the first line."""
        self.ensure_one()
        if self.emergency_project_id:
            return self.emergency_project_id
        project = self.env["project.project"]._emergency_project_for(
            self.partner_id.commercial_partner_id,
            self.company_id or self.env.user.company_id)
        self.sudo()._emergency_write({"emergency_project_id": project.id})
        return project

    @api.multi
    def _emergency_billable_lines(self, phases=None):
        """THE answer to "which time of these emergencies is billable now"
        (R15, R19): lines of ``phases`` (default: every phase) in cut-offs
        approved by both parties and not invoiced yet (the invoice addon
        extends ``account.analytic.line._emergency_not_invoiced_domain``).
        Each line carries the rate, rate kind and agreement resolved at the
        approval (``emergency_rate``, ``emergency_rate_kind``,
        ``emergency_agreement_id``)."""
        Line = self.env["account.analytic.line"].sudo()
        domain = [("ticket_id", "in", self.ids),
                  ("emergency_cutoff_id.state", "=", rules.APPROVED)]
        if phases:
            domain.append(("emergency_phase", "in", list(phases)))
        return Line.search(domain + Line._emergency_not_invoiced_domain(),
                           order="date, id")

    @api.multi
    def action_emergency_make_cutoff(self):
        """Staff makes the daily cut-offs of this emergency now."""
        self._emergency_check_specialist()
        cutoffs = self.env["emergency.timesheet.cutoff"]._emergency_make_cutoffs(
            ticket_ids=self.ids)
        if not cutoffs:
            cutoffs = self.env["emergency.timesheet.cutoff"].search(
                [("ticket_id", "in", self.ids), ("state", "=", rules.DRAFT)])
        action = self.env.ref(
            "emergency_support_timesheet.emergency_timesheet_cutoff_action").read()[0]
        action["domain"] = [("id", "in", cutoffs.ids)]
        action["context"] = {}
        return action

    def _emergency_pool_alerts(self):
        """An activity for the lead expert of each emergency whose time
        passed its estimate by the margin (once per emergency).

        The figures come in one query whatever the number of emergencies:
        reading the computed ``emergency_over_estimate`` made Odoo prefetch
        every field of every ticket (10 s at 5,000 emergencies)."""
        if not self.ids:
            return self.browse()
        self.env.cr.execute("""
            SELECT t.id,
                   COALESCE(t.estimated_normalization_hours, 0)
                   + COALESCE(t.estimated_mitigation_hours, 0),
                   COALESCE(c.emergency_pool_margin, 0),
                   SUM(l.unit_amount)
              FROM helpdesk_ticket t
              JOIN account_analytic_line l ON l.ticket_id = t.id
         LEFT JOIN res_company c ON c.id = t.company_id
             WHERE t.id IN %s AND t.emergency_pool_alert_sent IS NOT TRUE
          GROUP BY t.id, c.emergency_pool_margin""", (tuple(self.ids),))
        figures = {ticket_id: (estimate, used) for ticket_id, estimate, margin, used
                   in self.env.cr.fetchall()
                   if rules.pool_status(used, 0, estimate, margin).over_estimate}
        over = self.browse(sorted(figures))
        if not over:
            return over
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        model = self.env["ir.model"]._get(self._name)
        Activity = self.env["mail.activity"].sudo()
        for ticket in over:
            estimate, used = figures[ticket.id]
            Activity.create({
                "res_model_id": model.id,
                "res_id": ticket.id,
                "activity_type_id": activity_type.id,
                "user_id": (ticket.lead_expert_id or ticket.user_id
                            or self.env.user).id,
                "summary": _("Time over the estimate"),
                "note": _("%(ticket)s used %(used).2f hours against an "
                          "estimate of %(estimate).2f hours: revise the "
                          "estimate with the client.") % {
                    "ticket": ticket.number, "used": used, "estimate": estimate},
            })
        over.sudo()._emergency_write({"emergency_pool_alert_sent": True})
        return over
