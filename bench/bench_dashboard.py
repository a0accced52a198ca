"""The manager's dashboard at 10 and at 10,000 emergencies (issue 15).

Reads every figure of the dashboard (Helpdesk > Emergencies > Dashboard) over
the whole database, once with 10 emergencies added to the demo and once with
10,000, and, in the same run, a plain ``read_group`` of ``helpdesk.ticket``
by stage (Odoo's own cheapest grouped read) as the yardstick. The extra
emergencies and their time lines are copied in SQL from the demo's
emergency in mitigation; everything is rolled back.

    .venv/bin/python bench/bench_dashboard.py -c .local/odoo-es_test.conf -d es_test

``main()`` prints one line: queries and milliseconds of the dashboard at 10
and 10,000, and of the plain read_group; the queries must be equal.
"""
import argparse
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "bin", "lib"))

import odoo  # noqa: E402
from odoo import SUPERUSER_ID, api  # noqa: E402
from results import record  # noqa: E402


def measure(cr, work, repeat=3):
    """(best milliseconds, queries) of ``work()``."""
    best, queries = None, 0
    for _i in range(repeat):
        count = cr.sql_log_count
        start = time.perf_counter()
        work()
        elapsed = 1000 * (time.perf_counter() - start)
        queries = cr.sql_log_count - count
        best = elapsed if best is None else min(best, elapsed)
    return best, queries


def _columns(cr, table):
    cr.execute("""SELECT column_name FROM information_schema.columns
                   WHERE table_name = %s AND column_name <> 'id'
                   ORDER BY ordinal_position""", (table,))
    return [row[0] for row in cr.fetchall()]


def add_emergencies(env, count):
    """``count`` copies of the demo's emergency in mitigation, each with a
    copy of one of its time lines (SQL: fast, rolled back)."""
    cr = env.cr
    source = env.ref("emergency_support.ticket_emergency_mitigation")
    line = env["account.analytic.line"].search(
        [("ticket_id", "=", source.id)], limit=1)
    ticket_cols = [c for c in _columns(cr, "helpdesk_ticket") if c != "number"]
    cr.execute("""
        INSERT INTO helpdesk_ticket (number, {cols})
        SELECT 'BENCH' || n, {cols}
          FROM helpdesk_ticket, generate_series(1, %s) n
         WHERE id = %s
        RETURNING id""".format(cols=", ".join('"%s"' % c for c in ticket_cols)),
               (count, source.id))
    ids = [row[0] for row in cr.fetchall()]
    if line:
        line_cols = [c for c in _columns(cr, "account_analytic_line") if c != "ticket_id"]
        cr.execute("""
            INSERT INTO account_analytic_line (ticket_id, {cols})
            SELECT t, {cols} FROM account_analytic_line, unnest(%s) t
             WHERE id = %s""".format(cols=", ".join('"%s"' % c for c in line_cols)),
                   (ids, line.id))
    env["helpdesk.ticket"].invalidate_cache()
    return ids


def run(env, results=None):
    cr = env.cr
    manager = env.ref("base.user_root")
    Dashboard = env["emergency.dashboard"].sudo(manager)
    names = [name for name, field in Dashboard._fields.items()
             if field.compute and name != "display_name"]
    Ticket = env["helpdesk.ticket"].sudo(manager)

    def dashboard():
        board = Dashboard.create({})
        board.invalidate_cache()
        board.read(names)

    def plain():
        Ticket.read_group([], ["stage_id"], ["stage_id"])

    figures = []
    added = 0
    dashboard()  # warm-up: caches, views
    for size in (10, 10000):
        add_emergencies(env, size - added)
        added = size
        figures.append((size, measure(cr, dashboard), measure(cr, plain)))
    parts = []
    for size, (board_ms, board_q), (plain_ms, plain_q) in figures:
        parts.append("%d emergencies: dashboard %d queries %.0f ms, "
                     "read_group %d queries %.0f ms (%.1fx)"
                     % (size, board_q, board_ms, plain_q, plain_ms,
                        board_ms / plain_ms if plain_ms else 0.0))
    same = figures[0][1][1] == figures[1][1][1]
    print("dashboard: " + "; ".join(parts)
          + "; queries %s" % ("equal" if same else "DIFFER"))
    (_s, (small_ms, small_q), _p), (_b, (big_ms, big_q), (plain_ms, _pq)) = figures
    record(results, "dashboard at 10 / 10000 emergencies",
           "%.0f / %.0f ms (read_group by stage at 10000: %.0f ms)"
           % (small_ms, big_ms, plain_ms),
           "same queries at 10 and 10000", same, queries="%d / %d" % (small_q, big_q))


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("-c", dest="conf", required=True)
    parser.add_argument("-d", dest="db", required=True)
    parser.add_argument("--results", help="append the table's line to this file")
    args = parser.parse_args(argv)
    odoo.tools.config.parse_config(["-c", args.conf, "-d", args.db])
    registry = odoo.registry(args.db)
    with api.Environment.manage(), registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        try:
            run(env, args.results)
        finally:
            cr.rollback()


if __name__ == "__main__":
    main()
