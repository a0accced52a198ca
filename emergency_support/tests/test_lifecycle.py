# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta
from unittest.mock import patch

from odoo import api, fields
from odoo.exceptions import AccessError, UserError, ValidationError

from .common import EmergencyCase


def ago(**delta):
    return fields.Datetime.to_string(datetime.now() - timedelta(**delta))


class TestIntakeAndEvaluation(EmergencyCase):

    def test_request_starts_the_evaluation_clock(self):  # R8, R9
        ticket = self.new_emergency(self.person_b)
        self.assertEqual(ticket.emergency_phase, "evaluation")
        self.assertEqual(ticket.evaluation_deadline, "2026-03-02 09:00:00")
        self.assertEqual(ticket.phase_history_ids.mapped("phase"), ["evaluation"])
        self.assertEqual(ticket.phase_history_ids.date_start, "2026-03-02 08:00:00")
        self.assertIn(self.person_b, ticket.message_partner_ids)
        self.assertTrue(ticket.products_supported)
        ticket.emergency_product_ids |= self.exadata
        self.assertFalse(ticket.products_supported)  # R5

    def test_the_promise_is_configurable(self):
        before = self.new_emergency(self.person_b)
        self.company.emergency_evaluation_minutes = 30
        ticket = self.new_emergency(self.person_b)
        self.assertEqual(ticket.evaluation_deadline, "2026-03-02 08:30:00")
        # the promise made to earlier requests stands
        self.assertEqual(before.evaluation_deadline, "2026-03-02 09:00:00")
        with self.assertRaises(ValidationError):
            self.company.emergency_evaluation_minutes = 0

    def test_an_emergency_needs_a_client(self):
        with self.assertRaises(ValidationError):
            self.env["helpdesk.ticket"].sudo(self.specialist).create(
                {"name": "Who?", "is_emergency": True})

    def test_overdue_evaluations_are_flagged_searchable_and_alerted_once(self):  # R9
        late = self.new_emergency(self.person_b, request_date=ago(hours=2))
        fresh = self.new_emergency(self.person_b, request_date=ago(minutes=10))
        self.assertTrue(late.evaluation_overdue)
        self.assertFalse(fresh.evaluation_overdue)
        Ticket = self.env["helpdesk.ticket"]
        overdue = Ticket.search([("evaluation_overdue", "=", True)])
        self.assertIn(late, overdue)
        self.assertNotIn(fresh, overdue)
        self.assertIn(fresh, Ticket.search([("evaluation_overdue", "=", False)]))
        self.assertTrue(Ticket._cron_emergency_overdue_evaluations() >= 1)
        activities = self.env["mail.activity"].search([
            ("res_model", "=", "helpdesk.ticket"), ("res_id", "=", late.id)])
        self.assertIn(self.manager, activities.mapped("user_id"))
        self.assertFalse(self.env["mail.activity"].search([
            ("res_model", "=", "helpdesk.ticket"), ("res_id", "=", fresh.id)]))
        Ticket._cron_emergency_overdue_evaluations()
        self.assertEqual(len(self.env["mail.activity"].search([
            ("res_model", "=", "helpdesk.ticket"), ("res_id", "=", late.id),
            ("user_id", "=", self.manager.id)])), 1)
        self.evaluate(late)
        self.assertFalse(late.evaluation_overdue)

    def test_evaluation_answers_the_client(self):  # R10, R11
        ticket = self.new_emergency(self.person_b, request_date=ago(minutes=20))
        evaluation = self.evaluate(ticket, guarantee_hours=3)
        self.assertEqual(ticket.emergency_phase, "proposed")
        self.assertEqual(ticket.current_evaluation_id, evaluation)
        self.assertEqual(evaluation.user_id, self.specialist)
        self.assertTrue(ticket.evaluation_on_time)
        self.assertAlmostEqual(ticket.evaluation_response_minutes, 20.0, delta=1.0)
        self.assertFalse(ticket.plan_agreement_id)
        self.assertTrue(ticket.guarantee_required)
        self.assertEqual(ticket.guarantee_hours, 3)
        self.assertEqual(ticket.guarantee_amount, 105.0)
        self.assertEqual(ticket.estimated_normalization_hours, 3.0)

    def test_late_answer_is_measured(self):
        ticket = self.new_emergency(self.person_b, request_date=ago(minutes=90))
        self.evaluate(ticket)
        self.assertFalse(ticket.evaluation_on_time)
        self.assertGreater(ticket.evaluation_response_minutes, 60)

    def test_default_guarantee_is_one_hour_and_none_with_a_plan(self):  # R3, R11
        ticket_b = self.new_emergency(self.person_b)
        self.assertEqual(self.evaluate(ticket_b).guarantee_hours, 1)
        ticket_a = self.new_emergency(self.person_a)
        self.assertEqual(self.evaluate(ticket_a).guarantee_hours, 0)
        self.assertEqual(ticket_a.plan_agreement_id, self.plan)
        self.assertFalse(ticket_a.guarantee_required)

    def test_guarantee_hours_outside_one_to_eight_are_refused(self):  # R11
        ticket = self.new_emergency(self.person_b)
        for hours in (0, 9, -1):
            with self.assertRaisesRegex(ValidationError, "between 1 and 8"):
                self.evaluate(ticket, guarantee_hours=hours)
        self.assertFalse(ticket.evaluation_ids)
        self.assertEqual(ticket.emergency_phase, "evaluation")
        ticket_a = self.new_emergency(self.person_a)
        with self.assertRaisesRegex(ValidationError, "monthly plan"):
            self.evaluate(ticket_a, guarantee_hours=2)
        self.assertFalse(ticket_a.evaluation_ids)

    def test_rejection_needs_a_reason_and_ends_the_emergency(self):
        ticket = self.new_emergency(self.person_b)
        with self.assertRaises(ValidationError):
            with self.env.cr.savepoint():
                self.evaluate(ticket, verdict="rejected")
        self.evaluate(ticket, verdict="rejected", rejection_reason="Mainframe: not our field")
        self.assertEqual(ticket.emergency_phase, "rejected")
        with self.assertRaises(UserError):
            self.evaluate(ticket)

    def test_only_specialists_evaluate(self):
        ticket = self.new_emergency(self.person_b)
        with self.assertRaisesRegex(AccessError, "Only helpdesk specialists"):
            self.evaluate(ticket, user=self.employee)
        with self.assertRaises(AccessError):
            self.evaluate(ticket, user=self.portal_b)
        self.assertFalse(ticket.evaluation_ids)

    def test_reestimations_keep_the_history(self):  # R10
        ticket = self.open_with_waiver(self.new_emergency(self.person_b))
        first = ticket.current_evaluation_id
        revision = self.evaluate(ticket, guarantee_hours=2, estimated_normalization_hours=6.0)
        self.assertTrue(revision.is_revision)
        self.assertEqual(ticket.current_evaluation_id, revision)
        self.assertEqual(ticket.estimated_normalization_hours, 6.0)
        self.assertEqual(ticket.evaluation_ids, first | revision)
        self.assertEqual(ticket.emergency_phase, "normalization")
        with self.assertRaisesRegex(UserError, "cannot change"):
            self.evaluate(ticket, guarantee_hours=4)
        with self.assertRaisesRegex(UserError, "cannot be rejected"):
            self.evaluate(ticket, guarantee_hours=2, verdict="rejected",
                          rejection_reason="changed our mind")
        with self.assertRaises(UserError):
            first.sudo(self.specialist).write({"estimated_normalization_hours": 1.0})
        with self.assertRaises(UserError):
            first.sudo(self.manager).unlink()
        self.assertEqual(first.estimated_normalization_hours, 3.0)


