# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
"""The client's side of an emergency on the customer portal (/my): request
it (with the NDA), follow it, accept the proposal, write to the team, and
download the technical report.

Every route reads the emergency through ``_emergency_get``: the user's
access rights and record rules decide (a client reads its own company's
emergencies only); the page then reads an explicit set of fields as the
superuser. Bad input answers with the form again and a message, never 500.
"""
import werkzeug.utils

from odoo import _, fields, http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal as BasePortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from .. import rules
from ..models.mail_template import hours_in_lang
from .main import CustomerPortalChecked, readable_sudo

#: the longest text a client may send in one field (a whole log paste fits)
MAX_TEXT = 20000
PAGE_SIZE = 20


def _redirect(url):
    return werkzeug.utils.redirect(url, 303)


def _text(value, limit=MAX_TEXT):
    """A posted text field, stripped; None when it is not text or too long."""
    if not isinstance(value, str):
        return None
    value = value.replace("\x00", "").strip()  # PostgreSQL refuses NUL
    return value if len(value) <= limit else None


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class EmergencyPortal(CustomerPortalChecked):

    def _prepare_portal_layout_values(self):
        values = super()._prepare_portal_layout_values()
        values["emergency_count"] = request.env["helpdesk.ticket"].search_count(
            [("is_emergency", "=", True)])
        values["format_hours"] = self._emergency_hours_formatter()
        return values

    def _emergency_layout_values(self):
        """The portal's layout around the emergency's own pages: the
        portal's values (the salesperson) and the hours formatter, without
        the counters that each app adds to ``_prepare_portal_layout_values``
        for /my's home page, the only page that shows them (sales, tasks,
        tickets, invoices: a quarter of the emergency page's time)."""
        values = BasePortal._prepare_portal_layout_values(self)
        values["format_hours"] = self._emergency_hours_formatter()
        return values

    def _emergency_hours_formatter(self):
        """``format_hours(value, digits=2)``: hours as the reader writes
        numbers (1,50 in Spanish, 1.50 in English)."""
        def format_hours(value, digits=2):
            return hours_in_lang(request.env, value, digits)
        return format_hours

    def _emergency_get(self, ticket_id):
        """The emergency ``ticket_id`` as the superuser, if the user may read
        it; else None."""
        ticket = readable_sudo("helpdesk.ticket", ticket_id)
        return ticket if ticket and ticket.is_emergency else None

    def _emergency_nda_in_force(self):
        partner = request.env.user.sudo().partner_id.commercial_partner_id
        now = fields.Datetime.now()
        return partner._emergency_nda_in_force(
            now, request.env["helpdesk.ticket"]._emergency_company_date(now))

    # ------------------------------------------------------------------
    # list and page
    # ------------------------------------------------------------------

    @http.route(["/my/emergencies", "/my/emergencies/page/<int:page>"],
                type="http", auth="user", website=True)
    def portal_my_emergencies(self, page=1, sortby=None, **kw):
        values = self._emergency_layout_values()
        Ticket = request.env["helpdesk.ticket"]
        sortings = {
            "date": {"label": _("Newest"), "order": "request_date desc, id desc"},
            "phase": {"label": _("Phase"), "order": "emergency_phase, request_date desc"},
        }
        if sortby not in sortings:
            sortby = "date"
        domain = [("is_emergency", "=", True)]
        count = Ticket.search_count(domain)
        pager = portal_pager(url="/my/emergencies", url_args={"sortby": sortby},
                             total=count, page=page, step=PAGE_SIZE)
        tickets = Ticket.search(domain, order=sortings[sortby]["order"],
                                limit=PAGE_SIZE, offset=pager["offset"])
        values.update({
            "emergencies": tickets.sudo(),
            "page_name": "emergency",
            "pager": pager,
            "default_url": "/my/emergencies",
            "searchbar_sortings": sortings,
            "sortby": sortby,
        })
        return request.render("emergency_support.portal_my_emergencies", values)

    def _emergency_page_values(self, ticket, **kw):
        values = self._emergency_layout_values()
        comment = request.env.ref("mail.mt_comment")
        messages = ticket.message_ids.filtered(
            lambda m: m.message_type in ("email", "comment")
            and m.subtype_id == comment)
        reports = ticket.attachment_ids.filtered(
            lambda a: a.mimetype == "application/pdf" and a.name.endswith(
                " - %s.pdf" % ticket.number))
        values.update({
            "emergency": ticket,
            "page_name": "emergency",
            "messages": messages,
            "reports": reports,
            "nda_in_force": bool(self._emergency_nda_in_force()),
            "nda": ticket.company_id.emergency_nda_id,
            "phase_label": dict(ticket._fields["emergency_phase"]._description_selection(
                request.env)),
            "error": kw.get("error"),
            "message": kw.get("message"),
        })
        return values

    @http.route(["/my/emergency/<int:ticket_id>"], type="http", auth="user", website=True)
    def portal_my_emergency(self, ticket_id, **kw):
        ticket = self._emergency_get(ticket_id)
        if not ticket:
            return _redirect("/my/emergencies")
        return request.render("emergency_support.portal_my_emergency",
                              self._emergency_page_values(ticket, **kw))

    @http.route(["/my/emergency/<int:ticket_id>/report"], type="http", auth="user",
                website=True)
    def portal_my_emergency_report(self, ticket_id, **kw):
        """The technical report as it stands, in the client's language."""
        ticket = self._emergency_get(ticket_id)
        if not ticket:
            return _redirect("/my/emergencies")
        report = request.env.ref("emergency_support.action_report_emergency_technical")
        pdf, _format = report.sudo().with_context(
            lang=ticket.partner_id.lang).render_qweb_pdf(ticket.ids)
        name = _("Technical report - %s.pdf") % ticket.number
        return request.make_response(pdf, headers=[
            ("Content-Type", "application/pdf"),
            ("Content-Length", len(pdf)),
            ("Content-Disposition", 'attachment; filename="%s"' % name),
        ])

    # ------------------------------------------------------------------
    # actions of the client
    # ------------------------------------------------------------------

    @http.route(["/my/emergency/<int:ticket_id>/accept"], type="http", auth="user",
                methods=["POST"], website=True, csrf=True)
    def portal_my_emergency_accept(self, ticket_id, accept_nda=None, **kw):
        ticket = self._emergency_get(ticket_id)
        if not ticket:
            return _redirect("/my/emergencies")
        if ticket.emergency_phase != rules.PROPOSED:
            return self._emergency_page(ticket, error=_(
                "This proposal cannot be accepted any more: the emergency is "
                "no longer waiting for your answer."))
        try:
            with request.env.cr.savepoint():
                ticket._emergency_portal_accept(request.env.user, bool(accept_nda))
        except (UserError, ValidationError) as error:
            return self._emergency_page(ticket, error=error.name)
        return self._emergency_page(ticket, message=_(
            "Thank you: the proposal is accepted."))

    @http.route(["/my/emergency/<int:ticket_id>/message"], type="http", auth="user",
                methods=["POST"], website=True, csrf=True)
    def portal_my_emergency_message(self, ticket_id, body=None, **kw):
        ticket = self._emergency_get(ticket_id)
        if not ticket:
            return _redirect("/my/emergencies")
        body = _text(body, 10000)
        if not body:
            return self._emergency_page(ticket, error=_(
                "Write your message (at most 10,000 characters)."))
        ticket.with_context(mail_notify_force_send=False).message_post(
            body=body, message_type="comment", subtype="mail.mt_comment",
            author_id=request.env.user.partner_id.id)
        return _redirect("/my/emergency/%d#conversation" % ticket.id)

    def _emergency_page(self, ticket, **kw):
        return request.render("emergency_support.portal_my_emergency",
                              self._emergency_page_values(ticket, **kw))

    # ------------------------------------------------------------------
    # request
    # ------------------------------------------------------------------

    def _emergency_catalogue_domain(self):
        """The service areas and products a client may name: its company's
        (or shared ones), read as the superuser."""
        return [("company_id", "in", (False, request.env.user.company_id.id))]

    def _emergency_request_values(self, form=None, error=None):
        values = self._emergency_layout_values()
        company = request.env.user.company_id
        catalogue = self._emergency_catalogue_domain()
        values.update({
            "page_name": "emergency",
            "areas": request.env["emergency.service.area"].sudo().search(catalogue),
            "products": request.env["emergency.supported.product"].sudo().search(
                [("supported", "=", True)] + catalogue),
            "nda_in_force": bool(self._emergency_nda_in_force()),
            "nda": company.sudo().emergency_nda_id,
            "promise": company.sudo().emergency_evaluation_minutes or 60,
            "form": form or {},
            "error": error,
        })
        return values

    @http.route(["/my/emergency/new"], type="http", auth="user", methods=["GET"],
                website=True)
    def portal_my_emergency_new(self, **kw):
        return request.render("emergency_support.portal_my_emergency_new",
                              self._emergency_request_values())

    @http.route(["/my/emergency/new"], type="http", auth="user", methods=["POST"],
                website=True, csrf=True)
    def portal_my_emergency_create(self, **post):
        form = {key: value for key, value in post.items() if isinstance(value, str)}
        vals, error = self._emergency_request_parse(post)
        if error:
            return request.render("emergency_support.portal_my_emergency_new",
                                  self._emergency_request_values(form, error))
        user = request.env.user
        try:
            with request.env.cr.savepoint():
                ticket = request.env["helpdesk.ticket"].sudo().create(vals)
                if not self._emergency_nda_in_force():
                    ticket._emergency_accept_default_nda(
                        user.partner_id, user, request.httprequest.remote_addr)
        except (UserError, ValidationError) as failure:
            return request.render("emergency_support.portal_my_emergency_new",
                                  self._emergency_request_values(form, failure.name))
        return _redirect("/my/emergency/%d" % ticket.id)

    def _emergency_request_parse(self, post):
        """The ticket values of a posted request, or an error to show."""
        user = request.env.user
        name, facts = _text(post.get("name"), 200), _text(post.get("facts"))
        people, scenario = _text(post.get("people", "")), _text(post.get("scenario"))
        other = _text(post.get("other_products", ""), 500)
        if not name:
            return None, _("Give your emergency a short title (at most 200 characters).")
        if not facts:
            return None, _("Describe the facts: what happened, since when, what is affected.")
        if not scenario:
            return None, _("Describe the desired normal scenario: how will you know "
                           "the situation is normal again?")
        if people is None or other is None:
            return None, _("A text field is too long: shorten it.")
        catalogue = self._emergency_catalogue_domain()
        area_id = _int(post.get("area_id")) if post.get("area_id") else None
        area = request.env["emergency.service.area"].sudo().search(
            [("id", "=", area_id or 0)] + catalogue)
        if post.get("area_id") and not area:
            return None, _("Choose a service area from the list.")
        product_ids = []
        for value in request.httprequest.form.getlist("product_ids"):
            product_id = _int(value)
            if product_id is None:
                return None, _("Choose the affected products from the list.")
            product_ids.append(product_id)
        products = request.env["emergency.supported.product"].sudo().search(
            [("id", "in", product_ids)] + catalogue)
        if len(products) != len(set(product_ids)):
            return None, _("Choose the affected products from the list.")
        if not self._emergency_nda_in_force() and not post.get("accept_nda"):
            return None, _("Read and accept the confidentiality agreement (NDA): "
                           "no work starts without it.")
        criteria = [line.strip() for line in scenario.splitlines() if line.strip()]
        return {
            "name": name,
            "is_emergency": True,
            "partner_id": user.partner_id.id,
            "company_id": user.company_id.id,
            "service_area_id": area.id,
            "emergency_product_ids": [(6, 0, products.ids)],
            "other_products": other,
            "emergency_facts": facts,
            "available_people": people,
            "desired_scenario": scenario,
            "criterion_ids": [(0, 0, {"name": line[:200], "sequence": index})
                              for index, line in enumerate(criteria[:30])],
        }, None
