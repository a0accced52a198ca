# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
import base64
import json

import werkzeug.exceptions
import werkzeug.utils

from odoo import _, http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.helpdesk_mgmt.controllers.main import HelpdeskTicketController
from odoo.addons.web.controllers.main import ReportController
from odoo.addons.helpdesk_mgmt.controllers.myaccount import CustomerPortal


def _redirect(url):
    # request.redirect exists only with the website addon
    return werkzeug.utils.redirect(url, 303)


def is_record_id(value):
    """Whether ``value`` can be a record's id: an int PostgreSQL can hold
    (the routes' ``<int:>`` converter takes any size; a larger one made the
    query fail with a 500)."""
    return isinstance(value, int) and 0 < value < 2 ** 31


def readable_sudo(model, record_id):
    """The record ``record_id`` of ``model`` as the superuser when the user
    may read it (access rights and record rules decide), else an empty
    recordset: the first step of every portal route (the page then reads an
    explicit set of fields). An id PostgreSQL cannot hold is nobody's."""
    if not is_record_id(record_id):
        return request.env[model].sudo()
    record = request.env[model].browse(record_id)
    try:
        record.check_access_rights("read")
        record.check_access_rule("read")
        return record.sudo().exists()
    except (AccessError, MissingError):
        return request.env[model].sudo()


class HelpdeskTicketControllerChecked(HelpdeskTicketController):
    """helpdesk_mgmt 11.0's portal routes, with the checks they lack.

    Its routes act through ``sudo()`` on whatever ids the request carries: a
    client could close another client's ticket, or file a ticket in another
    client's name, and a malformed id answered 500. Here a client acts only on
    tickets it may read, in its own name, and bad input is sent back to the
    list of its tickets.
    """

    @http.route("/ticket/close", type="http", auth="user", methods=["POST"],
                csrf=True)
    def support_ticket_close(self, **kw):
        """A change, so a POST with the form's CSRF token (helpdesk_mgmt's
        GET let a link on another site close the client's ticket): a GET
        answers 405, a POST without the token 400."""
        try:
            ticket = request.env["helpdesk.ticket"].browse(int(kw.get("ticket_id")))
            stage = request.env["helpdesk.ticket.stage"].browse(int(kw.get("stage_id")))
            ticket.check_access_rights("read")
            ticket.check_access_rule("read")
            closable = ticket.exists() and stage.exists() and stage.closed
        except (TypeError, ValueError, AccessError, MissingError):
            closable = False
        # an emergency ends through its phases, not through a stage
        if not closable or ticket.is_emergency:
            return _redirect("/my/tickets")
        ticket.sudo().stage_id = stage
        return _redirect("/my/ticket/%d" % ticket.id)

    @http.route("/submitted/ticket", type="http", auth="user", website=True, csrf=True)
    def submit_ticket(self, **kw):
        user = request.env.user
        category_id = kw.get("category") or ""
        category = request.env["helpdesk.ticket.category"].browse(
            int(category_id) if category_id.isdigit() else []).exists()
        if not (kw.get("subject") or "").strip():
            return _redirect("/new/ticket")
        channel = request.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_web",
                                  raise_if_not_found=False)
        ticket = request.env["helpdesk.ticket"].sudo().create({
            "name": kw["subject"],
            "description": kw.get("description"),
            "category_id": category.id,
            "channel_id": channel.id if channel else False,
            "company_id": user.company_id.id,
            # always in the requester's own name
            "partner_id": user.partner_id.id,
            "partner_name": user.partner_id.name,
            "partner_email": user.partner_id.email,
        })
        ticket.message_subscribe(partner_ids=user.partner_id.ids)
        for upload in request.httprequest.files.getlist("attachment"):
            if upload.filename:
                request.env["ir.attachment"].sudo().create({
                    "name": upload.filename,
                    "datas": base64.b64encode(upload.read()),
                    "datas_fname": upload.filename,
                    "res_model": "helpdesk.ticket",
                    "res_id": ticket.id,
                })
        return _redirect("/my/tickets")


