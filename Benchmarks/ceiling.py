#!/usr/bin/env python3
"""The stack's ceiling: a bare Vapor 4 server answering "ok" (`Benchmarks/HelloVapor`, built from source in
the same run), Cocrea's `GET /healthz`, authenticated API reads (bearer token), signed-in pages (session
cookie) and `GET /login`, each with wrk on loopback, reported as same-run ratios.

Starts the bare server and `cocrea serve --demo` (bench_server.py: fresh SQLite data directory,
LOG_LEVEL=warning) side by side, takes the demo exercise to a sealed plan with progress and signs the
administrator in through the sign-in form. The targets whose ratio compares two runs (the bare server's two
routes, Cocrea's `/healthz` and `GET /login`) are measured in rounds (5 by default), one right after the
other, so that a busy moment of a shared machine weighs on both sides of a ratio. A ratio is the median of
the rounds' ratios, all of which are listed; each target's figures are its median run. The other reads run once, after the rounds (`wrk --latency`, 2
threads, 64 connections, 8 s after a 2 s warm-up by default). Counts the rows of `web_sessions` before and
after the `GET /login` runs: an anonymous visit must write none. Writes Markdown.

    python3 Benchmarks/ceiling.py --binary .build-release/release/cocrea \\
        --hello Benchmarks/HelloVapor/.build-release/release/HelloVapor --output Benchmarks/results/ceiling-release.md

The bare server is measured twice: its `/healthz` answers from a synchronous closure on the event loop, its
`/healthz/async` from an async one, as Vapor's own template writes routes, which Vapor runs in a task. Cocrea's
`/healthz` is async (it may have to wait for the database), so the ceiling it is held to is the async one; the
ratio to the synchronous one is reported beside it.

Targets (issue 17): Cocrea's /healthz ≥ 0.8× the bare server (async handler); authenticated API reads and signed-in pages
≥ 0.3× Cocrea's /healthz with a p99 under 50 ms at 64 connections; `GET /login` ≥ 0.5× /healthz and no
database write per anonymous visit. Missed targets are reported, not turned into a failing exit status."""
import argparse
import datetime
import os
import pathlib
import platform
import re
import shutil
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from bench_server import ADMIN, DEMO_PASSWORD, ROOT, Server, free_port, prepare, smtp_sink  # noqa: E402
from load import check, run_wrk  # noqa: E402

HEALTHZ_MIN_RATIO = 0.8
READ_MIN_RATIO = 0.3
READ_P99_MS = 50.0
LOGIN_MIN_RATIO = 0.5


