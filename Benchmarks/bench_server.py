"""What every benchmark starts the same way: `cocrea serve` on SQLite (with `--demo` in a fresh temporary
data directory, or on an existing one), with an SMTP sink on loopback, a free port, LOG_LEVEL=warning and
the templates from the repository; its resident memory read from /proc; and the demo exercise taken
through the API to a sealed plan with progress, so that its public pages exist.

Used by live_fanout.py, load.py, survey_load.py, scale.py and soak.py."""
import os
import pathlib
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "Tests" / "support"))
import cocrea_server  # noqa: E402
from paper_copy import seal_on_paper  # noqa: E402
from cocrea_server import ADMIN, API, free_port, seed_demo, smtp_sink  # noqa: E402,F401

DEMO_PASSWORD = "cocrea-demo-2026"  # Demo.administratorPassword: every demo account has it


class Server:
    """`cocrea serve --demo` in a fresh temporary data directory, or `cocrea serve` on `data` when given;
    mail goes to the SMTP sink on `smtp_port` when given.
    The server inherits this process's environment (e.g. COCREA_SURVEY_RATE_LIMIT), never DATABASE_URL; its
    templates come from the repository unless COCREA_RESOURCES names another copy (one that edits to the
    checkout cannot change during a long run)."""

    def __init__(self, binary, smtp_port=None, data=None):
        self.binary = pathlib.Path(binary).resolve()
        demo = data is None
        self.data = tempfile.mkdtemp(prefix="cocrea-bench-") if demo else data
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = dict(os.environ, COCREA_DATA_DIR=self.data, COCREA_BASE_URL=self.base,
                        COCREA_RESOURCES=os.environ.get("COCREA_RESOURCES") or str(ROOT),
                        MAIL_FROM="STL Jalisco <stl@cocrea.example>", LOG_LEVEL="warning")
        self.env.pop("DATABASE_URL", None)
        self.env.pop("SMTP_URL", None)
        if smtp_port is not None:  # else mail waits in the outbox
            self.env["SMTP_URL"] = f"smtp://127.0.0.1:{smtp_port}"
        self.log_path = pathlib.Path(self.data) / ("server.log" if demo else f"server-{self.port}.log")
        self.log_file = open(self.log_path, "w")
        command = [str(self.binary), "serve", *(["--demo"] if demo else []), "--hostname", "127.0.0.1", "--port", str(self.port)]
        self.process = subprocess.Popen(command, env=self.env, stdout=self.log_file, stderr=self.log_file)
        deadline = time.time() + 180
        while time.time() < deadline:
            try:
                if urllib.request.urlopen(self.base + "/healthz", timeout=2).status == 200:
                    return
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.3)
        print(self.log(), file=sys.stderr)
        self.stop()
        raise SystemExit("cocrea serve did not start")

    def log(self):
        return self.log_path.read_text(errors="replace")

    def token(self, email):
        done = subprocess.run([str(self.binary), "token", "create", "--email", email], env=self.env,
                              capture_output=True, text=True, timeout=120, check=True)
        return done.stdout.strip().splitlines()[-1]

    def rss_kb(self):
        try:
            for line in open(f"/proc/{self.process.pid}/status"):
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        except OSError:
            pass
        return 0

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.log_file.close()
        return self.process.returncode


class RSSSampler:
    """Samples the server's VmRSS every 100 ms while in use; `.peak_kb` afterwards."""

    def __init__(self, server, interval=0.1):
        self.server, self.interval, self.peak_kb = server, interval, 0
        self.stopping = threading.Event()

    def __enter__(self):
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()
        return self

    def run(self):
        while not self.stopping.is_set():
            self.peak_kb = max(self.peak_kb, self.server.rss_kb())
            self.stopping.wait(self.interval)

    def __exit__(self, *_):
        self.stopping.set()
        self.thread.join()
        self.peak_kb = max(self.peak_kb, self.server.rss_kb())


def prepare(server, mailbox):
    """The demo exercise with a sealed plan (conformity closed, paper copy uploaded) and some progress."""
    cocrea_server.BINARY = server.binary  # Server.token in the shared helpers uses the module's BINARY
    helper = cocrea_server.Server(server.base, server.data)
    helper.env = server.env
    seeded = seed_demo(helper, mailbox)
    api, version = seeded["api"], seeded["planVersion"]
    api("POST", f"/plan-versions/{version}/conformity/close")
    seal_on_paper(server.base, api.token, version)
    for _, activity in seeded["commitments"][:3]:
        api("POST", f"/activities/{activity}/progress",
            {"status": "inProgress", "progress": 40, "note": "Primer corte publicado",
             "evidenceUrl": "https://datos.jalisco.gob.mx/contrataciones"})
    return seeded
