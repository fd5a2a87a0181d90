#!/usr/bin/env python3
"""Soak: ten minutes of mixed load against one `cocrea serve`, with the server's resident memory sampled
every 10 s. After the warm-up (the first 2 minutes), resident memory may not grow by more than 10 %.

Starts `cocrea serve --demo` as the other benchmarks do (bench_server.py: fresh SQLite data directory,
SMTP sink, COCREA_SURVEY_RATE_LIMIT=0 because the load is one client on loopback), takes the demo
exercise to a sealed plan with progress, then runs `--workers` keep-alive clients at `--rate` requests
per second in all, each request drawn at random from the mix: the public index, a public exercise page,
the public progress JSON, an open-data file, the sign-in page, an API read with a bearer token, a survey
answer (a different one every time), a progress report (about one every 10 s), and a commitment created,
edited (PUT with its revision) and deleted. VmRSS is read from /proc every `--interval` seconds. The baseline is the mean of
the first three samples after the warm-up; the growth is the largest later sample against it. Prints
the samples and a verdict, and exits non-zero when memory grew beyond the limit or any request failed
(a 5xx, a refused connection, or a status the mix does not expect).

    python3 Benchmarks/soak.py --binary .build/debug/cocrea            # 10 minutes
    python3 Benchmarks/soak.py --binary .build/debug/cocrea --minutes 2  # a short run (30 s warm-up)
"""
import argparse
import collections
import datetime
import http.client
import itertools
import json
import os
import pathlib
import random
import shutil
import sys
import threading
import time
import urllib.request

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from bench_server import ADMIN, ROOT, Server, prepare, smtp_sink  # noqa: E402

MAX_GROWTH = 0.10


class Client:
    """One keep-alive connection; reconnects after a dropped one."""

    def __init__(self, base, token):
        self.host, port = base.removeprefix("http://").split(":")
        self.port, self.token = int(port), token
        self.connection = None

    def request(self, method, path, body=None, bearer=False):
        headers = {"Accept": "application/json"} if path.startswith("/api/") else {}
        if bearer:
            headers["Authorization"] = f"Bearer {self.token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
            try:
                self.connection.request(method, path, body=data, headers=headers)
                response = self.connection.getresponse()
                raw = response.read()
                return response.status, raw
            except (ConnectionError, http.client.HTTPException):
                # A keep-alive connection the server closed while idle: one new attempt.
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    raise


