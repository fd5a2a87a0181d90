"""Steps every browser journey shares."""
import http.cookiejar
import re
import time
import urllib.error
import urllib.request

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait


def navigate(browser, target):
    """Clicks a link or button and waits until the next page has replaced this one.

    `target` is an element or a locator `(By.…, value)`. With a locator the element is found again
    if Chromium lost it between finding and clicking (seen on a loaded machine: "Node with given id
    does not belong to the document")."""
    for attempt in range(3):
        page = browser.find_element(By.TAG_NAME, "html")
        element = browser.find_element(*target) if isinstance(target, tuple) else target
        try:
            element.click()
        except (StaleElementReferenceException, WebDriverException) as error:
            lost = isinstance(error, StaleElementReferenceException) or "does not belong to the document" in str(error)
            if not lost or not isinstance(target, tuple) or attempt == 2:
                raise
            continue
        WebDriverWait(browser, 20).until(replaced(page))
        return


def replaced(page):
    """Like expected_conditions.staleness_of, also when Chromium reports the old page's node as one
    that "does not belong to the document" (a WebDriverException, not a StaleElementReferenceException)."""
    stale = expected_conditions.staleness_of(page)

    def check(driver):
        try:
            return stale(driver)
        except WebDriverException as error:
            if "does not belong to the document" in str(error):
                return True
            raise
    return check


DEMO_PASSWORD = "cocrea-demo-2026"


def sign_in(browser, base, email, password=DEMO_PASSWORD):
    """Signs in through the real form and checks it left the sign-in page."""
    browser.get(base + "/login")
    browser.find_element(By.ID, "email").send_keys(email)
    browser.find_element(By.ID, "password").send_keys(password)
    navigate(browser, browser.find_element(By.CSS_SELECTOR, "form[action='/login'] button[type=submit]"))
    assert "/login" not in browser.current_url, main_text(browser)


def main_text(browser):
    return browser.find_element(By.TAG_NAME, "main").text


def scroll_to(browser, selector):
    """Brings a part of the page to the top of the window, for the screenshot."""
    browser.execute_script("arguments[0].scrollIntoView()", browser.find_element(By.CSS_SELECTOR, selector))


def tab_to(browser, matches, limit=40):
    """Presses TAB until the focused element satisfies `matches`; returns it and the focus path."""
    path = []
    for _ in range(limit):
        ActionChains(browser).send_keys(Keys.TAB).perform()
        focused = browser.switch_to.active_element
        path.append(focused.tag_name + ("#" + focused.get_attribute("id") if focused.get_attribute("id") else
                                        "[" + (focused.text or focused.get_attribute("type") or "") + "]"))
        if matches(focused):
            return focused, path
    raise AssertionError("TAB never reached the element; focus went through: " + " → ".join(path))


def press(browser, *keys):
    """Presses keys on whatever has the focus (as a person at the keyboard would)."""
    ActionChains(browser).send_keys(*keys).perform()


def assert_no_horizontal_scroll(browser, where=""):
    """The page fits the window's width: nothing makes a phone scroll sideways."""
    width, inner = browser.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
    if width > inner:
        wide = browser.execute_script(
            "return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)"
            ".slice(0, 5).map(e => e.outerHTML.slice(0, 160))")
        raise AssertionError(f"{where or browser.current_url}: scrolls sideways ({width}px > {inner}px); too wide: {wide}")


def fetch_as(browser, url):
    """GETs `url` with the browser's cookies (a download link, say); returns (status, bytes)."""
    jar = http.cookiejar.CookieJar()
    for cookie in browser.get_cookies():
        jar.set_cookie(http.cookiejar.Cookie(
            0, cookie["name"], cookie["value"], None, False, cookie.get("domain", "127.0.0.1"), False, False,
            cookie.get("path", "/"), True, False, None, False, None, None, {}))
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    try:
        with opener.open(urllib.request.Request(url, headers={"Accept-Language": "es-MX,es"}), timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def emulate_touch_screen(browser, width, height):
    """A phone's or a tablet's viewport of exactly width × height CSS pixels, with touch: headless
    Chromium keeps windows at least 500 px wide, so the size is set through the DevTools protocol
    (as a mobile device, so the page's meta viewport applies)."""
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": width, "height": height, "deviceScaleFactor": 2, "mobile": True})
    browser.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 1})


# Steps of the journeys through the process (dossier, table, plan, signing), shared by them.

def wait_text(browser, element_id, text, timeout=10):
    """Waits until the element shows `text` (a live update, say); returns the element's text."""
    try:
        WebDriverWait(browser, timeout).until(expected_conditions.text_to_be_present_in_element((By.ID, element_id), text))
    except Exception:
        found = browser.find_elements(By.ID, element_id)
        raise AssertionError(f"#{element_id} never showed {text!r}; it shows {found[0].text if found else None!r}")
    return browser.find_element(By.ID, element_id).text


