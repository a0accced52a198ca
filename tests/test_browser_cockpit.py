"""The manager's cockpit and the accountant's desk in a real browser (issue 15).

The manager (``admin``) opens Helpdesk > Emergencies > Dashboard and every
counter's list: each list holds as many records as its counter said. The
accountant opens Invoicing > Emergencies, each of its lists, and goes from a
line of an emergency invoice to its time lines and its daily cut-offs (who
approved them). Screenshots: ``.local/artifacts/<test>/``.
"""
from selenium.webdriver.common.by import By

from browser import DESKTOP, PHONE, OdooBrowser

HELPDESK_MENU = "helpdesk_mgmt.helpdesk_ticket_main_menu"
EMERGENCY_MENU = "emergency_support.emergency_menu"
DASHBOARD_MENU = "emergency_support.emergency_dashboard_menu"
INVOICING_MENU = "account.menu_finance"
DESK_MENU = "emergency_support_invoice.emergency_accounting_menu"
COUNTERS = ".o_content .o_form_view .oe_button_box button.oe_stat_button"
ROWS = ".o_content .o_list_view tbody tr.o_data_row"


def _admin(odoo_server, model, method, *args, **kwargs):
    return odoo_server.execute("admin", "admin", model, method, *args, **kwargs)


def _rows(browser):
    """The records of the list shown, its groups opened (one at a time:
    opening a group draws the list anew, the other headers go stale)."""
    for _attempt in range(50):
        closed = [group for group in browser.find_all(
            ".o_content .o_list_view tr.o_group_header")
            if not group.find_elements(By.CSS_SELECTOR, ".fa-caret-down")]
        if not closed:
            return browser.find_all(ROWS)
        closed[0].click()
        browser.wait_idle()
    raise AssertionError("the list's groups do not open")


#: each counter's label against its box: ``[label, overflowing sideways,
#: overflowing downwards, outside its button, button outside the screen]``
LABELS_JS = """
return Array.prototype.map.call(document.querySelectorAll(arguments[0]), function (button) {
    var label = button.querySelector('.o_stat_text');
    var box = button.getBoundingClientRect();
    var text = label.getBoundingClientRect();
    return [label.textContent.trim(),
            label.scrollWidth > label.clientWidth,
            label.scrollHeight > label.clientHeight + 1,
            text.left < box.left - 1 || text.right > box.right + 1
                || text.top < box.top - 1 || text.bottom > box.bottom + 1,
            box.left < 0 || box.right > window.innerWidth + 1];
});
"""


def _assert_labels_whole(browser):
    """Every counter's label is read whole: not cut (an ellipsis), not
    wider or taller than its box, inside its button, the button inside the
    screen."""
    labels = browser.driver.execute_script(LABELS_JS, COUNTERS)
    assert labels
    cut = [(label, flags) for label, *flags in labels if any(flags) or not label]
    assert not cut, "%s: labels cut (sideways, downwards, out of the button, " \
        "off-screen): %s" % (browser.screen_name(), cut)


def _back(browser):
    """Back to the previous screen through the breadcrumbs: their last link
    (the first one goes back to where the walk began)."""
    browser.wait_for(".breadcrumb li:not(.active) a")
    link = browser.find_all(".breadcrumb li:not(.active) a")[-1]
    link.click()
    browser.wait_idle()


