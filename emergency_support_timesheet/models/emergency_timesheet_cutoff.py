# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
import logging
import re
from datetime import datetime
from email.utils import formataddr
from html import escape

import pytz

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import html2plaintext

from odoo.addons.queue_job.job import job

from odoo.addons.emergency_support import rules as core
from odoo.addons.emergency_support.workflow import workflow

from .. import rules

_logger = logging.getLogger(__name__)

STATE_SELECTION = [
    (rules.DRAFT, "Draft"),
    (rules.SUBMITTED, "Awaiting approval"),
    (rules.DISPUTED, "Disputed"),
    (rules.CORRECTED, "Corrected"),
    (rules.APPROVED, "Approved"),
]


class EmergencyTimesheetCutoff(models.Model):
    """A daily cut-off ("corte diario", R15): the time of one emergency on
    one calendar day of the client, approved by staff and by the client."""

    _name = "emergency.timesheet.cutoff"
    _inherit = ["mail.thread"]
    _description = "Daily cut-off of an emergency's time"
    _order = "date desc, id desc"

    name = fields.Char(readonly=True, required=True, default="/")
    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket", string="Emergency", required=True,
        readonly=True, index=True, ondelete="restrict")
    partner_id = fields.Many2one(
        comodel_name="res.partner", string="Client", readonly=True, index=True,
        help="The client (company) who approves the cut-off.")
    company_id = fields.Many2one(
        comodel_name="res.company", readonly=True, index=True)
    date = fields.Date(
        string="Day", required=True, readonly=True, index=True,
        help="The client's calendar day (its time zone).")
    state = fields.Selection(
        selection=STATE_SELECTION, default=rules.DRAFT, required=True,
        readonly=True, index=True, copy=False, track_visibility="onchange")
    line_ids = fields.One2many(
        comodel_name="account.analytic.line",
        inverse_name="emergency_cutoff_id",
        string="Time lines", readonly=True)
    hours_normalization = fields.Float(
        string="Normalization (h)", compute="_compute_hours")
    hours_mitigation = fields.Float(
        string="Mitigation (h)", compute="_compute_hours")
    hours_total = fields.Float(string="Total (h)", compute="_compute_hours")
    submitted_by_id = fields.Many2one(
        comodel_name="res.users", string="Submitted by", readonly=True, copy=False, index=True)
    submitted_date = fields.Datetime(
        string="Submitted on", readonly=True, copy=False)
    staff_approved_by_id = fields.Many2one(
        comodel_name="res.users", string="Approved by (staff)", readonly=True,
        copy=False, index=True)
    staff_approved_date = fields.Datetime(
        string="Approved on (staff)", readonly=True, copy=False)
    client_approved_by_id = fields.Many2one(
        comodel_name="res.users", string="Approved by (client)", readonly=True,
        copy=False, index=True)
    client_approved_date = fields.Datetime(
        string="Approved on (client)", readonly=True, copy=False)
    client_approval_tacit = fields.Boolean(
        string="Tacit approval", readonly=True, copy=False,
        help="The client did not answer in time: approved tacitly, as the "
             "company's terms say.")
    tacit_notice_date = fields.Datetime(
        string="Tacit approval announced on", readonly=True, copy=False,
        help="When the submission mail told the client, at its e-mail "
             "address, that its silence would approve this time. Without it "
             "the cut-off is never approved tacitly.")
    tacit_notice_hours = fields.Integer(
        string="Hours of silence announced", readonly=True, copy=False,
        help="The hours of silence the submission mail announced.")
    reminder_sent = fields.Boolean(readonly=True, copy=False)
    disputed_by_id = fields.Many2one(
        comodel_name="res.users", string="Disputed by", readonly=True, copy=False, index=True)
    disputed_date = fields.Datetime(
        string="Disputed on", readonly=True, copy=False)
    correction_of_id = fields.Many2one(
        comodel_name="emergency.timesheet.cutoff", string="Corrects",
        readonly=True, index=True, ondelete="restrict", copy=False,
        help="The disputed cut-off whose lines this cut-off corrects.")
    correction_ids = fields.One2many(
        comodel_name="emergency.timesheet.cutoff",
        inverse_name="correction_of_id", string="Corrections", readonly=True)
    portal_url = fields.Char(
        string="Portal link", compute="_compute_portal_url",
        help="Where the client approves or disputes the cut-off.")

    @api.depends("line_ids.unit_amount")
    def _compute_hours(self):
        totals = {}
        if self.ids:
            groups = self.env["account.analytic.line"].sudo().read_group(
                [("emergency_cutoff_id", "in", self.ids)],
                ["emergency_cutoff_id", "emergency_phase", "unit_amount"],
                ["emergency_cutoff_id", "emergency_phase"], lazy=False)
            for group in groups:
                totals.setdefault(group["emergency_cutoff_id"][0], {})[
                    group["emergency_phase"]] = group["unit_amount"]
        for cutoff in self:
            hours = totals.get(cutoff.id, {})
            cutoff.hours_normalization = hours.get(core.NORMALIZATION, 0.0)
            cutoff.hours_mitigation = hours.get(core.MITIGATION, 0.0)
            cutoff.hours_total = sum(hours.values())

    def _compute_portal_url(self):
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        for cutoff in self:
            cutoff.portal_url = "%s/my/emergency/cutoff/%s" % (base, cutoff.id)

    @api.multi
    def unlink(self):
        if self.filtered(lambda c: c.state != rules.DRAFT):
            raise UserError(_(
                "Only draft cut-offs can be deleted: a submitted cut-off is "
                "part of what the client approves."))
        if self.filtered("correction_of_id"):
            raise UserError(_(
                "A correction answers the client's dispute: submit it (its "
                "approval approves the disputed cut-off) instead of deleting "
                "it."))
        return super().unlink()

    # ------------------------------------------------------------------
    # making cut-offs
    # ------------------------------------------------------------------

    @api.model
    def _emergency_make_cutoffs(self, ticket_ids=None, company_ids=None):
        """Gather the time lines not in any cut-off into a draft cut-off per
        emergency and client day: the draft of that day when there is one,
        else a new one (a late line for a submitted day gets a new cut-off
        of that day). Three queries, however many emergencies."""
        params = {
            "uid": self.env.uid,
            "all_tickets": ticket_ids is None,
            "tickets": tuple(ticket_ids or ()) or (0,),
            "all_companies": company_ids is None,
            "companies": tuple(company_ids or ()) or (0,),
        }
        cr = self.env.cr
        cr.execute("""
            INSERT INTO emergency_timesheet_cutoff
                   (name, ticket_id, date, state, company_id, partner_id,
                    create_uid, write_uid, create_date, write_date)
            SELECT COALESCE(t.number, t.id::varchar) || ' / ' || l.date,
                   l.ticket_id, l.date, 'draft', t.company_id,
                   p.commercial_partner_id, %(uid)s, %(uid)s,
                   now() at time zone 'UTC', now() at time zone 'UTC'
              FROM account_analytic_line l
              JOIN helpdesk_ticket t ON t.id = l.ticket_id
         LEFT JOIN res_partner p ON p.id = t.partner_id
             WHERE l.ticket_id IS NOT NULL AND l.emergency_cutoff_id IS NULL
               AND (%(all_tickets)s OR l.ticket_id IN %(tickets)s)
               AND (%(all_companies)s OR t.company_id IN %(companies)s)
               AND NOT EXISTS (SELECT 1 FROM emergency_timesheet_cutoff c
                                WHERE c.ticket_id = l.ticket_id
                                  AND c.date = l.date AND c.state = 'draft')
          GROUP BY l.ticket_id, l.date, t.number, t.id, t.company_id,
                   p.commercial_partner_id
         RETURNING id""", params)
        created = [row[0] for row in cr.fetchall()]
        cr.execute("""
            UPDATE account_analytic_line l
               SET emergency_cutoff_id = c.id
              FROM emergency_timesheet_cutoff c
             WHERE c.ticket_id = l.ticket_id AND c.date = l.date
               AND c.state = 'draft' AND l.emergency_cutoff_id IS NULL
               AND (%(all_tickets)s OR l.ticket_id IN %(tickets)s)
               AND (%(all_companies)s OR c.company_id IN %(companies)s)
         RETURNING l.ticket_id""", params)
        touched = {row[0] for row in cr.fetchall()}
        self.env["account.analytic.line"].invalidate_cache(["emergency_cutoff_id"])
        self.invalidate_cache(["line_ids"])
        tickets = self.env["helpdesk.ticket"].browse(sorted(touched))
        tickets._emergency_pool_alerts()
        return self.browse(created)

    @api.model
    def _cron_emergency_cutoffs(self):
        """Hourly: make the daily cut-offs of each company past its cut-off
        hour (company time zone), once a day; then the tacit approvals."""
        now = datetime.utcnow()
        due = self.env["res.company"]
        for company in self.env["res.company"].search([]):
            tz = pytz.timezone(company.partner_id.tz or "UTC")
            local_now = pytz.utc.localize(now).astimezone(tz).replace(tzinfo=None)
            last = fields.Date.from_string(company.emergency_cutoff_last_day)
            if rules.cutoff_due(local_now, company.emergency_cutoff_hour, last):
                due |= company
                company.emergency_cutoff_last_day = fields.Date.to_string(
                    local_now.date())
        cutoffs = self.browse()
        if due:
            cutoffs = self._emergency_make_cutoffs(company_ids=due.ids)
        self._emergency_tacit_approvals(now)
        return cutoffs

    # ------------------------------------------------------------------
    # steps
    # ------------------------------------------------------------------

    def _emergency_lock(self):
        """Serialize the steps on these cut-offs (two approvers at once)."""
        if self.ids:
            self.env.cr.execute(
                "SELECT id FROM emergency_timesheet_cutoff WHERE id IN %s FOR UPDATE",
                (tuple(self.ids),))
            self.invalidate_cache()

    def _emergency_check_staff(self):
        if not self.env.user.has_group("helpdesk_mgmt.group_helpdesk_user"):
            raise AccessError(_(
                "Only helpdesk specialists can do this on a daily cut-off."))

    def _emergency_write(self, vals):
        return self.sudo().write(vals)

    @api.multi
    def action_submit(self):
        """Staff sends the cut-off to the client: its lines lock; the client
        is asked by mail to approve or dispute it."""
        self._emergency_check_staff()
        self._emergency_lock()
        for cutoff in self:
            if cutoff.state != rules.DRAFT:
                raise UserError(_(
                    "%s is already submitted.") % cutoff.name)
            if not cutoff.line_ids:
                raise UserError(_(
                    "%s has no time lines: there is nothing to approve.")
                    % cutoff.name)
        now = fields.Datetime.now()
        self._emergency_write({
            "state": rules.SUBMITTED,
            "submitted_by_id": self.env.uid,
            "submitted_date": now,
        })
        notified = self._emergency_send_mail(
            "emergency_support_timesheet.mail_template_cutoff_submitted")
        # the mail announces tacit approval when the company has it on: only
        # the cut-offs whose client got that mail may be approved tacitly
        for company in notified.mapped("company_id"):
            if company.emergency_tacit_approval:
                notified.filtered(lambda c, co=company: c.company_id == co)._emergency_write({
                    "tacit_notice_date": now,
                    "tacit_notice_hours": company.emergency_tacit_hours})
        return True

    @api.multi
    def action_staff_approve(self):
        """Staff's approval; with the client's, the cut-off is approved."""
        self._emergency_check_staff()
        self._emergency_lock()
        for cutoff in self:
            cutoff._emergency_check_approval(bool(cutoff.staff_approved_date))
        self._emergency_write({"staff_approved_by_id": self.env.uid,
                               "staff_approved_date": fields.Datetime.now()})
        self._emergency_finish()
        return True

    @api.multi
    def emergency_client_approve(self):
        """The client approves (a portal user of the client's company, or
        any user of it over the API): checked, then written as superuser."""
        self._emergency_check_client()
        self._emergency_lock()
        for cutoff in self:
            cutoff._emergency_check_approval(bool(cutoff.client_approved_date))
        self._emergency_write({"client_approved_by_id": self.env.uid,
                               "client_approved_date": fields.Datetime.now()})
        self._emergency_finish()
        return True

    @api.multi
    def emergency_client_dispute(self, disputes):
        """The client disputes single lines: ``disputes`` is a list of
        ``{'line_id', 'reason', 'proposed_hours'}``. Staff answers with
        correcting lines on a next cut-off (``action_correct``)."""
        self.ensure_one()
        self._emergency_check_client()
        self._emergency_lock()
        problem = rules.approval_problem(self.state, bool(self.client_approved_date))
        if problem:
            raise UserError(self._emergency_approval_message(problem))
        if not disputes or not isinstance(disputes, (list, tuple)):
            raise UserError(_("Say which lines you dispute and why."))
        lines = self.sudo().line_ids
        day_hours = lines._emergency_day_hours(
            [(line.user_id.id, line.date) for line in lines])
        answers = []
        for dispute in disputes:
            if not isinstance(dispute, dict):
                raise UserError(_("Say which lines you dispute and why."))
            line = lines.filtered(lambda l: l.id == dispute.get("line_id"))
            if not line:
                raise UserError(_(
                    "The line %s is not part of this cut-off.")
                    % dispute.get("line_id"))
            reason = dispute.get("reason")
            reason = reason.strip() if isinstance(reason, str) else ""
            if not reason:
                raise UserError(_(
                    "Each disputed line needs a reason and the hours you "
                    "propose (zero or more)."))
            answers.append((line, reason, self._emergency_check_proposed(
                line, dispute.get("proposed_hours"), day_hours)))
        # every dispute checked: only now is anything written
        for line, reason, proposed in answers:
            with workflow(self.env):
                line.write({
                    "emergency_disputed": True,
                    "emergency_dispute_reason": reason,
                    "emergency_proposed_hours": proposed,
                })
        self._emergency_write({"state": rules.DISPUTED,
                               "disputed_by_id": self.env.uid,
                               "disputed_date": fields.Datetime.now()})
        self.sudo().message_post(body=_("The client disputed %d line(s).")
                                 % len(disputes))
        return True

    @api.multi
    def action_correct(self):
        """Staff answers a dispute: a new draft cut-off of the same day with
        a correcting line per disputed line (the client's proposed hours
        minus the logged ones). Staff may adjust it, then submits it."""
        self.ensure_one()
        self._emergency_check_staff()
        self._emergency_lock()
        if self.state != rules.DISPUTED:
            raise UserError(_("Only a disputed cut-off is corrected."))
        disputed = self.sudo().line_ids.filtered("emergency_disputed")
        # the correcting line belongs to the person of the disputed one and
        # keeps that person's day within the daily cap
        day_hours = disputed._emergency_day_hours(
            [(line.user_id.id, line.date) for line in disputed])
        changes = []
        for line in disputed:
            key = (line.user_id.id, line.date)
            hours = rules.correction_hours(
                line.unit_amount, line.emergency_proposed_hours,
                room=rules.correction_room(day_hours.get(key, 0.0)))
            if abs(hours) > rules.EPSILON:
                day_hours[key] = day_hours.get(key, 0.0) + hours
                changes.append((line, hours))
        if not changes:
            return self._emergency_close_dispute(disputed)
        correction = self.sudo().create({
            "name": _("%s (correction)") % self.name,
            "ticket_id": self.ticket_id.id,
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "date": self.date,
            "correction_of_id": self.id,
        })
        Line = self.env["account.analytic.line"].sudo()
        with workflow(self.env):
            for line, hours in changes:
                Line.create(line._emergency_prepare_correction(hours, correction))
        self._emergency_write({"state": rules.CORRECTED})
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": correction.id,
            "view_mode": "form",
        }

    def _emergency_close_dispute(self, disputed):
        """The client proposed the logged hours for every disputed line:
        nothing to correct. Both parties agree on every hour (the client's
        dispute named them, the team accepts it), so the cut-off is approved
        at once; the client's words stay on the lines and in the chatter."""
        self._emergency_write({
            "staff_approved_by_id": self.env.uid,
            "staff_approved_date": fields.Datetime.now(),
            "client_approved_by_id": self.disputed_by_id.id,
            "client_approved_date": self.disputed_date or fields.Datetime.now(),
            "state": rules.SUBMITTED,
        })
        self._emergency_finish()
        words = "".join("<li>%s: %s</li>" % (
            escape(line.emergency_client_description or line.name or ""),
            escape(line.emergency_dispute_reason or "")) for line in disputed)
        self.sudo().message_post(
            subtype="mail.mt_comment",
            body=_("<p>The client's dispute changes no hours (it proposed the "
                   "hours logged): %(team)s closed it, and the day is approved. "
                   "The client's words:</p><ul>%(words)s</ul>") % {
                       "team": escape(self.env.user.name), "words": words})
        return True

    def _emergency_check_proposed(self, line, value, day_hours):
        """The hours the client proposes for ``line``, checked: a number from
        0 up to what keeps the line's person within 24 hours that day (more
        than logged is allowed, the correction obeys the daily cap)."""
        proposed = rules.parse_hours(value)
        most = rules.proposed_hours_max(
            line.unit_amount, day_hours.get((line.user_id.id, line.date), line.unit_amount))
        if proposed is None or proposed < 0 or proposed > most + rules.EPSILON:
            raise UserError(_(
                "The hours you propose for \"%(line)s\" must be a number from 0 "
                "to %(most).2f (logged: %(logged).2f; nobody works more than 24 "
                "hours a day).") % {
                    "line": line.emergency_client_description or line.name,
                    "most": most, "logged": line.unit_amount})
        return proposed

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------

    def _emergency_check_client(self):
        """The acting user is a person of the cut-off's client."""
        self.check_access_rights("read")
        self.check_access_rule("read")
        client = self.env.user.commercial_partner_id
        foreign = self.sudo().filtered(
            lambda c: c.ticket_id.partner_id.commercial_partner_id != client)
        if foreign:
            raise AccessError(_(
                "Only the client of the emergency approves or disputes its "
                "daily cut-offs."))

    def _emergency_approval_message(self, problem):
        return {
            "twice": _("%s is already approved by this party.") % self.name,
            "disputed": _("%s is disputed: it waits for the correction, "
                          "which will be submitted again.") % self.name,
            "not_submitted": _("%s is not submitted for approval.") % self.name,
        }[problem]

    def _emergency_check_approval(self, already):
        problem = rules.approval_problem(self.state, already)
        if problem:
            raise UserError(self._emergency_approval_message(problem))

    def _emergency_finish(self):
        """Cut-offs approved by both parties: approved, with the disputed
        cut-offs they correct; each line keeps its rate."""
        done = self.filtered(lambda c: rules.state_after_approval(
            bool(c.staff_approved_date), bool(c.client_approved_date)) == rules.APPROVED)
        for cutoff in done:
            chain = cutoff
            while chain.correction_of_id:
                chain = chain.correction_of_id
                chain._emergency_write({
                    "state": rules.APPROVED,
                    "staff_approved_by_id": cutoff.staff_approved_by_id.id,
                    "staff_approved_date": cutoff.staff_approved_date,
                    "client_approved_by_id": cutoff.client_approved_by_id.id,
                    "client_approved_date": cutoff.client_approved_date,
                    "client_approval_tacit": cutoff.client_approval_tacit,
                })
                chain.sudo().line_ids._emergency_store_rates()
        if done:
            done._emergency_write({"state": rules.APPROVED})
            done.sudo().mapped("line_ids")._emergency_store_rates()
        return done

    def _emergency_tacit_approvals(self, now):
        """Under tacit approval: remind the client 24 h before; then the
        client's silence approves the cut-off (R15)."""
        waiting = self.sudo().search([
            ("state", "=", rules.SUBMITTED),
            ("client_approved_date", "=", False),
            ("tacit_notice_date", "!=", False),
            ("company_id.emergency_tacit_approval", "=", True)])
        remind, tacit = self.browse(), self.browse()
        for cutoff in waiting:
            # the hours the client was told, counted from when it was told
            reminder, approval = rules.tacit_moments(
                fields.Datetime.from_string(cutoff.tacit_notice_date),
                cutoff.tacit_notice_hours or cutoff.company_id.emergency_tacit_hours)
            if now >= approval:
                tacit |= cutoff
            elif now >= reminder and not cutoff.reminder_sent:
                remind |= cutoff
        if remind:
            remind._emergency_send_mail(
                "emergency_support_timesheet.mail_template_cutoff_reminder")
            remind.write({"reminder_sent": True})
        if tacit:
            tacit.write({"client_approval_tacit": True,
                         "client_approved_date": fields.Datetime.to_string(now)})
            tacit._emergency_finish()
        return tacit

    @api.model
    def _emergency_recover_tacit_notices(self):
        """Cut-offs submitted before ``tacit_notice_date`` existed (the
        migration to 11.0.1.2.0): mark as notified those whose submission
        mail provably told the client of tacit approval. Proof: a message on
        the cut-off that carries the template's tacit sentence (in any
        language of the database, giving the hours it announced) and whose
        e-mail to the emergency's client was sent. Returns the cut-offs
        marked."""
        patterns = self._emergency_tacit_patterns()
        waiting = self.sudo().search([
            ("state", "=", rules.SUBMITTED), ("client_approved_date", "=", False),
            ("tacit_notice_date", "=", False)])
        if not patterns or not waiting:
            return self.browse()
        sent = self.env["mail.notification"].sudo().search([
            ("mail_message_id.model", "=", self._name),
            ("mail_message_id.res_id", "in", waiting.ids),
            ("is_email", "=", True), ("email_status", "=", "sent")])
        found = {}
        for notification in sent.sorted(lambda n: n.mail_message_id.date):
            message = notification.mail_message_id
            cutoff = waiting.browse(message.res_id)
            if cutoff.id in found or notification.res_partner_id != cutoff.ticket_id.partner_id:
                continue
            if message.date < cutoff.submitted_date:
                continue
            text = " ".join(html2plaintext(message.body or "").split())
            for pattern in patterns:
                match = pattern.search(text)
                if match:
                    found[cutoff.id] = (message.date, int(match.group(1)))
                    break
        marked = self.browse()
        for cutoff_id, (date, hours) in found.items():
            cutoff = waiting.browse(cutoff_id)
            cutoff._emergency_write({"tacit_notice_date": date, "tacit_notice_hours": hours})
            marked |= cutoff
        return marked

    @api.model
    def _emergency_tacit_patterns(self):
        """The tacit sentence of the submission mail in each language of the
        database, as regular expressions on the mail's plain text whose one
        group is the hours announced."""
        template = self.env.ref(
            "emergency_support_timesheet.mail_template_cutoff_submitted",
            raise_if_not_found=False)
        if not template:
            return []
        patterns = []
        for lang in self.env["res.lang"].sudo().search([]).mapped("code"):
            body = template.with_context(lang=lang).body_html or ""
            block = re.search(r"%\s*if object\.company_id\.emergency_tacit_approval:"
                              r"(.*?)%\s*endif", body, re.S)
            if not block:
                continue
            text = " ".join(html2plaintext(block.group(1)).split())
            parts = re.split(r"\$\{[^}]*\}", text)
            if len(parts) != 2:
                continue
            patterns.append(re.compile(
                re.escape(parts[0]) + r"(\d+)" + re.escape(parts[1])))
        return patterns

    def _emergency_send_mail(self, template_xmlid):
        """Mail the client of each cut-off (its language), in the company's
        name, after the click: a queue_job job renders and posts the mail
        (it was most of the specialist's wait when submitting a day).
        Returns the cut-offs whose client is mailed (a client with an
        e-mail address, a company or user with one to send from): the
        tacit approval counts on that mail."""
        template = self.env.ref(template_xmlid, raise_if_not_found=False)
        notified = self.browse()
        if not template:
            return notified
        for cutoff in self.sudo():
            if not cutoff._emergency_mail_addresses():
                _logger.warning("%s: no client address or no sender address, "
                                "the client is not notified", cutoff.name)
                continue
            notified |= cutoff
        if notified:
            notified.with_context(
                mail_create_nolog=True, mail_create_nosubscribe=True,
            ).with_delay(description=_("Mail to the client of %s") % ", ".join(
                notified.mapped("name")))._emergency_post_mail(template_xmlid)
        return self.browse(notified.ids)

    def _emergency_mail_addresses(self):
        """``(client, company, sender address)`` of this cut-off's mail, or
        None when the client has no address or nobody to send from."""
        self.ensure_one()
        client = self.ticket_id.partner_id
        company = self.company_id or self.env.user.company_id
        sender = company.email or self.env.user.email
        if not client.email or not sender:
            return None
        return client, company, sender

    @job(default_channel="root")
    def _emergency_post_mail(self, template_xmlid):
        """The job of ``_emergency_send_mail``: the client follows the
        cut-off and receives the mail."""
        template = self.env.ref(template_xmlid, raise_if_not_found=False)
        if not template:
            return
        subtype = self.env.ref("mail.mt_comment")
        for cutoff in self.sudo():
            addresses = cutoff._emergency_mail_addresses()
            if not addresses:
                continue
            client, company, sender = addresses
            cutoff.message_subscribe(partner_ids=client.ids)
            cutoff.message_post_with_template(
                template.id, composition_mode="comment", subtype_id=subtype.id,
                author_id=company.partner_id.id,
                email_from=formataddr((company.name, sender)))
