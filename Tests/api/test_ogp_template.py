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
        assert planning[0] == ["Hitos", "Productos esperados", "Fecha de inicio prevista", "Fecha de finalización prevista",
                               "Partes interesadas (responsables)"]
        expected = [[a["title"], NOT_RECORDED, NOT_RECORDED, dd_mm_yyyy(a["dueOn"]), f"{a['responsible']} ({a['responsibleInstitution']})"]
                    for a in stored["activities"]]
        assert expected and sorted(planning[1:]) == sorted(expected)


def test_before_the_seal_only_members_read_it(frozen):
    server = frozen["server"]
    for suffix in ("docx", "json"):
        status, headers, body = download(server.base, f"/api/v1/plan-versions/{frozen['planVersion']}/ogp-template.{suffix}")
        assert status == 401, body[:300]
        assert headers["Content-Type"].startswith("application/problem+json")
        assert json.loads(body)["code"] == "not_authenticated"


@pytest.fixture(scope="module")
def templated():
    """Its own server: one commitment edited with the whole template, which freezes a second version."""
    with smtp_sink() as mailbox, cocrea_server(mailbox.port) as server:
        records = seed_demo(server, mailbox)
        api = records["api"]
        commitment_id, activity_id = records["commitments"][0]
        commitment = api("GET", f"/commitments/{commitment_id}")
        fields = {key: commitment[key] for key in ("title", "category", "problem", "description", "objective", "startsOn", "endsOn",
                                                    "leadInstitution", "indicator", "revision")}
        api("PUT", f"/commitments/{commitment_id}", dict(
            fields, ogpValues=[{"value": "transparency", "why": "Cada contrato de medicamentos queda publicado con sus anexos."}],
            sdgTargets=["16.5", "3.8"], genderPerspective="Se publica cuántas compras atienden la salud materna.",
            coResponsible=["Colectivo Cero Desabasto"], assumptions="Que el portal de compras siga en línea.",
            budget={"amount": 1250000, "source": "Recursos propios del estado"}))
        activity = next(a for a in api("GET", f"/commitments/{commitment_id}")["activities"] if a["id"] == activity_id)
        api("PUT", f"/activities/{activity_id}", dict(
            {key: activity[key] for key in ("title", "responsible", "responsibleInstitution", "dueOn", "revision")},
            startsOn=activity["dueOn"], deliverable="Primer corte publicado en datos abiertos",
            meansOfVerification="Liga al conjunto de datos"))
        versions = api("GET", f"/exercises/{records['exercise']}/plan/versions")
        records.update(server=server, planVersion=versions[-1]["id"], title=commitment["title"], activity=activity)
        yield records


def test_the_template_fields_answer_their_questions_in_the_docx(templated):
    server, api = templated["server"], templated["api"]
    status, _, body = download(server.base, f"/api/v1/plan-versions/{templated['planVersion']}/ogp-template.docx", api.token)
    assert status == 200, body[:500]
    document = docx.Document(io.BytesIO(body))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    number = next(i for i, heading in enumerate(headings) if heading.endswith(templated["title"]))
    answers = {row[0]: row[1] for row in rows(document.tables[2 * number]) if len(row) == 2 and row[0] != row[1]}
    assert answers["¿Cómo promoverá la transparencia?"] == "Cada contrato de medicamentos queda publicado con sus anexos."
    assert answers["¿Cómo ayudará a fomentar la rendición de cuentas?"] == NOT_RECORDED
    assert answers["Vínculo con la Agenda 2030 (metas de los Objetivos de Desarrollo Sostenible)"].split("\n")[0].startswith(
        "3.8 Lograr la cobertura sanitaria universal")
    assert answers["Perspectiva de género"] == "Se publica cuántas compras atienden la salud materna."
    assert answers["Organizaciones corresponsables (sociedad civil, academia, sector privado u otras)"] == "Colectivo Cero Desabasto"
    assert answers["Supuestos y riesgos"] == "Que el portal de compras siga en línea."
    assert answers["Presupuesto y fuente de financiamiento"] == "$1,250,000.00 MXN · fuente: Recursos propios del estado"
    planning = rows(document.tables[2 * number + 1])
    due = dd_mm_yyyy(templated["activity"]["dueOn"])
    assert planning[1][:4] == [templated["activity"]["title"],
                               "Primer corte publicado en datos abiertos\nMedio de verificación: Liga al conjunto de datos", due, due]