class CustomerPortalChecked(CustomerPortal):
    """The ticket page of helpdesk_mgmt 11.0 answered 500 for a ticket of
    another client or one that does not exist (it calls request.redirect,
    which needs the website addon): both now go back to the portal home."""

    @http.route(["/my/ticket/<int:ticket_id>"], type="http", auth="user", website=True)
    def portal_my_ticket(self, ticket_id=None, **kw):
        try:
            ticket_sudo = self._helpdesk_ticket_check_access(ticket_id)
            if not ticket_sudo.exists():
                raise MissingError(ticket_id)
        except (AccessError, MissingError):
            return _redirect("/my")
        if ticket_sudo.is_emergency:  # the stage buttons do not apply to it
            return _redirect("/my/emergency/%d" % ticket_sudo.id)
        values = self._ticket_get_page_view_values(ticket_sudo, **kw)
        return request.render("helpdesk_mgmt.portal_helpdesk_ticket_page", values)

    @http.route(["/my/tickets", "/my/tickets/page/<int:page>"], type="http",
                auth="user", website=True)
    def portal_my_tickets(self, page=1, date_begin=None, date_end=None,
                          sortby=None, filterby=None, search=None,
                          search_in="all", **kw):
        """helpdesk_mgmt's list indexes its sortings and filters with the
        request's values: an unknown one answered 500. It falls back to the
        defaults."""
        if sortby not in ("date", "name", "stage", "update"):
            sortby = None
        stages = request.env["helpdesk.ticket.stage"].search([]).ids
        if filterby != "all" and not (
                isinstance(filterby, str) and filterby.isdigit()
                and int(filterby) in stages):
            filterby = None
        if search_in not in ("name", "description", "user", "category",
                             "message_content", "content", "all"):
            search_in = "all"
        try:
            page = max(int(page), 1)
        except (TypeError, ValueError):
            page = 1
        # PostgreSQL refuses a NUL in a text (a 500): it is no search anyway
        search = search.replace("\x00", "") if isinstance(search, str) else None
        return super().portal_my_tickets(
            page=page, date_begin=date_begin, date_end=date_end, sortby=sortby,
            filterby=filterby, search=search, search_in=search_in, **kw)


class ReportControllerChecked(ReportController):
    """A report of records the user may not read, of records that do not
    exist, or with malformed ids, options or context answers a clear refusal
    (403, 404, 400), never a 500 (Odoo 11 lets the AccessError out of the
    route). Once the user's read access to the records is checked, the
    report renders as the superuser, in the user's context: it reads what
    the document shows (products, taxes, payment terms) that a client may
    not read itself."""

    @http.route([
        "/report/<converter>/<reportname>",
        "/report/<converter>/<reportname>/<docids>",
    ], type="http", auth="user", website=True)
    def report_routes(self, reportname, docids=None, converter=None, **data):
        report = request.env["ir.actions.report"]._get_report_from_name(reportname)
        if not report:
            raise werkzeug.exceptions.NotFound(_("There is no report %s.") % reportname)
        if converter not in ("html", "pdf"):
            raise werkzeug.exceptions.NotFound(_(
                "A report is printed as html or pdf."))
        raw, context = dict(data), dict(request.env.context)
        try:
            options = json.loads(data.pop("options", None) or "{}")
            extra = json.loads(data.get("context") or "{}")
            if not isinstance(options, dict) or not isinstance(extra, dict):
                raise ValueError(options)
        except ValueError:
            raise werkzeug.exceptions.BadRequest(_(
                "The options and the context of a report are JSON objects."))
        data.update(options)
        if data.get("context"):
            # the language is the user's (as in Odoo's route)
            extra.pop("lang", None)
            data["context"] = extra
            context.update(extra)
        if not docids:
            if request.env.user.share:  # a client prints its own records only
                raise werkzeug.exceptions.Forbidden(_(
                    "Say which records to print."))
            return super().report_routes(reportname, converter=converter, **raw)
        records = self._report_readable_records(report, docids)
        # the user's context with the report's (as Odoo's route does it):
        # pylint: disable=context-overridden
        report = report.sudo().with_context(context)
        if converter == "html":
            html = report.render_qweb_html(records.ids, data=data)[0]
            return request.make_response(html)
        pdf = report.render_qweb_pdf(records.ids, data=data)[0]
        return request.make_response(pdf, headers=[
            ("Content-Type", "application/pdf"), ("Content-Length", len(pdf))])

    @staticmethod
    def _report_readable_records(report, docids):
        """The records ``docids`` (a comma-separated text) of the report's
        model, when they all exist and the user may read them; else the
        HTTP refusal."""
        try:
            ids = [int(docid) for docid in docids.split(",")]
        except ValueError:
            raise werkzeug.exceptions.BadRequest(_(
                "The records to print are given by their numeric ids."))
        if not all(is_record_id(docid) for docid in ids):
            raise werkzeug.exceptions.NotFound(_(
                "Some of the records to print do not exist (any more)."))
        records = request.env[report.model].browse(ids)
        if len(records.exists()) != len(set(ids)):
            raise werkzeug.exceptions.NotFound(_(
                "Some of the records to print do not exist (any more)."))
        try:
            records.check_access_rights("read")
            records.check_access_rule("read")
        except AccessError:
            raise werkzeug.exceptions.Forbidden(_(
                "You may not read these records: the report is not "
                "printed."))
        return records