class TestGateAndGuarantee(EmergencyCase):

    def test_acceptance_requires_an_nda_in_force(self):  # R6
        ticket = self.new_emergency(self.person_b)
        self.evaluate(ticket, guarantee_hours=2)
        with self.assertRaisesRegex(UserError, "no confidentiality agreement"):
            ticket.emergency_accept_proposal()
        self.assertEqual(ticket.emergency_phase, "proposed")
        self.assertFalse(self.client_b.emergency_nda_acceptance_ids)
        ticket.sudo().emergency_accept_proposal(accepted_by=self.person_b, accept_default_nda=True)
        acceptance = self.client_b.emergency_nda_acceptance_ids
        self.assertEqual(len(acceptance), 1)
        self.assertEqual(acceptance.nda_id, self.nda)
        self.assertEqual(acceptance.accepted_by_id, self.person_b)
        self.assertTrue(acceptance.date_accepted)
        self.assertTrue(self.person_b.emergency_nda_in_force)
        self.assertEqual(ticket.nda_acceptance_id, acceptance)
        self.assertEqual(ticket.accepted_by_id, self.person_b)
        self.assertEqual(ticket.emergency_phase, "awaiting_guarantee")

    def test_someone_of_another_client_cannot_accept(self):
        ticket = self.new_emergency(self.person_b)
        self.evaluate(ticket)
        with self.assertRaisesRegex(UserError, "only a person of the client"):
            ticket.sudo().emergency_accept_proposal(accepted_by=self.person_a,
                                                    accept_default_nda=True)

    def test_expired_or_revoked_nda_is_not_in_force(self):
        acceptance = self.env["emergency.nda.acceptance"].create({
            "partner_id": self.client_b.id, "nda_id": self.nda.id,
            "accepted_by_id": self.person_b.id, "date_accepted": "2025-01-01 00:00:00",
            "date_end": "2025-12-31"})
        self.assertFalse(self.client_b.emergency_nda_in_force)
        acceptance.date_end = False
        self.client_b.invalidate_cache()
        self.assertTrue(self.client_b.emergency_nda_in_force)
        acceptance.revoked = True
        self.client_b.invalidate_cache()
        self.assertFalse(self.client_b.emergency_nda_in_force)

    def test_with_a_plan_work_starts_right_after_acceptance(self):  # R3
        ticket = self.new_emergency(self.person_a)
        self.evaluate(ticket)
        ticket.emergency_accept_proposal()
        self.assertEqual(ticket.emergency_phase, "normalization")
        self.assertEqual(ticket.lead_expert_id, self.specialist)
        self.assertEqual(ticket.user_id, self.specialist)
        self.assertTrue(ticket.service_opened_date)
        self.assertFalse(ticket.guarantee_paid_date)
        self.assertEqual(ticket.phase_history_ids.mapped("phase"),
                         ["evaluation", "proposed", "accepted", "normalization"])

    def test_paying_the_guarantee_opens_the_service(self):  # R13: the invoice addon's hook
        ticket = self.new_emergency(self.person_b)
        self.evaluate(ticket, guarantee_hours=2)
        ticket.sudo().emergency_accept_proposal(accept_default_nda=True)
        self.assertEqual(ticket.emergency_phase, "awaiting_guarantee")
        ticket.sudo()._emergency_open_service(lead_expert=self.manager, guarantee_paid=True)
        self.assertEqual(ticket.emergency_phase, "normalization")
        self.assertEqual(ticket.lead_expert_id, self.manager)
        self.assertTrue(ticket.guarantee_paid_date)
        with self.assertRaisesRegex(UserError, "can only open"):
            ticket.sudo()._emergency_open_service()

    def test_each_step_stamps_its_phase_at_its_own_second(self):
        """The opening, the normalization and the closure stamp their date
        and start their phase in the history at the same second, even when
        the clock ticks between the two (time logged from the opening was
        refused as before it, one run in many: stop 20)."""
        clock = [datetime(2026, 11, 30, 10, 0, 0)]

        def ticking():
            clock[0] += timedelta(seconds=1)
            return fields.Datetime.to_string(clock[0])
        ticket = self.new_emergency(self.person_b)
        self.evaluate(ticket, guarantee_hours=2)
        with patch.object(fields.Datetime, "now", staticmethod(ticking)):
            ticket.sudo().emergency_accept_proposal(accept_default_nda=True)
            ticket.sudo()._emergency_open_service(guarantee_paid=True)
            self.env["emergency.criterion"].create(
                {"ticket_id": ticket.id, "name": "Orders are taken"}).action_confirm()
            ticket.action_emergency_normalized()
            ticket.action_emergency_close()
        starts = {h.phase: h.date_start for h in ticket.phase_history_ids}
        self.assertEqual(starts["accepted"], ticket.accepted_date)
        self.assertEqual(starts["awaiting_guarantee"], ticket.accepted_date)
        self.assertEqual(starts["normalization"], ticket.service_opened_date)
        self.assertEqual(starts["normalization"], ticket.guarantee_paid_date)
        self.assertEqual(starts["mitigation"], ticket.normalization_date)
        self.assertEqual(starts["closed"], ticket.emergency_closed_date)

    def test_the_service_does_not_open_before_acceptance(self):
        ticket = self.new_emergency(self.person_b)
        self.evaluate(ticket)
        with self.assertRaisesRegex(UserError, "can only open"):
            ticket._emergency_open_service()
        self.assertEqual(ticket.emergency_phase, "proposed")

    def test_waiving_the_guarantee_opens_the_service_and_is_tracked(self):  # R12
        ticket = self.open_with_waiver(self.new_emergency(self.person_b))
        self.assertEqual(ticket.emergency_phase, "normalization")
        self.assertEqual(ticket.guarantee_policy, "waived")
        self.assertEqual(ticket.guarantee_decided_by_id, self.specialist)
        self.assertTrue(ticket.guarantee_decided_date)
        self.assertFalse(ticket.guarantee_required)
        self.assertFalse(ticket.guarantee_paid_date)  # waived is not paid

    def test_a_waiver_before_acceptance_skips_the_guarantee(self):
        ticket = self.new_emergency(self.person_b)
        self.evaluate(ticket)
        ticket.action_emergency_waive_guarantee()
        ticket.sudo().emergency_accept_proposal(accept_default_nda=True)
        self.assertEqual(ticket.emergency_phase, "normalization")

    def test_the_guarantee_buttons_as_the_web_client_calls_them(self):  # R12
        """Odoo 11's web client calls a button with its context as the first
        positional argument after the ids (/web/dataset/call_button): the
        context is the context, never the reason."""
        ticket = self.new_emergency(self.person_b)
        self.evaluate(ticket, guarantee_hours=2)
        ticket.sudo().emergency_accept_proposal(accept_default_nda=True)
        Ticket = self.env["helpdesk.ticket"].sudo(self.specialist)
        for method in ("action_emergency_waive_guarantee",
                       "action_emergency_credit_guarantee",
                       "action_emergency_charge_guarantee"):
            action = api.call_kw(Ticket, method, [ticket.ids, {
                "lang": "en_US", "emergency_ask_reason": True}], {})
            self.assertEqual(action["res_model"], "emergency.guarantee.decision")
        self.assertEqual(ticket.guarantee_policy, "charged")  # nothing decided yet
        self.assertEqual(ticket.emergency_phase, "awaiting_guarantee")
        api.call_kw(Ticket, "action_emergency_waive_guarantee", [ticket.ids],
                    {"reason": "Hospital", "context": {"lang": "en_US"}})
        self.assertEqual(ticket.guarantee_policy, "waived")
        self.assertEqual(ticket.emergency_phase, "normalization")
        self.assertIn("Hospital", " ".join(ticket.message_ids.mapped("body")))
        with self.assertRaises(TypeError):
            ticket.action_emergency_credit_guarantee(reasons="a typo")

    def test_a_paid_guarantee_can_be_credited_not_waived(self):  # R12
        ticket = self.new_emergency(self.person_b)
        self.evaluate(ticket, guarantee_hours=2)
        ticket.sudo().emergency_accept_proposal(accept_default_nda=True)
        ticket.sudo()._emergency_open_service(guarantee_paid=True)
        with self.assertRaisesRegex(UserError, "not refundable"):
            ticket.action_emergency_waive_guarantee()
        ticket.sudo(self.manager).action_emergency_credit_guarantee()
        self.assertEqual(ticket.guarantee_policy, "credited")
        self.assertEqual(ticket.guarantee_decided_by_id, self.manager)

    def test_only_specialists_decide_the_guarantee(self):
        ticket = self.new_emergency(self.person_b)
        self.evaluate(ticket)
        with self.assertRaises(AccessError):
            ticket.sudo(self.employee).action_emergency_waive_guarantee()
        self.assertEqual(ticket.guarantee_policy, "charged")


