"""A headless Chromium driving Odoo 11's web client, for the browser tests.

The fixtures in ``tests/conftest.py`` hand out :class:`OdooBrowser` objects
already logged in (``browser_login("specialist")``). Helpers find elements by
stable attributes only (field ``name=``, button names, menu xml ids,
``data-value``), never by labels: the test database is loaded in Spanish.

Every wait also watches for Odoo's error dialogs (a server error or a user
error, ``.modal .o_dialog_error`` / ``.o_dialog_warning``) and fails at once
with their text; :meth:`OdooBrowser.step` saves a screenshot under
``.local/artifacts/<test>/`` and fails on any SEVERE message of the browser
console.
"""
import os
import re
import shutil
import tempfile
import time
from xml.etree import ElementTree

import requests
from selenium import webdriver
from selenium.common.exceptions import (
    StaleElementReferenceException, TimeoutException, WebDriverException)
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ARTIFACTS = os.path.join(ROOT, ".local", "artifacts")
CHROMIUM = os.environ.get("ES_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("ES_CHROMEDRIVER", "/usr/bin/chromedriver")
CHROMIUM_FLAGS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
    "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--window-size=1400,1000", "--lang=en-US",
)
#: seconds to wait for the web client (the first load compiles the assets)
TIMEOUT = float(os.environ.get("ES_BROWSER_TIMEOUT", "60"))

#: counts the XMLHttpRequests in flight, long polling aside (the bus keeps
#: one pending all the time): installed in every document before its scripts
PENDING_REQUESTS_JS = """
(function () {
    if (window.__esPending !== undefined) { return; }
    window.__esPending = 0;
    var open = XMLHttpRequest.prototype.open;
    var send = XMLHttpRequest.prototype.send;
    XMLHttpRequest.prototype.open = function (method, url) {
        this.__esTracked = !/longpolling/.test(String(url));
        return open.apply(this, arguments);
    };
    XMLHttpRequest.prototype.send = function () {
        if (this.__esTracked) {
            window.__esPending++;
            this.addEventListener('loadend', function () { window.__esPending--; });
        }
        return send.apply(this, arguments);
    };
})();
"""

IDLE_JS = """
var pending = window.__esPending || 0;
var blocked = !!document.querySelector('.blockUI');
var loading = Array.prototype.some.call(document.querySelectorAll('.o_loading'),
    function (el) { return el.offsetParent !== null; });
return pending === 0 && !blocked && !loading && document.readyState === 'complete';
"""

ERROR_DIALOG = ".modal .o_dialog_error, .modal .o_dialog_warning"

#: the screens a page is checked at: a phone (an iPhone 12-14's CSS pixels,
#: a touch screen) and a laptop
PHONE = {"width": 390, "height": 844, "mobile": True}
DESKTOP = {"width": 1366, "height": 900, "mobile": False}

#: how much wider than the screen the page is (0: nothing overflows), and the
#: widest visible elements sticking out on the right, to say what overflows
OVERFLOW_JS = """
var width = window.innerWidth;
var over = document.documentElement.scrollWidth - width;
var culprits = [];
if (over > 0) {
    Array.prototype.forEach.call(document.querySelectorAll('body *'), function (el) {
        var box = el.getBoundingClientRect();
        if (box.width && box.right > width + 1 && culprits.length < 5) {
            culprits.push(el.tagName.toLowerCase() + (el.getAttribute('name') ?
                '[name=' + el.getAttribute('name') + ']' : '') + '.' +
                String(el.className).split(' ').join('.') + ' right=' + Math.round(box.right));
        }
    });
}
// a table wider than its scrolling box: the page fits, the figures do not
Array.prototype.forEach.call(document.querySelectorAll('.table-responsive'), function (el) {
    if (el.offsetParent !== null && el.scrollWidth > el.clientWidth + 1) {
        over = Math.max(over, el.scrollWidth - el.clientWidth);
        culprits.push('scrolls sideways: ' + el.className + ' ' +
            (el.querySelector('table') || el).className);
    }
});
return [over, culprits];
"""


class OdooError(AssertionError):
    """Odoo showed an error dialog (server error, user error, warning)."""


def _safe_name(text):
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_")[:80]