def test_manager_opens_the_dashboard_and_each_counters_list(odoo_server, browser_login):
    browser = browser_login("admin")  # type: OdooBrowser
    browser.set_screen(DESKTOP)
    browser.open_menu(HELPDESK_MENU, EMERGENCY_MENU, DASHBOARD_MENU)
    browser.wait_for(COUNTERS)
    browser.step("dashboard")
    _assert_labels_whole(browser)
    counters = len(browser.find_all(COUNTERS))
    assert counters >= 10, "the dashboard shows %d counters" % counters
    seen = []
    for index in range(counters):
        button = browser.find_all(COUNTERS)[index]
        value = int(button.find_element(By.CSS_SELECTOR, ".o_stat_value").text)
        label = button.find_element(By.CSS_SELECTOR, ".o_stat_text").text
        browser.driver.execute_script(
            "arguments[0].scrollIntoView({block: 'center'});", button)
        button.click()
        browser.wait_idle()
        # an empty list shows its help instead (Odoo 11: .oe_view_nocontent)
        browser.wait_for(".o_content .o_list_view, .o_content .oe_view_nocontent")
        rows = len(_rows(browser))
        browser.step("counter-%02d" % index)
        assert rows == value, "%r says %d, its list shows %d" % (label, value, rows)
        seen.append((label, value))
        _back(browser)
        browser.wait_for(COUNTERS)
    # the demo has emergencies waiting: not every counter is zero
    assert any(value for _label, value in seen), seen
    # each counter says what it counts (a field shown twice took its second
    # label in both places: "In evaluation" read "The specialist (evaluation)")
    labels = [label for label, _value in seen]
    assert len(set(labels)) == len(labels), labels
    # the figures: the promise, hours, money are shown
    form = browser.form()
    for name in ("promise_share", "promise_median", "promise_p90",
                 "hours_approved_normalization", "disputes_per_100h",
                 "estimate_normalization", "actual_normalization",
                 "invoiced_total", "unbilled_hours"):
        assert form.find_elements(By.CSS_SELECTOR, "[name='%s']" % name), name
    browser.step("figures")
    # on a phone (web_responsive): every label whole, nothing wider than the
    # screen, and a counter still opens its list
    browser.set_screen(PHONE)
    browser.wait_idle()
    _assert_labels_whole(browser)
    browser.assert_fits("the dashboard")
    browser.step("dashboard-phone")
    index = next(index for index, (_label, value) in enumerate(seen) if value)
    button = browser.find_all(COUNTERS)[index]
    browser.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", button)
    browser.step("dashboard-phone-counter")
    button.click()
    browser.wait_idle()
    # on a phone Odoo 11 opens the action's kanban view first, when it has one
    browser.wait_for(".o_content .o_list_view, .o_content .o_kanban_view")
    assert browser.breadcrumbs()[-1] == seen[index][0], (browser.breadcrumbs(), seen[index])
    browser.step("counter-phone")


def test_accountant_goes_from_an_invoice_line_to_its_time(odoo_server, browser_login):
    browser = browser_login("accountant")  # type: OdooBrowser
    for leaf in ("account_invoice_emergency_menu", "helpdesk_ticket_invoice_waiting_menu",
                 "account_analytic_line_emergency_menu",
                 "account_invoice_emergency_analysis_menu"):
        browser.open_menu(INVOICING_MENU, DESK_MENU, "emergency_support_invoice." + leaf)
        browser.step(leaf)
    # a validated or draft emergency invoice billing time: the demo's
    lines = _admin(odoo_server, "account.invoice.line", "search_read",
                   [("emergency_line_kind", "=", "time")],
                   fields=["invoice_id", "emergency_timesheet_ids"], limit=1)
    assert lines, "the demo has no invoice billing time"
    line = lines[0]
    action = _admin(odoo_server, "ir.model.data", "xmlid_to_res_id",
                    "emergency_support_invoice.account_invoice_emergency_action")
    browser.driver.get("%s/web#id=%d&action=%d&model=account.invoice&view_type=form"
                       % (odoo_server.url, line["invoice_id"][0], action))
    browser.wait_for(".o_content .o_form_view")
    browser.wait_idle()
    browser.step("invoice")
    browser.click(".o_content .o_form_view .o_field_x2many_list "
                  "button.o_icon_button:has(> i.fa-clock-o)")
    browser.wait_for(".o_content .o_list_view")
    browser.wait_idle()
    # grouped by cut-off: open the groups, then count the time lines
    assert len(_rows(browser)) == len(line["emergency_timesheet_ids"])
    browser.step("time-lines")
    _back(browser)
    browser.click(".o_content .o_form_view .o_field_x2many_list "
                  "button.o_icon_button:has(> i.fa-calendar-check-o)")
    browser.wait_for(ROWS)
    cutoffs = _admin(odoo_server, "account.analytic.line", "read",
                     line["emergency_timesheet_ids"], fields=["emergency_cutoff_id"])
    cutoff_ids = {row["emergency_cutoff_id"][0] for row in cutoffs}
    approvals = _admin(odoo_server, "emergency.timesheet.cutoff", "read",
                       list(cutoff_ids), fields=["staff_approved_by_id"])
    rows = browser.find_all(ROWS)
    assert len(rows) == len(cutoff_ids)
    # who approved is on the row
    for approval in approvals:
        if approval["staff_approved_by_id"]:
            assert any(approval["staff_approved_by_id"][1] in row.text for row in rows)
    browser.step("cut-offs")
