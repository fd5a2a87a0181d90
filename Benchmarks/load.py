#!/usr/bin/env python3
"""Load and memory: throughput, p50/p99 latency and the server's peak resident memory for the public
pages, the API reads and the sign-in, each as a ratio to `GET /healthz` measured in the same run on
the same server.

Starts `cocrea serve --demo` itself (fresh temporary data directory, SQLite, a free loopback port,
LOG_LEVEL=warning, templates from the repository), takes the demo exercise through the API to a sealed
plan with some progress reported (so that its public pages exist), then for each target runs a short
warm-up and `wrk --latency` (Debian's wrk; 2 threads, 64 connections, 8 s by default) while sampling
the server's VmRSS from /proc every 100 ms. POST /login (Bcrypt, CSRF form) cannot be driven by wrk
with fresh sessions, so it is measured with a small Python generator, against /healthz measured by the
same generator. Writes Markdown.

    python3 Benchmarks/load.py --binary .build/release/cocrea --output Benchmarks/results/load-release.md

Target (issue): the public plan page serves at least half the requests per second of /healthz, with a
p99 under 20 ms."""
import argparse
import concurrent.futures
import datetime
import http.client
import os
import pathlib
import platform
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
# Starting the server, its memory and the sealed demo exercise are shared with the other benchmarks.
from bench_server import ADMIN, API, DEMO_PASSWORD, ROOT, RSSSampler, Server, prepare, smtp_sink  # noqa: E402,F401

PUBLIC_PAGE_MIN_RATIO = 0.5
PUBLIC_PAGE_P99_MS = 20.0


