#!/usr/bin/env python3
"""Scale: what one request costs on a national instance, at 100 and at 2,000 exercises with a sealed
plan, as ratios between the two sizes measured in one run on one server binary.

Starts `cocrea serve --demo` (fresh temporary SQLite data directory, SMTP sink), takes the demo
exercise to a sealed plan with progress through the API (as `load.py` does), stops the server, and
for each size runs `cocrea bench seed --exercises N` (copies of that sealed exercise — six members,
five commitments with three activities each, its sealed version and progress — under other
municipalities' names, each written and audited through the same write path as the API) and starts
`cocrea serve` again on the same directory. Then, for each target: the median and p90 of sequential
requests, and requests/s with wrk (2 threads, 16 connections). `GET /public` is measured twice: as
readers get it (one address, answered from the public cache) and rendered every time (an unknown
query parameter makes every request a cache miss). Finally `cocrea audit verify` is timed with the
server stopped. Writes Markdown.

    python3 Benchmarks/scale.py --binary .build/release/cocrea --output Benchmarks/results/scale-release.md

Target (issue 21): every request at 2,000 exercises within 2x its time at 100."""
import argparse
import datetime
import http.client
import os
import pathlib
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.parse

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from bench_server import ADMIN, DEMO_PASSWORD, ROOT, RSSSampler, Server, prepare, smtp_sink  # noqa: E402
from load import wrk  # noqa: E402

TARGET_RATIO = 2.0


def run(binary, env, *arguments, timeout=3600):
    started = time.perf_counter()
    done = subprocess.run([str(binary), *arguments], env=env, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise SystemExit(f"cocrea {' '.join(arguments)} failed: {done.stderr}{done.stdout}")
    return time.perf_counter() - started, done.stdout


def session_cookie(base):
    """Signs the administrator in as a browser does and returns the session cookie."""
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=60)
    connection.request("GET", "/login")
    response = connection.getresponse()
    page = response.read().decode()
    cookie = response.getheader("Set-Cookie").split(";")[0]
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"csrf": csrf, "next": "/exercises", "email": ADMIN, "password": DEMO_PASSWORD})
    connection.request("POST", "/login", body=form, headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
    response = connection.getresponse()
    response.read()
    assert response.status == 303, f"sign-in → {response.status}"
    renewed = response.getheader("Set-Cookie")
    return renewed.split(";")[0] if renewed else cookie


def sequential(base, paths, headers, count):
    """Median and p90 in ms of `count` requests one after another on one connection (`paths` cycles)."""
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=120)
    times, size = [], 0
    for i in range(count):
        started = time.perf_counter()
        connection.request("GET", paths(i), headers=headers)
        response = connection.getresponse()
        body = response.read()
        times.append((time.perf_counter() - started) * 1000)
        assert response.status == 200, f"{paths(i)} → {response.status}"
        size = len(body)
    connection.close()
    times.sort()
    return dict(median=statistics.median(times), p90=times[min(len(times) - 1, int(len(times) * 0.9))], bytes=size)


