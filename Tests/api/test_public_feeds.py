"""The public exercise's calendar (RFC 5545) and news feed (RFC 4287), read from a real `cocrea serve
--demo` with parsers independent of the Swift code that writes them (icalendar, feedparser): one VEVENT
per roadmap event and table with a UID that never changes and a SEQUENCE raised when a date moves,
all-day dates as VALUE=DATE, folded lines; an Atom entry per publication, roadmap change, table and
plan version with stable ids; a draft gives nothing away; and no email anywhere public, the co-creation
record's PDF (read by pdftotext) and Word document (its XML) included."""
import datetime
import io
import pathlib
import subprocess
import sys
import urllib.error
import urllib.request
import zipfile

import feedparser
import icalendar
import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "support"))
from cocrea_server import cocrea_server, seed_demo, smtp_sink  # noqa: E402

KICKOFF = "Evento de arranque; presentación del kit de capacidades, los problemas y las soluciones del diagnóstico, en el Auditorio del ITEI"


def get(base, path):
    try:
        with urllib.request.urlopen(base + path, timeout=60) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def roadmap(consultation_starts):
    return [
        {"kind": "kickoff", "title": KICKOFF, "startsOn": "2027-01-20", "place": "Auditorio del ITEI, Av. Ignacio L. Vallarta 1312, Guadalajara"},
        {"kind": "consultation", "title": "Consulta sobre abasto de medicamentos", "startsOn": consultation_starts,
         "endsOn": "2027-02-07", "place": "En línea y en las ventanillas de los centros de salud"},
        {"kind": "signature", "title": "Firma del Plan de Acción Local", "startsOn": "2027-03-15", "place": "Palacio de Gobierno"},
    ]


@pytest.fixture(scope="module")
def published():
    with smtp_sink() as mailbox, cocrea_server(mailbox.port) as server:
        records = seed_demo(server, mailbox)
        api, eid = records["api"], records["exercise"]
        records["draft"] = {suffix: get(server.base, f"/public/exercises/{eid}/{suffix}")[0] for suffix in ("calendar.ics", "feed.atom")}
        api("POST", f"/exercises/{eid}/publication")
        api("PUT", f"/exercises/{eid}/roadmap", roadmap("2027-01-25"))
        api("PUT", f"/exercises/{eid}/roadmap", roadmap("2027-01-27"))
        records["emails"] = [m["email"] for m in api("GET", f"/exercises/{eid}/members")]
        records["base"] = server.base
        yield records


def test_a_draft_has_no_public_calendar_nor_feed(published):
    assert published["draft"] == {"calendar.ics": 404, "feed.atom": 404}


def test_the_calendar_has_one_event_per_roadmap_event_and_table_with_stable_uids(published):
    status, headers, body = get(published["base"], f"/public/exercises/{published['exercise']}/calendar.ics")
    assert status == 200 and headers["Content-Type"].startswith("text/calendar")
    assert body.endswith(b"\r\n") and b"\n" not in body.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in body.split(b"\r\n")), "a line longer than 75 octets"
    calendar = icalendar.Calendar.from_ical(body)
    events = {str(event["UID"]): event for event in calendar.walk("VEVENT")}
    assert len(events) == 4, list(events)
    table = events[f"mesa-{published['roundtable'].lower()}@cocrea"]
    assert isinstance(table.decoded("DTSTART"), datetime.datetime)
    by_summary = {str(event["SUMMARY"]).split(" — ")[0]: event for event in events.values()}
    kickoff = by_summary[KICKOFF]
    assert kickoff.decoded("DTSTART") == datetime.date(2027, 1, 20)
    assert kickoff.decoded("DTEND") == datetime.date(2027, 1, 21)
    assert str(kickoff["LOCATION"]) == "Auditorio del ITEI, Av. Ignacio L. Vallarta 1312, Guadalajara"
    assert int(kickoff["SEQUENCE"]) == 0
    consultation = by_summary["Consulta sobre abasto de medicamentos"]
    assert consultation.decoded("DTSTART") == datetime.date(2027, 1, 27)
    assert consultation.decoded("DTEND") == datetime.date(2027, 2, 8)
    assert int(consultation["SEQUENCE"]) == 1
    assert all("DTSTAMP" in event for event in events.values())
    again = icalendar.Calendar.from_ical(get(published["base"], f"/public/exercises/{published['exercise']}/calendar.ics")[2])
    assert {str(event["UID"]) for event in again.walk("VEVENT")} == set(events)


def test_the_feed_tells_each_step_with_stable_ids(published):
    path = f"/public/exercises/{published['exercise']}/feed.atom"
    status, headers, body = get(published["base"], path)
    assert status == 200 and headers["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(body)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    assert feed.feed.language == "es-MX"
    titles = [entry.title for entry in feed.entries]
    assert "Se publicó el ejercicio" in titles
    assert "Hoja de ruta: cambia «Consulta sobre abasto de medicamentos»" in titles
    assert sum(title.startswith("Hoja de ruta: se anuncia") for title in titles) == 3
    assert any(title.startswith("Mesa de diálogo programada") for title in titles)
    assert "Versión 1 del Plan de Acción Local" in titles
    ids = [entry.id for entry in feed.entries]
    assert len(set(ids)) == len(ids)
    assert ids == [entry.id for entry in feedparser.parse(get(published["base"], path)[2]).entries]


def test_no_email_is_in_any_public_output(published):
    base, eid = published["base"], published["exercise"]
    for path in (f"/public/exercises/{eid}", f"/api/v1/public/exercises/{eid}",
                 f"/public/exercises/{eid}/calendar.ics", f"/public/exercises/{eid}/feed.atom"):
        status, _, body = get(base, path)
        assert status == 200, path
        text = body.decode()
        for email in published["emails"]:
            assert email not in text, f"{email} in {path}"


def test_the_cocreation_record_tells_the_roadmap_change_and_no_email(published):
    base, eid = published["base"], published["exercise"]
    status, headers, pdf = get(base, f"/api/v1/exercises/{eid}/cocreation-record.pdf")
    assert status == 200 and headers["Content-Type"] == "application/pdf"
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "Memoria de cocreación" in text and "Consulta pública y respuesta razonada" in text
    status, _, docx = get(base, f"/api/v1/exercises/{eid}/cocreation-record.docx")
    assert status == 200
    document = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode()
    assert "Consulta sobre abasto de medicamentos" in document
    assert "25/01/2027 – 07/02/2027 · En línea y en las ventanillas de los centros de salud (anunciado el" in document
    for email in published["emails"]:
        assert email not in text and email not in document, email
