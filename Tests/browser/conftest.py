"""Real-browser journeys: a real `cocrea serve` on SQLite, a real SMTP server on loopback and a real
headless Chromium driven by Selenium. Screenshots of each step go to artifacts/browser/."""
import json
import os
import pathlib
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

ROOT = pathlib.Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "browser"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Mailbox:
    """The SMTP sink's directory: one JSON summary per received message."""

    def __init__(self, directory):
        self.directory = pathlib.Path(directory)

    def messages(self):
        found = sorted(self.directory.glob("*.json"), key=lambda p: int(p.stem))
        return [json.loads(p.read_text()) for p in found]

    def wait_for(self, predicate, count, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            matching = [m for m in self.messages() if predicate(m)]
            if len(matching) >= count:
                return matching
            time.sleep(0.25)
        raise AssertionError(f"expected {count} messages, got {len([m for m in self.messages() if predicate(m)])}")


@pytest.fixture(scope="session")
def mailbox():
    directory = tempfile.mkdtemp(prefix="cocrea-mail-")
    sink = subprocess.Popen(
        ["python3", str(ROOT / "Tests/support/smtp_sink.py"), "--port", "0", "--dir", directory, "--exit-on-stdin-close"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    line = sink.stdout.readline()
    assert line.startswith("READY"), line
    box = Mailbox(directory)
    box.port = int(line.split()[1])
    yield box
    sink.terminate()
    sink.wait(timeout=10)
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="session")
def server(mailbox):
    binary = ROOT / ".build" / "debug" / "cocrea"
    assert binary.exists(), "build first: swift build --product cocrea"
    data = tempfile.mkdtemp(prefix="cocrea-data-")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, COCREA_DATA_DIR=data, COCREA_ROOT=str(ROOT), COCREA_BASE_URL=base,
               SMTP_URL=f"smtp://127.0.0.1:{mailbox.port}", MAIL_FROM="STL Jalisco <stl@cocrea.example>", LOG_LEVEL="warning")
    env.pop("DATABASE_URL", None)
    log = open(pathlib.Path(data) / "server.log", "w")
    process = subprocess.Popen([str(binary), "serve", "--demo", "--port", str(port)], env=env, stdout=log, stderr=log)
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(base + "/healthz", timeout=2).status == 200:
                break
        except OSError:
            time.sleep(0.3)
    else:
        process.kill()
        raise AssertionError("cocrea serve did not answer /healthz:\n" + (pathlib.Path(data) / "server.log").read_text())
    yield base
    process.terminate()
    assert process.wait(timeout=30) == 0, "graceful shutdown exits cleanly"
    shutil.rmtree(data, ignore_errors=True)


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
