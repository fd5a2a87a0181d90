"""Issue 20, point 6: the open data as data portals harvest it, read from a real `cocrea serve --demo`
whose plan is sealed. The exercise's `datapackage.json` and every CSV it lists are downloaded and
checked by `frictionless validate` (the Table Schema of each file: types, enumerations, primary and
foreign keys); the DCAT catalogue lists the exercise as CKAN's harvester reads it; no email is in any
of it. On a server of its own: sealing the plan changes what the other modules see."""
import datetime
import json
import pathlib
import re
import sys
import urllib.request

import pytest
from frictionless import validate

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "support"))
from cocrea_server import ADMIN, cocrea_server, seed_demo, smtp_sink  # noqa: E402
from paper_copy import seal_on_paper  # noqa: E402

PROPOSER = "mariana.lopez@correo.example"
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


def download(url):
    with urllib.request.urlopen(url, timeout=60) as response:
        assert response.status == 200, url
        return response.read()


@pytest.fixture(scope="module")
def sealed():
    with smtp_sink() as mailbox, cocrea_server(mailbox.port) as server:
        records = seed_demo(server, mailbox)
        api, eid = records["api"], records["exercise"].lower()
        records["exercise"] = eid
        api("POST", f"/exercises/{eid}/publication")
        today = datetime.date.today()
        api("PUT", f"/exercises/{eid}/roadmap", [
            {"kind": "kickoff", "title": "Evento de arranque en Guadalajara", "startsOn": "2027-01-20",
             "place": "Auditorio del ITEI, Av. Ignacio L. Vallarta 1312, Guadalajara"},
            {"kind": "consultation", "title": "Consulta pública de salud", "startsOn": (today - datetime.timedelta(days=2)).isoformat(),
             "endsOn": (today + datetime.timedelta(days=30)).isoformat(), "place": "En línea"}])
        proposal = api("POST", f"/public/exercises/{eid}/proposals", {
            "problem": "Las recetas del centro de salud se surten incompletas",
            "solution": "Publicar el inventario semanal por unidad médica", "theme": "Salud", "email": PROPOSER})["id"]
        api("POST", f"/proposals/{proposal}/moderation", {"action": "publish"})
        api("POST", f"/proposals/{proposal}/response", {
            "outcome": "notIncorporated", "reason": "El inventario ya se publica cada mes en el portal estatal."})
        api("POST", f"/plan-versions/{records['planVersion']}/conformity/close")
        seal_on_paper(server.base, api.token, records["planVersion"])
        api("POST", f"/activities/{records['commitments'][0][1]}/progress",
            {"status": "inProgress", "progress": 40, "note": "=Primer corte publicado, con 12 de 30 unidades",
             "evidenceUrl": "https://datos.jalisco.gob.mx/abasto"})
        api("POST", f"/exercises/{eid}/progress-reports", {"kind": "interim"})
        records["emails"] = [m["email"] for m in api("GET", f"/exercises/{eid}/members")] + [ADMIN, PROPOSER]
        records["base"] = server.base
        yield records


def test_the_downloaded_package_passes_frictionless_validate(sealed, tmp_path):
    package = json.loads(download(f"{sealed['base']}/open-data/{sealed['exercise']}/datapackage.json"))
    assert package["profile"] == "tabular-data-package"
    names = [resource["name"] for resource in package["resources"]]
    assert {"commitments", "activities", "progress-history", "roadmap", "roundtables"} <= set(names)
    for resource in package["resources"]:
        assert resource["path"].startswith(f"{sealed['base']}/open-data/{sealed['exercise']}/")
        (tmp_path / f"{resource['name']}.csv").write_bytes(download(resource["path"]))
        resource["path"] = f"{resource['name']}.csv"
    (tmp_path / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False), encoding="utf-8")
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["taskNumber", "rowNumber", "fieldName", "type", "note"])
    rows = {task.name: task.stats.get("rows", 0) for task in report.tasks}
    assert rows["commitments"] == 5 and rows["progress-history"] == 1 and rows["roadmap"] == 2 and rows["roundtables"] == 1
    assert rows["proposals"] == 1
    assert rows["progress-reports"] == 5, "the interim report, one row per commitment"


def test_the_package_as_served_validates_against_its_own_urls(sealed):
    report = validate(f"{sealed['base']}/open-data/{sealed['exercise']}/datapackage.json")
    assert report.valid, report.flatten(["taskNumber", "rowNumber", "fieldName", "type", "note"])


def test_the_catalogue_lists_the_sealed_exercise_as_ckan_harvests_it(sealed):
    catalog = json.loads(download(f"{sealed['base']}/open-data/catalog.json"))
    assert catalog["@type"] == "dcat:Catalog" and catalog["@context"].endswith("catalog.jsonld")
    [dataset] = catalog["dataset"]
    assert sealed["exercise"] in dataset["identifier"]
    assert dataset["landingPage"] == f"{sealed['base']}/public/exercises/{sealed['exercise']}"
    assert dataset["title"] and dataset["description"] and dataset["keyword"] and dataset["publisher"]["name"]
    assert dataset["issued"] <= dataset["modified"]
    downloads = {d["downloadURL"]: d for d in dataset["distribution"]}
    roadmap = downloads[f"{sealed['base']}/open-data/{sealed['exercise']}/roadmap.csv"]
    assert roadmap["mediaType"] == "text/csv" and roadmap["format"] == "CSV" and roadmap["title"]
    for url in downloads:
        download(url)


def test_no_email_is_in_any_open_data(sealed):
    base, eid = sealed["base"], sealed["exercise"]
    package = json.loads(download(f"{base}/open-data/{eid}/datapackage.json"))
    texts = {"catalog.json": download(f"{base}/open-data/catalog.json").decode(),
             "datapackage.json": json.dumps(package, ensure_ascii=False),
             "diccionario.json": download(f"{base}/open-data/{eid}/diccionario.json").decode()}
    for resource in package["resources"]:
        for suffix in ("csv", "json"):
            texts[f"{resource['name']}.{suffix}"] = download(f"{base}/open-data/{eid}/{resource['name']}.{suffix}").decode()
    for name, text in texts.items():
        assert not EMAIL.search(text), f"an email in {name}: {EMAIL.search(text).group(0)}"
        for email in sealed["emails"]:
            assert email not in text, f"{email} in {name}"
