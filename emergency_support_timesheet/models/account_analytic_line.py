# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
from datetime import datetime

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.emergency_support.models.emergency_phase_history import PHASE_SELECTION
from odoo.addons.emergency_support.workflow import in_workflow, privileged, workflow

from .. import rules

#: a line in a submitted cut-off keeps these as they are (R15)
LOCKED_FIELDS = frozenset((
    "date", "unit_amount", "user_id", "employee_id", "ticket_id",
    "emergency_phase", "project_id", "account_id", "task_id", "name",
    "emergency_client_description", "emergency_date_start", "amount",
))
#: set by the server only: derived, or written by the cut-off's steps
WORKFLOW_FIELDS = frozenset((
    "emergency_phase", "emergency_date_end", "emergency_cutoff_id",
    "emergency_corrected_line_id", "emergency_disputed",
    "emergency_dispute_reason", "emergency_proposed_hours",
    "emergency_rate", "emergency_rate_kind", "emergency_agreement_id",
))


# the hours a person logged on some days (the 24-hour cap): read through the
# index account_analytic_line_emergency_day_user (``init``)
DAY_CAP_QUERY = """
    SELECT date, SUM(unit_amount)
      FROM account_analytic_line
     WHERE user_id = %s AND date IN %s AND project_id IS NOT NULL
       AND id NOT IN %s
  GROUP BY date"""