class TestServiceAndClosure(EmergencyCase):

    def test_out_of_order_moves_are_refused(self):
        ticket = self.new_emergency(self.person_b)
        with self.assertRaisesRegex(UserError, "cannot move to the phase"):
            ticket.sudo().emergency_accept_proposal(accept_default_nda=True)
        with self.assertRaisesRegex(UserError, "cannot move to the phase"):
            ticket.action_emergency_close()
        self.open_with_waiver(ticket)
        with self.assertRaisesRegex(UserError, "cannot move to the phase"):
            ticket.action_emergency_close()
        with self.assertRaisesRegex(UserError, "work has started"):
            ticket.action_emergency_cancel()
        self.assertEqual(ticket.emergency_phase, "normalization")

    def test_the_steps_cannot_be_skipped_by_writing_fields(self):
        ticket = self.new_emergency(self.person_b)
        self.evaluate(ticket, guarantee_hours=2)
        for vals in ({"emergency_phase": "normalization"},
                     {"guarantee_policy": "waived"},
                     {"guarantee_paid_date": "2026-03-02 10:00:00"},
                     {"accepted_by_id": self.person_b.id}):
            with self.assertRaisesRegex(UserError, "cannot be written directly"):
                ticket.sudo(self.manager).write(vals)
        self.assertEqual(ticket.emergency_phase, "proposed")
        self.assertEqual(ticket.guarantee_policy, "charged")
        ticket.sudo(self.manager).write({"name": "Database down (ERP)"})  # free text is free

    def test_cancellation_before_work_starts(self):
        ticket = self.new_emergency(self.person_b)
        self.evaluate(ticket)
        with self.assertRaises(AccessError):
            ticket.sudo(self.employee).action_emergency_cancel()
        ticket.action_emergency_cancel()
        self.assertEqual(ticket.emergency_phase, "cancelled")
        with self.assertRaises(UserError):
            ticket.sudo().emergency_accept_proposal(accept_default_nda=True)

    def test_critical_actions_record_their_results(self):  # R14
        ticket = self.open_with_waiver(self.new_emergency(self.person_b))
        Action = self.env["emergency.action"].sudo(self.specialist)
        action = Action.create({"ticket_id": ticket.id, "name": "Restore last backup",
                                "expected_result": "Database starts",
                                "responsible_id": self.specialist.partner_id.id})
        with self.assertRaisesRegex(ValidationError, "concrete result"):
            action.write({"state": "done"})
        action.write({"state": "done", "result": "Restored up to 07:55, DB up"})
        self.assertTrue(action.date_done)
        action.write({"state": "in_progress"})
        self.assertFalse(action.date_done)

    def test_normalization_requires_the_criteria_confirmed(self):
        ticket = self.open_with_waiver(self.new_emergency(self.person_b))
        with self.assertRaisesRegex(UserError, "no normalization criteria"):
            ticket.action_emergency_normalized()
        Criterion = self.env["emergency.criterion"].sudo(self.specialist)
        orders = Criterion.create({"ticket_id": ticket.id, "name": "Orders are taken"})
        Criterion.create({"ticket_id": ticket.id, "name": "Invoices print"}).action_confirm()
        with self.assertRaisesRegex(UserError, "Orders are taken"):
            ticket.action_emergency_normalized()
        self.assertEqual(ticket.emergency_phase, "normalization")
        orders.action_confirm()
        self.assertEqual(orders.confirmed_by_id, self.specialist)
        ticket.action_emergency_normalized()
        with self.assertRaisesRegex(UserError, "not in normalization"):
            orders.action_unconfirm()
        with self.assertRaisesRegex(UserError, "can no longer change"):
            Criterion.create({"ticket_id": ticket.id, "name": "Late criterion"})
        self.assertEqual(ticket.emergency_phase, "mitigation")
        self.assertTrue(ticket.normalization_date)
        self.assertGreater(ticket.actual_emergency_hours, 0)
        reports = self.env["ir.attachment"].search([
            ("res_model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)])
        self.assertEqual(len(reports), 1)
        self.assertIn("normalization", reports.name)

    def test_whole_lifecycle_is_tracked_and_reported(self):  # R20, R21
        ticket = self.new_emergency(self.person_b).with_context(tracking_disable=False)
        self.open_with_waiver(ticket)
        self.env["emergency.criterion"].create(
            {"ticket_id": ticket.id, "name": "Orders are taken"}).action_confirm()
        self.env["emergency.action"].create({
            "ticket_id": ticket.id, "name": "Restore last backup", "state": "done",
            "result": "Database restored"})
        ticket.action_emergency_normalized()
        ticket.action_emergency_close()
        self.assertEqual(ticket.emergency_phase, "closed")
        self.assertTrue(ticket.emergency_closed_date)
        history = ticket.phase_history_ids
        self.assertEqual(history.mapped("phase"), [
            "evaluation", "proposed", "accepted", "awaiting_guarantee",
            "normalization", "mitigation", "closed"])
        self.assertFalse(history[:-1].filtered(lambda h: not h.date_end))
        tracked = ticket.sudo().message_ids.mapped("tracking_value_ids").filtered(
            lambda v: v.field == "emergency_phase")
        self.assertIn("Closed", tracked.mapped("new_value_char"))
        reports = self.env["ir.attachment"].search([
            ("res_model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)])
        self.assertEqual(len(reports), 2)
        html = reports.filtered(lambda r: "closure" in r.name).datas
        self.assertTrue(html)
        with self.assertRaisesRegex(UserError, "can no longer change"):
            ticket.action_ids.write({"result": "rewritten later"})

    def test_technical_report_content(self):  # R20, R21
        ticket = self.open_with_waiver(self.new_emergency(self.person_b))
        self.env["emergency.action"].create({
            "ticket_id": ticket.id, "name": "Restore last backup", "state": "done",
            "result": "Database restored at 09:10"})
        report = self.env.ref("emergency_support.action_report_emergency_technical")
        html = report.render_qweb_html(ticket.ids)[0].decode()
        for text in (ticket.number, "The main database does not start.",
                     "Restore last backup", "Database restored at 09:10",
                     "Orders are taken again."):
            self.assertIn(text, html)

    def test_mails_go_to_the_client_at_each_milestone(self):
        ticket = self.new_emergency(self.person_b)
        self.evaluate(ticket)
        subjects = ticket.message_ids.filtered(
            lambda m: self.person_b in m.partner_ids).mapped("subject")
        self.assertEqual(len(subjects), 2, subjects)  # request received, evaluation
        self.assertTrue(all(ticket.number in s for s in subjects))

    def test_a_spanish_client_gets_spanish_mail(self):
        self._activate_languages("en_US", "es_ES")
        self.person_b.lang = "es_ES"
        ticket = self.new_emergency(self.person_b)
        message = ticket.message_ids.filtered(lambda m: self.person_b in m.partner_ids)
        self.assertEqual(message.subject,
                         "%s: hemos recibido su solicitud de emergencia" % ticket.number)
        self.person_a.lang = "en_US"
        ticket = self.new_emergency(self.person_a)
        message = ticket.message_ids.filtered(lambda m: self.person_a in m.partner_ids)
        self.assertEqual(message.subject, "%s: we received your emergency request" % ticket.number)

    def test_phase_at_a_moment(self):  # extension point for backdated time lines
        ticket = self.open_with_waiver(self.new_emergency(self.person_b))
        self.assertIsNone(ticket._emergency_phase_at("2026-03-02 07:59:59"))
        self.assertEqual(ticket._emergency_phase_at("2026-03-02 08:30:00"), "evaluation")
        self.assertEqual(ticket._emergency_phase_at(datetime.now() + timedelta(hours=1)),
                         "normalization")

    def test_existing_ticket_handled_as_emergency(self):
        ticket = self.env["helpdesk.ticket"].sudo(self.specialist).create(
            {"name": "Slow VPN", "partner_id": self.person_b.id})
        with self.assertRaisesRegex(UserError, "Handle as emergency"):
            ticket.write({"is_emergency": True})
        ticket.action_emergency_mark()
        self.assertTrue(ticket.is_emergency)
        self.assertEqual(ticket.emergency_phase, "evaluation")
        self.assertTrue(ticket.evaluation_deadline)

    def test_criteria_are_confirmed_during_normalization_only(self):
        ticket = self.new_emergency(self.person_b)
        criterion = self.env["emergency.criterion"].create(
            {"ticket_id": ticket.id, "name": "Orders are taken"})
        with self.assertRaisesRegex(UserError, "not in normalization"):
            criterion.sudo(self.specialist).action_confirm()
        self.assertFalse(criterion.confirmed)

    def test_the_area_is_locked_once_accepted(self):
        ticket = self.new_emergency(self.person_a)
        ticket.service_area_id = self.area_net  # still a proposal: free
        ticket.service_area_id = self.area_db
        self.evaluate(ticket)
        ticket.emergency_accept_proposal()
        with self.assertRaisesRegex(UserError, "cannot change any more"):
            ticket.service_area_id = self.area_net
        self.assertEqual(ticket.service_area_id, self.area_db)


class TestRates(EmergencyCase):

    def test_rate_resolution_per_phase_and_date(self):  # R2-R4, R16, R17
        ticket_a = self.new_emergency(self.person_a)
        normal = ticket_a._emergency_resolve_rate("normalization", "2026-03-05")
        self.assertEqual((normal["kind"], normal["rate"]), ("express", 30.0))
        self.assertEqual(normal["agreement"], self.plan)
        self.assertEqual(normal["product"], self.express)
        mitigation = ticket_a._emergency_resolve_rate("mitigation", "2026-03-05")
        self.assertEqual((mitigation["rate"], mitigation["product"]), (25.0, self.ondemand))
        after_plan = ticket_a._emergency_resolve_rate("normalization", "2027-01-01")
        self.assertEqual((after_plan["rate"], after_plan["agreement"].id), (35.0, False))
        ticket_net = self.new_emergency(self.person_a, area=self.area_net)
        self.assertEqual(ticket_net._emergency_resolve_rate("normalization")["rate"], 35.0)
        ticket_b = self.new_emergency(self.person_b)
        self.assertEqual(ticket_b._emergency_resolve_rate("mitigation")["rate"], 25.0)
        self.assertEqual(ticket_b._emergency_resolve_rate("evaluation")["kind"], "free")

    def test_many_rates_cost_the_queries_of_one(self):
        ticket_a = self.new_emergency(self.person_a)
        keys = [("normalization", "2026-%02d-01" % month) for month in range(1, 13)] + [
            ("mitigation", "2027-01-05"), ("evaluation", "2026-03-02 08:00:00")]

        def count_queries(phase_days):
            self.env.cache.invalidate()
            before = self.env.cr.sql_log_count
            rates = ticket_a._emergency_resolve_rates(phase_days)
            return self.env.cr.sql_log_count - before, rates

        count_queries(keys)  # warms the caches that outlive a record cache
        one, _rates = count_queries(keys[:1])
        many, rates = count_queries(keys)
        self.assertEqual([rates[k]["rate"] for k in keys], [30.0] * 12 + [25.0, 0.0])
        self.assertEqual(many, one)

    def test_draft_or_cancelled_plans_do_not_count(self):
        self.plan.action_cancel()
        ticket_a = self.new_emergency(self.person_a)
        self.assertEqual(ticket_a._emergency_resolve_rate("normalization")["rate"], 35.0)
        self.assertEqual(self.evaluate(ticket_a).guarantee_hours, 1)