class Mix:
    """The requests of the soak, each drawn with its weight."""

    def __init__(self, seeded, survey):
        self.eid = seeded["exercise"]
        self.activities = [activity for _, activity in seeded["commitments"][:3]]
        self.survey = survey
        self.counter = itertools.count(1)
        reads = [
            ("GET /public", 12, lambda c: self.expect(c.request("GET", "/public"), 200)),
            ("GET /public/exercises/{id}", 12, lambda c: self.expect(c.request("GET", f"/public/exercises/{self.eid}"), 200)),
            ("GET /api/v1/public/exercises/{id}/progress", 10,
             lambda c: self.expect(c.request("GET", f"/api/v1/public/exercises/{self.eid}/progress"), 200)),
            ("GET /open-data/{id}/commitments.csv", 6, lambda c: self.expect(c.request("GET", f"/open-data/{self.eid}/commitments.csv"), 200)),
            ("GET /login", 5, lambda c: self.expect(c.request("GET", "/login"), 200)),
            ("GET /api/v1/exercises/{id}/commitments", 10,
             lambda c: self.expect(c.request("GET", f"/api/v1/exercises/{self.eid}/commitments", bearer=True), 200)),
        ]
        writes = [
            ("POST /api/v1/surveys/{id}/responses", 20, self.answer),
            # About one report every 10 s: every report stays in the public history that the public pages
            # read whole, so a faster rate measures a growing exercise rather than a server that holds on to memory.
            ("POST /api/v1/activities/{id}/progress", 0.25, self.progress),
            ("commitment: POST, PUT, DELETE", 4, self.commitment),
        ]
        self.operations = reads + writes
        self.weights = [weight for _, weight, _ in self.operations]

    @staticmethod
    def expect(result, *statuses):
        status, raw = result
        if status not in statuses:
            raise Unexpected(f"{status}: {raw[:300]!r}")
        return json.loads(raw) if raw[:1] in (b"{", b"[") else None

    def answer(self, client):
        n = next(self.counter)
        answers = {}
        for q in self.survey["questions"]:
            if q["kind"] == "singleChoice":
                answers[q["id"]] = random.choice(q["options"])
            elif q["kind"] == "multipleChoice":
                answers[q["id"]] = random.sample(q["options"], 1)
            elif q["kind"] == "scale":
                answers[q["id"]] = random.randint(1, 5)
            else:
                answers[q["id"]] = f"Respuesta de la prueba de resistencia número {n}"
        self.expect(client.request("POST", f"/api/v1/surveys/{self.survey['id']}/responses",
                                   {"answers": answers, "channel": "web"}), 201)

    def progress(self, client):
        n = next(self.counter)
        self.expect(client.request("POST", f"/api/v1/activities/{random.choice(self.activities)}/progress",
                                   {"status": "inProgress", "progress": n % 90 + 5, "note": f"Corte de avance {n}",
                                    "evidenceUrl": "https://datos.jalisco.gob.mx/contrataciones"}, bearer=True), 201)

    def commitment(self, client):
        n = next(self.counter)
        start = datetime.date.today() + datetime.timedelta(days=40)
        body = dict(title=f"Bitácora pública de compras de salud {n}", category="local", problem="Compras poco visibles.",
                    description="Compromiso de la prueba de resistencia.", objective="Publicar cada compra.",
                    startsOn=start.isoformat(), endsOn=(start + datetime.timedelta(days=300)).isoformat(),
                    leadInstitution="Secretaría de Salud Jalisco",
                    indicator={"name": "Compras publicadas", "baseline": "0 %", "target": "100 %",
                               "meansOfVerification": "Portal de datos abiertos de Jalisco"})
        created = self.expect(client.request("POST", f"/api/v1/exercises/{self.eid}/commitments", body, bearer=True), 201)
        body.update(title=body["title"] + " (revisado)", revision=created["revision"])
        edited = self.expect(client.request("PUT", f"/api/v1/commitments/{created['id']}", body, bearer=True), 200)
        self.expect(client.request("DELETE", f"/api/v1/commitments/{created['id']}?revision={edited['revision']}", bearer=True), 200, 204)


class Unexpected(Exception):
    pass


