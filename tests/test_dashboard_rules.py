"""The dashboard's pure figures (issue 15), without a database."""
from odoo.addons.emergency_support import rules
from odoo.addons.emergency_support_timesheet import rules as time_rules


def test_share_percent():
    assert rules.share_percent(3, 5) == 60.0
    assert rules.share_percent(2, 3) == 66.7
    assert rules.share_percent(0, 4) == 0.0
    # an empty period: 0, not a division by zero
    assert rules.share_percent(0, 0) == 0.0


def test_per_hundred_hours():
    assert rules.per_hundred_hours(1, 7.5) == 13.33
    assert rules.per_hundred_hours(3, 300) == 1.0
    assert rules.per_hundred_hours(2, 0.0) == 0.0


def test_logged_hours_leave_the_corrections_aside():
    """A day disputed and corrected down to nothing still shows the hours
    the team logged on it (the dashboard's "Hours logged" next to its
    "Days disputed")."""
    groups = [("normalization", "approved", False, False, 3.0),
              ("mitigation", "corrected", True, False, 2.0),
              ("mitigation", "draft", False, True, -2.0)]
    assert time_rules.logged_hours(groups) == 5.0
    assert time_rules.logged_hours([]) == 0.0
    assert time_rules.logged_hours([("mitigation", None, False, False, None)]) == 0.0
