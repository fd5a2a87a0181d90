"""Hostile input (issue 8, item 5): Schemathesis generates valid and invalid requests for every
operation of the served /api/v1/openapi.json and checks that the real `cocrea serve --demo` never
answers 5xx, that every answer matches the documented schema and that its status is documented.

Two runs against one server: one with whatever identifiers Schemathesis invents (malformed and
unknown ids), one with the identifiers of real records (the demo exercise taken through the dossier,
a table and a frozen plan), so the generated bodies reach the validation and the business rules.
Each ends with the stateful phase: sequences of calls that feed the identifier of what one call
created into the next, along OpenAPI links added here to the served document (`with_links`).

Set COCREA_FUZZ_EXAMPLES (default 60), COCREA_FUZZ_STEPS (default 10) and COCREA_FUZZ_SEED (default
fixed) to explore more."""
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile
import urllib.request

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "support"))
from cocrea_server import ROOT, cocrea_server, seed_demo, smtp_sink  # noqa: E402

CHECKS = "not_a_server_error,response_schema_conformance,status_code_conformance"
EXAMPLES = os.environ.get("COCREA_FUZZ_EXAMPLES", "60")
STEPS = os.environ.get("COCREA_FUZZ_STEPS", "10")
SEED = os.environ.get("COCREA_FUZZ_SEED", "20260814")
REPORTS = ROOT / "artifacts" / "api"


@pytest.fixture(scope="module")
def seeded():
    with smtp_sink() as mailbox, cocrea_server(mailbox.port) as server:
        records = seed_demo(server, mailbox)
        records["server"] = server
        yield records


def with_links(document):
    """The served document with an OpenAPI link from every operation that answers a resource with an
    `id` to every operation whose path takes that resource's identifier (a created Commitment's `id`
    to each `{commitmentID}`), so the stateful phase can chain them."""
    schemas = document["components"]["schemas"]
    operations = [(path, method, operation) for path, item in document["paths"].items()
                  for method, operation in item.items() if method in ("get", "post", "put", "patch", "delete")]
    for _, method, operation in operations:
        for status in ("200", "201"):
            answer = operation.get("responses", {}).get(status, {})
            reference = answer.get("content", {}).get("application/json", {}).get("schema", {}).get("$ref", "")
            name = reference.rsplit("/", 1)[-1]
            if method != "post" or "id" not in schemas.get(name, {}).get("properties", {}):
                continue
            links = {}
            for target, _, target_operation in operations:
                for parameter in re.findall(r"\{(\w+)ID\}", target):
                    if name.lower().endswith(parameter.lower()):
                        links[target_operation["operationId"]] = {
                            "operationId": target_operation["operationId"],
                            "parameters": {f"path.{parameter}ID": "$response.body#/id"}}
            if links:
                answer["links"] = links
    return document


def schemathesis(server, token, name, parameters=None):
    """Runs `st run` over every operation (examples, coverage and fuzzing phases, then stateful
    sequences) and fails with its own report of each failure."""
    REPORTS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="cocrea-st-") as work:
        config = pathlib.Path(work) / "schemathesis.toml"
        lines = [f"[phases.stateful]\nmax-steps = {STEPS}\n", "[parameters]"] + [f'"{key}" = "{value}"' for key, value in (parameters or {}).items()]
        config.write_text("\n".join(lines) + "\n")
        with urllib.request.urlopen(server.base + "/api/v1/openapi.json", timeout=30) as answer:
            document = with_links(json.load(answer))
        specification = pathlib.Path(work) / "openapi.json"
        specification.write_text(json.dumps(document))
        command = [sys.executable, "-c", "import sys; from schemathesis.cli import schemathesis; sys.exit(schemathesis())",
                   "--config-file", str(config), "--no-color",
                   "run", str(specification), "--url", server.base,
                   "--header", f"Authorization: Bearer {token}",
                   # The live table's Server-Sent Events never end by design; tests/api/test_live_events.py covers them.
                   "--exclude-operation-id", "streamRoundtableEvents",
                   "--checks", CHECKS,
                   "--phases", "examples,coverage,fuzzing,stateful",
                   "--max-examples", EXAMPLES, "--seed", SEED,
                   "--workers", "1", "--request-timeout", "30",  # one worker: two threads hit a CPython 3.11 AST race inside Schemathesis
                   "--generation-database", "none", "--warnings", "off",
                   "--report", "junit", "--report-junit-path", str(REPORTS / f"{name}.xml")]
        done = subprocess.run(command, cwd=work, capture_output=True, text=True, timeout=900)
    output = done.stdout + done.stderr
    (REPORTS / f"{name}.txt").write_text(output)
    server_errors = [line for line in server.log().splitlines() if "request.failed" in line]
    assert done.returncode == 0 and not server_errors, (
        f"schemathesis found problems (exit {done.returncode}):\n{output}\n"
        + ("server errors:\n" + "\n".join(server_errors[:20]) if server_errors else ""))


def test_every_operation_with_invented_identifiers(seeded):
    server = seeded["server"]
    schemathesis(server, seeded["api"].token, "invented-ids")


def test_every_operation_on_real_records(seeded):
    server = seeded["server"]
    commitment, activity = seeded["commitments"][0]
    schemathesis(server, seeded["api"].token, "real-records", {
        "path.exerciseID": seeded["exercise"],
        "path.roundtableID": seeded["roundtable"],
        "path.commitmentID": commitment,
        "path.activityID": activity,
        "path.planVersionID": seeded["planVersion"],
        "path.token": seeded["receipt"],
    })


def test_a_malformed_multipart_body_is_a_spanish_400(seeded):
    """What Schemathesis found first: a multipart body with no parts was a 500."""
    import json
    import urllib.error
    import urllib.request
    server = seeded["server"]
    request = urllib.request.Request(
        f"{server.base}/api/v1/exercises/{seeded['exercise']}/dossier/items", method="POST",
        data=b"--c637e12e2b1a998d80d1b087531af51c--\r\n",
        headers={"Authorization": f"Bearer {seeded['api'].token}",
                 "Content-Type": "multipart/form-data; boundary=c637e12e2b1a998d80d1b087531af51c"})
    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.urlopen(request, timeout=30)
    assert answer.value.code == 400
    assert answer.value.headers["Content-Type"].startswith("application/problem+json")
    problem = json.loads(answer.value.read())
    assert problem["code"] == "invalid_body"
    assert problem["detail"] == "No pudimos leer la solicitud: el cuerpo multipart/form-data no es válido."
