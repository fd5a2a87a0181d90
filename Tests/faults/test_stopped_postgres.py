"""A PostgreSQL that accepts connections but never answers — every process of a cluster SIGSTOPped, as a
frozen machine or a hung disk leaves it — costs a request at most the server's request deadline: it is
answered 503 `database_unavailable` with Retry-After, not left hanging, and the write it had started is
not saved when PostgreSQL comes back, since its client was told it failed.

The cluster is the test's own, on a free loopback port (the shared one on 5432 serves the tests running
beside this one and is never stopped). PostgreSQL refuses to run as root, so as root (CI) its commands
run as the `postgres` user."""
import concurrent.futures
import contextlib
import json
import os
import pathlib
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "support"))
from cocrea_server import ADMIN, BINARY, DEMO_EXERCISE, ROOT, free_port  # noqa: E402

# The bound the server states (RequestDeadlineMiddleware.deadline), read from its source so that it follows it.
DEADLINE = int(re.search(r"static let deadline = TimeAmount\.seconds\((\d+)\)",
                         (ROOT / "Sources/CocreaWeb/Support/RequestDeadlineMiddleware.swift").read_text()).group(1))
MARGIN = 15  # a loaded machine's scheduling, not a speed: without the deadline the requests never end
# How old an answer of the database /healthz may give (DatabaseProbe.freshness), read from its source too.
HEALTH_FRESHNESS = float(re.search(r"static let freshness: TimeInterval = ([\d.]+)",
                                   (ROOT / "Sources/CocreaWeb/API/HealthAndDocs.swift").read_text()).group(1))


class Cluster:
    """A PostgreSQL cluster of the test's own, which can be frozen (SIGSTOP) and thawed (SIGCONT)."""

    def __init__(self):
        version = sorted(pathlib.Path("/usr/lib/postgresql").iterdir(), key=lambda p: [int(x) for x in p.name.split(".")])[-1]
        self.bin = version / "bin"
        self.directory = pathlib.Path(tempfile.mkdtemp(prefix="cocrea-stopped-cluster-"))
        self.data = self.directory / "data"
        self.port = free_port()
        self.url = f"postgres://cocrea:cocrea@127.0.0.1:{self.port}/cocrea"
        self.frozen = []
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres", "postgres")

    def _run(self, *command):
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        done = subprocess.run(prefix + [str(self.bin / command[0]), *command[1:]], capture_output=True, text=True,
                              timeout=120, stdin=subprocess.DEVNULL)
        assert done.returncode == 0, f"{command[0]} → {done.returncode}:\n{done.stdout}\n{done.stderr}"

    def start(self):
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync")
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write(f"listen_addresses = '127.0.0.1'\nport = {self.port}\nunix_socket_directories = '{self.directory}'\n")
        self._run("pg_ctl", "start", "-w", "-t", "60", "-D", str(self.data), "-l", str(self.directory / "postgresql.log"))
        self.psql("CREATE ROLE cocrea LOGIN PASSWORD 'cocrea'", database="postgres")
        self.psql("CREATE DATABASE cocrea OWNER cocrea", database="postgres")

    def psql(self, sql, database="cocrea"):
        done = subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", database,
                               "-v", "ON_ERROR_STOP=1", "-qtAc", sql], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, f"psql {sql!r}: {done.stderr}"
        return done.stdout.strip()

    def freeze(self):
        postmaster = int((self.data / "postmaster.pid").read_text().split()[0])
        children = subprocess.run(["pgrep", "-P", str(postmaster)], capture_output=True, text=True).stdout.split()
        self.frozen = [postmaster] + [int(pid) for pid in children]
        for pid in self.frozen:
            os.kill(pid, signal.SIGSTOP)

    def thaw(self):
        for pid in self.frozen:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)
        self.frozen = []

    def stop(self):
        self.thaw()
        if (self.data / "postmaster.pid").exists():
            prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
            subprocess.run(prefix + [str(self.bin / "pg_ctl"), "stop", "-m", "immediate", "-D", str(self.data)],
                           capture_output=True, timeout=60)
        shutil.rmtree(self.directory, ignore_errors=True)


