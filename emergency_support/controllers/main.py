# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
import base64

import werkzeug.utils

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.helpdesk_mgmt.controllers.main import HelpdeskTicketController
from odoo.addons.helpdesk_mgmt.controllers.myaccount import CustomerPortal


def _redirect(url):
    # request.redirect exists only with the website addon
    return werkzeug.utils.redirect(url, 303)


class HelpdeskTicketControllerChecked(HelpdeskTicketController):
    """helpdesk_mgmt 11.0's portal routes, with the checks they lack.

    Its routes act through ``sudo()`` on whatever ids the request carries: a
    client could close another client's ticket, or file a ticket in another
    client's name, and a malformed id answered 500. Here a client acts only on
    tickets it may read, in its own name, and bad input is sent back to the
    list of its tickets.
    """

    @http.route("/ticket/close", type="http", auth="user")
    def support_ticket_close(self, **kw):
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
        values = self._ticket_get_page_view_values(ticket_sudo, **kw)
        return request.render("helpdesk_mgmt.portal_helpdesk_ticket_page", values)
