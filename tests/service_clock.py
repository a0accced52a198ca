"""Time logged in the HTTP tests must have happened: no line may end after
now (issue 13, item 11). A service the test has just opened has no past yet,
so the test moves the emergency's clock back, as the demo data does."""
from datetime import datetime, time, timedelta

DATETIME = "%Y-%m-%d %H:%M:%S"


def _earlier(value, delta):
    if not value:
        return value
    return (datetime.strptime(value, DATETIME) - delta).strftime(DATETIME)


def open_service_earlier(admin, ticket, days=2):
    """Move the phase history and the step dates of ``ticket`` back, so that
    its service opened at 10:00 UTC ``days`` days ago (superuser writes, like
    the demo data): work can then be logged from the opening on without
    ending in the future, and a few hours from the opening stay in one
    client's day (06:00 in Caracas, 10:00 in UTC). ``admin(model, method,
    *args, **kw)`` calls as the administrator. Returns the new opening."""
    dates = admin("helpdesk.ticket", "read", [ticket], fields=[
        "accepted_date", "service_opened_date", "normalization_date"])[0]
    opened = datetime.strptime(dates["service_opened_date"], DATETIME)
    delta = opened - datetime.combine(opened.date() - timedelta(days=days), time(10, 0))
    for row in admin("emergency.phase.history", "search_read", [("ticket_id", "=", ticket)],
                     fields=["date_start", "date_end"], order="date_start, id"):
        admin("emergency.phase.history", "write", [row["id"]], {
            "date_start": _earlier(row["date_start"], delta),
            "date_end": _earlier(row["date_end"], delta)})
    admin("helpdesk.ticket", "write", [ticket], {
        name: _earlier(value, delta) for name, value in dates.items()
        if name != "id" and value})
    return _earlier(dates["service_opened_date"], delta)
