# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
"""The workflow cannot be forged, and the rules hold at their edges."""
from datetime import datetime, timedelta

import odoo
from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError

from .common import EmergencyCase


def ago(**delta):
    return fields.Datetime.to_string(datetime.now() - timedelta(**delta))


class TestCannotBeForged(EmergencyCase):

    def test_the_menu_creates_an_emergency(self):
        """Emergencies > New > Save: the action's default_is_emergency."""
        Ticket = self.env["helpdesk.ticket"].sudo(self.specialist).with_context(
            default_is_emergency=True)
        ticket = Ticket.create({"name": "Mail server down", "partner_id": self.person_b.id})
        self.assertTrue(ticket.is_emergency)
        self.assertEqual(ticket.emergency_phase, "evaluation")
        self.assertTrue(ticket.request_date and ticket.evaluation_deadline)
        self.assertEqual(ticket.phase_history_ids.mapped("phase"), ["evaluation"])
        self.assertEqual(ticket.stage_id, self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new"))

    def test_create_refuses_the_workflow_fields(self):  # item 1
        Ticket = self.env["helpdesk.ticket"].sudo(self.specialist)
        base = {"name": "Forged", "is_emergency": True, "partner_id": self.person_b.id}
        for vals in ({"guarantee_policy": "waived"},
                     {"evaluation_date": "2026-03-02 08:01:00"},
                     {"evaluation_on_time": True},
                     {"request_date": "2030-01-01 00:00:00"},
                     {"emergency_phase": "normalization"}):
            with self.assertRaisesRegex(UserError, "cannot be set when the ticket is created"):
                Ticket.create(dict(base, **vals))
        # defaults from the context do not set them either
        ticket = Ticket.with_context(
            default_guarantee_policy="waived",
            default_request_date="2030-01-01 00:00:00").create(base)
        self.assertEqual(ticket.guarantee_policy, "charged")
        self.assertLess(ticket.request_date, "2030-01-01")
        # the superuser may correct data
        ticket = self.env["helpdesk.ticket"].create(
            dict(base, request_date="2026-03-02 08:00:00"))
        self.assertEqual(ticket.request_date, "2026-03-02 08:00:00")

    def test_a_context_key_opens_no_back_door(self):
        ticket = self.new_emergency(self.person_b)
        self.evaluate(ticket, guarantee_hours=2)
        forged = ticket.sudo(self.specialist).with_context(emergency_workflow=True)
        with self.assertRaisesRegex(UserError, "cannot be written directly"):
            forged.write({"guarantee_policy": "waived"})
        self.assertEqual(ticket.guarantee_policy, "charged")

    def test_the_evaluation_date_and_author_are_the_servers(self):  # item 2
        ticket = self.new_emergency(self.person_b, request_date=ago(minutes=90))
        evaluation = self.evaluate(ticket, date=ago(minutes=89),
                                   user_id=self.manager.id)
        self.assertEqual(evaluation.user_id, self.specialist)
        self.assertGreater(evaluation.date, ago(minutes=5))
        self.assertFalse(ticket.evaluation_on_time)
        self.assertGreater(ticket.evaluation_response_minutes, 60)

    def test_the_phase_history_is_written_by_the_workflow_only(self):  # item 3
        ticket = self.new_emergency(self.person_b)
        History = self.env["emergency.phase.history"].sudo(self.specialist)
        with self.assertRaises(AccessError):
            History.create({"ticket_id": ticket.id, "phase": "normalization",
                            "date_start": "2026-03-02 08:00:00"})
        row = ticket.phase_history_ids.sudo(self.specialist)
        with self.assertRaises(AccessError):
            row.write({"date_start": "2026-03-01 08:00:00"})
        with self.assertRaises(AccessError):
            row.unlink()
        self.assertEqual(ticket.phase_history_ids.date_start, "2026-03-02 08:00:00")
        # the steps still write it, as the specialist who moves the phase
        self.evaluate(ticket)
        self.assertEqual(ticket.phase_history_ids.mapped("phase"), ["evaluation", "proposed"])
        self.assertEqual(ticket.phase_history_ids[-1].user_id, self.specialist)

    def test_criteria_are_confirmed_by_their_button_only(self):  # item 4
        ticket = self.new_emergency(self.person_b)
        Criterion = self.env["emergency.criterion"].sudo(self.specialist)
        with self.assertRaisesRegex(UserError, "cannot be written directly"):
            Criterion.create({"ticket_id": ticket.id, "name": "Up", "confirmed": True})
        criterion = Criterion.create({"ticket_id": ticket.id, "name": "Up"})
        with self.assertRaisesRegex(UserError, "cannot be written directly"):
            criterion.write({"confirmed": True})
        self.assertFalse(criterion.confirmed)
        self.open_with_waiver(ticket)
        self.assertTrue(criterion.action_confirm())
        self.assertEqual(criterion.confirmed_by_id, self.specialist)

    def test_the_guarantee_moves_that_are_allowed(self):  # item 5
        ticket = self.new_emergency(self.person_b)
        self.evaluate(ticket, guarantee_hours=2)
        as_specialist = ticket.sudo(self.specialist)
        as_specialist.action_emergency_credit_guarantee()
        as_specialist.action_emergency_charge_guarantee()
        as_specialist.action_emergency_waive_guarantee()
        with self.assertRaisesRegex(UserError, "waiver is final"):
            as_specialist.action_emergency_charge_guarantee()
        with self.assertRaisesRegex(UserError, "waiver is final"):
            as_specialist.action_emergency_credit_guarantee()
        self.assertEqual(ticket.guarantee_policy, "waived")
        self.assertFalse(ticket.emergency_can_charge)
        # paid and opened: never waived; credited or charged until normalized
        paid = self.new_emergency(self.person_b)
        self.evaluate(paid, guarantee_hours=2)
        paid.sudo().emergency_accept_proposal(accept_default_nda=True)
        paid._emergency_open_service(guarantee_paid=True)
        with self.assertRaisesRegex(UserError, "not refundable"):
            paid.sudo(self.specialist).action_emergency_waive_guarantee()
        paid.sudo(self.specialist).action_emergency_credit_guarantee()
        self.assertEqual(paid.guarantee_policy, "credited")
        self.assertTrue(paid.guarantee_required)
        criterion = self.env["emergency.criterion"].create(
            {"ticket_id": paid.id, "name": "Up"})
        criterion.sudo(self.specialist).action_confirm()
        paid.sudo(self.specialist).action_emergency_normalized()
        with self.assertRaisesRegex(UserError, "Normalization of .* is reached"):
            paid.sudo(self.specialist).action_emergency_charge_guarantee()
        # a plan client has no guarantee to decide
        plan = self.new_emergency(self.person_a)
        self.evaluate(plan)
        with self.assertRaisesRegex(UserError, "monthly plan"):
            plan.sudo(self.specialist).action_emergency_waive_guarantee()

    def test_a_new_area_withdraws_the_proposal(self):  # item 6, area
        ticket = self.new_emergency(self.person_a)  # plan for databases: no guarantee
        self.evaluate(ticket)
        self.assertEqual(ticket.plan_agreement_id, self.plan)
        ticket.sudo(self.specialist).write({"service_area_id": self.area_net.id})
        self.assertEqual(ticket.emergency_phase, "evaluation")
        self.assertFalse(ticket.current_evaluation_id)
        self.assertFalse(ticket.plan_agreement_id)
        with self.assertRaisesRegex(UserError, "cannot move to the phase"):
            ticket.emergency_accept_proposal()
        self.evaluate(ticket, guarantee_hours=1)  # no plan for networks
        self.assertTrue(ticket.guarantee_required)
        ticket.emergency_accept_proposal()
        self.assertEqual(ticket.emergency_phase, "awaiting_guarantee")
        self.assertEqual(len(ticket.evaluation_ids), 2)

    def test_a_new_client_withdraws_the_proposal(self):  # item 6, client
        ticket = self.new_emergency(self.person_a)
        self.evaluate(ticket)
        ticket.sudo(self.specialist).write({"partner_id": self.person_b.id})
        self.assertEqual(ticket.emergency_phase, "evaluation")
        self.assertFalse(ticket.plan_agreement_id)
        # client A's portal user no longer sees it, client B's does
        Ticket = self.env["helpdesk.ticket"]
        self.assertFalse(Ticket.sudo(self.portal_a).search([("id", "=", ticket.id)]))
        self.assertTrue(Ticket.sudo(self.portal_b).search([("id", "=", ticket.id)]))
        self.evaluate(ticket, guarantee_hours=2)
        self.assertTrue(ticket.guarantee_required)

    def test_client_and_area_are_locked_once_accepted(self):  # item 6
        ticket = self.new_emergency(self.person_a)
        self.evaluate(ticket)
        ticket.emergency_accept_proposal()
        colleague = self.env["res.partner"].create(
            {"name": "Ann A", "parent_id": self.client_a.id})
        ticket.sudo(self.specialist).write({"partner_id": colleague.id})  # same client
        for vals in ({"partner_id": self.person_b.id},
                     {"service_area_id": self.area_net.id}):
            with self.assertRaisesRegex(UserError, "cannot change any more"):
                ticket.sudo(self.specialist).write(vals)
        self.assertEqual(ticket.partner_id.commercial_partner_id, self.client_a)
        self.assertEqual(ticket.service_area_id, self.area_db)

    def test_portal_users_do_not_read_internal_notes(self):  # item 7
        ticket = self.new_emergency(self.person_a)
        evaluation = self.evaluate(ticket, note="Client's admin password is weak")
        self.plan.note = "Discount negotiated, do not disclose"
        evaluation_portal = evaluation.sudo(self.portal_a)
        self.assertEqual(evaluation_portal.verdict, "viable")  # the answer is theirs
        with self.assertRaises(AccessError):
            evaluation_portal.read(["note"])
        with self.assertRaises(AccessError):
            self.plan.sudo(self.portal_a).read(["note"])
        self.assertEqual(self.plan.sudo(self.portal_a).name, "Plan A 2026")

    def test_evaluated_tickets_are_archived_not_deleted(self):  # item 8
        ticket = self.new_emergency(self.person_b)
        evaluation = self.evaluate(ticket)
        with self.assertRaisesRegex(UserError, "Archive the ticket"):
            ticket.sudo().unlink()  # not even the administrator
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            evaluation.unlink()
        self.assertTrue(evaluation.exists())
        fresh = self.new_emergency(self.person_b)
        fresh.sudo().unlink()
        self.assertFalse(fresh.exists())


class TestRulesAtTheirEdges(EmergencyCase):

    def test_plan_and_nda_are_judged_on_the_company_day(self):
        self.company.partner_id.tz = "America/Caracas"
        plan_b = self.env["emergency.plan.agreement"].create({
            "name": "Plan B Q1", "partner_id": self.client_b.id,
            "service_area_ids": [(6, 0, self.area_net.ids)],
            "date_start": "2026-01-01", "date_end": "2026-03-31",
            "express_rate": 30.0, "ondemand_rate": 20.0})
        plan_b.action_confirm()
        # 01:00 UTC on April 1st is 21:00 on March 31st in Caracas: covered
        ticket = self.new_emergency(self.person_b, area=self.area_net,
                                    request_date="2026-04-01 01:00:00")
        self.assertEqual(ticket._emergency_find_agreement(), plan_b)
        late = self.new_emergency(self.person_b, area=self.area_net,
                                  request_date="2026-04-01 05:00:00")
        self.assertFalse(late._emergency_find_agreement())
        nda = self.env["emergency.nda.acceptance"].create({
            "partner_id": self.client_b.id, "kind": "prior", "reference": "Q1",
            "accepted_by_id": self.person_b.id, "date_accepted": "2026-01-01 10:00:00",
            "date_end": "2026-03-31"})
        moment = "2026-04-01 01:00:00"
        day = ticket._emergency_company_date(moment)
        self.assertEqual(self.client_b._emergency_nda_in_force(moment, day), nda)
        moment = "2026-04-01 05:00:00"
        day = ticket._emergency_company_date(moment)
        self.assertFalse(self.client_b._emergency_nda_in_force(moment, day))

    def test_a_viable_proposal_needs_an_area(self):
        ticket = self.new_emergency(self.person_b, service_area_id=False)
        with self.assertRaisesRegex(UserError, "Set the service area"):
            self.evaluate(ticket)
        self.assertEqual(ticket.emergency_phase, "evaluation")
        self.evaluate(ticket, verdict="rejected", rejection_reason="Out of scope")
        self.assertEqual(ticket.emergency_phase, "rejected")

    def test_unsupported_products_need_a_recorded_reason(self):  # R5
        ticket = self.new_emergency(
            self.person_b, emergency_product_ids=[(6, 0, self.exadata.ids)])
        with self.assertRaisesRegex(ValidationError, "not in the catalogue"):
            self.evaluate(ticket, guarantee_hours=2)
        evaluation = self.evaluate(
            ticket, guarantee_hours=2,
            unsupported_reason="Our DBA certified on Exadata X8 in 2025")
        self.assertFalse(evaluation.products_supported)
        report = self.env.ref("emergency_support.action_report_emergency_technical")
        html = report.render_qweb_html(ticket.ids)[0].decode()
        self.assertIn("Our DBA certified on Exadata X8 in 2025", html)
        # a supported product is judged by the catalogue, not by a default tick
        supported = self.evaluate(self.new_emergency(self.person_b), guarantee_hours=1)
        self.assertTrue(supported.products_supported)

    def test_what_the_request_lacks_is_tracked(self):  # R7, R8
        ticket = self.new_emergency(self.person_b)
        self.assertIn("people available", ticket.intake_missing)
        self.assertIn("service description", ticket.intake_missing)
        ticket.sudo(self.specialist).write({"available_people": "Bob, +58 212 555 0101"})
        self.assertNotIn("people available", ticket.intake_missing)
        self.assertIn("people available", ticket.intake_completed)
        report = self.env.ref("emergency_support.action_report_emergency_technical")
        html = report.render_qweb_html(ticket.ids)[0].decode()
        self.assertIn("Completed during the service", html)

    def test_actions_record_their_required_actors(self):  # R14
        ticket = self.open_with_waiver(self.new_emergency(self.person_b))
        action = self.env["emergency.action"].sudo(self.specialist).create({
            "ticket_id": ticket.id, "name": "Fail over to the replica",
            "responsible_id": self.specialist.partner_id.id,
            "actor_ids": [(6, 0, [self.specialist.partner_id.id, self.person_b.id])]})
        self.assertEqual(action.actor_ids, self.specialist.partner_id | self.person_b)
        html = self.env.ref("emergency_support.action_report_emergency_technical") \
            .render_qweb_html(ticket.ids)[0].decode()
        self.assertIn("Bob B", html)

    def test_parts_lock_the_same_way(self):
        ticket = self.new_emergency(self.person_b)
        self.evaluate(ticket)
        ticket.sudo(self.specialist).action_emergency_cancel()
        for model, vals in (("emergency.action", {"name": "Late"}),
                            ("emergency.criterion", {"name": "Late"})):
            with self.assertRaisesRegex(UserError, "can no longer change"):
                self.env[model].sudo(self.specialist).create(dict(vals, ticket_id=ticket.id))

    def test_the_default_nda_belongs_to_the_tickets_company(self):
        ticket = self.new_emergency(self.person_b)
        self.evaluate(ticket)
        ticket.sudo().emergency_accept_proposal(accept_default_nda=True)
        self.assertEqual(ticket.nda_acceptance_id.company_id, ticket.company_id)
        self.assertEqual(ticket.nda_acceptance_id.accepted_by_id, self.person_b)

    def test_the_phase_moves_when_the_report_cannot_be_rendered(self):
        ticket = self.open_with_waiver(self.new_emergency(self.person_b))
        criterion = self.env["emergency.criterion"].create({"ticket_id": ticket.id, "name": "Up"})
        criterion.sudo(self.specialist).action_confirm()
        report = self.env.ref("emergency_support.action_report_emergency_technical")
        name = report.report_name
        report.report_name = "emergency_support.no_such_template"  # rendering fails
        ticket.sudo(self.specialist).action_emergency_normalized()
        self.assertEqual(ticket.emergency_phase, "mitigation")
        self.assertIn("could not be rendered", ticket.report_error)
        self.assertFalse(ticket.attachment_ids.filtered(lambda a: a.mimetype == "application/pdf"))
        report.report_name = name
        self.assertTrue(ticket.sudo(self.specialist).action_emergency_issue_report())
        self.assertFalse(ticket.report_error)
        self.assertEqual(len(ticket.attachment_ids.filtered(
            lambda a: a.mimetype == "application/pdf")), 1)

    def test_the_report_shows_the_clients_time_zone_whoever_prints_it(self):
        self.client_b.tz = "America/Caracas"
        ticket = self.new_emergency(self.person_b, request_date="2026-03-02 08:00:00")
        report = self.env.ref("emergency_support.action_report_emergency_technical")
        html = report.with_context(tz="Europe/Brussels").render_qweb_html(
            ticket.ids)[0].decode()
        self.assertIn("America/Caracas", html)
        self.assertNotIn("Europe/Brussels", html)
        self.assertIn("04:00:00", html)  # 08:00 UTC is 04:00 in Caracas

    def test_the_helpdesk_stage_follows_the_phase(self):
        stage = self.env.ref
        ticket = self.new_emergency(self.person_b)
        self.assertEqual(ticket.stage_id, stage("helpdesk_mgmt.helpdesk_ticket_stage_new"))
        self.evaluate(ticket)
        self.assertEqual(ticket.stage_id, stage("helpdesk_mgmt.helpdesk_ticket_stage_awaiting"))
        self.open_with_waiver(self.new_emergency(self.person_b))
        opened = self.open_with_waiver(self.new_emergency(self.person_b))
        self.assertEqual(opened.stage_id, stage("helpdesk_mgmt.helpdesk_ticket_stage_in_progress"))
        with self.assertRaisesRegex(UserError, "follows its phase"):
            opened.sudo(self.specialist).write(
                {"stage_id": stage("helpdesk_mgmt.helpdesk_ticket_stage_done").id})
        ticket.sudo(self.specialist).action_emergency_cancel()
        self.assertEqual(ticket.stage_id, stage("helpdesk_mgmt.helpdesk_ticket_stage_cancelled"))
        self.assertTrue(ticket.closed)
        # the helpdesk's "ticket closed" mail does not duplicate ours
        self.assertFalse(ticket.message_ids.filtered(
            lambda m: "has been closed" in (m.subject or "")))

    def test_a_refused_step_speaks_the_users_language(self):
        ticket = self.new_emergency(self.person_b)
        with self.assertRaisesRegex(UserError, "Aceptada|aceptada") as refusal:
            ticket.sudo().with_context(lang="es_ES").emergency_accept_proposal(
                accept_default_nda=True)
        self.assertNotIn("Accepted", str(refusal.exception))


class TestRpcRetry(EmergencyCase):
    """Odoo retries an RPC call that met a concurrent update (a queued mail
    posted on the same emergency) with a new cursor: the retry must not
    recompute what the failed try left, on records of its closed cursor."""

    def test_a_retried_evaluation_forgets_the_failed_try(self):
        from odoo.service import model as rpc_model
        ticket = self.new_emergency(self.person_b)
        values = {"ticket_id": ticket.id, "verdict": "viable", "uncertainty": "low",
                  "risk": "high", "estimated_normalization_hours": 2.5,
                  "guarantee_hours": 2}
        # the failed try: its cursor left the evaluation's company to
        # recompute on the emergency's first evaluation, then was closed
        failed_cr = self.registry.cursor()
        try:
            failed = odoo.api.Environment(failed_cr, self.specialist.id, {})
            field = failed["emergency.evaluation"]._fields["company_id"]
            failed.add_todo(field, failed["emergency.evaluation"].browse(
                self.evaluate(self.new_emergency(self.person_b)).id))
        finally:
            failed_cr.close()
        # the retry, as XML-RPC's execute_kw runs it
        evaluation_id = rpc_model.execute_cr(
            self.cr, self.specialist.id, "emergency.evaluation", "create", values)
        self.assertEqual(ticket.emergency_phase, "proposed")
        self.assertEqual(ticket.current_evaluation_id.id, evaluation_id)
        self.assertEqual(ticket.guarantee_hours, 2)