def measure(server, eid, token, args):
    cookie = session_cookie(server.base)
    bearer = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    targets = [
        ("`GET /public` (as readers get it: public cache)", lambda i: "/public", {}, True),
        ("`GET /public` rendered every time (cache missed)", lambda i: f"/public?medicion={i}", {}, False),
        ("`GET /public?pagina=4` rendered (a later page)", lambda i: f"/public?pagina=4&medicion={i}", {}, False),
        ("`GET /public?q=plan+de+accion` rendered (a search that fills a page at both sizes)", lambda i: f"/public?q=plan+de+accion&medicion={i}", {}, False),
        ("administrator's list `GET /exercises`", lambda i: "/exercises", {"Cookie": cookie}, True),
        ("`GET /api/v1/exercises` (first page of 50)", lambda i: "/api/v1/exercises", bearer, True),
        ("public exercise page `GET /public/exercises/{id}`", lambda i: f"/public/exercises/{eid}?medicion={i}", {}, False),
        ("open-data file `GET /open-data/{id}/commitments.csv`", lambda i: f"/open-data/{eid}/commitments.csv?medicion={i}", {}, False),
    ]
    results = {}
    for label, paths, headers, with_wrk in targets:
        sequential(server.base, paths, headers, 5)  # warm-up
        result = sequential(server.base, paths, headers, args.requests)
        if with_wrk:
            wrk(server.base, paths(0), [f"{k}: {v}" for k, v in headers.items()], 2, args.connections, 1)
            result["rps"] = wrk(server.base, paths(0), [f"{k}: {v}" for k, v in headers.items()], 2, args.connections, args.duration)["rps"]
        results[label] = result
        print(f"  {label}: median {result['median']:.2f} ms, p90 {result['p90']:.2f} ms, {result['bytes']} B"
              + (f", {result['rps']:.0f} req/s" if "rps" in result else ""), file=sys.stderr)
    # The public cache: every page of the index and a search each, then the server's resident memory.
    before = server.rss_kb()
    pages = -(-args.current // 25)
    for page in range(1, pages + 1):
        sequential(server.base, lambda i: f"/public?pagina={page}", {}, 1)
    results["cache"] = dict(pages=pages, rss_before=before, rss_after=server.rss_kb())
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", default=str(ROOT / ".build" / "release" / "cocrea"))
    parser.add_argument("--output", default=None)
    parser.add_argument("--sizes", default="100,2000")
    parser.add_argument("--requests", type=int, default=40, help="sequential requests per target")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--duration", type=int, default=4, help="seconds of wrk per target")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    load_before = os.getloadavg()
    measured, seeding, audits = {}, {}, {}
    with smtp_sink() as mailbox:
        server = Server(args.binary, mailbox.port)
        data = server.data
        try:
            seeded = prepare(server, mailbox)
            eid = seeded["exercise"]
            token = server.token(ADMIN)
        finally:
            server.stop()
        env = dict(server.env)
        try:
            for size in sizes:
                seconds, _ = run(server.binary, env, "bench", "seed", "--exercises", str(size))
                seeding[size] = seconds
                print(f"{size} sealed exercises (seeded in {seconds:.0f} s):", file=sys.stderr)
                running = Server(args.binary, mailbox.port, data=data)
                try:
                    args.current = size
                    with RSSSampler(running) as rss:
                        measured[size] = measure(running, eid, token, args)
                    measured[size]["peak_kb"] = rss.peak_kb
                finally:
                    running.stop()
                seconds, out = run(server.binary, env, "audit", "verify")
                events = int(re.search(r"(\d+) eventos", out).group(1))
                audits[size] = dict(seconds=seconds, events=events)
                print(f"  cocrea audit verify: {seconds:.2f} s for {events} events", file=sys.stderr)
        finally:
            shutil.rmtree(data, ignore_errors=True)
    load_after = os.getloadavg()

    small, large = sizes[0], sizes[-1]
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    lines = [
        f"## Scale: {small} and {large} exercises with a sealed plan",
        "",
        f"Measured {stamp} with `{pathlib.Path(args.binary).relative_to(ROOT) if pathlib.Path(args.binary).resolve().is_relative_to(ROOT) else args.binary}` "
        f"on {os.cpu_count()} cores; 1-minute load average {load_before[0]:.1f} before, {load_after[0]:.1f} after. "
        f"Sequential medians and p90 of {args.requests} requests; requests/s with wrk (2 threads, {args.connections} connections, {args.duration} s). "
        f"Seeding took {seeding[small]:.0f} s to {small} and {seeding[large]:.0f} s more to {large}.",
        "",
        f"| request | {small}: median (p90) | {large}: median (p90) | ratio | within {TARGET_RATIO:.0f}× | body {small} / {large} | req/s {small} / {large} |",
        "|---|---|---|---|---|---|---|",
    ]
    worst = 0.0
    for label in [k for k in measured[small] if k != "cache" and not k.startswith("peak")]:
        a, b = measured[small][label], measured[large][label]
        ratio = b["median"] / a["median"]
        worst = max(worst, ratio)
        rps = f"{a['rps']:.0f} / {b['rps']:.0f}" if "rps" in a else "—"
        lines.append(f"| {label} | {a['median']:.2f} ms ({a['p90']:.2f}) | {b['median']:.2f} ms ({b['p90']:.2f}) | {ratio:.2f}× | "
                     f"{'yes' if ratio <= TARGET_RATIO else 'NO'} | {a['bytes'] / 1024:.1f} KB / {b['bytes'] / 1024:.1f} KB | {rps} |")
    ca, cb = measured[small]["cache"], measured[large]["cache"]
    va, vb = audits[small], audits[large]
    lines += [
        "",
        f"Public cache: after every page of the index was requested once ({ca['pages']} and {cb['pages']} pages, each kept by "
        f"the cache), the server's resident memory went from {ca['rss_before'] / 1024:.0f} to {ca['rss_after'] / 1024:.0f} MB "
        f"at {small} and from {cb['rss_before'] / 1024:.0f} to {cb['rss_after'] / 1024:.0f} MB at {large}; one entry is one page "
        f"of 25 rows, and the cache keeps at most 1,000 entries. Peak resident memory during the run: "
        f"{measured[small]['peak_kb'] / 1024:.0f} MB / {measured[large]['peak_kb'] / 1024:.0f} MB.",
        "",
        f"`cocrea audit verify`: {va['seconds']:.2f} s for {va['events']:,} events at {small}, {vb['seconds']:.2f} s for "
        f"{vb['events']:,} at {large} ({vb['seconds'] / va['seconds']:.1f}× the time for {vb['events'] / va['events']:.1f}× the events: "
        f"linear by nature, read 1,000 events at a time so its memory stays flat).",
        "",
        f"Largest request ratio: {worst:.2f}× (target ≤ {TARGET_RATIO:.0f}×).",
    ]
    report = "\n".join(lines) + "\n"
    print(report)
    if args.output:
        pathlib.Path(args.output).write_text(report)


if __name__ == "__main__":
    main()
