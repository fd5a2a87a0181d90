"""Steps every browser journey shares."""
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
        WebDriverWait(browser, 20).until(expected_conditions.staleness_of(page))
        return


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