def percentile(values, p):
    """Nearest-rank percentile of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


def check(base, path, headers=None):
    """One request before the load: the target must answer 200 (wrk only counts ≥ 400 as errors)."""
    request = urllib.request.Request(base + path, headers=headers or {})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200, f"{path} → {response.status}"
        return len(response.read())


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def run_wrk(url, threads, connections, seconds, headers=(), script=None, script_args=()):
    """Runs `wrk --latency` (optionally with a Lua script and its arguments) and reads its summary."""
    command = ["wrk", "--latency", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s"]
    for header in headers:
        command += ["-H", header]
    if script:
        command += ["-s", str(script)]
    command.append(url)
    if script_args:
        command += ["--", *script_args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    if done.returncode != 0:
        raise SystemExit(f"wrk failed on {url}: {done.stderr}{done.stdout}")
    out = done.stdout

    def latency(p):
        value, unit = re.search(rf"^\s*{p}%\s+([\d.]+)(us|ms|s|m)\s*$", out, re.M).groups()
        return float(value) * UNITS[unit]

    completed = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m),", out)
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    requests = int(completed.group(1))
    return dict(rps=float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
                requests=requests, seconds=float(completed.group(2)) * UNITS[completed.group(3)] / 1000,
                p50=latency(50) if requests else 0.0, p99=latency(99) if requests else 0.0,
                non2xx=int(non2xx.group(1)) if non2xx else 0,
                socket_errors=sum(map(int, socket.groups())) if socket else 0,
                raw=out)


def wrk(base, path, headers, threads, connections, seconds):
    return run_wrk(base + path, threads, connections, seconds, headers=headers)


def python_load(base, request_once, workers, seconds):
    """`workers` threads, each on its own keep-alive connection, calling `request_once(connection)`
    (which returns the latency in ms of the request being measured and its status) for `seconds`."""
    host, port = base.removeprefix("http://").split(":")
    deadline = time.monotonic() + seconds

    def worker():
        connection = http.client.HTTPConnection(host, int(port), timeout=60)
        latencies, statuses = [], []
        while time.monotonic() < deadline:
            ms, status = request_once(connection)
            latencies.append(ms)
            statuses.append(status)
        connection.close()
        return latencies, statuses

    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        results = list(pool.map(lambda _: worker(), range(workers)))
    elapsed = time.monotonic() - started
    latencies = [ms for result in results for ms in result[0]]
    statuses = [s for result in results for s in result[1]]
    return latencies, statuses, elapsed


def healthz_once(connection):
    started = time.perf_counter()
    connection.request("GET", "/healthz")
    response = connection.getresponse()
    response.read()
    return (time.perf_counter() - started) * 1000, response.status


def login_once_factory(emails):
    """A fresh browser each time: GET /login (new session cookie, CSRF token), then the timed POST /login
    with the right password (303 to /exercises). Accounts taken in turn."""
    counter = iter(range(10**9))
    lock = threading.Lock()

    def once(connection):
        with lock:
            email = emails[next(counter) % len(emails)]
        connection.request("GET", "/login")
        response = connection.getresponse()
        page = response.read().decode()
        cookie = response.getheader("Set-Cookie").split(";")[0]
        csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode({"csrf": csrf, "next": "/exercises", "email": email, "password": DEMO_PASSWORD})
        started = time.perf_counter()
        connection.request("POST", "/login", body=form,
                           headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
        response = connection.getresponse()
        response.read()
        return (time.perf_counter() - started) * 1000, response.status

    return once


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", default=str(ROOT / ".build" / "release" / "cocrea"))
    parser.add_argument("--output", default=None, help="Markdown report (default: stdout only)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--moderate-connections", type=int, default=16,
                        help="the public page and /healthz again at this concurrency: the latency a reader sees when the server is not saturated")
    parser.add_argument("--duration", type=int, default=8, help="seconds of load per target")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up per target")
    parser.add_argument("--login-workers", type=int, default=8)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk (scripts/setup-debian --tests)")

    load_before = os.getloadavg()
    with smtp_sink() as mailbox:
        server = Server(args.binary, mailbox.port)
        try:
            seeded = prepare(server, mailbox)
            eid, token = seeded["exercise"], seeded["api"].token
            emails = [ADMIN] + [m["email"] for m in seeded["api"]("GET", f"/exercises/{eid}/members")]
            bearer = [f"Authorization: Bearer {token}", "Accept: application/json"]
            targets = [
                ("`GET /healthz` (baseline)", "/healthz", []),
                ("public plan page `GET /public/exercises/{id}`", f"/public/exercises/{eid}", []),
                ("public index `GET /public`", "/public", []),
                ("public progress JSON `GET /api/v1/public/exercises/{id}/progress`", f"/api/v1/public/exercises/{eid}/progress", []),
                ("API read, bearer token `GET /api/v1/exercises/{id}/commitments`", f"/api/v1/exercises/{eid}/commitments", bearer),
                ("sign-in page `GET /login`", "/login", []),
            ]
            idle_kb = server.rss_kb()
            rows = []
            for label, path, headers in targets:
                size = check(server.base, path, dict(h.split(": ", 1) for h in headers))
                wrk(server.base, path, headers, args.threads, args.connections, args.warmup)
                with RSSSampler(server) as rss:
                    result = wrk(server.base, path, headers, args.threads, args.connections, args.duration)
                result.update(label=label, peak_kb=rss.peak_kb, bytes=size)
                rows.append(result)
                print(f"{label}: {result['rps']:.0f} req/s, p50 {result['p50']:.2f} ms, p99 {result['p99']:.2f} ms, "
                      f"peak RSS {rss.peak_kb / 1024:.0f} MB, non-2xx {result['non2xx']}", file=sys.stderr)

            moderate = []
            for label, path, headers in targets[:2]:
                wrk(server.base, path, headers, args.threads, args.moderate_connections, args.warmup)
                result = wrk(server.base, path, headers, args.threads, args.moderate_connections, args.duration)
                result.update(label=label)
                moderate.append(result)
                print(f"{label} at {args.moderate_connections} connections: {result['rps']:.0f} req/s, p99 {result['p99']:.2f} ms", file=sys.stderr)

            # POST /login: Bcrypt on purpose; a small Python generator, with its own /healthz baseline.
            python_load(server.base, login_once_factory(emails), 2, 1)  # warm-up
            with RSSSampler(server) as rss:
                health_ms, health_status, health_s = python_load(server.base, healthz_once, args.login_workers, args.duration)
            health_peak = rss.peak_kb
            with RSSSampler(server) as rss:
                login_ms, login_status, login_s = python_load(server.base, login_once_factory(emails), args.login_workers, args.duration)
            login_peak = rss.peak_kb
            one, connection = login_once_factory(emails), http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
            sequential = [one(connection) for _ in range(10)]
            seq_bad = sum(1 for _, status in sequential if status != 303)
            sequential = [ms for ms, _ in sequential]
            connection.close()
            final_kb = server.rss_kb()
            hwm_kb = int(next(l.split()[1] for l in open(f"/proc/{server.process.pid}/status") if l.startswith("VmHWM:")))
        finally:
            code = server.stop()
            log = server.log()
            shutil.rmtree(server.data, ignore_errors=True)

    problems = [line for line in log.splitlines() if re.search(r"\[ (ERROR|CRITICAL) \]|\berror\b", line, re.I)]
    base = rows[0]
    lines = [
        "## Load and memory: public pages, API reads and sign-in vs. /healthz",
        "",
        f"Measured {datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')} on {os.cpu_count()} cores "
        f"({platform.machine()}), binary `{args.binary}`, SQLite, loopback. "
        f"`wrk --latency -t {args.threads} -c {args.connections} -d {args.duration}s` per target after a {args.warmup} s warm-up "
        "(wrk and the server share the machine); peak RSS = highest VmRSS of the server sampled every 100 ms during that target's run.",
        "",
        "| target | requests/s | p50 | p99 | peak RSS | throughput / healthz | p99 / healthz | non-2xx | response |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        if r["requests"] == 0:
            lines.append(f"| {r['label']} | 0 — no request completed in {args.duration} s | – | – | {r['peak_kb'] / 1024:.0f} MB | 0× | – | "
                         f"{r['non2xx'] + r['socket_errors']} | {r['bytes'] / 1024:.1f} KB |")
            continue
        lines.append(f"| {r['label']} | {r['rps']:,.0f} | {r['p50']:.2f} ms | {r['p99']:.2f} ms | {r['peak_kb'] / 1024:.0f} MB | "
                     f"{r['rps'] / base['rps']:.2f}× | {r['p99'] / base['p99']:.1f}× | {r['non2xx'] + r['socket_errors']} | "
                     f"{r['bytes'] / 1024:.1f} KB |")
    page = rows[1]
    ratio_ok = page["rps"] / base["rps"] >= PUBLIC_PAGE_MIN_RATIO
    p99_ok = page["requests"] > 0 and page["p99"] < PUBLIC_PAGE_P99_MS
    moderate_base, moderate_page = moderate
    moderate_ok = moderate_page["requests"] > 0 and moderate_page["p99"] < PUBLIC_PAGE_P99_MS
    lines += [
        "",
        f"The same two targets at {args.moderate_connections} connections (the server is not saturated; with {args.connections} "
        f"connections every request also waits for the others queued before it, /healthz included):",
        "",
        "| target | requests/s | p50 | p99 | throughput / healthz | p99 / healthz |",
        "|---|---|---|---|---|---|",
    ]
    for r in moderate:
        lines.append(f"| {r['label']} | {r['rps']:,.0f} | {r['p50']:.2f} ms | {r['p99']:.2f} ms | {r['rps'] / moderate_base['rps']:.2f}× | "
                     f"{r['p99'] / moderate_base['p99']:.1f}× |")
    lines += [
        "",
        f"**Public plan page target** (≥ {PUBLIC_PAGE_MIN_RATIO}× /healthz throughput, p99 < {PUBLIC_PAGE_P99_MS:.0f} ms): "
        f"throughput {page['rps'] / base['rps']:.2f}× → {'met' if ratio_ok else 'NOT met'}; "
        f"p99 at {args.connections} connections {page['p99']:.2f} ms (/healthz {base['p99']:.2f} ms) → {'met' if p99_ok else 'NOT met'}; "
        f"p99 at {args.moderate_connections} connections {moderate_page['p99']:.2f} ms (/healthz {moderate_base['p99']:.2f} ms) → "
        f"{'met' if moderate_ok else 'NOT met'}.",
        "",
        f"Sign-in `POST /login` (correct password, Bcrypt, fresh session and CSRF token each time, the {len(emails)} demo accounts in turn; "
        f"a Python generator with {args.login_workers} keep-alive connections for {args.duration} s, only the POST timed), "
        "against `GET /healthz` from the same generator just before:",
        "",
        "| target | requests/s | p50 | p99 | peak RSS | throughput / healthz | p99 / healthz | non-2xx/3xx |",
        "|---|---|---|---|---|---|---|---|",
    ]
    h_rps, l_rps = len(health_ms) / health_s, len(login_ms) / login_s
    h_bad = sum(1 for s in health_status if s >= 300)
    l_bad = sum(1 for s in login_status if s != 303)
    lines.append(f"| `GET /healthz` (Python baseline) | {h_rps:,.0f} | {percentile(health_ms, 50):.2f} ms | {percentile(health_ms, 99):.2f} ms | "
                 f"{health_peak / 1024:.0f} MB | 1.00× | 1.0× | {h_bad} |")
    lines.append(f"| `POST /login` | {l_rps:,.1f} | {percentile(login_ms, 50):.1f} ms | {percentile(login_ms, 99):.1f} ms | "
                 f"{login_peak / 1024:.0f} MB | {l_rps / h_rps:.4f}× | {percentile(login_ms, 99) / percentile(health_ms, 99):.0f}× | "
                 f"{l_bad} (of {len(login_ms)}) |")
    lines += [
        "",
        f"Sequential `POST /login`, 10 in a row on one connection: mean {sum(sequential) / len(sequential):.1f} ms "
        f"(min {min(sequential):.1f}, max {max(sequential):.1f}). Bcrypt is slow on purpose; wrong passwords are "
        "rate limited per account and per client (not measured)."
        + (f" {seq_bad} of them did not answer 303." if seq_bad else ""),
        "",
        f"Server memory: {idle_kb / 1024:.0f} MB resident after seeding, before the load; {final_kb / 1024:.0f} MB at the end; "
        f"high-water mark (VmHWM) {hwm_kb / 1024:.0f} MB.",
        "",
        f"Machine load average (1 min) {load_before[0]:.2f} at the start and {os.getloadavg()[0]:.2f} at the end "
        f"(on {os.cpu_count()} cores; anything else running shares the CPUs with the server and wrk).",
        "",
        "Survey answers are measured by `Benchmarks/survey_load.py` (accepted answers per second and none lost).",
        "",
        f"Server: exit code {code} on SIGTERM; {len(problems)} error line(s) in its log at LOG_LEVEL=warning"
        + (":" if problems else "."),
    ]
    lines += [f"    {line[:300]}" for line in problems[:10]]
    report = "\n".join(lines) + "\n"
    print(report)
    if args.output:
        pathlib.Path(args.output).parent.mkdir(parents=True, exist_ok=True)
        pathlib.Path(args.output).write_text(report)
    failed = page["non2xx"] or page["socket_errors"] or any(r["non2xx"] for r in rows) or l_bad or h_bad or seq_bad
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
