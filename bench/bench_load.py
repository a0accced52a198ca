"""Load test (issue 16): portal clients and specialists at once against an
Odoo server with workers, on 127.0.0.1 only; a bounded script of our own
(requests + threads: locust cannot share the virtualenv with Odoo 11's
Werkzeug).

    .venv/bin/python bench/bench_load.py -c .local/odoo-es_test_bench.conf \
        -d es_test_bench [--clients 50] [--specialists 10] [--seconds 300] [--workers 5]

Writes into the database (use the benchmark's own copy: ``bench/run``). Each
client has an emergency in normalization; each specialist works
``clients / specialists`` of them. For ``--seconds`` (and at most
``--max-loops`` rounds each), every virtual user loops:

* a client opens its emergency (with its hour pool); when a day's badge says
  that its approval is awaited, it opens that day (daily cut-off) and
  approves it, or disputes one line of it (one in four);
* a specialist logs a time line on each of its emergencies, makes their daily
  cut-offs and submits them.

Between two clicks each user pauses (``--pace``): ``person`` (the default)
reads a page 5-15 s and pauses 2-5 s after an action, as a person reading
the emergency, its hour pool and the day's lines does; ``robot`` 1-3 s and
0.5-2 s, a stress test (stop 18's pace). The first tenth of the run (at most
30 s) warms the workers up and is not timed (each worker process loads the
registry and compiles the pages at its first requests); its errors count.

Then it prints p50 / p95 per route and the errors, and counts in the database
that every approval, dispute and time line the server confirmed is there.
Target: 0 errors, 0 lost, p95 <= 1 s. Figures of one run; no assertion.
"""
import argparse
from datetime import timedelta
import os
import random
import re
import sys
import threading
import time
from collections import defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bin", "lib"))
sys.path.insert(0, os.path.join(ROOT, "bench"))

import odoo  # noqa: E402
from results import record  # noqa: E402
from server import (call, csrf_token, login, median, odoo_server, percentile,  # noqa: E402
                    wait_for_jobs)

PASSWORD = "bench-load"
DAYS_BACK = 20  # the service opened that many days ago: room for the time lines


class Pace(object):
    """The pauses of a virtual user, in seconds: after reading a page with
    nothing to do (``read``), after an action (``act``)."""

    def __init__(self, read, act):
        self.read, self.act = read, act


#: 'person': a person reading the page (the emergency, its pool and days)
#: before the next click; 'robot': the pace of stop 18's run, a stress test
PACES = {"person": Pace((5, 15), (2, 5)), "robot": Pace((1, 3), (0.5, 2))}


def prepare(conf, db, clients, specialists):
    """Clients with an emergency in normalization, specialists; committed."""
    odoo.tools.config.parse_config(["-c", conf, "-d", db])
    registry = odoo.registry(db)
    with odoo.api.Environment.manage(), registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {
            "lang": "en_US", "tracking_disable": True, "no_reset_password": True})
        stamp = int(time.time())
        portal = env.ref("base.group_portal")
        staff = [env.ref("base.group_user").id, env.ref("helpdesk_mgmt.group_helpdesk_user").id]
        area = env.ref("emergency_support.service_area_network")
        users = []
        for index in range(specialists):
            user = env["res.users"].create({
                "name": "Load specialist %d" % index, "login": "load_sp_%d_%d" % (stamp, index),
                "password": PASSWORD, "groups_id": [(6, 0, staff)]})
            env["hr.employee"].create({"name": user.name, "user_id": user.id})
            users.append(user.login)
        tickets = env["helpdesk.ticket"]
        logins = []
        for index in range(clients):
            company = env["res.partner"].create({
                "name": "Load client %d" % index, "is_company": True, "tz": "UTC"})
            person = env["res.partner"].create({
                "name": "Load person %d" % index, "parent_id": company.id, "lang": "en_US",
                "email": "load%d@clients.example.com" % index, "tz": "UTC"})
            user = env["res.users"].create({
                "login": "load_cl_%d_%d" % (stamp, index), "password": PASSWORD,
                "partner_id": person.id, "groups_id": [(6, 0, portal.ids)]})
            tickets |= env["helpdesk.ticket"].create({
                "name": "Load emergency %d" % index, "partner_id": person.id,
                "is_emergency": True, "service_area_id": area.id,
                "emergency_facts": "Everything is slow."})
            logins.append(user.login)
        # in normalization for DAYS_BACK days (SQL, as the other benchmarks)
        cr.execute("DELETE FROM emergency_phase_history WHERE ticket_id IN %s",
                   (tuple(tickets.ids),))
        cr.execute("""
            INSERT INTO emergency_phase_history (ticket_id, phase, date_start, company_id)
            SELECT id, 'normalization', (now() at time zone 'UTC') - interval '%s days',
                   company_id
              FROM helpdesk_ticket WHERE id IN %s""", (DAYS_BACK, tuple(tickets.ids)))
        cr.execute("""UPDATE helpdesk_ticket SET emergency_phase = 'normalization',
                             service_opened_date = (now() at time zone 'UTC')
                                                   - interval '%s days'
                       WHERE id IN %s""", (DAYS_BACK, tuple(tickets.ids)))
        cr.commit()
        return list(zip(logins, tickets.ids)), users, stamp