def call(base, token, method, path, body=None, timeout=DEADLINE + 60):
    """(status, Retry-After, parsed body, seconds taken)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method)
    request.add_header("Authorization", f"Bearer {token}")
    request.add_header("Accept", "application/json")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, headers, raw = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, headers, raw = error.code, error.headers, error.read()
    parsed = json.loads(raw) if raw[:1] in (b"{", b"[") else raw
    return status, headers.get("Retry-After"), parsed, time.monotonic() - started


def commitment(title):
    return {"title": title, "category": "local", "problem": "Recetas surtidas a medias.",
            "description": "Compromiso de la prueba de fallas.", "objective": "Publicar el abasto.",
            "startsOn": "2027-03-01", "endsOn": "2027-12-15", "leadInstitution": "Secretaría de Salud Jalisco",
            "indicator": {"name": "Unidades con abasto publicado", "baseline": "0 %", "target": "100 %",
                          "meansOfVerification": "Portal de datos abiertos de Jalisco"}}


def test_a_stopped_postgresql_is_answered_503_within_the_deadline_and_nothing_is_saved():
    assert BINARY.exists(), f"build first: {BINARY}"
    cluster = Cluster()
    data = pathlib.Path(tempfile.mkdtemp(prefix="cocrea-stopped-data-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, COCREA_DATA_DIR=str(data), COCREA_RESOURCES=str(ROOT), COCREA_BASE_URL=base,
               MAIL_FROM="STL Jalisco <stl@cocrea.example>", LOG_LEVEL="info", DATABASE_URL=cluster.url)
    env.pop("SMTP_URL", None)
    server = None
    try:
        cluster.start()
        log = open(data / "server.log", "w")
        server = subprocess.Popen([str(BINARY), "serve", "--demo", "--hostname", "127.0.0.1", "--port", str(port)],
                                  env=env, stdout=log, stderr=log, stdin=subprocess.DEVNULL)
        started = time.time()
        while True:
            with contextlib.suppress(OSError):
                if urllib.request.urlopen(base + "/healthz", timeout=2).status == 200:
                    break
            assert server.poll() is None and time.time() - started < 180, (data / "server.log").read_text()[-4000:]
            time.sleep(0.3)
        token = subprocess.run([str(BINARY), "token", "create", "--email", ADMIN], env=env, capture_output=True,
                               text=True, timeout=180, check=True).stdout.strip().splitlines()[-1]
        exercises = call(base, token, "GET", "/api/v1/exercises")[2]
        exercises = exercises["items"] if isinstance(exercises, dict) else exercises
        eid = next(e["id"] for e in exercises if e["name"] == DEMO_EXERCISE)
        commitments = f"/api/v1/exercises/{eid}/commitments"
        assert call(base, token, "POST", commitments, commitment("Tablero de abasto, antes de la falla"))[0] == 201

        cluster.freeze()
        # Until then /healthz may still give the answer the database gave just before it stopped.
        time.sleep(HEALTH_FRESHNESS + 0.5)
        try:
            with concurrent.futures.ThreadPoolExecutor(3) as pool:
                answers = {
                    "write": pool.submit(call, base, token, "POST", commitments, commitment("Tablero de abasto, durante la falla")),
                    "read": pool.submit(call, base, token, "GET", commitments),
                    "health": pool.submit(call, base, token, "GET", "/healthz"),
                }
                answers = {kind: future.result() for kind, future in answers.items()}
        finally:
            cluster.thaw()
        for kind, (status, retry_after, body, seconds) in answers.items():
            assert status == 503, f"{kind}: {status} {body!r}"
            assert retry_after is not None, f"{kind}: a 503 says when to try again"
            assert seconds < DEADLINE + MARGIN, f"{kind} waited {seconds:.1f} s, past the {DEADLINE} s deadline"
        assert answers["write"][2]["code"] == "database_unavailable"

        # Back: a write is accepted again, and once nothing of the server is running in PostgreSQL any more,
        # the write that was answered 503 is not there.
        deadline = time.time() + 60
        while call(base, token, "POST", commitments, commitment("Tablero de abasto, después de la falla"))[0] != 201:
            assert time.time() < deadline, "writes are accepted again after PostgreSQL is thawed"
            time.sleep(0.5)
        busy = ("SELECT count(*) FROM pg_stat_activity WHERE datname = 'cocrea' AND pid <> pg_backend_pid() "
                "AND (state LIKE 'idle in transaction%' OR (state = 'active' AND query NOT ILIKE 'LISTEN%'))")
        deadline = time.time() + 60
        while cluster.psql(busy) != "0":
            assert time.time() < deadline, "the work left behind ends"
            time.sleep(0.2)
        titles = cluster.psql("SELECT title FROM commitments WHERE title LIKE 'Tablero de abasto,%' ORDER BY title").splitlines()
        assert titles == ["Tablero de abasto, antes de la falla", "Tablero de abasto, después de la falla"]

        server.terminate()
        assert server.wait(timeout=45) == 0, "the server stops cleanly after the outage"
    finally:
        if server is not None and server.poll() is None:
            server.kill()
            server.wait(timeout=10)
        cluster.stop()
        shutil.rmtree(data, ignore_errors=True)
