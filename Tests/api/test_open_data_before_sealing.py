"""Issue 20, points 1 and 6: the process is public from publication, and so is its open data. On a real
`cocrea serve --demo` whose exercise is published but has no sealed plan, the roadmap and the citizen
proposals with their response are served at once, the plan's datasets have their header and no rows,
the data package passes `frictionless validate`, and the DCAT catalogue lists the exercise; the other
demo exercise, still a draft, answers 404 with the HTML error page and code `not_public`."""
import datetime
import json
import pathlib
import sys
import urllib.error
import urllib.request

import pytest
from frictionless import validate

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "support"))
from cocrea_server import ADMIN, API, DEMO_EXERCISE, cocrea_server  # noqa: E402

PLAN_DATASETS = {"commitments", "activities", "progress-history", "progress-verifications", "progress-reports", "conformity", "signatures"}


def download(url):
    with urllib.request.urlopen(url, timeout=60) as response:
        assert response.status == 200, url
        return response.read()


@pytest.fixture(scope="module")
def published():
    with cocrea_server() as server:
        api = API(server.base, server.token(ADMIN))
        exercises = api("GET", "/exercises")
        eid = next(e["id"] for e in exercises if e["name"] == DEMO_EXERCISE).lower()
        draft = next(e["id"] for e in exercises if e["name"] != DEMO_EXERCISE).lower()
        api("POST", f"/exercises/{eid}/publication")
        today = datetime.date.today()
        api("PUT", f"/exercises/{eid}/roadmap", [
            {"kind": "kickoff", "title": "Evento de arranque en Guadalajara", "startsOn": "2027-01-20",
             "place": "Auditorio del ITEI, Av. Ignacio L. Vallarta 1312, Guadalajara"},
            {"kind": "consultation", "title": "Consulta pública de salud", "startsOn": (today - datetime.timedelta(days=2)).isoformat(),
             "endsOn": (today + datetime.timedelta(days=30)).isoformat(), "place": "En línea"}])
        proposal = api("POST", f"/public/exercises/{eid}/proposals", {
            "problem": "Las recetas del centro de salud se surten incompletas",
            "solution": "Publicar el inventario semanal por unidad médica", "theme": "Salud"})["id"]
        api("POST", f"/proposals/{proposal}/moderation", {"action": "publish"})
        api("POST", f"/proposals/{proposal}/response", {
            "outcome": "notIncorporated", "reason": "El inventario ya se publica cada mes en el portal estatal."})
        yield dict(base=server.base, exercise=eid, draft=draft)


def test_a_published_exercises_package_validates_before_its_plan_is_sealed(published, tmp_path):
    base, eid = published["base"], published["exercise"]
    package = json.loads(download(f"{base}/open-data/{eid}/datapackage.json"))
    for resource in package["resources"]:
        (tmp_path / f"{resource['name']}.csv").write_bytes(download(resource["path"]))
        resource["path"] = f"{resource['name']}.csv"
    (tmp_path / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False), encoding="utf-8")
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["taskNumber", "rowNumber", "fieldName", "type", "note"])
    rows = {task.name: task.stats.get("rows", 0) for task in report.tasks}
    assert rows["roadmap"] == 2 and rows["proposals"] == 1
    assert all(rows[name] == 0 for name in PLAN_DATASETS), "nothing of a plan not yet sealed"
    proposals = json.loads(download(f"{base}/open-data/{eid}/proposals.json"))
    assert proposals[0]["outcome"] == "notIncorporated" and proposals[0]["reason"].startswith("El inventario")


def test_the_catalogue_lists_the_published_exercise_and_not_the_draft(published):
    catalog = json.loads(download(f"{published['base']}/open-data/catalog.json"))
    identifiers = [dataset["identifier"] for dataset in catalog["dataset"]]
    assert len(identifiers) == 1 and published["exercise"] in identifiers[0]
    assert published["draft"] not in json.dumps(catalog)
    [dataset] = catalog["dataset"]
    assert dataset["issued"] <= dataset["modified"]


def test_a_drafts_open_data_is_the_html_error_page_with_not_public(published):
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{published['base']}/open-data/{published['draft']}/roadmap.csv", timeout=60)
    assert refused.value.code == 404
    assert refused.value.headers.get_content_type() == "text/html"
    assert 'data-code="not_public"' in refused.value.read().decode()
