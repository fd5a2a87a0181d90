"""Real-browser journeys: a real `cocrea serve` on SQLite, a real SMTP server on loopback and a real
headless Chromium driven by Selenium. Screenshots of each step go to artifacts/browser/."""
import pathlib
import shutil
import subprocess
import sys

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "Tests" / "support"))
from cocrea_server import Mailbox, cocrea_server, free_port, smtp_sink  # noqa: E402,F401  (shared with Tests/api)
ARTIFACTS = ROOT / "artifacts" / "browser"


@pytest.fixture(scope="session")
def mailbox():
    with smtp_sink() as box:
        yield box


@pytest.fixture(scope="session")
def server(mailbox):
    with cocrea_server(mailbox.port) as running:
        yield running.base


def make_browser(width=1280, height=900):
    options = Options()
    options.add_argument("--headless=new")
    options.add_argument("--no-sandbox")
    options.add_argument("--disable-dev-shm-usage")
    options.add_argument(f"--window-size={width},{height}")
    options.add_argument("--lang=es-MX")
    options.add_experimental_option("prefs", {"intl.accept_languages": "es-MX,es"})
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    service = Service(shutil.which("chromedriver") or "/usr/bin/chromedriver")
    return webdriver.Chrome(service=service, options=options)


@pytest.fixture
def browser():
    driver = make_browser()
    yield driver
    driver.quit()


class Shots:
    def __init__(self, name):
        self.directory = ARTIFACTS / name
        self.directory.mkdir(parents=True, exist_ok=True)
        self.count = 0

    def save_pdf(self, data, name):
        """Keeps a PDF and its first page as PNG (pdftoppm) as test artifacts."""
        path = self.directory / f"{name}.pdf"
        path.write_bytes(data)
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(path), str(self.directory / name)], check=True)

    def __call__(self, driver, step):
        self.count += 1
        driver.save_screenshot(str(self.directory / f"{self.count:02d}-{step}.png"))


@pytest.fixture
def shots(request):
    return Shots(request.node.name)