class AccountAnalyticLine(models.Model):
    _inherit = "account.analytic.line"

    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Emergency",
        index=True,
        ondelete="restrict",
        domain=[("is_emergency", "=", True),
                ("emergency_phase", "in", list(rules.BILLABLE_PHASES))],
    )
    emergency_date_start = fields.Datetime(
        string="Work started",
        default=lambda self: (fields.Datetime.now()
                              if self.env.context.get("emergency_timesheet")
                              else False),
        help="When the work started: its phase and the client's day come "
             "from this moment.",
    )
    emergency_date_end = fields.Datetime(string="Work ended", readonly=True)
    emergency_phase = fields.Selection(
        selection=PHASE_SELECTION,
        string="Phase",
        readonly=True,
        index=True,
        help="The emergency's phase when the work was done, from its phase "
             "history (never typed).",
    )
    emergency_client_description = fields.Text(
        string="Description for the client",
        help="What the client reads on the cut-off, the portal and the "
             "invoice. The description above is the internal note.",
    )
    emergency_cutoff_id = fields.Many2one(
        comodel_name="emergency.timesheet.cutoff",
        string="Daily cut-off",
        readonly=True,
        index=True,
        ondelete="set null",
        copy=False,
    )
    emergency_cutoff_state = fields.Selection(
        related="emergency_cutoff_id.state", string="Cut-off state",
        readonly=True)
    emergency_corrected_line_id = fields.Many2one(
        comodel_name="account.analytic.line",
        string="Corrects",
        readonly=True,
        ondelete="restrict",
        copy=False,
        help="The disputed line this line corrects.",
        index=True,
    )
    emergency_disputed = fields.Boolean(
        string="Disputed", readonly=True, copy=False)
    emergency_dispute_reason = fields.Text(
        string="Reason of the dispute", readonly=True, copy=False)
    emergency_proposed_hours = fields.Float(
        string="Hours proposed by the client", readonly=True, copy=False)
    # a group of lines has no rate of its own: neither the sum nor a mean
    # of rates (unweighted by the hours) means anything
    emergency_rate = fields.Float(
        string="Hourly rate", readonly=True, copy=False, group_operator=False,
        help="Resolved when both parties approved the line's cut-off: a "
             "later change of plan or price never re-prices it.")
    emergency_rate_kind = fields.Selection(
        selection=[("express", "Express"), ("ondemand", "On-demand"),
                   ("free", "Free")],
        string="Rate", readonly=True, copy=False)
    emergency_agreement_id = fields.Many2one(
        comodel_name="emergency.plan.agreement",
        string="Monthly plan applied", readonly=True, copy=False, index=True)

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_cr
    def init(self):
        """The hours a person logged per day (the 24-hour cap, checked on
        every time line): without it each entry read the whole table. The
        day leads: led by the person, PostgreSQL took it for the record
        rules' "own lines" check of a new line (a person without statistics
        yet) and read all the person's lines for each one."""
        self.env.cr.execute("""
            CREATE INDEX IF NOT EXISTS account_analytic_line_emergency_day_user
                ON account_analytic_line (date, user_id)
             WHERE project_id IS NOT NULL""")

    def _emergency_workflow(self):
        """Inside a step of the emergency (marked on the cursor, which no
        RPC caller reaches: a context flag could be forged)."""
        return in_workflow(self.env)

    @api.model
    def create(self, vals):
        ticket_id = vals.get("ticket_id")
        if not ticket_id:
            return super().create(vals)
        forged = WORKFLOW_FIELDS.intersection(vals)
        if forged and not self._emergency_workflow():
            raise UserError(_(
                "These fields of a time line are set by the emergency's "
                "steps, not typed: %s.") % ", ".join(sorted(forged)))
        if vals.get("emergency_corrected_line_id"):
            return super().create(vals)
        vals = dict(vals, user_id=self._emergency_owner(vals))
        self._emergency_check_author(vals["user_id"])
        vals.pop("account_id", None)  # the emergency's project decides it
        ticket = self.env["helpdesk.ticket"].browse(ticket_id)
        pieces = self._emergency_pieces(ticket, vals)
        self._emergency_check_day_cap(vals, pieces)
        lines = self.browse()
        # no workflow block: the derived values are the server's and the
        # user's own go through the user's rights (the checks above ran)
        for piece in pieces:
            lines |= super().create(dict(
                vals, **self._emergency_piece_vals(ticket, piece)))
        lines._emergency_record_proxy("create")
        # one record as the ORM expects; the other pieces are its siblings
        return lines[0]

    @api.multi
    def write(self, vals):
        forged = WORKFLOW_FIELDS.intersection(vals)
        if forged and not self._emergency_workflow():
            raise UserError(_(
                "These fields of a time line are set by the emergency's "
                "steps, not typed: %s.") % ", ".join(sorted(forged)))
        locked = LOCKED_FIELDS.intersection(vals)
        if locked:
            self._emergency_check_unlocked()
        proxied = self.browse()
        if not privileged(self.env):
            emergency = self if vals.get("ticket_id") else self.filtered("ticket_id")
            if emergency:
                owners = set(emergency.mapped("user_id").ids)
                if {"user_id", "employee_id"}.intersection(vals):
                    owners.add(self._emergency_owner(vals, emergency[:1].user_id.id))
                for owner in owners or {self.env.uid}:
                    self._emergency_check_author(owner)
                if owners != {self.env.uid}:
                    proxied = emergency
        if locked:
            derived = {"ticket_id", "emergency_date_start", "unit_amount", "date"}
            if derived.intersection(vals) and not self._emergency_workflow():
                result = self._emergency_rewrite(vals)
                proxied._emergency_record_proxy("write")
                return result
        result = super().write(vals)
        proxied._emergency_record_proxy("write")
        return result

    @api.multi
    def unlink(self):
        self._emergency_check_unlocked()
        emergency = self.filtered("ticket_id")
        if emergency and not privileged(self.env):
            for owner in set(emergency.mapped("user_id").ids) or {self.env.uid}:
                self._emergency_check_author(owner)
            if emergency.filtered("emergency_corrected_line_id"):
                raise UserError(_(
                    "A correcting line answers the client's dispute: set its "
                    "hours instead of deleting it."))
            emergency._emergency_record_proxy("unlink")
        return super().unlink()

    # ------------------------------------------------------------------
    # who logs the time
    # ------------------------------------------------------------------

    @api.model
    def _emergency_owner(self, vals, current=None):
        """The user whose time ``vals`` describes: ``user_id``, else the
        employee's user, else ``current`` (a write) or the default user (a
        create, as hr_timesheet decides it)."""
        if vals.get("user_id"):
            return vals["user_id"]
        if vals.get("employee_id"):
            employee = self.env["hr.employee"].sudo().browse(vals["employee_id"])
            if employee.user_id:
                return employee.user_id.id
        return current or self._default_user()

    @api.model
    def _emergency_is_timesheet_manager(self):
        """Extension point: who may log and change the emergency time of
        others (hr_timesheet's timesheet managers)."""
        return self.env.user.has_group("hr_timesheet.group_timesheet_manager")

    @api.model
    def _emergency_check_author(self, owner_id):
        """Only the specialist logs and changes its own emergency time; a
        timesheet manager may act for others; everyone else reads it."""
        if privileged(self.env) or self._emergency_is_timesheet_manager():
            return
        if not self.env.user.has_group("helpdesk_mgmt.group_helpdesk_user"):
            raise UserError(_(
                "Only the specialists log and change the time of emergencies "
                "(and the timesheet managers for them); you may read it."))
        if owner_id != self.env.uid:
            owner = self.env["res.users"].sudo().browse(owner_id)
            raise UserError(_(
                "This is the time of %(owner)s: each specialist logs and "
                "changes only its own time on emergencies. A timesheet "
                "manager may do it for %(owner)s.") % {"owner": owner.name})

    def _emergency_record_proxy(self, operation):
        """A timesheet manager acted on others' time (``operation``:
        create, write, unlink): an internal note on each emergency says who
        did it to whose time (the ticket's chatter keeps every such act)."""
        if privileged(self.env) or not self:
            return
        others = self.filtered("ticket_id")
        if operation != "write":
            others = others.filtered(lambda l: l.user_id.id != self.env.uid)
        texts = {
            "create": _("%(manager)s (timesheet manager) logged %(hours)s h "
                        "of time for %(owners)s."),
            "write": _("%(manager)s (timesheet manager) changed time lines "
                       "of %(owners)s (%(hours)s h now)."),
            "unlink": _("%(manager)s (timesheet manager) deleted %(hours)s h "
                        "of time of %(owners)s."),
        }
        for ticket in others.mapped("ticket_id"):
            lines = others.filtered(lambda l, t=ticket: l.ticket_id == t)
            ticket.sudo().message_post(subtype="mail.mt_note", body=texts[operation] % {
                "manager": self.env.user.name,
                "owners": ", ".join(sorted(set(lines.mapped("user_id.name")))),
                "hours": "%.2f" % sum(lines.mapped("unit_amount"))})

    # ------------------------------------------------------------------
    # derivation and checks
    # ------------------------------------------------------------------

    @api.model
    def _emergency_user_tz(self):
        """The acting user's time zone: the moments in its messages."""
        return self.env.context.get("tz") or self.env.user.tz or "UTC"

    @api.model
    def _emergency_moment_text(self, moment):
        """``moment`` (naive UTC datetime or Odoo string) in the user's time
        zone, with the zone's name."""
        if isinstance(moment, str):
            moment = fields.Datetime.from_string(moment)
        tz = self._emergency_user_tz()
        return "%s (%s)" % (rules.local_text(moment, tz), tz)

    @api.model
    def _emergency_pieces(self, ticket, vals):
        """The checked pieces of the work ``vals`` describes on ``ticket``:
        split at phase changes and the client's midnights; refused outside
        the open service."""
        user_ticket, ticket = ticket, ticket.sudo()
        if not ticket.exists() or not ticket.is_emergency:
            raise UserError(_("Time is logged on emergencies only."))
        company = self.env.user.company_id
        if ticket.company_id and ticket.company_id != company:
            raise UserError(_(
                "%(ticket)s belongs to the company %(company)s: log its time "
                "while working in that company.") % {
                    "ticket": ticket.number, "company": ticket.company_id.name})
        user_ticket.check_access_rights("read")
        user_ticket.check_access_rule("read")
        if not vals.get("emergency_date_start"):
            raise UserError(_(
                "Say when the work started (date and time): the phase and "
                "the client's day come from it."))
        hours = vals.get("unit_amount") or 0.0
        if hours <= 0:
            raise ValidationError(_(
                "The duration of a time line must be positive; %s hours is "
                "not.") % hours)
        start = fields.Datetime.from_string(vals["emergency_date_start"])
        now = datetime.utcnow()
        if rules.ends_in_future(start, hours, now):
            raise UserError(_(
                "This work would end on %(end)s, after now (%(now)s): time is "
                "logged once it is done. Check the start and the hours.") % {
                    "end": self._emergency_moment_text(
                        rules.work_pieces(start, hours, [], "UTC")[-1].end),
                    "now": self._emergency_moment_text(now)})
        # each piece takes the phase of its start in the phase history; as
        # no work ends in the future, a later phase change never falls
        # inside logged work (but for the tolerance, where the start decides)
        history = ticket._emergency_phase_intervals()[ticket.id]
        pieces = rules.work_pieces(start, hours, history, ticket._emergency_client_tz())
        for piece in pieces:
            problem = rules.piece_problem(piece)
            if problem == rules.AFTER_CLOSURE:
                raise UserError(_(
                    "%(ticket)s was closed on %(closed)s: no time can be "
                    "logged after the closure.") % {
                        "ticket": ticket.number,
                        "closed": self._emergency_moment_text(
                            ticket.emergency_closed_date)})
            if problem == rules.BEFORE_OPENING:
                raise UserError(_(
                    "The service of %(ticket)s was not open at %(moment)s: "
                    "time is logged from the opening of the service "
                    "(%(opened)s) on.") % {
                        "ticket": ticket.number,
                        "moment": self._emergency_moment_text(piece.start),
                        "opened": (self._emergency_moment_text(ticket.service_opened_date)
                                   if ticket.service_opened_date else _("not yet"))})
        return [p for p in pieces if rules.piece_problem(p) != rules.ZERO]

    @api.model
    def _emergency_piece_vals(self, ticket, piece):
        vals = {
            "emergency_date_start": fields.Datetime.to_string(piece.start),
            "emergency_date_end": fields.Datetime.to_string(piece.end),
            "emergency_phase": piece.phase,
            "date": fields.Date.to_string(piece.day),
            "unit_amount": piece.hours,
            "project_id": ticket._emergency_timesheet_project().id,
        }
        return vals

    @api.model
    def _emergency_check_day_cap(self, vals, pieces, exclude=None):
        """No person logs more than 24 hours on one day (one query)."""
        user_id = vals.get("user_id") or self._default_user()
        days = {}
        for piece in pieces:
            days[piece.day] = days.get(piece.day, 0.0) + piece.hours
        self.env.cr.execute(DAY_CAP_QUERY, (user_id, tuple(days), tuple(exclude or [0])))
        logged = dict(self.env.cr.fetchall())
        for day, hours in days.items():
            already = logged.get(fields.Date.to_string(day), logged.get(day, 0.0))
            if rules.over_day_cap(already or 0.0, hours):
                raise ValidationError(_(
                    "%(hours).2f hours on %(day)s would bring this person "
                    "over 24 hours that day (%(logged).2f already logged).")
                    % {"hours": hours, "day": day, "logged": already or 0.0})

    def _emergency_check_unlocked(self):
        locked = self.sudo().filtered(
            lambda line: line.emergency_cutoff_id.state in rules.LOCKED_STATES)
        if locked and not self._emergency_workflow():
            raise UserError(_(
                "These time lines are in a submitted daily cut-off (%s) and "
                "can no longer change. Corrections go through the client's "
                "dispute and correcting lines on the next cut-off.")
                % ", ".join(sorted(set(locked.mapped("emergency_cutoff_id.name")))))

    def _emergency_rewrite(self, vals):
        """A change of ticket, start or hours of an unlocked line: derive
        phase and day again; a change that would split the line is refused."""
        plain = self.filtered(lambda line: not (vals.get("ticket_id", line.ticket_id.id)))
        if plain:
            super(AccountAnalyticLine, plain).write(vals)
        for line in self - plain:
            merged = {
                "ticket_id": vals.get("ticket_id", line.ticket_id.id),
                "emergency_date_start": vals.get(
                    "emergency_date_start", line.emergency_date_start),
                "unit_amount": vals.get("unit_amount", line.unit_amount),
                "user_id": vals.get("user_id", line.user_id.id),
                "project_id": vals.get("project_id"),
            }
            if line.emergency_corrected_line_id:
                line._emergency_rewrite_correction(vals)
                continue
            ticket = self.env["helpdesk.ticket"].browse(merged["ticket_id"])
            pieces = self._emergency_pieces(ticket, merged)
            if len(pieces) != 1:
                raise UserError(_(
                    "This change makes the work cross a phase change or the "
                    "client's midnight: log it as separate lines instead."))
            self._emergency_check_day_cap(merged, pieces, exclude=line.ids)
            derived = self._emergency_piece_vals(ticket, pieces[0])
            if derived["date"] != line.date or ticket != line.ticket_id:
                derived["emergency_cutoff_id"] = False
            # the user's own values with the user's rights; only the values
            # derived here inside the workflow
            own = {key: value for key, value in vals.items() if key not in derived}
            if own:
                super(AccountAnalyticLine, line).write(own)
            with workflow(self.env):
                super(AccountAnalyticLine, line).write(derived)
        return True

    def _emergency_rewrite_correction(self, vals):
        """A correcting line changes only its hours (any sign), never below
        taking off all the hours of the line it corrects, and within its
        person's daily cap."""
        self.ensure_one()
        moved = (vals.get("ticket_id", self.ticket_id.id) != self.ticket_id.id
                 or vals.get("emergency_date_start", self.emergency_date_start)
                 != self.emergency_date_start
                 or vals.get("date", self.date) != self.date
                 or vals.get("user_id", self.user_id.id) != self.user_id.id)
        if moved:
            raise UserError(_(
                "A correcting line keeps the moment, person and ticket of the "
                "line it corrects: change only its hours before the cut-off "
                "is submitted."))
        hours = rules.parse_hours(vals.get("unit_amount", self.unit_amount))
        if hours is None:
            raise UserError(_("The hours of a correcting line are a number."))
        corrected = self.emergency_corrected_line_id
        if corrected.unit_amount + hours < -rules.EPSILON:
            raise UserError(_(
                "A correction cannot take off more than the %(hours).2f hours "
                "of the line it corrects.") % {"hours": corrected.unit_amount})
        day = self._emergency_day_hours([(self.user_id.id, self.date)])
        others = day.get((self.user_id.id, self.date), 0.0) - self.unit_amount
        if rules.over_day_cap(others, hours):
            raise ValidationError(_(
                "%(hours).2f hours on %(day)s would bring this person over 24 "
                "hours that day (%(logged).2f already logged).") % {
                    "hours": hours, "day": self.date, "logged": others})
        with workflow(self.env):
            return super(AccountAnalyticLine, self).write(dict(vals, unit_amount=hours))

    @api.model
    def _emergency_day_hours(self, pairs):
        """Hours logged per ``(user id, day)`` of ``pairs`` (days as Odoo
        strings), on any project: one query."""
        pairs = set(pairs)
        if not pairs:
            return {}
        self.env.cr.execute("""
            SELECT user_id, date, SUM(unit_amount)
              FROM account_analytic_line
             WHERE project_id IS NOT NULL AND user_id IN %s AND date IN %s
          GROUP BY user_id, date""", (tuple({p[0] for p in pairs}),
                                      tuple({p[1] for p in pairs})))
        return {(user_id, str(day)): hours
                for user_id, day, hours in self.env.cr.fetchall()
                if (user_id, str(day)) in pairs}

    # ------------------------------------------------------------------
    # business methods
    # ------------------------------------------------------------------

    @api.model
    def _emergency_not_invoiced_domain(self):
        """Extension point: the invoice addon adds its condition (e.g.
        ``[('emergency_invoice_line_id', '=', False)]``)."""
        return []

    def _emergency_prepare_correction(self, hours, cutoff):
        """Values of the line correcting this disputed line by ``hours``
        (negative to reduce it) on the correction ``cutoff``: same person,
        moment and phase, so the same rate."""
        self.ensure_one()
        return {
            "name": _("Correction: %s") % self.name,
            "emergency_client_description": _(
                "Correction after your dispute: %s") % (
                    self.emergency_dispute_reason or ""),
            "ticket_id": self.ticket_id.id,
            "project_id": self.project_id.id,
            "user_id": self.user_id.id,
            "employee_id": self.employee_id.id,
            "date": self.date,
            "emergency_date_start": self.emergency_date_start,
            "emergency_date_end": self.emergency_date_end,
            "emergency_phase": self.emergency_phase,
            "unit_amount": hours,
            "emergency_corrected_line_id": self.id,
            "emergency_cutoff_id": cutoff.id,
        }

    def _emergency_store_rates(self):
        """Keep on each line the rate and agreement resolved for its phase
        and day (at approval): one rate query per ticket, one write per
        distinct (phase, day, rate)."""
        groups = {}
        for line in self.filtered("ticket_id"):
            groups.setdefault(line.ticket_id, {}).setdefault(
                (line.emergency_phase, line.date), self.browse())
            groups[line.ticket_id][(line.emergency_phase, line.date)] |= line
        for ticket, by_key in groups.items():
            answers = ticket.sudo()._emergency_resolve_rates(list(by_key))
            for key, lines in by_key.items():
                answer = answers[key]
                with workflow(self.env):
                    lines.write({
                        "emergency_rate": answer["rate"],
                        "emergency_rate_kind": answer["kind"],
                        "emergency_agreement_id": answer["agreement"].id,
                    })
