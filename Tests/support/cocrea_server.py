"""Starts the real things the Python tests drive: the SMTP sink on loopback and `cocrea serve --demo`
on SQLite in a fresh data directory. Shared by Tests/browser and Tests/api."""
import contextlib
import json
import os
import pathlib
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[2]
# COCREA_BINARY runs the Python tests against another build (for example a release one).
BINARY = pathlib.Path(os.environ.get("COCREA_BINARY") or ROOT / ".build" / "debug" / "cocrea")


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


@contextlib.contextmanager
def smtp_sink():
    """A real SMTP server on a free loopback port; yields its Mailbox (with `.port`)."""
    directory = tempfile.mkdtemp(prefix="cocrea-mail-")
    sink = subprocess.Popen(
        ["python3", str(ROOT / "Tests/support/smtp_sink.py"), "--port", "0", "--dir", directory, "--exit-on-stdin-close"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        line = sink.stdout.readline()
        assert line.startswith("READY"), line
        box = Mailbox(directory)
        box.port = int(line.split()[1])
        yield box
    finally:
        sink.terminate()
        sink.wait(timeout=10)
        shutil.rmtree(directory, ignore_errors=True)


class Server:
    def __init__(self, base, data):
        self.base = base
        self.data = pathlib.Path(data)
        self.env = None

    def log(self):
        return (self.data / "server.log").read_text(errors="replace")

    def token(self, email):
        """A bearer token for the API, made by `cocrea token create` on the same data directory."""
        done = subprocess.run([str(BINARY), "token", "create", "--email", email], env=self.env,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip().splitlines()[-1]


@contextlib.contextmanager
def cocrea_server(smtp_port=None, extra_env=None):
    """`cocrea serve --demo` on a free loopback port, SQLite in a fresh data directory and templates
    read at runtime from the repository (COCREA_RESOURCES), plus `extra_env` (e.g. COCREA_TRUST_ROOTS).
    Yields a Server; stops it gracefully."""
    assert BINARY.exists(), "build first: swift build --product cocrea"
    data = tempfile.mkdtemp(prefix="cocrea-data-")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, COCREA_DATA_DIR=data, COCREA_RESOURCES=str(ROOT), COCREA_BASE_URL=base,
               MAIL_FROM="STL Jalisco <stl@cocrea.example>", LOG_LEVEL="warning")
    env.pop("DATABASE_URL", None)
    env.pop("SMTP_URL", None)
    if smtp_port is not None:
        env["SMTP_URL"] = f"smtp://127.0.0.1:{smtp_port}"
    env.update(extra_env or {})
    server = Server(base, data)
    server.env = env
    log = open(pathlib.Path(data) / "server.log", "w")
    process = subprocess.Popen([str(BINARY), "serve", "--demo", "--hostname", "127.0.0.1", "--port", str(port)],
                               env=env, stdout=log, stderr=log)
    try:
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                if urllib.request.urlopen(base + "/healthz", timeout=2).status == 200:
                    break
            except OSError:
                if process.poll() is not None:
                    raise AssertionError("cocrea serve exited:\n" + server.log())
                time.sleep(0.3)
        else:
            raise AssertionError("cocrea serve did not answer /healthz:\n" + server.log())
        yield server
        process.terminate()
        assert process.wait(timeout=30) == 0, "graceful shutdown exits cleanly"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
        log.close()
        shutil.rmtree(data, ignore_errors=True)


class API:
    """A tiny JSON client for /api/v1 with a bearer token."""

    def __init__(self, base, token):
        self.base = base
        self.token = token

    def __call__(self, method, path, body=None, expect=(200, 201, 204)):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + "/api/v1" + path, data=data, method=method)
        request.add_header("Authorization", f"Bearer {self.token}")
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
        assert status in expect, f"{method} {path} → {status}: {raw[:2000]!r}"
        return json.loads(raw) if raw and raw[:1] in (b"{", b"[") else None


ADMIN = "admin@cocrea.example"
DEMO_EXERCISE = "Ejercicio local de gobierno abierto Jalisco 2026"
DEMO_SURVEY = "¿Cómo te atendieron en tu centro de salud?"


def published_survey(base, title=DEMO_SURVEY):
    """A published survey as `GET /api/v1/public/surveys` lists it (no account needed), by its title."""
    with urllib.request.urlopen(base + "/api/v1/public/surveys", timeout=30) as response:
        surveys = json.loads(response.read())
    found = [s for s in surveys if s["title"] == title]
    assert found, f"no published survey {title!r} among {[s['title'] for s in surveys]}"
    return found[0]


def seed_demo(server, mailbox):
    """Takes the demo exercise through the API as far as the pages and operations go: the dossier sent
    and received by everyone, a table scheduled after the 10-day window, a plan that meets Q1–Q3 and
    A1 frozen as a version. Returns the identifiers (and one receipt token) it made."""
    import datetime
    import re
    import zoneinfo

    api = API(server.base, server.token(ADMIN))
    exercise = next(e for e in api("GET", "/exercises") if e["name"] == DEMO_EXERCISE)
    eid = exercise["id"]
    members = api("GET", f"/exercises/{eid}/members")
    api("POST", f"/exercises/{eid}/dossier/distributions")
    sent = mailbox.wait_for(lambda m: (m.get("subject") or "").startswith("Expediente previo"), len(members))
    tokens = [re.search(r"/receipts/([^\s/]+)", m["textBody"]).group(1) for m in sent]
    for token in tokens:
        api("POST", f"/receipts/{token}")

    today = datetime.datetime.now(zoneinfo.ZoneInfo(exercise.get("timeZone") or "America/Mexico_City")).date()
    roundtable = api("POST", f"/exercises/{eid}/roundtables",
                     {"startsAt": f"{(today + datetime.timedelta(days=12)).isoformat()}T10:00",
                      "place": "Auditorio del ITEI, Guadalajara"})

    items = api("GET", f"/exercises/{eid}/dossier/items")
    problem = next(i["id"] for i in items if i["kind"] == "problem")
    national = api("GET", "/national-commitments")
    plan = exercise.get("nationalPlan")
    national = [n for n in national if n["plan"] == plan] or national
    start = today + datetime.timedelta(days=30)  # a one-year commitment (rule A1) that starts after the table
    end = start + datetime.timedelta(days=300)
    indicator = {"name": "Porcentaje de unidades con datos publicados", "baseline": "0 %", "target": "100 %",
                 "meansOfVerification": "Portal de datos abiertos de Jalisco"}
    specs = [("Contrataciones abiertas de medicamentos", "procurement", {}),
             ("Datos abiertos de salud alineados al plan nacional", "nationalPlan", {"nationalCommitmentId": national[0]["id"]}),
             ("Presupuesto abierto de salud", "nationalPlan", {"nationalCommitmentId": national[1]["id"]}),
             ("Tablero público de abasto por unidad médica", "local", {"dossierItemId": problem}),
             ("Canal ciudadano para reportar desabasto", "local", {"dossierItemId": problem})]
    commitments = []
    for title, category, link in specs:
        commitment = api("POST", f"/exercises/{eid}/commitments",
                         dict(title=title, category=category, problem="Desabasto de medicamentos.",
                              description="Compromiso de la mesa de diálogo.", objective="Publicar la información.",
                              startsOn=start.isoformat(), endsOn=end.isoformat(),
                              leadInstitution="Secretaría de Salud Jalisco", indicator=indicator, **link))
        activity = api("POST", f"/commitments/{commitment['id']}/activities",
                       {"title": "Publicar el primer corte", "responsible": "Dra. María Fernanda López Castañeda",
                        "responsibleInstitution": "Secretaría de Salud Jalisco",
                        "dueOn": (start + datetime.timedelta(days=60)).isoformat()})
        commitments.append((commitment["id"], activity["id"]))
    version = api("POST", f"/exercises/{eid}/plan/versions")
    return dict(api=api, exercise=eid, members=[m["id"] for m in members], receipt=tokens[0],
                roundtable=roundtable["id"], commitments=commitments, planVersion=version["id"], dossierItem=problem)
