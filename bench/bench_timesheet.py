"""Benchmark of emergency time lines and daily cut-offs (issue 7).

    .venv/bin/python bench/bench_timesheet.py -c .local/odoo-es_ts.conf -d es_ts

Rolled back, but for the cut-off run's emergencies and time lines, which are
committed before the run (as in production): use the benchmark's own
database (``bench/run``).
Prints ratios and query counts from this one run (no timed assertion).
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

START = "2026-03-02 10:00:00"


def history(env, tickets):
    """Put ``tickets`` in normalization since START (SQL, like the tests)."""
    cr = env.cr
    cr.execute("DELETE FROM emergency_phase_history WHERE ticket_id IN %s",
               (tuple(tickets.ids),))
    cr.execute("""
        INSERT INTO emergency_phase_history (ticket_id, phase, date_start, company_id)
        SELECT id, 'normalization', %s, company_id FROM helpdesk_ticket WHERE id IN %s""",
               (START, tuple(tickets.ids)))
    cr.execute("""UPDATE helpdesk_ticket SET emergency_phase = 'normalization',
                  service_opened_date = %s WHERE id IN %s""", (START, tuple(tickets.ids)))
    tickets.invalidate_cache()


def make_tickets(env, partner, count):
    Ticket = env["helpdesk.ticket"].with_context(
        tracking_disable=True, mail_notrack=True, mail_create_nolog=True)
    tickets = Ticket.browse()
    for index in range(count):
        tickets |= Ticket.create({
            "name": "Bench emergency %d" % index, "is_emergency": True,
            "partner_id": partner.id, "request_date": "2026-03-02 08:00:00",
            "description": "bench"})
    history(env, tickets)
    return tickets


def timed(function, *args):
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("-c", dest="config", required=True)
    parser.add_argument("-d", dest="database", required=True)
    parser.add_argument("--lines", type=int, default=1000)
    parser.add_argument("--grow", type=int, default=10000)
    parser.add_argument("--emergencies", type=int, default=500)
    parser.add_argument("--results", help="append the table's lines to this file")
    parser.add_argument("--only-cutoffs", action="store_true",
                        help="run the third measure only")
    args = parser.parse_args()
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database])
    registry = odoo.registry(args.database)
    with odoo.api.Environment.manage(), registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {
            "tracking_disable": True, "lang": "en_US"})
        try:
            run(env, args)
        finally:
            cr.rollback()


def run(env, args):
    user = env["res.users"].create({
        "name": "Bench specialist", "login": "bench_specialist",
        "groups_id": [(6, 0, [env.ref("base.group_user").id,
                              env.ref("helpdesk_mgmt.group_helpdesk_user").id])]})
    env["hr.employee"].create({"name": "Bench specialist", "user_id": user.id})
    partner = env["res.partner"].create({"name": "Bench client", "is_company": True,
                                         "tz": "UTC"})
    project = env["project.project"].create({"name": "Bench plain project"})
    Line = env["account.analytic.line"].sudo(user)

    if args.only_cutoffs:
        return cutoffs(env, args, partner, Line)

    # 1. plain hr_timesheet lines on a project against emergency lines
    def plain(count):
        for index in range(count):
            Line.create({"project_id": project.id, "name": "plain %d" % index,
                         "unit_amount": 0.01, "date": "2026-03-02"})
    [ticket] = make_tickets(env, partner, 1)
    counter = [0]

    def emergency(count):
        for _index in range(count):
            minutes = counter[0]
            counter[0] += 1
            Line.create({
                "ticket_id": ticket.id, "name": "emergency %d" % minutes,
                "unit_amount": 0.01,
                # 1,000 lines a day (10 hours) from 2 March on: under the cap
                "emergency_date_start": "2026-03-%02d %02d:%02d:00" % (
                    2 + minutes // 1000, 10 + (minutes % 1000) // 60 % 13,
                    minutes % 60)})
    emergency(5)  # warm up (project of the client, caches)
    plain(5)
    plain_s = timed(plain, args.lines)
    emergency_s = timed(emergency, args.lines)
    print("1. %d lines: plain hr_timesheet %.2f s (%.1f ms/line), emergency %.2f s "
          "(%.1f ms/line): ratio %.2f (target <= 1.2)" % (
              args.lines, plain_s, 1000 * plain_s / args.lines, emergency_s,
              1000 * emergency_s / args.lines, emergency_s / plain_s), flush=True)
    record(args.results, "log %d time lines / plain hr_timesheet" % args.lines,
           "%.2fx" % (emergency_s / plain_s), "<= 1.2x", emergency_s / plain_s <= 1.2)

    # 2. flat cost per line as one emergency grows
    grow = args.grow - args.lines - 5
    first = emergency_s
    chunks = []
    while grow > 0:
        size = min(args.lines, grow)
        chunks.append(timed(emergency, size) / size)
        grow -= size
        print("   ... %d lines: %.1f ms/line" % (counter[0], 1000 * chunks[-1]),
              flush=True)
    last = chunks[-1] if chunks else first / args.lines
    print("2. one emergency grown to %d lines: first %d lines %.1f ms/line, last "
          "chunk %.1f ms/line: ratio %.2f (flat is ~1)" % (
              counter[0], args.lines, 1000 * first / args.lines, 1000 * last,
              last / (first / args.lines)))

    cutoffs(env, args, partner, Line)


def clone(env, table, template_id, values, sources):
    """Copies of the row ``template_id`` of ``table``, one per row of the SQL
    ``sources`` (a FROM clause), with the columns of ``values`` (column: SQL
    expression) replaced: the ids. What is measured is the cut-off run, not
    the making of 5,000 emergencies."""
    env.cr.execute("""SELECT column_name FROM information_schema.columns
                       WHERE table_name = %s AND column_name <> 'id'""", (table,))
    columns = [row[0] for row in env.cr.fetchall()]
    exprs = [values.get(column, 'x."%s"' % column) for column in columns]
    # pylint: disable=sql-injection
    env.cr.execute('INSERT INTO "%s" (%s) SELECT %s FROM "%s" x, %s WHERE x.id = %%s '
                   'RETURNING id' % (table, ", ".join('"%s"' % c for c in columns),
                                     ", ".join(exprs), table, sources), (template_id,))
    return [row[0] for row in env.cr.fetchall()]


def cutoffs(env, args, partner, Line):
    """3. cut-offs over many emergencies: queries per run."""
    Cutoff = env["emergency.timesheet.cutoff"]
    [template] = make_tickets(env, partner, 1)
    line = Line.create({"ticket_id": template.id, "name": "cut", "unit_amount": 0.01,
                        "emergency_date_start": "2026-03-20 11:00:00"})
    Cutoff._emergency_make_cutoffs()
    runs = []
    for count in (args.emergencies // 10, args.emergencies):
        ids = clone(env, "helpdesk_ticket", template.id, {
            "name": "'Bench emergency ' || n", "number": "'BENCH-%d-' || n" % count},
            "generate_series(1, %d) AS n" % count)
        history(env, env["helpdesk.ticket"].browse(ids))
        clone(env, "account_analytic_line", line.id, {  # two cut-offs each
            "ticket_id": "t.id", "date": "d.day::date",
            "emergency_date_start": "d.day::timestamp + interval '11 hours'",
            "emergency_cutoff_id": "NULL"},
              "unnest(ARRAY[%s]) AS t(id), unnest(ARRAY['2026-03-20', '2026-03-21']) AS d(day)"
              % ",".join(map(str, ids)))
        env["helpdesk.ticket"].invalidate_cache()
        env["account.analytic.line"].invalidate_cache()
        # the time lines exist before the run, as in production: rows inserted
        # in the run's own transaction make PostgreSQL re-check every foreign
        # key of each line the run updates (the benchmark's own database)
        env.cr.commit()
        # and PostgreSQL knows their tables' size, as autovacuum sees to in
        # production: with the statistics of the tiny tables of a fresh test
        # database, the foreign-key checks of the run scan whole tables
        for table in ("helpdesk_ticket", "account_analytic_line",
                      "emergency_timesheet_cutoff"):
            env.cr.execute('ANALYZE "%s"' % table)  # pylint: disable=sql-injection
        env.cr.commit()
        env.cr.sql_log_count = 0
        start = time.perf_counter()
        made = Cutoff._emergency_make_cutoffs()
        elapsed = time.perf_counter() - start
        print("3. cut-offs of %d emergencies (%d cut-offs): %d queries, %.2f s" % (
            count, len(made), env.cr.sql_log_count, elapsed), flush=True)
        runs.append((count, elapsed, env.cr.sql_log_count))
    (small, small_s, small_q), (large, large_s, large_q) = runs
    record(args.results, "cut-off run, %d then %d emergencies" % (small, large),
           "%.2f / %.2f s" % (small_s, large_s),
           "<= 2 s at %d, same queries" % large,
           large_s <= 2 and large_q == small_q, "%d / %d" % (small_q, large_q))


if __name__ == "__main__":
    main()
