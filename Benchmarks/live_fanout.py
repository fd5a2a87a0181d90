#!/usr/bin/env python3
"""Live table fan-out: how long a new intervention (and a stage change) takes to reach every
participant connected to the live table, against `GET /healthz` round trips measured in the same
run on the same server as the baseline.

Starts `cocrea serve --demo` itself (fresh temporary data directory, SQLite, a free loopback port),
opens N Server-Sent Events clients on the demo table that is ready to sit today (Zapopan), moves the
table through its first stages, posts M interventions through the API one after another (the next
one once every client has the previous one) and measures, for every client and every event, the
time from just before the POST was sent to the moment the client read the event. Writes Markdown.

    python3 Benchmarks/live_fanout.py --binary .build/release/cocrea --output Benchmarks/results/live-release.md

Target (issue): a new intervention or a stage change reaches 30 connected participants in under
half a second."""
import argparse
import concurrent.futures
import datetime
import http.client
import json
import os
import pathlib
import platform
import shutil
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from bench_server import ROOT, Server  # noqa: E402
from sse_client import SSEClient  # noqa: E402

READY_EXERCISE = "Mesa de diálogo de Zapopan 2026 (lista para sesionar)"
FACILITATOR = "jorge.ramirez@stl-jalisco.example"
MEMBER = "lucia@datosabiertos-gdl.example"
TARGET_MS = 500.0


def percentile(values, p):
    """Nearest-rank percentile of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


class Client:
    """A keep-alive JSON client (one connection, like a program talking to the API)."""

    def __init__(self, base, token):
        host, port = base.removeprefix("http://").split(":")
        self.connection = http.client.HTTPConnection(host, int(port), timeout=30)
        self.token = token

    def call(self, method, path, body=None):
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        self.connection.request(method, path, body=data, headers=headers)
        response = self.connection.getresponse()
        raw = response.read()
        if response.status >= 300:
            raise SystemExit(f"{method} {path} → {response.status}: {raw[:500]!r}")
        return json.loads(raw) if raw[:1] in (b"{", b"[") else raw


def fan_out(clients, send, matches, timeout=10):
    """Sends one thing, then returns each client's latency (ms) to read the matching event."""
    sent = time.monotonic()
    send()
    latencies = []
    for client in clients:
        (event,) = client.wait_for(matches, timeout=timeout)
        latencies.append((event.received - sent) * 1000)
    return latencies


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", default=str(ROOT / ".build" / "release" / "cocrea"))
    parser.add_argument("--output", default=None, help="Markdown report (default: stdout only)")
    parser.add_argument("--clients", type=int, default=30)
    parser.add_argument("--interventions", type=int, default=50)
    parser.add_argument("--health", type=int, default=200, help="GET /healthz round trips for the baseline")
    args = parser.parse_args()

    server = Server(args.binary)
    clients = []
    try:
        facilitator = Client(server.base, server.token(FACILITATOR))
        member = Client(server.base, server.token(MEMBER))
        exercise = next(e for e in facilitator.call("GET", "/api/v1/exercises") if e["name"] == READY_EXERCISE)
        (table,) = facilitator.call("GET", f"/api/v1/exercises/{exercise['id']}/roundtables")
        events = f"{server.base}/api/v1/roundtables/{table['id']}/events"

        # Baseline: the cheapest request the server answers, over one keep-alive connection.
        health = Client(server.base, None)
        for _ in range(20):
            health.call("GET", "/healthz")
        baseline = []
        for _ in range(args.health):
            start = time.perf_counter()
            health.call("GET", "/healthz")
            baseline.append((time.perf_counter() - start) * 1000)

        connect_started = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(min(args.clients, 64)) as pool:
            clients = list(pool.map(lambda _: SSEClient(events, token=member.token, timeout=30), range(args.clients)))
        for client in clients:
            client.wait_connected(timeout=30)
        connect_ms = (time.monotonic() - connect_started) * 1000

        stage_latencies = []
        for stage in ("introduction", "analysis"):
            stage_latencies += fan_out(clients, lambda: facilitator.call("POST", f"/api/v1/roundtables/{table['id']}/stage", {"stage": stage}),
                                       lambda e, stage=stage: e.type == "stage" and e.data.get("stage") == stage)

        latencies = []
        for number in range(1, args.interventions + 1):
            text = f"Aportación {number} de la prueba de difusión"
            latencies += fan_out(clients, lambda: member.call("POST", f"/api/v1/roundtables/{table['id']}/interventions",
                                                              {"kind": "contribution", "text": text}),
                                 lambda e, text=text: e.type == "intervention" and e.data.get("text") == text)
        missing = [i for i, c in enumerate(clients) if c.error]
    finally:
        for client in clients:
            client.close()
        exit_code = server.stop()
        shutil.rmtree(server.data, ignore_errors=True)

    p50, p99, worst = percentile(latencies, 50), percentile(latencies, 99), max(latencies)
    s50, s99, smax = percentile(stage_latencies, 50), percentile(stage_latencies, 99), max(stage_latencies)
    h50, h99 = percentile(baseline, 50), percentile(baseline, 99)
    met = worst < TARGET_MS and smax < TARGET_MS
    binary = pathlib.Path(args.binary)
    configuration = "release" if "release" in binary.parts else ("debug" if "debug" in binary.parts else binary.parent.name)
    lines = [
        f"# Live table fan-out ({configuration} build)",
        "",
        f"`python3 Benchmarks/live_fanout.py --binary {args.binary}` — {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, "
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}; "
        "`cocrea serve --demo` on SQLite, client and server on the same machine (loopback).",
        "",
        f"{args.clients} Server-Sent Events clients on the demo table (Zapopan), all connected in {connect_ms:.0f} ms. "
        f"{args.interventions} interventions posted through the API one after another (the next once all {args.clients} clients "
        f"had the previous one) and 2 stage changes: latency from just before the POST is sent to each client reading "
        f"the event ({len(latencies)} and {len(stage_latencies)} samples). Baseline: {args.health} `GET /healthz` round trips "
        "over one keep-alive connection, same server, same run.",
        "",
        "| measure | p50 (ms) | p99 (ms) | max (ms) |",
        "|---|---:|---:|---:|",
        f"| intervention → all {args.clients} clients | {p50:.1f} | {p99:.1f} | {worst:.1f} |",
        f"| stage change → all {args.clients} clients | {s50:.1f} | {s99:.1f} | {smax:.1f} |",
        f"| baseline: `GET /healthz` round trip | {h50:.2f} | {h99:.2f} | {max(baseline):.2f} |",
        "",
        f"Ratio intervention fan-out / healthz round trip: p50 {p50 / h50:.1f}×, p99 {p99 / h99:.1f}×.",
        "",
        f"Target: a new intervention or a stage change reaches {args.clients} connected participants in under "
        f"{TARGET_MS:.0f} ms — **{'met' if met else 'NOT met'}** (slowest delivery {max(worst, smax):.1f} ms).",
    ]
    if missing:
        lines += ["", f"Clients that ended with an error: {missing}"]
    if exit_code not in (0, None):
        lines += ["", f"Note: the server exited with status {exit_code} when stopped after the clients disconnected."]
    report = "\n".join(lines) + "\n"
    print(report)
    if args.output:
        pathlib.Path(args.output).parent.mkdir(parents=True, exist_ok=True)
        pathlib.Path(args.output).write_text(report)


if __name__ == "__main__":
    main()
