# Copyright 2026 emergency_support contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
"""Building the invoices of an emergency (R11-R13, R16-R19), the way OCA's
contract 11.0 does: ``_prepare_invoice`` / ``_prepare_invoice_line`` give
dicts, filled in by the invoice's own onchanges (``new`` + onchange +
``_convert_to_write``), taxes computed at the end. The approved time is
grouped (one invoice line per phase, rate and day) and linked to its invoice
line in one UPDATE when the invoice is created, draft included."""
from odoo import _, models
from odoo.exceptions import UserError

from odoo.addons.emergency_support import rules as core
from odoo.addons.emergency_support.models.mail_template import hours_in_lang

from .. import rules


# one model split by concern (STYLE.md): pylint: disable=consider-merging-classes-inherited
class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    def _emergency_invoice_lock(self):
        """Serialize the invoicing of these emergencies between workers.

        The UPDATE takes the rows' lock: a second worker invoicing the same
        emergency waits for the first to commit. Odoo's transactions are
        REPEATABLE READ, so the waiting worker's snapshot is stale by then and
        PostgreSQL refuses its UPDATE with a serialization failure, which Odoo
        retries from the start with a fresh snapshot that sees the first
        worker's invoice: one invoice, never two. The unique index on the
        invoice's emergency and kind stands behind it. The collision is
        expected: it is not logged as an error (``log_exceptions=False``)."""
        if self.ids:
            self.env.cr.execute(
                "UPDATE helpdesk_ticket SET write_date = write_date WHERE id IN %s",
                (tuple(self.ids),), log_exceptions=False)

    def _emergency_make_invoices(self):
        """Make every invoice due now for these emergencies (idempotent):
        the guarantee once the client accepted, the invoices of time whose
        phase is over and whose time is approved (R18, R19). Runs as the
        superuser; the callers checked who may trigger it."""
        invoices = self.env["account.invoice"]
        for ticket in self.filtered("is_emergency"):
            ticket._emergency_invoice_lock()
            status = ticket._emergency_invoice_status()
            if rules.guarantee_invoice_due(ticket.emergency_phase,
                                           ticket.guarantee_required,
                                           rules.GUARANTEE in status["kinds"]):
                invoices |= ticket._emergency_create_guarantee_invoice()
            for kind, phases in rules.invoices_due(
                    ticket.emergency_phase, status["kinds"],
                    set(status["pending"]), status["billable"]):
                sequence = 0
                if kind == rules.SUPPLEMENT:
                    sequence = rules.next_supplement(status["sequences"])
                invoices |= ticket._emergency_create_time_invoice(kind, phases, sequence)
        return invoices

    # ------------------------------------------------------------------
    # preparing values
    # ------------------------------------------------------------------

    def _emergency_invoice_journal(self):
        company = self.company_id or self.env.user.company_id
        journal = self.env["account.journal"].search([
            ("type", "=", "sale"), ("company_id", "=", company.id)], limit=1)
        if not journal:
            raise UserError(_(
                "The company %s has no sales journal: the invoices of "
                "emergencies cannot be made. Configure the accounting first.")
                % company.name)
        return journal

    def _emergency_invoice_title(self, kind, sequence=0):
        labels = {
            rules.GUARANTEE: _("Guarantee"),
            rules.NORMALIZATION: _("Restoration and normalization"),
            rules.MITIGATION: _("Mitigation of causes"),
            rules.SUPPLEMENT: _("Supplement %s") % sequence,
        }
        return "%s - %s" % (self.number, labels[kind])

    def _prepare_invoice(self, kind, sequence=0):
        """The values of the ``kind`` invoice of this emergency: the client's
        invoice address, payment terms and fiscal position (its onchange),
        the company's currency, the ticket as origin."""
        self.ensure_one()
        company = self.company_id or self.env.user.company_id
        client = self.partner_id.commercial_partner_id
        invoice = self.env["account.invoice"].new({
            "type": "out_invoice",
            "partner_id": client.address_get(["invoice"])["invoice"],
            "company_id": company.id,
            "journal_id": self._emergency_invoice_journal().id,
            "currency_id": company.currency_id.id,
            "origin": self.number,
            "name": self._emergency_invoice_title(kind, sequence),
            "user_id": (self.lead_expert_id or self.user_id).id,
            "emergency_ticket_id": self.id,
            "emergency_kind": kind,
            "emergency_sequence": sequence,
        })
        invoice._onchange_partner_id()
        values = invoice._convert_to_write(invoice._cache)
        values["currency_id"] = company.currency_id.id
        return values

    def _prepare_invoice_line(self, invoice, product, quantity, price, name, kind):
        """One invoice line: account and taxes from the product (mapped by
        the fiscal position, the product's onchange), our price and
        description, the analytic account of the emergency's project."""
        line = self.env["account.invoice.line"].new({
            "invoice_id": invoice.id,
            "product_id": product.id,
            "quantity": quantity,
            "uom_id": product.uom_id.id,
        })
        line._onchange_product_id()
        values = line._convert_to_write(line._cache)
        values.update({
            "name": name,
            "quantity": quantity,
            "price_unit": price,
            "account_analytic_id": self._emergency_timesheet_project().analytic_account_id.id,
            "emergency_line_kind": kind,
        })
        return values

    def _emergency_products(self):
        company = self.company_id or self.env.user.company_id
        products = {core.EXPRESS: company.emergency_express_product_id,
                    core.ONDEMAND: company.emergency_ondemand_product_id}
        if not all(products.values()):
            raise UserError(_(
                "The Express and On-demand service products are not "
                "configured: a manager sets them in Helpdesk > Configuration "
                "> Emergency settings."))
        return products

    def _emergency_finish_invoice(self, invoice, lines_values):
        """Add the lines, compute the taxes, validate when the company says so
        (``rules.validate_at_once``). The building is not tracked in the
        chatter (a draft being filled in, a third of the client's click
        that accepts the proposal); the validation is."""
        building = invoice.with_context(mail_notrack=True)
        building.write({"invoice_line_ids": [(0, 0, vals) for vals in lines_values]})
        building.compute_taxes()
        company = invoice.company_id
        if rules.validate_at_once(invoice.emergency_kind,
                                  company.emergency_invoice_validate,
                                  company.emergency_guarantee_validate):
            invoice.action_invoice_open()
        return invoice

    # ------------------------------------------------------------------
    # the invoices
    # ------------------------------------------------------------------

    def _emergency_create_guarantee_invoice(self):
        """Invoice (1): the guarantee hours at the Express rate, marked
        non-refundable (R11, R12)."""
        self.ensure_one()
        client = self.with_context(lang=self.partner_id.lang)
        values = client._prepare_invoice(rules.GUARANTEE)
        values.update({
            "emergency_non_refundable": True,
            "comment": client._emergency_guarantee_note(),
        })
        invoice = self.env["account.invoice"].create(values)
        express = self._emergency_products()[core.EXPRESS]
        rate = self._emergency_resolve_rate(core.NORMALIZATION)["rate"]
        line = client._prepare_invoice_line(
            invoice, express, self.guarantee_hours, rate,
            client._emergency_guarantee_line_name(), rules.LINE_GUARANTEE)
        return self._emergency_finish_invoice(invoice, [line])

    def _emergency_guarantee_with_taxes(self):
        """The guarantee as its invoice will charge it, taxes included (the
        Express product's taxes, mapped by the client's fiscal position):
        what the client pays. ``None`` when the Express product has no tax
        (the amount the proposal shows is then the whole of it)."""
        self.ensure_one()
        company = self.company_id or self.env.user.company_id
        product = company.emergency_express_product_id
        partner = self.env["res.partner"].browse(
            self.partner_id.commercial_partner_id.address_get(["invoice"])["invoice"])
        taxes = product.taxes_id.filtered(lambda tax: tax.company_id == company)
        Position = self.env["account.fiscal.position"]
        position = Position.browse(Position.get_fiscal_position(partner.id) or [])
        if position:
            taxes = position.map_tax(taxes, product, partner)
        if not taxes or not self.guarantee_hours:
            return None
        rate = self._emergency_resolve_rate(core.NORMALIZATION)["rate"]
        return taxes.compute_all(rate, company.currency_id, self.guarantee_hours,
                                 product=product, partner=partner)["total_included"]

    def _emergency_guarantee_line_name(self):
        return _("%(ticket)s - Guarantee: %(hours)s Express hours "
                 "(non-refundable)") % {"ticket": self.number,
                                        "hours": self.guarantee_hours}

    def _emergency_guarantee_note(self):
        return _("Guarantee of the emergency %s: non-refundable compensation. "
                 "Its payment opens the service at once.") % self.number

    def _emergency_create_time_invoice(self, kind, phases, sequence=0):
        """Invoice (2), (3) or a supplement: the approved, not yet invoiced
        time of ``phases``, one line per phase, rate and day, at the rates
        stored at approval; a credited guarantee deducted (R12, R16-R19)."""
        self.ensure_one()
        lines = self._emergency_billable_lines(phases)
        if not lines:
            return self.env["account.invoice"]
        ids_of, groups = self._emergency_group_time(lines.ids)
        company = self.company_id or self.env.user.company_id
        if kind == rules.SUPPLEMENT and not rules.supplement_due(
                rules.fees(groups), company.emergency_supplement_minimum,
                self.emergency_phase == core.CLOSED):
            return self.env["account.invoice"]
        client = self.with_context(lang=self.partner_id.lang)
        invoice = self.env["account.invoice"].create(
            client._prepare_invoice(kind, sequence))
        products = self._emergency_products()
        values = [client._prepare_invoice_line(
            invoice, products[group.rate_kind], group.hours, group.rate,
            client._emergency_time_description(group), rules.LINE_TIME)
            for group in groups]
        values += client._emergency_credit_lines(invoice, values, products[core.EXPRESS])
        self._emergency_finish_invoice(invoice, values)
        # the lines were created in the order of the groups
        time_lines = invoice.invoice_line_ids.filtered(
            lambda l: l.emergency_line_kind == rules.LINE_TIME).sorted("id")
        self._emergency_link_time(
            {rules.group_key(group): line.id for group, line in zip(groups, time_lines)},
            ids_of)
        return invoice

    def _emergency_group_time(self, line_ids):
        """Sum the time of ``line_ids`` per phase, rate and day in the
        database (one query, however many lines): ``({key: [line ids]},
        [rules.Group])``."""
        self.env.cr.execute("""
            SELECT emergency_phase, date, emergency_rate_kind, emergency_rate,
                   emergency_agreement_id, SUM(unit_amount), array_agg(id)
              FROM account_analytic_line
             WHERE id = ANY(%s)
          GROUP BY 1, 2, 3, 4, 5""", (list(line_ids),))
        times, ids_of = [], {}
        for phase, day, kind, rate, agreement_id, hours, ids in self.env.cr.fetchall():
            time = rules.Time(phase, str(day), kind, rate or 0.0,
                              agreement_id, hours)
            times.append(time)
            ids_of.setdefault(rules.group_key(time), []).extend(ids)
        return ids_of, rules.group_time(times, self._emergency_hours_digits())

    def _emergency_hours_digits(self):
        """The decimals of the hours on an invoice line: its quantity's."""
        digits = self.env["account.invoice.line"]._fields["quantity"].digits
        return digits[1] if digits else rules.HOURS_DIGITS

    def _emergency_link_time(self, invoice_line_of, ids_of):
        """Record on each time line its invoice line: one UPDATE. A line
        already invoiced by someone else makes the whole invoice fail (the
        transaction rolls back: nothing half made)."""
        line_ids, invoice_line_ids = [], []
        for key, ids in ids_of.items():
            line_ids.extend(ids)
            invoice_line_ids.extend([invoice_line_of[key]] * len(ids))
        self.env.cr.execute("""
            UPDATE account_analytic_line l
               SET emergency_invoice_line_id = v.invoice_line_id
              FROM unnest(%s::int[], %s::int[]) AS v(id, invoice_line_id)
             WHERE l.id = v.id AND l.emergency_invoice_line_id IS NULL""",
                            (line_ids, invoice_line_ids))
        if self.env.cr.rowcount != len(line_ids):
            raise UserError(_(
                "Some time of %s was invoiced meanwhile by another user: "
                "try again.") % self.number)
        self.env["account.analytic.line"].invalidate_cache(["emergency_invoice_line_id"])
        self.env["account.invoice.line"].invalidate_cache(["emergency_timesheet_ids"])

    def _emergency_time_description(self, group):
        """The line's label, in the client's language: the phase, the day,
        the hours as the client writes numbers, and which rate was used and
        why (the list price, the plan's rate, or the list price because it
        is lower than the plan's)."""
        Line = self.env["account.analytic.line"]
        labels = dict(Line._fields["emergency_phase"]._description_selection(self.env))
        kinds = dict(Line._fields["emergency_rate_kind"]._description_selection(self.env))
        plan = self.env["emergency.plan.agreement"].sudo().browse(group.agreement_id or [])
        plan_rate = None
        if plan:
            plan_rate = (plan.express_rate if group.rate_kind == core.EXPRESS
                         else plan.ondemand_rate)
        reason = rules.rate_reason(group.agreement_id, group.rate, plan_rate)
        values = {"rate": kinds.get(group.rate_kind, group.rate_kind), "plan": plan.name}
        if reason == rules.RATE_PLAN:
            why = _("%(rate)s rate of the monthly plan %(plan)s") % values
        elif reason == rules.RATE_LIST_LOWER:
            why = _("%(rate)s list price, lower than the monthly plan "
                    "%(plan)s's") % values
        else:
            why = _("%(rate)s list price") % values
        hours = hours_in_lang(self.env, group.hours)
        return _("%(ticket)s - %(phase)s - %(day)s: %(hours)s h, %(why)s") % {
            "ticket": self.number, "phase": labels.get(group.phase, group.phase),
            "day": group.day, "hours": hours, "why": why}

    # ------------------------------------------------------------------
    # credited guarantee (R12)
    # ------------------------------------------------------------------

    def _emergency_paid_guarantees(self):
        """The guarantee invoices paid by a payment (not settled by their
        own credit note, as a waiver does)."""
        return self.emergency_invoice_ids.filtered(
            lambda inv: inv.emergency_kind == rules.GUARANTEE and inv.state == "paid"
            and inv._emergency_paid_by_payment())

    def _emergency_guarantee_paid_amount(self):
        """The untaxed amount of the paid guarantee invoice(s), less their
        posted credit notes."""
        invoices = self._emergency_paid_guarantees()
        refunds = self.env["account.invoice"].search([
            ("refund_invoice_id", "in", invoices.ids or [0]),
            ("type", "=", "out_refund"), ("state", "in", ("open", "paid"))])
        return (sum(invoices.mapped("amount_untaxed"))
                - sum(refunds.mapped("amount_untaxed")))

    def _emergency_credited_so_far(self):
        """R12: the guarantee already deducted, from signed amounts: the
        credit lines of the invoices not cancelled, less those given back by
        posted credit notes (a draft credit note gives nothing back)."""
        credited = 0.0
        for invoice in self.emergency_invoice_ids:
            if not rules.credit_counts(invoice.type, invoice.state):
                continue
            credited += rules.signed_credit(invoice.type, invoice.invoice_line_ids.filtered(
                lambda l: l.emergency_line_kind == rules.LINE_CREDIT).mapped("price_subtotal"))
        return round(credited, 2)

    def _emergency_credit_lines(self, invoice, time_values, product):
        """R12: the credit lines of an invoice of time (values for
        ``_prepare_invoice_line``). The credit is untaxed, like the fees it
        is deducted from: each set of taxes of the lines of time gets its
        own credit line with those taxes (``rules.split_credit``), so the
        credit lowers the tax base of the hours it offsets and the tax is
        computed on what is left; none of them turns negative."""
        bases = []
        for values in time_values:
            taxes = self._emergency_line_taxes(values)
            untaxed = self._emergency_untaxed(
                invoice, self.env["product.product"].browse(values["product_id"]), taxes,
                values["quantity"], values["price_unit"])
            for index, (key, base) in enumerate(bases):
                if key == taxes:
                    bases[index] = (key, base + untaxed)
                    break
            else:
                bases.append((taxes, untaxed))
        credit = self._emergency_credit(round(sum(base for _key, base in bases), 2))
        if not credit:
            return []
        lines = []
        name = self._emergency_credit_description()
        for taxes, amount in rules.split_credit(
                credit, bases, first=self._emergency_product_taxes(invoice, product)):
            values = self._prepare_invoice_line(
                invoice, product, 1, -self._emergency_price_of_untaxed(
                    invoice, product, taxes, amount),
                name, rules.LINE_CREDIT)
            values["invoice_line_tax_ids"] = [(6, 0, taxes.ids)]
            lines.append(values)
        return lines

    def _emergency_line_taxes(self, values):
        """The taxes of invoice line ``values`` (as ``_convert_to_write``
        gives them)."""
        ids = []
        for command in values.get("invoice_line_tax_ids") or []:
            if command[0] == 6:
                ids = list(command[2])
            elif command[0] == 4:
                ids.append(command[1])
        return self.env["account.tax"].browse(ids)

    def _emergency_product_taxes(self, invoice, product):
        """The taxes an invoice line of ``product`` gets on ``invoice`` (the
        product's, mapped by the fiscal position): the guarantee's."""
        return self._emergency_line_taxes(self._prepare_invoice_line(
            invoice, product, 1, 0.0, "", rules.LINE_CREDIT))

    def _emergency_untaxed(self, invoice, product, taxes, quantity, price):
        """The untaxed amount (subtotal) of a line, as the invoice line
        computes it."""
        if not taxes:
            return invoice.currency_id.round(quantity * price)
        return taxes.compute_all(price, invoice.currency_id, quantity, product=product,
                                 partner=invoice.partner_id)["total_excluded"]

    def _emergency_price_of_untaxed(self, invoice, product, taxes, untaxed):
        """The unit price whose untaxed amount is ``untaxed``: itself, unless
        a tax is included in the price (then grossed up, to the cent)."""
        if not taxes.filtered("price_include"):
            return untaxed
        currency = invoice.currency_id
        price = untaxed
        for _attempt in range(3):
            got = self._emergency_untaxed(invoice, product, taxes, 1, price)
            if not got or currency.is_zero(got - untaxed):
                break
            price = currency.round(price * untaxed / got)
        return price

    def _emergency_credit(self, fees_amount):
        if self.guarantee_policy != core.CREDITED or not self.guarantee_paid_date:
            return 0.0
        return rules.credit(self.guarantee_policy, self._emergency_guarantee_paid_amount(),
                            fees_amount, self._emergency_credited_so_far())

    def _emergency_credit_description(self):
        guarantee = self._emergency_paid_guarantees()[:1]
        return _("%(ticket)s - Guarantee %(invoice)s credited against the fees") % {
            "ticket": self.number, "invoice": guarantee.number or ""}

    def _emergency_notify_lead_expert(self, invoice):
        """The lead expert hears that the service is open (R13); in the
        job that announces the opening (``account.invoice``)."""
        for ticket in self.filtered("lead_expert_id"):
            ticket.message_post(
                body=_("The guarantee invoice %(invoice)s is paid: the service "
                       "is open and %(expert)s, the lead expert, restores it.") % {
                           "invoice": invoice.number,
                           "expert": ticket.lead_expert_id.name},
                partner_ids=ticket.lead_expert_id.partner_id.ids,
                subtype="mail.mt_note")
