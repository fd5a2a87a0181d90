#!/usr/bin/env python3
"""Survey answers under load: accepted answers per second on SQLite, p50/p99 latency and the server's peak
resident memory, as a ratio to `GET /healthz` measured in the same run on the same server, and a check
that every accepted answer was stored.

Starts `cocrea serve --demo` the way Benchmarks/load.py does (fresh temporary data directory, SQLite, a free
loopback port, an SMTP sink) with COCREA_SURVEY_RATE_LIMIT=0 (the per-client limit would otherwise refuse a
load generator that is a single client), takes the first survey of `GET /api/v1/public/surveys`, checks the
answer contract once (201, then 409 for the same answers again, 422 for an invalid one), then runs Debian's
`wrk --latency` (2 threads, 64 connections, 10 s after a 2 s warm-up) on `GET /healthz` and on
`POST /api/v1/surveys/{id}/responses` with Benchmarks/survey_answers.lua, which builds a different body for
every request (a counter in a text answer, choices and ratings drawn at random) and counts the statuses,
while sampling the server's VmRSS every 100 ms. Finally compares the survey's `responseCount`
(`GET /api/v1/surveys/{id}/results`, administrator's bearer token) with the 201s received. Writes Markdown.

    python3 Benchmarks/survey_load.py --binary .build/release/cocrea --output Benchmarks/results/survey-release.md

Target (issue 4): at least 1,500 accepted answers per second, none lost. A missed throughput target is
reported, not an error; the exit status is non-zero when something could not be run, when an answer was
lost, or when the load got anything but 201s (409, 422, 429, 5xx, socket errors)."""
import argparse
import datetime
import json
import os
import pathlib
import platform
import re
import shutil
import sys
import tempfile
import time
import urllib.error
import urllib.request

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
# The server (its environment passed on) and the VmRSS sampler; load.py's wrk runner.
import load  # noqa: E402
from bench_server import ADMIN, ROOT, RSSSampler, Server, smtp_sink  # noqa: E402

TARGET_PER_SECOND = 1500
LUA = ROOT / "Benchmarks" / "survey_answers.lua"
TEXT_KINDS = ("shortText", "longText")