class Stats(object):
    """Times per route, errors, and what the server confirmed. The times of
    the warm-up (until ``warm``, a ``time.time()``: each worker process loads
    the registry and compiles the pages at its first requests) are not
    counted; every error and every confirmation is."""

    def __init__(self, warm=0.0):
        self.lock = threading.Lock()
        self.warm = warm
        self.times = defaultdict(list)
        self.errors = defaultdict(list)
        self.approved, self.disputed, self.lines = set(), set(), set()

    def timed(self, route, function):
        begun = time.time()
        start = time.perf_counter()
        try:
            result = function()
        except Exception as error:  # pylint: disable=broad-except
            with self.lock:
                self.errors[route].append(str(error)[:200])
            return None
        if begun >= self.warm or route.endswith("log in"):
            with self.lock:
                self.times[route].append(time.perf_counter() - start)
        return result


def checked(response, *texts):
    if response.status_code != 200:
        raise RuntimeError("HTTP %s" % response.status_code)
    for text in texts:
        if text not in response.text:
            raise RuntimeError("%r not on the page %s" % (text, response.url))
    return response


def client_loop(url, db, login_name, ticket_id, stats, deadline, max_loops, seed, pace):
    rand = random.Random(seed)
    session = stats.timed("client: log in", lambda: login(url, db, login_name, PASSWORD))
    if session is None:
        return
    token = csrf_token(session, url + "/my/emergency/new")
    for _loop in range(max_loops):
        if time.time() > deadline:
            return
        page = stats.timed("client: emergency page", lambda: checked(
            session.get(url + "/my/emergency/%d" % ticket_id, timeout=60)))
        if page is None:
            continue
        # the days whose badge says "Your approval is awaited", newest first:
        # the client opens those, as a person reading the page does
        awaited = sorted({int(i) for row in page.text.split("<tr")[1:]
                          if 'name="badge_client"' in row
                          for i in re.findall(r"/my/emergency/cutoff/(\d+)", row)},
                         reverse=True)
        waiting = None
        for cutoff_id in awaited[:1]:
            day = stats.timed("client: a day (cut-off)", lambda: checked(
                session.get(url + "/my/emergency/cutoff/%d" % cutoff_id, timeout=60)))
            if day is not None and "/approve" in day.text:
                waiting = cutoff_id, day.text
        if not waiting:
            time.sleep(rand.uniform(*pace.read))  # a person reads the page
            continue
        cutoff_id, text = waiting
        lines = re.findall(r'name="dispute_(\d+)"', text)
        if lines and rand.random() < 0.25:
            line = lines[0]
            done = stats.timed("client: dispute", lambda: checked(session.post(
                url + "/my/emergency/cutoff/%d/dispute" % cutoff_id, timeout=60, data={
                    "csrf_token": token, "dispute_" + line: "1",
                    "reason_" + line: "Too long.", "hours_" + line: "0.1"}),
                "objection was sent"))
            if done is not None:
                with stats.lock:
                    stats.disputed.add(cutoff_id)
        else:
            done = stats.timed("client: approve", lambda: checked(session.post(
                url + "/my/emergency/cutoff/%d/approve" % cutoff_id, timeout=60,
                data={"csrf_token": token}), "you approved"))
            if done is not None:
                with stats.lock:
                    stats.approved.add(cutoff_id)
        time.sleep(rand.uniform(*pace.act))


def specialist_loop(url, db, login_name, ticket_ids, stats, deadline, max_loops, seed,
                    pace):
    rand = random.Random(seed)
    session = stats.timed("specialist: log in", lambda: login(url, db, login_name, PASSWORD))
    if session is None:
        return
    slot = 0
    for _loop in range(max_loops):
        if time.time() > deadline:
            return
        for ticket_id in ticket_ids:
            # the person's own quarter hours, 8 h a day, from the opening of
            # the services on, one after the other across its emergencies (a
            # person does not log two emergencies at the same time, nor more
            # than 24 h a day: the model refuses it)
            day, quarter = divmod(slot, 32)
            slot += 1
            if day >= DAYS_BACK - 1:
                continue
            start = odoo.fields.Datetime.to_string(
                odoo.fields.datetime.utcnow().replace(hour=8, minute=0, second=0, microsecond=0)
                - timedelta(days=DAYS_BACK - 1 - day)
                + timedelta(minutes=15 * quarter))
            line = stats.timed("specialist: log time", lambda: call(
                session, url, "account.analytic.line", "create", {
                    "ticket_id": ticket_id, "name": "Load work", "unit_amount": 0.25,
                    "emergency_client_description": "Work", "emergency_date_start": start}))
            if line:
                with stats.lock:
                    stats.lines.add(line)
            if quarter % 4 == 3:  # every hour of work: the day's cut-off, submitted
                stats.timed("specialist: make cut-offs", lambda: call(
                    session, url, "helpdesk.ticket", "action_emergency_make_cutoff", [ticket_id]))
                drafts = stats.timed("specialist: list cut-offs", lambda: call(
                    session, url, "emergency.timesheet.cutoff", "search", [
                        ("ticket_id", "=", ticket_id), ("state", "=", "draft")]))
                if drafts:
                    stats.timed("specialist: submit cut-offs", lambda: call(
                        session, url, "emergency.timesheet.cutoff", "action_submit", drafts))
        time.sleep(rand.uniform(*pace.act))