def run_load(server, mix, token, args, stop):
    """`args.workers` threads at `args.rate` requests/s in all until `stop` is set; returns the counts."""
    counts = collections.Counter()
    failures = collections.Counter()
    examples = {}
    lock = threading.Lock()
    period = args.workers / args.rate

    def worker():
        client = Client(server.base, token)
        rng = random.Random()
        next_at = time.monotonic() + rng.random() * period
        while not stop.is_set():
            name, _, operation = rng.choices(mix.operations, weights=mix.weights)[0]
            try:
                operation(client)
                with lock:
                    counts[name] += 1
            except (Unexpected, OSError, http.client.HTTPException) as error:
                with lock:
                    failures[name] += 1
                    examples.setdefault(name, str(error)[:300])
            next_at += period
            stop.wait(max(0.0, next_at - time.monotonic()))
            next_at = max(next_at, time.monotonic() - period)  # a slow request is not made up for with a burst

    threads = [threading.Thread(target=worker) for _ in range(args.workers)]
    for thread in threads:
        thread.start()
    return threads, counts, failures, examples


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", default=str(ROOT / ".build" / "release" / "cocrea"))
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=None, help="minutes of warm-up (default: 2, or a fifth of a shorter run)")
    parser.add_argument("--interval", type=float, default=10.0, help="seconds between memory samples")
    parser.add_argument("--rate", type=float, default=40.0, help="requests per second in all")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--output", default=None, help="also write the report as Markdown")
    args = parser.parse_args()
    warmup = args.warmup if args.warmup is not None else min(2.0, args.minutes / 5)

    os.environ["COCREA_SURVEY_RATE_LIMIT"] = "0"  # Server passes its environment on to the server
    load_before = os.getloadavg()
    with smtp_sink() as mailbox:
        server = Server(args.binary, mailbox.port)
        try:
            seeded = prepare(server, mailbox)
            token = server.token(ADMIN)
            with urllib.request.urlopen(server.base + "/api/v1/public/surveys", timeout=60) as response:
                survey = json.loads(response.read())[0]
            mix = Mix(seeded, survey)

            stop = threading.Event()
            started = time.monotonic()
            threads, counts, failures, examples = run_load(server, mix, token, args, stop)
            samples = []
            end = started + args.minutes * 60
            try:
                while True:
                    elapsed = time.monotonic() - started
                    samples.append((elapsed, server.rss_kb()))
                    print(f"  {elapsed:6.0f} s  {samples[-1][1] / 1024:7.1f} MB  {sum(counts.values()):7d} requests"
                          f"  {sum(failures.values())} failed", file=sys.stderr, flush=True)
                    if time.monotonic() + args.interval > end + 0.5:
                        break
                    time.sleep(max(0.0, started + len(samples) * args.interval - time.monotonic()))
            finally:
                stop.set()  # also on Ctrl-C: the clients end their current request and stop
                for thread in threads:
                    thread.join()
            seconds = time.monotonic() - started
        finally:
            code = server.stop()
            log = server.log()
            shutil.rmtree(server.data, ignore_errors=True)
    load_after = os.getloadavg()

    after = [(t, kb) for t, kb in samples if t >= warmup * 60 - 0.5]
    if len(after) < 4:
        raise SystemExit(f"too few samples after the warm-up ({len(after)}): run longer or sample more often")
    baseline = sum(kb for _, kb in after[:3]) / 3
    peak_t, peak = max(after[3:], key=lambda s: s[1])
    growth = peak / baseline - 1
    final_growth = after[-1][1] / baseline - 1
    n = len(after)
    mean_t = sum(t for t, _ in after) / n
    mean_kb = sum(kb for _, kb in after) / n
    slope = sum((t - mean_t) * (kb - mean_kb) for t, kb in after) / sum((t - mean_t) ** 2 for t, _ in after)
    total = sum(counts.values())
    failed = sum(failures.values())
    error_lines = [line for line in log.splitlines() if '"level":"error"' in line.replace(" ", "") or " error " in line]

    binary = pathlib.Path(args.binary).resolve()
    shown = binary.relative_to(ROOT) if binary.is_relative_to(ROOT) else binary
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    ok = growth <= MAX_GROWTH and failed == 0
    lines = [
        f"## Soak: {args.minutes:g} minutes of mixed load",
        "",
        f"Measured {stamp} with `{shown}` on {os.cpu_count()} cores, SQLite; 1-minute load average {load_before[0]:.1f} before, "
        f"{load_after[0]:.1f} after. {args.workers} keep-alive clients at {args.rate:g} requests/s in all; "
        f"{total:,} operations in {seconds:.0f} s ({total / seconds:.1f}/s), {failed} failed. VmRSS every {args.interval:g} s; "
        f"warm-up {warmup:g} min.",
        "",
        "| operation | done | failed |",
        "|---|---|---|",
        *[f"| {name} | {counts[name]:,} | {failures[name]} |" for name, _, _ in mix.operations],
        "",
        f"Resident memory: {samples[0][1] / 1024:.1f} MB at the start, {baseline / 1024:.1f} MB after the warm-up (mean of 3 samples), "
        f"peak {peak / 1024:.1f} MB at {peak_t:.0f} s, {after[-1][1] / 1024:.1f} MB at the end; growth after the warm-up "
        f"{growth * 100:+.1f} % at the peak, {final_growth * 100:+.1f} % at the end; trend {slope * 60 / 1024:+.2f} MB/min "
        f"(least squares over the {n} samples after the warm-up).",
        "",
        "Samples (s: MB): " + ", ".join(f"{t:.0f}: {kb / 1024:.1f}" for t, kb in samples),
        "",
        f"Server: exit code {code} on SIGTERM; {len(error_lines)} error line(s) in its log at LOG_LEVEL=warning.",
        "",
        f"**Verdict: {'met' if ok else 'NOT met'}** (growth after the warm-up ≤ {MAX_GROWTH * 100:.0f} %: "
        f"{growth * 100:+.1f} %; failed requests: {failed}).",
    ]
    for name, example in examples.items():
        lines.append(f"- first failure of {name}: {example}")
    report = "\n".join(lines) + "\n"
    print(report)
    if args.output:
        pathlib.Path(args.output).write_text(report)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