def call(base, method, path, body=None, token=None):
    """One JSON request; returns (status, decoded body or raw text)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method)
    request.add_header("Accept", "application/json")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    try:
        return status, json.loads(raw)
    except ValueError:
        return status, raw.decode(errors="replace")


def example_answers(questions, text):
    """A valid set of answers: every question answered, `text` in the text questions."""
    answers = {}
    for q in questions:
        if q["kind"] == "singleChoice":
            answers[q["id"]] = q["options"][0]
        elif q["kind"] == "multipleChoice":
            answers[q["id"]] = q["options"][:1]
        elif q["kind"] == "scale":
            answers[q["id"]] = 4
        else:
            answers[q["id"]] = text
    return answers


def invalid_answers(questions):
    """Answers the server must refuse with 422: a rating out of 1–5, or else an option that does not exist."""
    answers = example_answers(questions, "Respuesta inválida a propósito")
    scale = next((q for q in questions if q["kind"] == "scale"), None)
    choice = next((q for q in questions if q["kind"] in ("singleChoice", "multipleChoice")), None)
    if scale:
        answers[scale["id"]] = 9
    elif choice:
        answers[choice["id"]] = "No es una opción" if choice["kind"] == "singleChoice" else ["No es una opción"]
    else:
        answers["pregunta-que-no-existe"] = "x"
    return answers


def write_spec(questions, path):
    """The questions for survey_answers.lua, one per line (see the script's header); the first text question
    carries the per-request counter."""
    unique = next((q["id"] for q in questions if q["kind"] in TEXT_KINDS), None)
    lines = []
    for q in questions:
        lines.append("\t".join(["Q", json.dumps(str(q["id"])), q["kind"], "1" if q.get("required") else "0",
                                "1" if q["id"] == unique else "0"]))
        lines += ["\t".join(["O", json.dumps(option)]) for option in q.get("options") or []]
    pathlib.Path(path).write_text("\n".join(lines) + "\n")
    return unique


def run_wrk(url, threads, connections, seconds, script=None, script_args=()):
    """load.py's wrk runner, plus the counts the survey script prints (every answer's status)."""
    result = load.run_wrk(url, threads, connections, seconds, script=script, script_args=script_args)
    out = result["raw"]
    if result["requests"] == 0:
        raise SystemExit(f"no request to {url} completed in {seconds} s:\n{out}")
    counts = re.search(r"^survey-answers sent=(\d+) received=(\d+) s201=(\d+) s409=(\d+) s422=(\d+) s429=(\d+) s5xx=(\d+) other=(\d+)$",
                       out, re.M)
    if script:
        if not counts:
            raise SystemExit(f"{script.name} printed no counts:\n{out}")
        result.update(zip(("sent", "received", "s201", "s409", "s422", "s429", "s5xx", "other"), map(int, counts.groups())))
        result["problems"] = re.findall(r"^survey-answers problem (.*)$", out, re.M)
    return result


def response_count(base, survey, token, expected_at_least, settle=15.0):
    """The survey's responseCount once it has reached `expected_at_least` and stopped moving (answers still
    in flight when wrk stopped are let in), or whatever it is after `settle` seconds."""
    deadline, last = time.monotonic() + settle, None
    while True:
        status, results = call(base, "GET", f"/api/v1/surveys/{survey}/results", token=token)
        if status != 200 or "responseCount" not in results:
            raise SystemExit(f"GET /api/v1/surveys/{survey}/results → {status}: {str(results)[:500]}")
        count = results["responseCount"]
        if (count == last and count >= expected_at_least) or time.monotonic() > deadline:
            return count
        last = count
        time.sleep(0.5)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", default=str(ROOT / ".build" / "release" / "cocrea"))
    parser.add_argument("--output", default=None, help="Markdown report (default: stdout only)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per target")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up per target")
    parser.add_argument("--survey", default=None, help="survey id (default: the first published one)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk (scripts/setup-debian --tests)")

    load_before = os.getloadavg()
    os.environ["COCREA_SURVEY_RATE_LIMIT"] = "0"  # Server passes its environment on to the server
    spec = pathlib.Path(tempfile.mkdtemp(prefix="cocrea-bench-survey-")) / "questions.tsv"
    with smtp_sink() as mailbox:
        server = Server(args.binary, mailbox.port)
        try:
            status, surveys = call(server.base, "GET", "/api/v1/public/surveys")
            if status != 200 or not isinstance(surveys, list) or not surveys:
                raise SystemExit(f"GET /api/v1/public/surveys → {status}: no published survey ({str(surveys)[:300]})")
            survey = next((s for s in surveys if s["id"] == args.survey), None) if args.survey else surveys[0]
            if survey is None:
                raise SystemExit(f"survey {args.survey} is not published")
            questions = survey["questions"]
            unique = write_spec(questions, spec)
            token = server.token(ADMIN)
            before = response_count(server.base, survey["id"], token, 0, settle=0)
            path = f"/api/v1/surveys/{survey['id']}/responses"

            # The contract, once: accepted, refused as a duplicate, refused as invalid.
            body = {"answers": example_answers(questions, "Respuesta de comprobación del banco de pruebas"), "channel": "web"}
            first, receipt = call(server.base, "POST", path, body)
            if first != 201:
                raise SystemExit(f"POST {path} → {first}: {str(receipt)[:500]}")
            again, _ = call(server.base, "POST", path, body)
            invalid, refusal = call(server.base, "POST", path, {"answers": invalid_answers(questions), "channel": "web"})
            checks_accepted = 1

            def wrk_health(seconds):
                return run_wrk(server.base + "/healthz", args.threads, args.connections, seconds)

            def wrk_survey(seconds, tag):  # a different tag per run: no body repeats one of an earlier run
                return run_wrk(server.base + path, args.threads, args.connections, seconds, LUA, (str(spec), tag))

            idle_kb = server.rss_kb()
            wrk_health(args.warmup)
            with RSSSampler(server) as rss:
                health = wrk_health(args.duration)
            health["peak_kb"] = rss.peak_kb
            warm = wrk_survey(args.warmup, f"calentamiento-{os.getpid()}")
            with RSSSampler(server) as rss:
                answers = wrk_survey(args.duration, f"medicion-{os.getpid()}")
            answers["peak_kb"] = rss.peak_kb
            accepted = checks_accepted + warm["s201"] + answers["s201"]
            in_flight = (warm["sent"] - warm["received"]) + (answers["sent"] - answers["received"])
            stored = response_count(server.base, survey["id"], token, accepted) - before
            hwm_kb = int(next(l.split()[1] for l in open(f"/proc/{server.process.pid}/status") if l.startswith("VmHWM:")))
        finally:
            code = server.stop()
            log = server.log()
            shutil.rmtree(server.data, ignore_errors=True)
            shutil.rmtree(spec.parent, ignore_errors=True)

    problems = [line for line in log.splitlines() if re.search(r"\[ (ERROR|CRITICAL) \]|\berror\b", line, re.I)]
    per_second = answers["s201"] / answers["seconds"]
    lost = max(0, accepted - stored)
    unexplained = max(0, stored - accepted - in_flight)
    refused = {name: answers[key] + warm[key] for name, key in
               (("409", "s409"), ("422", "s422"), ("429", "s429"), ("5xx", "s5xx"), ("other", "other"))}
    binary = pathlib.Path(args.binary)
    configuration = "release" if "release" in binary.parts else ("debug" if "debug" in binary.parts else binary.parent.name)
    met = per_second >= TARGET_PER_SECOND
    lines = [
        f"## Survey answers under load ({configuration} build): accepted answers per second vs /healthz",
        "",
        f"Measured {datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')} on {os.cpu_count()} cores "
        f"({platform.machine()}), binary `{args.binary}`, SQLite, loopback, `COCREA_SURVEY_RATE_LIMIT=0`. "
        f"`wrk --latency -t {args.threads} -c {args.connections} -d {args.duration}s` per target after a {args.warmup} s warm-up "
        "(wrk and the server share the machine); peak RSS = highest VmRSS of the server sampled every 100 ms during that target's run.",
        "",
        f"Survey «{survey['title']}» ({len(questions)} questions: "
        + ", ".join(f"{q['kind']}{'' if q.get('required') else ' (optional)'}" for q in questions)
        + f"). Every request a different body (Benchmarks/survey_answers.lua): "
        + (f"a counter in the text answer `{unique}`, " if unique else "no text question to carry a counter (duplicates possible), ")
        + "choices and ratings drawn at random, optional questions sometimes left out.",
        "",
        "| target | requests/s | accepted (201) per second | p50 | p99 | peak RSS | throughput / healthz | p99 / healthz | not 2xx |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| `GET /healthz` (baseline) | {health['rps']:,.0f} | – | {health['p50']:.2f} ms | {health['p99']:.2f} ms | "
        f"{health['peak_kb'] / 1024:.0f} MB | 1.00× | 1.0× | {health['non2xx'] + health['socket_errors']} |",
        f"| `POST /api/v1/surveys/{{id}}/responses` | {answers['rps']:,.0f} | {per_second:,.0f} | {answers['p50']:.2f} ms | "
        f"{answers['p99']:.2f} ms | {answers['peak_kb'] / 1024:.0f} MB | {per_second / health['rps']:.2f}× | "
        f"{answers['p99'] / health['p99']:.1f}× | {answers['non2xx'] + answers['socket_errors']} |",
        "",
        f"Answers during the measured {answers['seconds']:.2f} s: {answers['sent']:,} sent, {answers['received']:,} answered, "
        f"{answers['s201']:,} accepted (201); warm-up: {warm['s201']:,} accepted; contract checks: {checks_accepted} accepted. "
        "Refused during the load and the warm-up: " + ", ".join(f"{n} {c}" for n, c in refused.items()) + ".",
        "",
        f"**Stored vs accepted:** the survey's `responseCount` went from {before:,} to {before + stored:,} "
        f"(+{stored:,}); 201s received: {accepted:,}; requests still in flight when wrk stopped: {in_flight} "
        f"(the server may have stored them without wrk reading the answer). Lost: **{lost}**"
        + (f"; {unexplained} stored beyond what was sent — unexpected." if unexplained else "."),
        "",
        f"Contract checks before the load: a valid answer → {first}; the same answers again → {again} "
        f"(expected 409 `duplicate_response`); an invalid one → {invalid} (expected 422 `validation_failed`"
        + (f", got `{refusal.get('code')}`" if isinstance(refusal, dict) and refusal.get("code") not in (None, "validation_failed") else "")
        + ").",
        "",
        f"**Target** (≥ {TARGET_PER_SECOND:,} accepted answers per second, none lost): {per_second:,.0f}/s → "
        f"**{'met' if met else 'NOT met'}**; none lost → **{'met' if lost == 0 else 'NOT met'}**.",
        "",
        f"Server memory: {idle_kb / 1024:.0f} MB resident before the load; high-water mark (VmHWM) {hwm_kb / 1024:.0f} MB.",
        "",
        f"Machine load average (1 min) {load_before[0]:.2f} at the start and {os.getloadavg()[0]:.2f} at the end "
        f"(on {os.cpu_count()} cores; anything else running shares the CPUs with the server and wrk).",
        "",
        f"Server: exit code {code} on SIGTERM; {len(problems)} error line(s) in its log at LOG_LEVEL=warning"
        + (":" if problems else "."),
    ]
    lines += [f"    {line[:300]}" for line in problems[:10]]
    if answers["problems"] or warm["problems"]:
        lines += ["", "First refusal per wrk thread:"] + [f"    {p[:300]}" for p in (warm["problems"] + answers["problems"])[:6]]
    report = "\n".join(lines) + "\n"
    print(report)
    if args.output:
        pathlib.Path(args.output).parent.mkdir(parents=True, exist_ok=True)
        pathlib.Path(args.output).write_text(report)
    failed = lost or unexplained or any(refused.values()) or answers["socket_errors"] or health["non2xx"] or health["socket_errors"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
