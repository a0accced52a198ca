"""Speed of the core addon against Odoo's own way, in one run (issue 6).

1. Creating an emergency against creating a plain helpdesk ticket, as the
   same specialist, N of each: time and queries per ticket, and their ratio.
2. The overdue-evaluation cron over M and over 2*M overdue emergencies: its
   queries must not grow with the number of tickets.

Run on a database with the addons and demo data (everything is rolled back):

    .venv/bin/python bench/bench_core.py -c .local/odoo-es_test.conf -d es_test [-n 200]

It prints ratios and query counts; no figure here is a test assertion.
"""
import argparse
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "bin", "lib"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import odoo  # noqa: E402
from odoo import SUPERUSER_ID, api, fields  # noqa: E402
from results import record  # noqa: E402


def measure(cr, work):
    """(seconds, queries) of ``work()``."""
    queries = cr.sql_log_count
    start = time.perf_counter()
    work()
    return time.perf_counter() - start, cr.sql_log_count - queries


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("-c", dest="conf", required=True)
    parser.add_argument("-d", dest="db", required=True)
    parser.add_argument("-n", dest="count", type=int, default=200)
    parser.add_argument("--results", help="append the table's lines to this file")
    args = parser.parse_args()
    odoo.tools.config.parse_config(["-c", args.conf, "-d", args.db])
    registry = odoo.registry(args.db)
    with api.Environment.manage(), registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        try:
            run(env, args.count, args.results)
        finally:
            cr.rollback()


def run(env, count, results=None):
    cr = env.cr
    specialist = env.ref("emergency_support.user_specialist")
    client = env.ref("emergency_support.partner_client_beta_contact")
    area = env.ref("emergency_support.service_area_network")
    Ticket = env["helpdesk.ticket"].sudo(specialist)
    Ticket.create({"name": "warm-up", "partner_id": client.id})  # caches
    Ticket.create({"name": "warm-up", "partner_id": client.id, "is_emergency": True})

    def plain():
        for i in range(count):
            Ticket.create({"name": "Plain %d" % i, "partner_id": client.id,
                           "description": "Printer jam"})

    def emergency():
        for i in range(count):
            Ticket.create({"name": "Emergency %d" % i, "partner_id": client.id,
                           "is_emergency": True, "service_area_id": area.id,
                           "emergency_facts": "Database down"})

    plain_s, plain_q = measure(cr, plain)
    em_s, em_q = measure(cr, emergency)
    print("Creating %d tickets as the specialist (same run)" % count)
    print("  plain helpdesk ticket : %6.1f ms, %5.1f queries per ticket"
          % (1000 * plain_s / count, plain_q / count))
    print("  emergency             : %6.1f ms, %5.1f queries per ticket"
          % (1000 * em_s / count, em_q / count))
    print("  ratio emergency/plain : %.2fx time, %.2fx queries"
          % (em_s / plain_s, em_q / plain_q))
    record(results, "create an emergency / a plain ticket (%d each)" % count,
           "%.2fx (%.0f / %.0f ms)" % (em_s / plain_s, 1000 * em_s / count,
                                       1000 * plain_s / count),
           "<= 1.5x (moonshot 1.2x)", em_s / plain_s <= 1.5,
           "%.2fx (%.0f / %.0f)" % (em_q / plain_q, em_q / count, plain_q / count))

    # the cron over M, then 2M overdue emergencies
    past = fields.Datetime.to_string(
        fields.Datetime.from_string(fields.Datetime.now()).replace(year=2020))
    Admin = env["helpdesk.ticket"]
    results_file, results = results, []
    for size in (count // 2, count):
        Admin.search([("evaluation_overdue", "=", True)])._emergency_write(
            {"evaluation_alert_sent": True})
        for i in range(size):
            Admin.create({"name": "Late %d" % i, "partner_id": client.id,
                          "is_emergency": True, "request_date": past})
        Admin.invalidate_cache()
        seconds, queries = measure(cr, Admin._cron_emergency_overdue_evaluations)
        results.append((size, seconds, queries))
    managers = len(env.ref("helpdesk_mgmt.group_helpdesk_manager").users)
    print("Overdue-evaluation cron (%d managers alerted per ticket)" % managers)
    for size, seconds, queries in results:
        print("  %4d overdue tickets   : %6.0f ms, %4d queries (%.2f per ticket)"
              % (size, 1000 * seconds, queries, queries / size))
    print("  queries at 2x tickets : %.2fx" % (results[1][2] / results[0][2]))
    record(results_file, "overdue-evaluation cron, %d then %d tickets" % (
        results[0][0], results[1][0]), "%.0f / %.0f ms" % (
            1000 * results[0][1], 1000 * results[1][1]),
           "queries do not grow", results[1][2] <= results[0][2],
           "%d / %d" % (results[0][2], results[1][2]))


if __name__ == "__main__":
    main()
