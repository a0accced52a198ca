# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
"""The request of an emergency (R5-R8): what the client tells us, what is
still missing, and the start of the evaluation clock."""
from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .. import rules
from .helpdesk_ticket import STAGE_OF_PHASE


# one model split by concern (STYLE.md): pylint: disable=consider-merging-classes-inherited
class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    request_date = fields.Datetime(
        string="Requested on", readonly=True, copy=False,
        help="When the client asked for help: the evaluation clock starts.")
    service_area_id = fields.Many2one(
        comodel_name="emergency.service.area",
        string="Service area",
        track_visibility="onchange",
        index=True,
    )
    emergency_product_ids = fields.Many2many(
        comodel_name="emergency.supported.product",
        relation="helpdesk_ticket_emergency_product_rel",
        column1="ticket_id",
        column2="product_id",
        string="Affected products",
    )
    other_products = fields.Char(
        string="Other products",
        help="Products the client named that are not in the catalogue: the "
             "evaluation judges whether the company can commit (R5).")
    products_supported = fields.Boolean(
        string="All products supported",
        compute="_compute_products_supported",
        help="Every affected product is in the company's catalogue (R5).",
    )
    emergency_facts = fields.Text(string="Facts")
    available_people = fields.Text(
        string="People available",
        help="The client's people available for questions and for the "
             "evaluation (R8).")
    desired_scenario = fields.Text(
        string="Desired normal scenario",
        help="How the client will know the situation is normal again (R8).")
    criterion_ids = fields.One2many(
        comodel_name="emergency.criterion",
        inverse_name="ticket_id",
        string="Normalization criteria",
    )
    nda_in_force = fields.Boolean(
        related="partner_id.commercial_partner_id.emergency_nda_in_force",
        string="NDA in force", readonly=True)
    description_complete = fields.Boolean(
        related="partner_id.commercial_partner_id.emergency_description_complete",
        string="Service description complete", readonly=True)
    intake_missing = fields.Char(
        string="Still missing",
        compute="_compute_intake_missing",
        help="What the request still lacks (R7, R8): complete it during the "
             "service.")
    intake_missing_at_request = fields.Char(
        string="Missing at the request", readonly=True, copy=False,
        help="What the request lacked when it was made: the technical report "
             "says what was completed during the service.")
    intake_completed = fields.Char(
        string="Completed during the service",
        compute="_compute_intake_missing")

    @api.depends("emergency_product_ids.supported", "other_products")
    def _compute_products_supported(self):
        for ticket in self:
            ticket.products_supported = (
                bool(ticket.emergency_product_ids)
                and all(ticket.emergency_product_ids.mapped("supported"))
                and not (ticket.other_products or "").strip())

    @api.constrains("service_area_id", "emergency_product_ids")
    def _check_emergency_company(self):
        """A request names the service area and products of its own company
        (R5), never another company's (their catalogue is not ours)."""
        for ticket in self.sudo():
            company = ticket.company_id
            foreign = (ticket.service_area_id | ticket.emergency_product_ids.mapped(
                "service_area_id")).filtered(
                    lambda area: area.company_id and area.company_id != company)
            if foreign:
                raise ValidationError(_(
                    "%(names)s belong to another company than %(company)s: "
                    "choose a service area and products of %(company)s.") % {
                        "names": ", ".join(foreign.mapped("name")),
                        "company": company.name})

    @api.model
    def _emergency_intake_items(self):
        """The parts of a request the plan asks for (R7, R8): ``{key:
        label}``. Extension point."""
        return {
            "description": _("service description"),
            "facts": _("facts"),
            "people": _("people available"),
            "scenario": _("desired normal scenario"),
            "criteria": _("normalization criteria"),
        }

    @api.multi
    def _emergency_intake_missing_keys(self):
        self.ensure_one()
        client = self.partner_id.commercial_partner_id
        present = {
            "description": bool(client.emergency_description_complete),
            "facts": bool((self.emergency_facts or "").strip()),
            "people": bool((self.available_people or "").strip()),
            "scenario": bool((self.desired_scenario or "").strip()),
            "criteria": bool(self.criterion_ids),
        }
        return [key for key in self._emergency_intake_items() if not present.get(key)]

    @api.depends("emergency_facts", "available_people", "desired_scenario",
                 "criterion_ids", "intake_missing_at_request",
                 "partner_id.commercial_partner_id.emergency_description_complete")
    def _compute_intake_missing(self):
        labels = self._emergency_intake_items()
        for ticket in self:
            if not ticket.is_emergency:
                ticket.intake_missing = ticket.intake_completed = False
                continue
            missing = ticket._emergency_intake_missing_keys()
            before = (ticket.intake_missing_at_request or "").split(",")
            ticket.intake_missing = ", ".join(labels[key] for key in missing)
            ticket.intake_completed = ", ".join(
                labels[key] for key in before if key in labels and key not in missing)

    @api.model
    def _emergency_start_values(self, vals):
        """The values a new emergency starts with, computed before it is
        created (no write after): the deadline fixed with the promise in
        force (R9)."""
        company = self.env["res.company"].browse(
            vals.get("company_id")) or self.env.user.company_id
        draft = self.new({key: vals[key] for key in (
            "partner_id", "emergency_facts", "available_people",
            "desired_scenario", "criterion_ids") if key in vals})
        return {
            "evaluation_deadline": fields.Datetime.to_string(
                rules.evaluation_deadline(
                    fields.Datetime.from_string(vals["request_date"]),
                    company.emergency_evaluation_minutes or 60)),
            "intake_missing_at_request": ",".join(
                draft._emergency_intake_missing_keys()),
        }

    def _emergency_start(self):
        """A new emergency: check it, record what is missing, open the
        evaluation in the history and tell the client."""
        for ticket in self:
            if not ticket.partner_id:
                raise ValidationError(_(
                    "An emergency needs a client: set the customer of the "
                    "ticket."))
            if not ticket.evaluation_deadline:  # handled as an emergency later
                ticket._emergency_write({
                    "evaluation_deadline": fields.Datetime.to_string(
                        rules.evaluation_deadline(
                            fields.Datetime.from_string(ticket.request_date),
                            ticket.company_id.emergency_evaluation_minutes or 60)),
                    "intake_missing_at_request": ",".join(
                        ticket._emergency_intake_missing_keys()),
                })
            ticket._emergency_history_open(rules.EVALUATION, ticket.request_date)
            ticket.message_subscribe(partner_ids=ticket.partner_id.ids)
        self._emergency_send_mail("emergency_support.mail_template_request_received")

    @api.multi
    def action_emergency_mark(self):
        """Handle an existing ticket as an emergency (staff, from the form)."""
        self._emergency_check_specialist()
        if self.filtered("is_emergency"):
            raise UserError(_("This ticket is already an emergency."))
        now = fields.Datetime.now()
        vals = {
            "is_emergency": True,
            "emergency_phase": rules.EVALUATION,
            "request_date": now,
            "evaluation_deadline": False,
        }
        stage = self.env.ref(STAGE_OF_PHASE[rules.EVALUATION], False)
        if stage:
            vals["stage_id"] = stage.id
        self._emergency_write(vals)
        self._emergency_start()
        return True
