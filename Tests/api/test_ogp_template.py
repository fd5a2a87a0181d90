"""The plan in the OGP commitment template (issue 7, item 4), downloaded from a real `cocrea serve
--demo` after the demo exercise's plan is frozen, and opened with python-docx — a reader independent
of the Swift code that wrote it: a Heading 1 and two tables per commitment (the template's questions,
then the planning table of milestones with their dates in dd/mm/aaaa and their responsibles), the
same answers as `ogp-template.json`, and no access without a token until the plan is sealed."""
import datetime
import io
import json
import pathlib
import sys
import urllib.error
import urllib.request

import docx
import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "support"))
from cocrea_server import ROOT, cocrea_server, seed_demo, smtp_sink  # noqa: E402

NOT_RECORDED = "No registrado en el PAL"
ARTIFACTS = ROOT / "artifacts" / "api"


@pytest.fixture(scope="module")
def frozen():
    with smtp_sink() as mailbox, cocrea_server(mailbox.port) as server:
        records = seed_demo(server, mailbox)
        records["server"] = server
        yield records


def download(base, path, token=None):
    request = urllib.request.Request(base + path)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def dd_mm_yyyy(iso):
    return datetime.date.fromisoformat(iso).strftime("%d/%m/%Y")


def rows(table):
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_the_docx_opens_with_a_section_and_the_templates_tables_per_commitment(frozen):
    server, api = frozen["server"], frozen["api"]
    path = f"/api/v1/plan-versions/{frozen['planVersion']}/ogp-template"
    status, headers, body = download(server.base, path + ".docx", api.token)
    assert status == 200, body[:500]
    assert headers["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "plantilla-aga.docx").write_bytes(body)
    template = api("GET", f"/plan-versions/{frozen['planVersion']}/ogp-template.json")

    document = docx.Document(io.BytesIO(body))
    assert document.core_properties.language == "es-MX"
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [f"Compromiso {c['number']}. {c['title']}" for c in template["commitments"]]
    assert len(template["commitments"]) == 5
    assert len(document.tables) == 2 * len(template["commitments"])

    # Independently of the export: the plan as the API lists it, its ISO dates turned to dd/mm/aaaa.
    listed = {c["title"]: c for c in api("GET", f"/exercises/{frozen['exercise']}/commitments")}
    for number, commitment in enumerate(template["commitments"]):
        stored = listed[commitment["title"]]
        general = rows(document.tables[2 * number])
        assert general[0] == ["Información general", "Información general"]
        answers = {row[0]: row[1] for row in general if len(row) == 2 and row[0] != row[1]}
        assert answers["Título del compromiso"] == stored["title"]
        assert answers["Periodo de implementación"] == f"Del {dd_mm_yyyy(stored['startsOn'])} al {dd_mm_yyyy(stored['endsOn'])}"
        assert answers["Institución responsable de la implementación"] == stored["leadInstitution"]
        assert answers["¿Qué problema busca atender el compromiso?"].startswith(stored["problem"])
        assert answers["¿Qué solución se propone?"] == stored["description"]
        assert answers["¿Qué resultados se quieren lograr con la implementación del compromiso?"] == stored["objective"]
        assert answers["Línea base"] == stored["indicator"]["baseline"]
        assert answers["Medio de verificación"] == stored["indicator"]["meansOfVerification"]
        for question in ("¿Cuáles son las causas del problema?", "¿Qué se ha hecho hasta ahora para resolver el problema?",
                         "¿Cómo promoverá la transparencia?", "¿Cómo ayudará a fomentar la rendición de cuentas?"):
            assert answers[question] == NOT_RECORDED, question
        linked = answers["Compromiso del plan de acción nacional de AGA con el que se alinea"]
        assert linked.startswith("Plan nacional ") == (stored["category"] == "nationalPlan"), linked

        planning = rows(document.tables[2 * number + 1])
        assert planning[0] == ["Hitos", "Productos esperados", "Fecha de finalización prevista", "Partes interesadas (responsables)"]
        expected = [[a["title"], NOT_RECORDED, dd_mm_yyyy(a["dueOn"]), f"{a['responsible']} ({a['responsibleInstitution']})"]
                    for a in stored["activities"]]
        assert expected and sorted(planning[1:]) == sorted(expected)


def test_before_the_seal_only_members_read_it(frozen):
    server = frozen["server"]
    for suffix in ("docx", "json"):
        status, headers, body = download(server.base, f"/api/v1/plan-versions/{frozen['planVersion']}/ogp-template.{suffix}")
        assert status == 401, body[:300]
        assert headers["Content-Type"].startswith("application/problem+json")
        assert json.loads(body)["code"] == "not_authenticated"