class OdooBrowser(object):
    """One headless Chromium session of one Odoo user."""

    def __init__(self, server, login, password, artifacts_dir):
        self.server = server
        self.url = server.url
        self.login = login
        self.password = password
        self.artifacts_dir = artifacts_dir
        self.download_dir = tempfile.mkdtemp(prefix="es-downloads-")
        self.profile_dir = tempfile.mkdtemp(prefix="es-chromium-")
        self.console = []  # every console message seen, for the reports
        self.screen = None  # set_screen(): the emulated screen, if any
        self._shots = 0
        self._lang = None
        self._archs = {}  # (model, view type): its arch, its fields' inline archs
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in CHROMIUM_FLAGS:
            options.add_argument(flag)
        options.add_argument("--user-data-dir=%s" % self.profile_dir)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        options.add_experimental_option("prefs", {
            "download.default_directory": self.download_dir,
            "download.prompt_for_download": False,
            "plugins.always_open_pdf_externally": True,
        })
        self.driver = webdriver.Chrome(
            service=Service(CHROMEDRIVER), options=options)
        self.driver.set_page_load_timeout(TIMEOUT)
        self.driver.execute_cdp_cmd(
            "Page.addScriptToEvaluateOnNewDocument", {"source": PENDING_REQUESTS_JS})
        self.driver.execute_cdp_cmd("Browser.setDownloadBehavior", {
            "behavior": "allow", "downloadPath": self.download_dir,
            "eventsEnabled": True})

    # ------------------------------------------------------------------
    # session
    # ------------------------------------------------------------------

    def log_in(self):
        """Log in through the login form. An internal user lands in the web
        client (waited for), a portal user on its portal page (``/my``)."""
        self.driver.get(self.url + "/web/login")
        self.find("form.oe_login_form input[name=login]").send_keys(self.login)
        password = self.find("form.oe_login_form input[name=password]")
        password.send_keys(self.password)
        password.submit()

        def landed(driver):
            if "/web/login" in driver.current_url:
                refused = self.find_all("form.oe_login_form .alert-danger")
                assert not refused, "login %s refused: %s" % (self.login, refused[0].text)
                return False
            if driver.execute_script("return document.readyState") != "complete":
                return False
            if re.search(r"/web(\?|#|$)", driver.current_url):  # the web client
                return bool(self.find_all(".o_web_client .o_main"))
            return True
        self.wait_until(landed, "login %s: no page after the login form" % self.login)
        self.wait_idle()
        self.check_console("login")

    def set_screen(self, screen):
        """Lay the pages out for ``screen`` (:data:`PHONE` or
        :data:`DESKTOP`): the viewport's size in CSS pixels and, for a
        phone, a mobile, touch device (Chromium's device emulation). Takes
        effect at once; a page is laid out again."""
        self.screen = screen
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": screen["width"], "height": screen["height"],
            "deviceScaleFactor": 1, "mobile": screen["mobile"]})
        self.driver.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {
            "enabled": screen["mobile"], "maxTouchPoints": 5 if screen["mobile"] else 1})

    def screen_name(self):
        screen = self.screen
        return "%dx%d" % (screen["width"], screen["height"]) if screen else "default"

    def assert_fits(self, where):
        """Nothing of the page sticks out on the right of the screen:
        ``document.documentElement.scrollWidth <= window.innerWidth``, and
        no table scrolls sideways in its box (its last columns hidden)."""
        over, culprits = self.driver.execute_script(OVERFLOW_JS)
        assert over <= 0, "%s at %s: the page is %d px wider than the screen (%s)" % (
            where, self.screen_name(), over, "; ".join(culprits))

    def assert_reachable(self, css):
        """The element ``css`` is shown, inside the screen's width once
        scrolled to, and big enough to hit with a thumb on a phone."""
        element = self.wait_for(css)
        self.driver.execute_script(
            "arguments[0].scrollIntoView({block: 'center'});", element)
        box = self.driver.execute_script(
            "var b = arguments[0].getBoundingClientRect();"
            "return [b.left, b.right, b.width, b.height, window.innerWidth];", element)
        left, right, width, height, screen = box
        assert left >= 0 and right <= screen + 1, "%r is off-screen at %s (%s..%s of %s)" % (
            css, self.screen_name(), left, right, screen)
        assert width > 0 and height > 0, "%r has no size" % css
        return element

    def requests_session(self):
        """A ``requests`` session with this browser's Odoo session cookie."""
        session = requests.Session()
        for cookie in self.driver.get_cookies():
            session.cookies.set(cookie["name"], cookie["value"])
        return session

    def close(self):
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self.profile_dir, ignore_errors=True)
            shutil.rmtree(self.download_dir, ignore_errors=True)

    # ------------------------------------------------------------------
    # waiting and finding
    # ------------------------------------------------------------------

    def raise_on_error_dialog(self):
        """Fail with the text of Odoo's error dialog, if one is open."""
        for dialog in self.driver.find_elements(By.CSS_SELECTOR, ERROR_DIALOG):
            try:
                if dialog.is_displayed():
                    modal = dialog.find_element(By.XPATH, "./ancestor::div[contains("
                                                "concat(' ', @class, ' '), ' modal ')][1]")
                    self.screenshot("error-dialog")
                    raise OdooError("Odoo shows an error dialog: %s" % modal.text)
            except StaleElementReferenceException:
                continue

    def wait_until(self, condition, message, timeout=TIMEOUT):
        """Wait for ``condition(driver)`` to be truthy, failing fast on an
        error dialog; returns its value."""
        def check(driver):
            self.raise_on_error_dialog()
            try:
                return condition(driver)
            except StaleElementReferenceException:
                return False
        try:
            return WebDriverWait(self.driver, timeout, poll_frequency=0.1,
                                 ignored_exceptions=(WebDriverException,)
                                 ).until(check)
        except TimeoutException:
            self.raise_on_error_dialog()
            path = self.screenshot("timeout")
            with open(path[:-4] + ".html", "w") as page:  # the DOM, to see why
                page.write(self.driver.page_source)
            raise TimeoutException("%s (after %s s)" % (message, timeout))

    def wait_idle(self, timeout=TIMEOUT):
        """Wait until no RPC is in flight and the UI is not blocked, twice in
        a row 150 ms apart (a click often starts its RPC a moment later)."""
        state = {"since": None}

        def idle(driver):
            if not driver.execute_script(IDLE_JS):
                state["since"] = None
                return False
            now = time.time()
            if state["since"] is None:
                state["since"] = now
            return now - state["since"] >= 0.15
        self.wait_until(idle, "Odoo still busy (RPCs pending or UI blocked)", timeout)

    def find_all(self, css, root=None):
        return [element for element in (root or self.driver).find_elements(
            By.CSS_SELECTOR, css) if element.is_displayed()]

    def wait_for(self, css, root=None, timeout=TIMEOUT):
        """The first visible element matching ``css``."""
        return self.wait_until(
            lambda driver: (self.find_all(css, root) or [None])[0],
            "no visible element matches %r" % css, timeout)

    find = wait_for

    def wait_gone(self, css, timeout=TIMEOUT):
        self.wait_until(lambda driver: not self.find_all(css),
                        "%r is still shown" % css, timeout)

    def click(self, css, root=None):
        element = self.wait_for(css, root)
        self.wait_until(lambda driver: element.is_enabled(), "%r is disabled" % css)
        self.driver.execute_script(
            "arguments[0].scrollIntoView({block: 'center'});", element)
        element.click()
        self.wait_idle()
        return element

    # ------------------------------------------------------------------
    # console and screenshots
    # ------------------------------------------------------------------

    def check_console(self, where):
        """Fail on any SEVERE message of the browser console since the last
        check."""
        entries = self.driver.get_log("browser")
        self.console.extend(entries)
        severe = [entry["message"] for entry in entries if entry["level"] == "SEVERE"]
        assert not severe, "browser console errors at %s (%s):\n%s" % (
            where, self.login, "\n".join(severe))

    def screenshot(self, name):
        self._shots += 1
        os.makedirs(self.artifacts_dir, exist_ok=True)
        screen = self.screen
        suffix = "-%s" % self.screen_name() if screen else ""
        path = os.path.join(self.artifacts_dir, "%02d-%s-%s%s.png" % (
            self._shots, self.login, _safe_name(name), suffix))
        self.driver.save_screenshot(path)
        return path

    def step(self, name):
        """End of a user step: the UI is idle, a screenshot is saved, the
        console holds no error."""
        self.wait_idle()
        self.raise_on_error_dialog()
        self.screenshot(name)
        self.check_console(name)

    # ------------------------------------------------------------------
    # navigation
    # ------------------------------------------------------------------

    def open_menu(self, *xmlids):
        """Click menus by xml id: the application, then the (sub)menu leaf.

        With web_responsive the applications live in its app drawer and an
        application's sections are dropdowns of the top bar (collapsed
        behind a toggle on a phone): a menu link that is not visible is
        clicked as the drawer or the dropdown would click it, through the
        web client's own click handler. Sections are not links there (and
        need no click in Odoo 11's left bar): they are skipped."""
        for xmlid in xmlids:
            selector = "a[data-menu-xmlid='%s']" % xmlid
            if self.find_all(selector):
                self.click(selector)
                continue
            links = self.driver.find_elements(By.CSS_SELECTOR, selector)
            if links:
                self.driver.execute_script("arguments[0].click();", links[0])
                self.wait_idle()
            elif xmlid == xmlids[-1]:
                self.wait_for(selector)  # fails, naming the missing menu
        self.wait_for(".o_content .o_view_manager_content > div, .o_content > div")
        self.wait_idle()

    def breadcrumbs(self):
        return [item.text for item in self.find_all(".breadcrumb li")]

    # ------------------------------------------------------------------
    # form views
    # ------------------------------------------------------------------

    def form(self, root=None):
        """The form view in the main content (or in ``root``, a dialog)."""
        if root is not None:
            return self.wait_for(".o_form_view", root)
        return self.wait_for(".o_content .o_form_view")

    def wait_form_mode(self, mode):
        """``editable`` or ``readonly``."""
        self.wait_for(".o_content .o_form_view.o_form_%s" % mode)
        self.wait_idle()

    def field(self, name, root=None):
        """The widget of field ``name`` (the element carrying name=)."""
        root = root or self.form()
        return self.wait_for("[name='%s'].o_field_widget" % name, root)

    def show_field(self, name, root=None):
        """Open the notebook page holding field ``name`` if it is hidden."""
        root = root or self.form()
        elements = root.find_elements(By.CSS_SELECTOR, "[name='%s'].o_field_widget" % name)
        if not elements:
            raise AssertionError("no field %r on the form" % name)
        if elements[0].is_displayed():
            return elements[0]
        pane = elements[0].find_element(
            By.XPATH, "./ancestor::div[contains(concat(' ', @class, ' '), ' tab-pane ')][1]")
        self.click("a[data-toggle='tab'][href='#%s']" % pane.get_attribute("id"), root)
        return self.field(name, root)

    def _input(self, name, root=None):
        widget = self.show_field(name, root)
        if widget.tag_name in ("input", "textarea", "select"):
            return widget
        editable = self.find_all(".note-editable, [contenteditable='true']", widget)
        if editable:  # the html editor
            return editable[0]
        return self.wait_for("input, textarea, select", widget)

    def set_value(self, name, value, root=None):
        """Type ``value`` into a char, text, number, date or html field."""
        element = self._input(name, root)
        element.click()
        if element.get_attribute("contenteditable") == "true":
            element.send_keys(Keys.CONTROL, "a")
            element.send_keys(Keys.DELETE)
        else:
            element.clear()
        element.send_keys(str(value))
        element.send_keys(Keys.TAB)
        self.wait_idle()

    def select(self, name, value, root=None):
        """Choose ``value`` (the technical key) in a selection field, a
        ``<select>`` or radio buttons."""
        widget = self.show_field(name, root)
        if widget.tag_name == "select":
            Select(widget).select_by_value('"%s"' % value)
        else:
            self.click("input[type=radio][data-value='%s']" % value, widget)
        self.wait_idle()

    def set_many2one(self, name, text, root=None):
        """Type ``text`` in a many2one (or many2many tags) field and pick the
        suggestion named exactly ``text``."""
        element = self._input(name, root)
        element.click()
        element.clear()
        element.send_keys(text)
        self.wait_idle()  # the search of the last keystroke answered

        def pick(driver):  # the list is redrawn by each search: find and click at once
            for item in self.find_all("ul.ui-autocomplete li.ui-menu-item a"):
                if item.text.strip() == text:
                    item.click()
                    return True
            return False
        self.wait_until(pick, "no suggestion %r for %s" % (text, name))
        self.wait_idle()

    def statusbar_value(self, name, root=None):
        """The technical value selected in a statusbar field."""
        widget = self.field(name, root)
        current = self.wait_for("button.btn-primary[data-value]", widget)
        return current.get_attribute("data-value"), current.text

    def wait_statusbar(self, name, value, root=None):
        self.wait_until(
            lambda driver: self.statusbar_value(name, root)[0] == value,
            "status bar %s never showed %r" % (name, value))
        return self.statusbar_value(name, root)

    def lang(self):
        """This user's language settings: ``code``, ``date_format``,
        ``decimal_point``, ``thousands_sep``."""
        if self._lang is None:
            context = self.server.execute(
                self.login, self.password, "res.users", "context_get")
            self._lang = self.server.execute(
                self.login, self.password, "res.lang", "search_read",
                [("code", "=", context.get("lang") or "en_US")],
                fields=["code", "date_format", "decimal_point", "thousands_sep"])[0]
        return self._lang

    def format_number(self, value):
        """``value`` as this user types it (``2,5`` in Spanish)."""
        return str(value).replace(".", self.lang()["decimal_point"])

    def format_date(self, day):
        """A date as this user types it."""
        return day.strftime(self.lang()["date_format"])

    def current_model(self):
        """The model of the view shown (from the URL's hash)."""
        match = re.search(r"[#&]model=([\w.]+)", self.driver.current_url)
        return match.group(1) if match else None

    def button_labels(self, model, name, view_type="form", field=None):
        """The labels, in this user's language, of the buttons ``name`` of
        the ``model``'s default view. Odoo 11 renders a form's header
        buttons without their name=: they are found by these labels, taken
        from the view the server gives this user (its groups, its language).
        ``field``: the buttons of that x2many field's inline views (a row's
        buttons): the server hands them apart from the view's arch."""
        key = (model, view_type)
        if key not in self._archs:
            context = self.server.execute(
                self.login, self.password, "res.users", "context_get")
            view = self.server.execute(
                self.login, self.password, model, "fields_view_get",
                view_type=view_type, context=context)
            self._archs[key] = (ElementTree.fromstring(view["arch"].encode("utf-8")), {
                field_name: [ElementTree.fromstring(sub["arch"].encode("utf-8"))
                             for sub in description.get("views", {}).values()]
                for field_name, description in view["fields"].items()})
        arch, inline = self._archs[key]
        archs = inline.get(field, []) if field else [arch]
        labels = {node.get("string") for tree in archs for node in tree.iter("button")
                  if node.get("name") == name and node.get("string")}
        assert labels, "the %s view of %s%s has no button %r" % (
            view_type, model, " (field %s)" % field if field else "", name)
        return labels

    def header_button(self, name, model=None):
        """The visible header button ``name`` (its name= in the view) of the
        form shown, or None."""
        labels = self.button_labels(model or self.current_model(), name)
        found = [button for button in self.find_all(
            ".o_content .o_form_statusbar .o_statusbar_buttons button")
            if button.text.strip() in labels]
        assert len(found) <= 1, "several visible buttons %s: %s" % (name, labels)
        return found[0] if found else None

    def click_button(self, name, model=None):
        """Click the visible header button ``name`` of the form shown."""
        button = self.wait_until(lambda driver: self.header_button(name, model),
                                 "no visible button %r on the form" % name)
        self.driver.execute_script(
            "arguments[0].scrollIntoView({block: 'center'});", button)
        button.click()
        self.wait_idle()
        return button

    def save(self):
        self.click(".o_form_button_save")
        self.wait_form_mode("readonly")

    def current_id(self):
        """The id of the record shown (from the URL's hash)."""
        match = re.search(r"[#&]id=(\d+)", self.driver.current_url)
        return int(match.group(1)) if match else None

    def modal(self):
        """The dialog on top (its .modal-dialog)."""
        dialogs = self.wait_until(
            lambda driver: self.find_all(".modal.in .modal-dialog, .modal.show .modal-dialog"),
            "no dialog opened")
        return dialogs[-1]

    def confirm_dialog(self):
        """Click OK in a confirmation dialog (a button's confirm=)."""
        dialog = self.modal()
        self.click(".modal-footer .btn-primary", dialog)

    def wait_download(self, suffix=".pdf", timeout=TIMEOUT):
        """The path of the first finished download ending with ``suffix``."""
        def done(driver):
            names = os.listdir(self.download_dir)
            if any(name.endswith(".crdownload") for name in names):
                return None
            found = [name for name in names if name.endswith(suffix)]
            return os.path.join(self.download_dir, found[0]) if found else None
        return self.wait_until(done, "no %s file downloaded" % suffix, timeout)