def start_hello(binary):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = subprocess.Popen([str(binary), "serve", "--hostname", "127.0.0.1", "--port", str(port)],
                               env=dict(os.environ, LOG_LEVEL="warning"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(base + "/healthz", timeout=2).status == 200:
                return process, base
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"{binary} did not start")


def sign_in(base, email, password):
    """The sign-in form as a browser sends it: its form cookie and token, then the session cookie."""
    with urllib.request.urlopen(base + "/login", timeout=30) as response:
        page = response.read().decode()
        form_cookie = response.headers.get("Set-Cookie").split(";")[0]
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"csrf": csrf, "next": "/exercises", "email": email, "password": password}).encode()

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    request = urllib.request.Request(base + "/login", data=body, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": form_cookie, "Origin": base})
    try:
        urllib.request.build_opener(NoRedirect).open(request, timeout=30)
    except urllib.error.HTTPError as redirect:
        if redirect.code != 303:
            raise
        cookie = next(value for name, value in redirect.headers.items() if name.lower() == "set-cookie" and value.startswith("cocrea_session="))
        return cookie.split(";")[0]
    raise SystemExit("signing in did not answer 303")


def session_rows(data):
    with sqlite3.connect(pathlib.Path(data) / "cocrea.sqlite", timeout=30) as db:
        return db.execute("SELECT COUNT(*) FROM web_sessions").fetchone()[0]


def measure(base, path, headers, args):
    """wrk's figures, with the machine's 1-minute load average at the end of the run: the machine is shared."""
    check(base, path, dict(h.split(": ", 1) for h in headers))
    run_wrk(base + path, args.threads, args.connections, args.warmup, headers=headers)
    result = run_wrk(base + path, args.threads, args.connections, args.duration, headers=headers)
    result["load"] = os.getloadavg()[0]
    return result


def median(values):
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def median_run(runs):
    """The run with the median requests/s (the lower middle one of an even number)."""
    ordered = sorted(runs, key=lambda run: run["rps"])
    return dict(ordered[(len(ordered) - 1) // 2])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", default=str(ROOT / ".build-release" / "release" / "cocrea"))
    parser.add_argument("--hello", default=str(ROOT / "Benchmarks" / "HelloVapor" / ".build-release" / "release" / "HelloVapor"))
    parser.add_argument("--output", default=None, help="Markdown report (default: stdout only)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--duration", type=int, default=8, help="seconds of load per target")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up per target")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of the compared targets (an odd number has a median)")
    args = parser.parse_args()
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk (scripts/setup-debian --tests)")

    load_before = os.getloadavg()
    hello, hello_base = start_hello(args.hello)
    try:
        with smtp_sink() as mailbox:
            server = Server(args.binary, mailbox.port)
            try:
                seeded = prepare(server, mailbox)
                eid = seeded["exercise"]
                bearer = [f"Authorization: Bearer {seeded['api'].token}", "Accept: application/json"]
                session = [f"Cookie: {sign_in(server.base, ADMIN, DEMO_PASSWORD)}"]
                # The ratios that compare two servers, or /healthz with /login, are measured in rounds, each
                # target right after the other, so that what else the machine does weighs on both alike.
                sessions_before = session_rows(server.data)
                rounds = []
                for number in range(1, args.rounds + 1):
                    measured = {
                        "bare_sync": measure(hello_base, "/healthz", [], args),
                        "bare": measure(hello_base, "/healthz/async", [], args),
                        "healthz": measure(server.base, "/healthz", [], args),
                        "login": measure(server.base, "/login", [], args),
                    }
                    rounds.append(measured)
                    print(f"round {number}: bare Vapor {measured['bare_sync']['rps']:.0f} req/s (synchronous), "
                          f"{measured['bare']['rps']:.0f} (async); Cocrea /healthz {measured['healthz']['rps']:.0f}, "
                          f"/login {measured['login']['rps']:.0f}", file=sys.stderr)
                sessions_after = session_rows(server.data)
                bare_sync, bare, healthz, login = (median_run([r[key] for r in rounds]) for key in ("bare_sync", "bare", "healthz", "login"))
                healthz.update(kind="healthz", label="Cocrea `GET /healthz`")
                login.update(kind="login", label="sign-in page `GET /login`", sessions_before=sessions_before,
                             sessions_after=sessions_after, requests=sum(r["login"]["requests"] for r in rounds))
                reads = [
                    ("api", "API read `GET /api/v1/exercises/{id}/commitments`", f"/api/v1/exercises/{eid}/commitments", bearer),
                    ("api", "API read `GET /api/v1/exercises/{id}`", f"/api/v1/exercises/{eid}", bearer),
                    ("page", "signed-in page `GET /exercises`", "/exercises", session),
                    ("page", "signed-in page `GET /exercises/{id}`", f"/exercises/{eid}", session),
                    ("page", "signed-in page `GET /exercises/{id}/plan`", f"/exercises/{eid}/plan", session),
                ]
                rows = [healthz]
                for kind, label, path, headers in reads:
                    result = measure(server.base, path, headers, args)
                    result.update(kind=kind, label=label)
                    rows.append(result)
                    print(f"{label}: {result['rps']:.0f} req/s, p99 {result['p99']:.2f} ms, non-2xx {result['non2xx']}", file=sys.stderr)
                rows.append(login)
            finally:
                code = server.stop()
                shutil.rmtree(server.data, ignore_errors=True)
    finally:
        hello.terminate()
        hello.wait(timeout=30)

    healthz = rows[0]
    verdict = lambda ok: "met" if ok else "**NOT met**"  # noqa: E731
    lines = [
        "## The stack's ceiling: bare Vapor, Cocrea's /healthz, authenticated reads and the sign-in page",
        "",
        f"Measured {datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')} on {os.cpu_count()} cores "
        f"({platform.machine()}), Cocrea `{args.binary}`, bare Vapor `{args.hello}`, SQLite, loopback. "
        f"`wrk --latency -t {args.threads} -c {args.connections} -d {args.duration}s` per target after a {args.warmup} s warm-up. "
        f"Both servers ran side by side; the bare server's two routes, Cocrea's /healthz and /login were measured in "
        f"{args.rounds} rounds, one right after the other; each shows its median run, and its ratio is the median of the rounds' "
        "ratios. The other reads ran once, after the rounds, and are compared with /healthz's median run.",
        "",
        "| target | requests/s | p50 | p99 | ratio | against | target | result | load |",
        "|---|---|---|---|---|---|---|---|---|",
        f"| bare Vapor 4 `GET /healthz` (\"ok\", synchronous handler) | {bare_sync['rps']:,.0f} | {bare_sync['p50']:.2f} ms | "
        f"{bare_sync['p99']:.2f} ms | — | — | — | — | {bare_sync['load']:.1f} |",
        f"| bare Vapor 4 `GET /healthz/async` (\"ok\", async handler) | {bare['rps']:,.0f} | {bare['p50']:.2f} ms | {bare['p99']:.2f} ms | "
        f"1.00× | — | — | — | {bare['load']:.1f} |",
    ]
    met = []
    for r in rows:
        if r["kind"] == "healthz":
            ratio = median([round_["healthz"]["rps"] / round_["bare"]["rps"] for round_ in rounds])
            synchronous = median([round_["healthz"]["rps"] / round_["bare_sync"]["rps"] for round_ in rounds])
            against = f"bare Vapor, async handler ({synchronous:.2f}× the synchronous one)"
            target = f"≥ {HEALTHZ_MIN_RATIO}×"
            ok = ratio >= HEALTHZ_MIN_RATIO
        elif r["kind"] == "login":
            ratio, against = median([round_["login"]["rps"] / round_["healthz"]["rps"] for round_ in rounds]), "Cocrea /healthz"
            target = f"≥ {LOGIN_MIN_RATIO}×, no write"
            ok = ratio >= LOGIN_MIN_RATIO and r["sessions_after"] == r["sessions_before"]
        else:
            ratio, against = r["rps"] / healthz["rps"], "Cocrea /healthz"
            target = f"≥ {READ_MIN_RATIO}×, p99 < {READ_P99_MS:.0f} ms"
            ok = ratio >= READ_MIN_RATIO and r["p99"] < READ_P99_MS
        met.append(ok)
        lines.append(f"| {r['label']} | {r['rps']:,.0f} | {r['p50']:.2f} ms | {r['p99']:.2f} ms | {ratio:.2f}× | {against} | "
                     f"{target} | {verdict(ok)} | {r['load']:.1f} |")
    ratios = ", ".join(f"{r['healthz']['rps'] / r['bare']['rps']:.2f}×" for r in rounds)
    logins = ", ".join(f"{r['login']['rps'] / r['healthz']['rps']:.2f}×" for r in rounds)
    bad = sum(r[key]["non2xx"] + r[key]["socket_errors"] for r in rounds for key in r) + sum(r["non2xx"] + r["socket_errors"] for r in rows[1:-1])
    lines += [
        "",
        f"Round by round, Cocrea's /healthz against the bare server's async route: {ratios}; `GET /login` against /healthz: {logins}.",
        "",
        f"`GET /login` under load: `web_sessions` had {login['sessions_before']} row(s) before and {login['sessions_after']} after "
        f"{login['requests']:,} anonymous visits.",
        "",
        f"Targets met: {sum(met)} of {len(met)}. Non-2xx answers and socket errors: {bad}. "
        "The load column is the 1-minute load average when that target's run ended. "
        f"Machine load average (1 min) {load_before[0]:.2f} at the start and {os.getloadavg()[0]:.2f} at the end "
        f"(on {os.cpu_count()} cores; wrk and the server share them). Cocrea exited {code} on SIGTERM.",
    ]
    report = "\n".join(lines) + "\n"
    print(report)
    if args.output:
        pathlib.Path(args.output).parent.mkdir(parents=True, exist_ok=True)
        pathlib.Path(args.output).write_text(report)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
