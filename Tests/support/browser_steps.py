"""Steps every browser journey shares."""
import http.cookiejar
import urllib.error
import urllib.request

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait


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
