"""Time logged in the HTTP tests must have happened: no line may end after
now (issue 13, item 11). A service the test has just opened has no past yet,
so the test moves the emergency's clock back, as the demo data does."""
from datetime import datetime, timedelta

DATETIME = "%Y-%m-%d %H:%M:%S"


def _earlier(value, delta):
    if not value:
        return value
    return (datetime.strptime(value, DATETIME) - delta).strftime(DATETIME)


def open_service_earlier(admin, ticket, hours=48):
    """Move the phase history and the step dates of ``ticket`` ``hours``
    back (superuser writes, like the demo data), so that work can be logged
    from the opening of its service on without ending in the future.
    ``admin(model, method, *args, **kw)`` calls as the administrator.
    Returns the new opening of the service."""
    delta = timedelta(hours=hours)
    for row in admin("emergency.phase.history", "search_read", [("ticket_id", "=", ticket)],
                     fields=["date_start", "date_end"], order="date_start, id"):
        admin("emergency.phase.history", "write", [row["id"]], {
            "date_start": _earlier(row["date_start"], delta),
            "date_end": _earlier(row["date_end"], delta)})
    dates = admin("helpdesk.ticket", "read", [ticket], fields=[
        "accepted_date", "service_opened_date", "normalization_date"])[0]
    admin("helpdesk.ticket", "write", [ticket], {
        name: _earlier(value, delta) for name, value in dates.items()
        if name != "id" and value})
    return _earlier(dates["service_opened_date"], delta)
