# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
"""What the client receives: the mails at each milestone and the technical
report (R20, R21)."""
import base64
import hashlib
import logging
import re
from email.utils import formataddr

from odoo import _, api, fields, models, tools
from odoo.exceptions import UserError

from odoo.addons.queue_job.job import job

from .. import rules
from .mail_template import hours_in_lang

_logger = logging.getLogger(__name__)

REPORT_XMLID = "emergency_support.action_report_emergency_technical"
REPORT_NAME = "emergency_support.report_emergency_technical"
# the technical report's latest PDF of each emergency, kept by its content:
# an attachment of the ticket under this res_field (hidden from the ticket's
# attachments, as Odoo's binary fields; read as the ticket is)
KEPT_PDF_FIELD = "emergency_report_pdf"


# one model split by concern (STYLE.md): pylint: disable=consider-merging-classes-inherited
class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    report_error = fields.Text(
        string="Report not issued", readonly=True, copy=False,
        help="The technical report could not be rendered: the phase moved "
             "on; issue the report again once the cause is fixed.")
    report_filename = fields.Char(
        string="Report file name", compute="_compute_report_filename",
        help="The downloaded technical report's file name, in the reader's "
             "language (the report's print_report_name).")

    @api.depends("number")
    def _compute_report_filename(self):
        for ticket in self:
            ticket.report_filename = _("Technical report - %s") % ticket.number

    def _emergency_later(self, description, priority=None):
        """``with_delay()`` for the work after a click (queue_job): the job's
        record is made without a chatter log and a follower of its own (they
        were most of its queries, paid in the click)."""
        return self.with_context(
            mail_create_nolog=True, mail_create_nosubscribe=True,
        ).with_delay(description=description, priority=priority)

    def _emergency_send_mail(self, template_xmlid):
        """Notify the client with a template, after the click: a queue_job
        job renders and posts the mail (the rendering was most of the cost
        of creating an emergency), and a failing mail never undoes the
        user's step. Tests run it at once (context
        ``test_queue_job_no_delay``)."""
        tickets = self.filtered("partner_id")
        if tickets and self.env.ref(template_xmlid, raise_if_not_found=False):
            tickets._emergency_later(_("Mail to the client of %s") % ", ".join(
                tickets.mapped("number")))._emergency_post_mail(template_xmlid)

    def send_user_mail(self):
        """helpdesk_mgmt's "you are assigned" mail: for an emergency, a job
        after the click that assigns (the service opening with the
        guarantee's payment, a specialist taking the ticket)."""
        emergencies = self.filtered("is_emergency")
        if emergencies:  # a public method: who may assign may send it
            emergencies.check_access_rights("write")
            emergencies.check_access_rule("write")
        for ticket in emergencies:
            ticket._emergency_later(_("Assignment mail of %s") % ticket.number
                                    )._emergency_send_user_mail()
        result = None
        for ticket in self - emergencies:
            result = super(HelpdeskTicket, ticket).send_user_mail()
        return result

    @api.multi
    def _message_auto_subscribe_notify(self, partner_ids):
        """Odoo's "you have been assigned" notification to the user an
        emergency is assigned to: a job after the click too."""
        emergencies = self.filtered("is_emergency")
        if partner_ids and emergencies and not self.env.context.get(
                "mail_auto_subscribe_no_notify"):
            emergencies._emergency_later(_("Assignment notice of %s") % ", ".join(
                emergencies.mapped("number")))._emergency_auto_subscribe_notify(
                    list(partner_ids))
        return super(HelpdeskTicket, self - emergencies)._message_auto_subscribe_notify(
            partner_ids)

    @job(default_channel="root")
    def _emergency_auto_subscribe_notify(self, partner_ids):
        """The job of ``_message_auto_subscribe_notify``."""
        return super(HelpdeskTicket, self)._message_auto_subscribe_notify(partner_ids)

    @job(default_channel="root")
    def _emergency_send_user_mail(self):
        """The job of ``send_user_mail``."""
        result = None
        for ticket in self:
            result = super(HelpdeskTicket, ticket).send_user_mail()
        return result

    @job(default_channel="root")
    def _emergency_post_mail(self, template_xmlid):
        """The job of ``_emergency_send_mail``: post the mail on each ticket,
        in the company's name, in the client's language; the mail is queued
        for the mail cron.

        The template is rendered directly and posted on the ticket (not
        through the mail composer, three times the queries). The sender is
        the company (its e-mail, else the acting user's): the phases move on
        even when no sender address is configured; the mail is then skipped
        and the server log says why."""
        template = self.env.ref(template_xmlid, raise_if_not_found=False)
        if not template:
            return
        subtype = self.env.ref("mail.mt_comment")
        tickets = self.filtered("partner_id")
        if not tickets:
            return
        rendered = template.generate_email(tickets.ids, fields=["subject", "body_html"])
        for ticket in tickets:
            company = ticket.company_id or self.env.user.company_id
            sender = company.email or self.env.user.email
            if not sender:
                _logger.warning(
                    "%s: no e-mail for the company %s nor the user %s, the "
                    "client is not notified (%s)", ticket.number, company.name,
                    self.env.user.login, template_xmlid)
                continue
            values = rendered[ticket.id]
            ticket.with_context(mail_notify_force_send=False).message_post(
                body=values["body_html"], subject=values["subject"],
                message_type="comment", subtype_id=subtype.id,
                partner_ids=ticket.partner_id.ids,
                author_id=company.partner_id.id,
                email_from=formataddr((company.name, sender)))

    @api.multi
    def _emergency_report_tz(self):
        """The time zone the technical report shows its times in: the
        client's (else the company's), whoever prints it."""
        self.ensure_one()
        return self._emergency_client_tz()

    @api.multi
    def _emergency_report_hours(self, value):
        """Hours as the technical report writes them: in the language of
        the ticket's context (the client's, set by the report), whoever
        prints it."""
        return hours_in_lang(self.env, value, 2)

    def _emergency_attach_report(self, kind):
        """Issue the technical report of each ticket after the click: one
        queue_job job per ticket renders and attaches it (R20)."""
        for ticket in self:
            ticket._emergency_later(_("Technical report of %s") % ticket.number
                                    )._emergency_render_report(kind)

    @job(default_channel="root")
    def _emergency_render_report(self, kind):
        """The job of ``_emergency_attach_report``: render the technical
        report and attach it to each ticket.

        A phase change never depends on the PDF: when it cannot be rendered
        (wkhtmltopdf missing or failing) the failure is logged and shown on
        the ticket, and the report can be issued again with a button."""
        names = {"partial": _("Technical report (normalization) - %s.pdf"),
                 "final": _("Technical report (closure) - %s.pdf")}
        Attachment = self.env["ir.attachment"]
        for ticket in self:
            # no savepoint around it: Odoo commits the first rendering's
            # assets itself (ir.actions.report, commit_assetsbundle)
            try:
                content = ticket._emergency_report_pdf()
            except Exception as error:  # pylint: disable=broad-except
                _logger.exception("%s: the technical report could not be rendered",
                                  ticket.number)
                ticket._emergency_write({"report_error": _(
                    "The technical report '%(report)s' could not be rendered "
                    "(%(error)s). Issue it again with the 'Issue report' "
                    "button.") % {"report": names[kind] % ticket.number,
                                  "error": error}})
                continue
            Attachment.create({
                "name": names[kind] % ticket.number,
                "datas_fname": names[kind] % ticket.number,
                "datas": base64.b64encode(content),
                "res_model": self._name,
                "res_id": ticket.id,
                "mimetype": "application/pdf",
            })
            if ticket.report_error:
                ticket._emergency_write({"report_error": False})

    def _emergency_prepare_report(self):
        """Render the technical report of each ticket ahead of its print,
        after the click (a job): the print that follows serves the PDF kept
        for the same content instead of waiting for wkhtmltopdf. Odoo's
        test mode renders no PDF (HTML instead): nothing to prepare there."""
        if tools.config["test_enable"]:
            return
        for ticket in self:
            ticket._emergency_later(
                _("Technical report of %s, ahead of its print") % ticket.number,
                priority=50)._emergency_render_ahead()

    @job(default_channel="root")
    def _emergency_render_ahead(self):
        """The job of ``_emergency_prepare_report``: the rendering as the
        portal and the issued reports make it (the client's language and
        time zone); the PDF is kept, nothing else is written. A failure
        changes nothing: the print renders it itself."""
        for ticket in self:
            ticket._emergency_report_pdf()

    def _emergency_report_pdf(self):
        """The technical report's PDF as the client reads it (its language
        and time zone), whoever asks: the issued reports and the rendering
        ahead of a print."""
        self.ensure_one()
        content, _format = self.env.ref(REPORT_XMLID).sudo().with_context(
            lang=self.partner_id.lang or self.env.lang,
            tz=self._emergency_report_tz(),
        ).render_qweb_pdf(self.ids)
        return content

    @api.multi
    def action_emergency_issue_report(self):
        """Issue the technical report of the phase reached again (after a
        rendering failure, or to attach a fresh copy)."""
        self._emergency_check_specialist()
        kinds = {rules.MITIGATION: "partial", rules.CLOSED: "final"}
        wrong = self.filtered(lambda t: t.emergency_phase not in kinds)
        if wrong:
            raise UserError(_(
                "The technical report of %s is issued when normalization is "
                "reached and at the closure.") % ", ".join(wrong.mapped("number")))
        for ticket in self:
            ticket._emergency_attach_report(kinds[ticket.emergency_phase])
        return True


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    @api.multi
    def render_qweb_html(self, docids, data=None):
        """The technical report shows its times in the client's time zone
        whoever prints it (the times are rendered in the context's tz)."""
        report = self
        if self.report_name == "emergency_support.report_emergency_technical" and docids:
            tickets = self.env["helpdesk.ticket"].browse(docids)
            zones = {ticket._emergency_report_tz() for ticket in tickets}
            report = self.with_context(tz=zones.pop() if len(zones) == 1 else "UTC")
        return super(IrActionsReport, report).render_qweb_html(docids, data=data)

    @api.multi
    def render_qweb_pdf(self, res_ids=None, data=None):
        """The technical report of one emergency is kept by its content:
        see ``_run_wkhtmltopdf``."""
        report = self
        if (self.report_name == REPORT_NAME and not data and res_ids
                and len(set(res_ids)) == 1):
            report = self.with_context(emergency_report_ticket=list(res_ids)[0])
        return super(IrActionsReport, report).render_qweb_pdf(res_ids, data=data)

    @api.model
    def _run_wkhtmltopdf(self, bodies, header=None, footer=None, landscape=False,
                         specific_paperformat_args=None, set_viewport_size=False):
        """wkhtmltopdf takes seconds for a page; the technical report of an
        emergency is printed again and again by its client, its specialists
        and its accountant while it does not change. Its latest PDF is kept
        with the digest of what wkhtmltopdf is given (the HTML of the pages,
        header and footer, the paper format): the same input is served the
        PDF already made, any change renders it anew. A kept PDF is never
        stale: it is found only by the content it was made from."""
        ticket_id = self.env.context.get("emergency_report_ticket")
        if not ticket_id or self.report_name != REPORT_NAME:
            return super(IrActionsReport, self)._run_wkhtmltopdf(
                bodies, header=header, footer=footer, landscape=landscape,
                specific_paperformat_args=specific_paperformat_args,
                set_viewport_size=set_viewport_size)
        paperformat = self.paperformat_id or self.env.user.company_id.paperformat_id
        digest = hashlib.sha256(repr((
            [_content(body) for body in bodies], _content(header), _content(footer),
            bool(landscape), sorted((specific_paperformat_args or {}).items()),
            bool(set_viewport_size), paperformat.id, paperformat.write_date,
        )).encode("utf-8")).hexdigest()
        Attachment = self.env["ir.attachment"].sudo()
        kept_domain = [("res_model", "=", "helpdesk.ticket"), ("res_id", "=", ticket_id),
                       ("res_field", "=", KEPT_PDF_FIELD)]
        kept = Attachment.search(kept_domain + [("name", "=", digest)], limit=1)
        if kept and kept.datas:
            _logger.info("technical report of ticket %s: the PDF kept for the "
                         "same content", ticket_id)
            return base64.b64decode(kept.datas)
        pdf = super(IrActionsReport, self)._run_wkhtmltopdf(
            bodies, header=header, footer=footer, landscape=landscape,
            specific_paperformat_args=specific_paperformat_args,
            set_viewport_size=set_viewport_size)
        Attachment.search(kept_domain).unlink()
        Attachment.create({
            "name": digest,
            "datas_fname": "technical-report-%s.pdf" % ticket_id,
            "datas": base64.b64encode(pdf),
            "res_model": "helpdesk.ticket",
            "res_id": ticket_id,
            "res_field": KEPT_PDF_FIELD,
            "mimetype": "application/pdf",
        })
        return pdf


# an asset bundle's link: /web/content/<attachment id>-<version>/<name>
ASSET_LINK = re.compile(rb"/web/content/\d+-([0-9a-f]+)/")
# QWeb's branding of a field (data-oe-model, -id, -expression, -contact-options
# ...): for the editor, never shown, and not the same in a request and a job
BRANDING = re.compile(rb"""\sdata-oe-[a-z-]+=(?:"[^"]*"|'[^']*')""")


def _content(html):
    """What the HTML given to wkhtmltopdf shows: its asset bundles by their
    version (their content), not by the attachment that holds them (a
    bundle made again has another id, the same stylesheet), and without
    QWeb's editor branding."""
    html = html.encode("utf-8") if isinstance(html, str) else (html or b"")
    return BRANDING.sub(b"", ASSET_LINK.sub(rb"/web/content/\1/", html))
