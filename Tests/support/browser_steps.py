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