def lost(conf, db, stats):
    """What the server confirmed and the database does not hold."""
    registry = odoo.registry(db)
    with odoo.api.Environment.manage(), registry.cursor() as cr:
        cr.execute("SELECT id FROM account_analytic_line WHERE id IN %s",
                   (tuple(stats.lines) or (0,),))
        lines = stats.lines - {row[0] for row in cr.fetchall()}
        cr.execute("""SELECT id FROM emergency_timesheet_cutoff
                       WHERE id IN %s AND client_approved_date IS NOT NULL""",
                   (tuple(stats.approved) or (0,),))
        approvals = stats.approved - {row[0] for row in cr.fetchall()}
        cr.execute("""SELECT id FROM emergency_timesheet_cutoff
                       WHERE id IN %s AND disputed_date IS NOT NULL""",
                   (tuple(stats.disputed) or (0,),))
        disputes = stats.disputed - {row[0] for row in cr.fetchall()}
        return lines, approvals, disputes


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("-c", dest="conf", required=True)
    parser.add_argument("-d", dest="db", required=True)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--specialists", type=int, default=10)
    parser.add_argument("--seconds", type=int, default=300)
    parser.add_argument("--max-loops", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("ES_WORKERS") or 5))
    parser.add_argument("--pace", choices=sorted(PACES), default="person",
                        help="the users' pauses: 'person' reads a page 5-15 s and "
                             "pauses 2-5 s after an action; 'robot' 1-3 s and 0.5-2 s")
    parser.add_argument("--results", help="append the table's lines to this file")
    args = parser.parse_args()
    pace = PACES[args.pace]
    print("preparing %d clients and %d specialists" % (args.clients, args.specialists),
          flush=True)
    emergencies, specialists, _stamp = prepare(args.conf, args.db, args.clients,
                                               args.specialists)
    stats = Stats()
    log = os.path.join(ROOT, ".local", "bench", "load-odoo.log")
    with odoo_server(args.conf, args.db, args.workers, log) as url:
        # the preparation's jobs (each emergency's mails and technical
        # report) are run first: the users come to a server in its steady
        # state, not to a backlog of 50 emergencies opened at once
        waited = time.time()
        wait_for_jobs(url, login(url, args.db, "admin", "admin"), limit=900)
        print("the preparation's jobs ran in %.0f s" % (time.time() - waited), flush=True)
        # the first tenth of the run (at most 30 s) warms the workers up
        stats.warm = time.time() + min(30, args.seconds / 10.0)
        deadline = time.time() + args.seconds
        threads = []
        for index, (login_name, ticket_id) in enumerate(emergencies):
            threads.append(threading.Thread(target=client_loop, args=(
                url, args.db, login_name, ticket_id, stats, deadline, args.max_loops, index,
                pace)))
        for index, login_name in enumerate(specialists):
            mine = [ticket for position, (_l, ticket) in enumerate(emergencies)
                    if position % len(specialists) == index]
            threads.append(threading.Thread(target=specialist_loop, args=(
                url, args.db, login_name, mine, stats, deadline, args.max_loops, 1000 + index,
                pace)))
        print("%d users (%s pace) for %d s against %d HTTP workers" % (
            len(threads), args.pace, args.seconds, args.workers), flush=True)
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(args.seconds + 300)
    errors = sum(len(e) for e in stats.errors.values())
    worst = 0.0
    for route in sorted(set(stats.times) | set(stats.errors)):
        times = stats.times.get(route, [])
        p95 = percentile(times, 0.95)
        if not route.endswith("log in"):
            worst = max(worst, p95 if times else 0.0)
        print("  %-28s %5d requests  p50 %5.2f s  p95 %5.2f s  %d errors" % (
            route, len(times), median(times), p95, len(stats.errors.get(route, []))))
        for error in stats.errors.get(route, [])[:3]:
            print("      %s" % error)
    lines, approvals, disputes = lost(args.conf, args.db, stats)
    missing = len(lines) + len(approvals) + len(disputes)
    print("confirmed: %d time lines, %d approvals, %d disputes; lost: %d, %d, %d" % (
        len(stats.lines), len(stats.approved), len(stats.disputed),
        len(lines), len(approvals), len(disputes)))
    record(args.results, "load: %d clients + %d specialists, %d s, %d workers, %s pace" % (
        args.clients, args.specialists, args.seconds, args.workers, args.pace),
        "worst p95 %.2f s; %d requests; %d errors; %d lost" % (
            worst, sum(len(t) for t in stats.times.values()), errors, missing),
        "0 errors, 0 lost, p95 <= 1 s", not errors and not missing and worst <= 1,
        "%d lines, %d approvals, %d disputes" % (
            len(stats.lines), len(stats.approved), len(stats.disputed)))


if __name__ == "__main__":
    main()