def errors(browser):
    """The texts of the page's error summary (the layout's section.errors[role=alert]; the plan
    check, also styled as errors, is not one)."""
    return [e.text for e in browser.find_elements(By.CSS_SELECTOR, "section.errors[role=alert]")]


def set_value(browser, element_id, value):
    """Sets a date or datetime-local field's value as the form sends it (typing into such a field
    depends on the browser's locale)."""
    browser.execute_script("arguments[0].value = arguments[1]", browser.find_element(By.ID, element_id), value)


def schedule_table(browser, local_value, place):
    """Schedules a table from the exercise's «Mesas de diálogo» page (`local_value`: YYYY-MM-DDTHH:MM
    in the exercise's time zone; None keeps the date the form proposes)."""
    if local_value is not None:
        set_value(browser, "startsAt", local_value)
    place_field = browser.find_element(By.ID, "place")
    place_field.clear()
    place_field.send_keys(place)
    navigate(browser, browser.find_element(By.CSS_SELECTOR, "section[aria-labelledby=programar] button[type=submit]"))


def advance_stage(facilitator, label):
    """The facilitator moves the table on to the stage `label` from the console."""
    navigate(facilitator, (By.XPATH, f"//button[normalize-space()='Pasar a «{label}»']"))
    assert not errors(facilitator), errors(facilitator)
    assert facilitator.find_element(By.ID, "etapa").text == label


def record_attendance(facilitator, name, presence, represented_by=""):
    """The facilitator records one member's attendance (present, absent or represented) in the console."""
    Select(facilitator.find_element(By.ID, "memberId-asistencia")).select_by_visible_text(name)
    Select(facilitator.find_element(By.ID, "presence")).select_by_value(presence)
    facilitator.find_element(By.ID, "representedBy").send_keys(represented_by)
    form = facilitator.find_element(By.CSS_SELECTOR, "form[action$='/attendance']")
    navigate(facilitator, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert not errors(facilitator), errors(facilitator)


def present_item(facilitator, title):
    """The facilitator puts a dossier item on every screen (análisis stage)."""
    Select(facilitator.find_element(By.ID, "dossierItemId-presentar")).select_by_visible_text(title)
    form = facilitator.find_element(By.CSS_SELECTOR, "form[action$='/presentation']")
    navigate(facilitator, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert not errors(facilitator), errors(facilitator)
    assert title in facilitator.find_element(By.ID, "presentando").text


def record_intervention(browser, kind, text, on_behalf_of=None, item=None):
    """A doubt, contribution or feedback recorded from the console (by the facilitator, on behalf of
    `on_behalf_of`, or by a member for themself); the poster's page comes back with it."""
    if on_behalf_of:
        Select(browser.find_element(By.ID, "memberId")).select_by_visible_text(on_behalf_of)
    Select(browser.find_element(By.ID, "kind")).select_by_value(kind)
    if item is not None:
        Select(browser.find_element(By.ID, "dossierItemId")).select_by_visible_text(item)
    browser.find_element(By.ID, "text").send_keys(text)
    form = browser.find_element(By.CSS_SELECTOR, "form[action$='/interventions']")
    navigate(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert not errors(browser), errors(browser)
    assert text in browser.find_element(By.ID, "intervenciones").text


def press_enter(browser, field):
    """Submits a form from the keyboard (Enter in a field) and waits for the next page."""
    page = browser.find_element(By.TAG_NAME, "html")
    field.send_keys(Keys.ENTER)
    WebDriverWait(browser, 20).until(replaced(page))


def subject(message):
    return message.get("subject") or ""


def mailed_links(mailbox, subject_start, count, path):
    """Waits for `count` mails whose subject starts with `subject_start` and returns each recipient's
    link to `path` (e.g. "/receipts/", "/sign/"), as {email: link}."""
    found = mailbox.wait_for(lambda m: subject(m).startswith(subject_start), count)
    links = {}
    for message in found:
        (email,) = message["rcptTos"]
        links[email] = re.search(r"http://\S+" + re.escape(path) + r"[^\s/]+", message["textBody"]).group(0)
    return links


CODE_SUBJECT = "Código para firmar el PAL:"


def codes_for(mailbox, email):
    return [m for m in mailbox.messages() if subject(m).startswith(CODE_SUBJECT) and email in m["rcptTos"]]


def newest_code(mailbox, email, seen, timeout=30):
    """The code in the newest code mail for `email`, waiting until there are more than `seen` of them."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        found = codes_for(mailbox, email)
        if len(found) > seen:
            code = subject(found[-1])[-6:]
            assert re.fullmatch(r"[0-9]{6}", code), subject(found[-1])
            return code
        time.sleep(0.25)
    raise AssertionError(f"no signing code reached {email}")


def type_signing_code(member, code):
    """Types the one-time code on the signing page and sends it with Enter; returns the page's text."""
    field = member.find_element(By.ID, "code")
    field.clear()
    field.send_keys(code)
    press_enter(member, field)
    return main_text(member)
