"""A whole dialogue table in real browsers: the facilitator and two members, each in a Chromium
session of their own and all three open at once, on the demo table that is ready to sit today
(Zapopan: dossier received 12 days ago, so rule D10 lets the facilitator open it now).

The members' consoles are opened before the table starts and are never reloaded while we check
what the facilitator does (stage, attendance, the item on screen): each change has to arrive live
(Server-Sent Events, Public/live.js). Each member then records an intervention from their own page
and the other two see it appear without reloading; the facilitator records one on behalf of a
member. One member's browser is closed mid-table, two interventions are recorded while she is
away, and a new session of hers lists them all. The table is concluded and the minutes are checked
as a page and as the stored PDF (pdftotext).

The journey runs on a server of its own, like the other journeys."""
import re
import subprocess
import uuid

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import make_browser
from cocrea_server import API, cocrea_server
from browser_steps import (advance_stage, main_text, navigate, record_attendance,  # noqa: E402  (Tests/support)
                           present_item, record_intervention, sign_in, wait_text)

READY_EXERCISE = "Mesa de diálogo de Zapopan 2026 (lista para sesionar)"
FACILITATOR = "jorge.ramirez@stl-jalisco.example"
LUCIA = "lucia@datosabiertos-gdl.example"
MARIA = "mf.lopez@salud-jalisco.example"
REPRESENTATIVE = "Mtro. Luis Gómez Arce"
ANALYSIS = "Análisis de la problemática y soluciones"
LIVE = 10  # seconds a live update may take to reach another browser


@pytest.fixture(scope="module")
def site():
    with cocrea_server() as server:
        api = API(server.base, server.token(FACILITATOR))
        exercise = next(e for e in api("GET", "/exercises") if e["name"] == READY_EXERCISE)
        (table,) = api("GET", f"/exercises/{exercise['id']}/roundtables")
        assert table["stage"] == "scheduled", table
        members = {m["email"]: m for m in api("GET", f"/exercises/{exercise['id']}/members")}
        items = api("GET", f"/exercises/{exercise['id']}/dossier/items")
        yield dict(base=server.base, server=server, exercise=exercise["id"], table=table["id"], members=members, items=items)


def open_console(browser, site):
    browser.get(f"{site['base']}/exercises/{site['exercise']}/roundtables/{site['table']}")
    assert browser.find_elements(By.ID, "consola"), main_text(browser)
    following(browser)


def following(browser):
    """Waits until the page's EventSource is connected (the «· en vivo» mark) and marks the document,
    so `not_reloaded` can tell later that every change since arrived without loading the page again."""
    WebDriverWait(browser, LIVE).until(lambda b: b.find_element(By.ID, "en-vivo").is_displayed())
    browser.execute_script("window.cocreaSinRecargar = true")


def not_reloaded(browser):
    assert browser.execute_script("return window.cocreaSinRecargar === true"), "the page was reloaded"


def current_stage(browser):
    """The stage the list of stages marks as current (aria-current=step)."""
    marked = browser.find_elements(By.CSS_SELECTOR, "ol.stages li[aria-current=step]")
    return [m.text for m in marked]


def show(browser, element_id):
    browser.execute_script("document.getElementById(arguments[0]).scrollIntoView({block: 'center'})", element_id)


def in_order(tokens, words, window=60):
    """Whether `words` occur in this order among `tokens`, all within `window` tokens of the first."""
    for start, token in enumerate(tokens):
        if token != words[0]:
            continue
        position, found = start, 1
        for word in words[1:]:
            try:
                position = tokens.index(word, position + 1, start + window)
            except ValueError:
                break
            found += 1
        if found == len(words):
            return True
    return False


def test_a_whole_roundtable_followed_live_by_three_browsers(site, shots):
    base, eid, rid = site["base"], site["exercise"], site["table"]
    lucia, maria = site["members"][LUCIA], site["members"][MARIA]
    carlos = next(m for m in site["members"].values() if m["name"].startswith("Carlos"))
    item = next(i for i in site["items"] if i["kind"] == "problem")
    tag = uuid.uuid4().hex[:5]
    said = {
        "lucia": f"¿Quién publica el inventario de cada unidad? ({tag})",
        "maria": f"La Secretaría publicará el inventario mensual ({tag})",
        "behalf": f"Se propone incluir a los municipios ({tag})",
        "away-maria": f"Revisaremos las quejas por región ({tag})",
        "away-behalf": f"El observatorio dará seguimiento trimestral ({tag})",
    }
    facilitator = make_browser()
    browsers = {"facilitator": facilitator}
    try:
        sign_in(facilitator, base, FACILITATOR)
        for key, email in (("lucia", LUCIA), ("maria", MARIA)):
            browsers[key] = make_browser(1024, 900)
            sign_in(browsers[key], base, email)
        member_pages = [browsers["lucia"], browsers["maria"]]

        # 1. Everyone opens the console before the table starts: the members' pages stay open, as they are.
        facilitator.get(f"{base}/exercises/{eid}/roundtables")
        navigate(facilitator, facilitator.find_element(By.CSS_SELECTOR, f"a[href='/exercises/{eid}/roundtables/{rid}']"))
        assert facilitator.find_element(By.ID, "etapa").text == "Programada"
        following(facilitator)
        for page in member_pages:
            open_console(page, site)
            assert not page.find_elements(By.XPATH, "//button[starts-with(normalize-space(), 'Pasar a')]"), "members cannot lead the table"
        shots(facilitator, "consola-antes")
        shots(browsers["lucia"], "lucia-antes")

        # 2. Introducción: both members' pages follow, with the notice.
        advance_stage(facilitator, "Introducción")
        following(facilitator)
        for page in member_pages:
            wait_text(page, "etapa", "Introducción")
            assert current_stage(page) == ["Introducción"], current_stage(page)
            aviso = page.find_element(By.ID, "aviso")
            assert aviso.is_displayed() and "Introducción" in aviso.text, aviso.text
            not_reloaded(page)
        shots(facilitator, "introduccion-facilitador")
        shots(browsers["lucia"], "introduccion-lucia")
        shots(browsers["maria"], "introduccion-maria")

        # 3. Attendance: one present, one represented; both rows change live on the members' pages.
        for member, presence, by in ((lucia, "present", ""), (maria, "represented", REPRESENTATIVE)):
            record_attendance(facilitator, member["name"], presence, by)
        assert facilitator.find_element(By.ID, f"asistencia-{lucia['id']}").text == "Presente"
        assert facilitator.find_element(By.ID, f"asistencia-{maria['id']}").text == f"Representada por {REPRESENTATIVE}"
        following(facilitator)
        for page in member_pages:
            wait_text(page, f"asistencia-{lucia['id']}", "Presente")
            wait_text(page, f"asistencia-{maria['id']}", f"Representada por {REPRESENTATIVE}")
            not_reloaded(page)
        shots(facilitator, "asistencia-facilitador")
        show(browsers["maria"], "asistencia-titulo")
        shots(browsers["maria"], "asistencia-maria")

        # 4. Análisis: the facilitator puts a dossier item on screen; the members see it live.
        advance_stage(facilitator, ANALYSIS)
        present_item(facilitator, item["title"])
        for page in member_pages:
            wait_text(page, "etapa", ANALYSIS)
            wait_text(page, "presentando", item["title"])
            not_reloaded(page)
        shots(facilitator, "analisis-facilitador")
        shots(browsers["lucia"], "analisis-lucia")

        # 5. The members reload once, as the notice asks, to get this stage's form; from then on
        #    each one's intervention reaches the other two pages live.
        for page in member_pages:
            open_console(page, site)
            assert page.find_element(By.ID, "text"), "the intervention form is there in session"
            assert not page.find_elements(By.ID, "memberId"), "a member speaks only for themself"
            assert Select(page.find_element(By.ID, "dossierItemId")).first_selected_option.text == item["title"]
        following(facilitator)

        record_intervention(browsers["lucia"], "doubt", said["lucia"])
        following(browsers["lucia"])
        for page in (browsers["maria"], facilitator):
            listed = wait_text(page, "intervenciones", said["lucia"])
            assert f"Lucía Hernández Paredes · Duda · {item['title']}" in listed, listed
            not_reloaded(page)
        show(browsers["maria"], "intervenciones")
        shots(browsers["maria"], "duda-de-lucia-en-vivo")

        record_intervention(browsers["maria"], "contribution", said["maria"])
        following(browsers["maria"])
        for page in (browsers["lucia"], facilitator):
            listed = wait_text(page, "intervenciones", said["maria"])
            assert f"{maria['name']} · Aportación" in listed, listed
            not_reloaded(page)
        show(browsers["lucia"], "intervenciones")
        shots(browsers["lucia"], "aportacion-de-maria-en-vivo")

        # 6. The facilitator records what a member says aloud, on her behalf.
        record_intervention(facilitator, "feedback", said["behalf"], on_behalf_of=maria["name"])
        following(facilitator)
        for page in member_pages:
            listed = wait_text(page, "intervenciones", said["behalf"])
            assert f"{maria['name']} · Retroalimentación" in listed, listed
            not_reloaded(page)
        show(facilitator, "intervenciones")
        shots(facilitator, "a-nombre-de")

        # 7. Lucía's browser goes away mid-table; two interventions are recorded meanwhile; a new
        #    session of hers lists them all and follows the table again.
        browsers.pop("lucia").quit()
        record_intervention(browsers["maria"], "doubt", said["away-maria"])
        following(browsers["maria"])
        record_intervention(facilitator, "contribution", said["away-behalf"], on_behalf_of=carlos["name"])
        following(facilitator)
        wait_text(browsers["maria"], "intervenciones", said["away-behalf"])
        browsers["lucia"] = make_browser(1024, 900)
        sign_in(browsers["lucia"], base, LUCIA)
        open_console(browsers["lucia"], site)
        listed = browsers["lucia"].find_element(By.ID, "intervenciones").text
        for text in said.values():
            assert text in listed, f"{text!r} missing after reconnecting:\n{listed}"
        assert len(browsers["lucia"].find_elements(By.CSS_SELECTOR, "#intervenciones li")) == len(said)
        show(browsers["lucia"], "intervenciones")
        shots(browsers["lucia"], "lucia-de-vuelta")
        member_pages = [browsers["lucia"], browsers["maria"]]

        # 8. Acuerdos, Seguimiento, Concluida: followed live to the end.
        for label in ("Acuerdos", "Seguimiento", "Concluida"):
            advance_stage(facilitator, label)
            for page in member_pages:
                wait_text(page, "etapa", label)
                assert current_stage(page) == [label], current_stage(page)
                not_reloaded(page)
            shots(browsers["lucia"], f"{label.lower()}-lucia")
        assert not facilitator.find_elements(By.XPATH, "//button[starts-with(normalize-space(), 'Pasar a')]")
        assert not facilitator.find_elements(By.ID, "text"), "no interventions once the table concluded"
        pdf_link = facilitator.find_element(By.LINK_TEXT, "Relatoría en PDF")
        assert pdf_link.get_attribute("href") == f"{base}/exercises/{eid}/roundtables/{rid}/minutes.pdf"
        shots(facilitator, "concluida-facilitador")

        # 9. The minutes: attendance, the time of each stage and every intervention.
        navigate(facilitator, facilitator.find_element(By.LINK_TEXT, "Relatoría"))
        text = main_text(facilitator)
        assert "Relatoría de la mesa de diálogo" in text, text
        rows = {}
        for row in facilitator.find_elements(By.XPATH, "//h3[.='Asistencia']/following-sibling::table[1]/tbody/tr"):
            cells = [c.text.strip() for c in row.find_elements(By.TAG_NAME, "td")]
            rows[cells[0]] = cells[-1]
        assert rows.get(lucia["name"]) == "Presente", rows
        assert rows.get(maria["name"]) == f"Representada por {REPRESENTATIVE}", rows
        stages = [li.text for li in facilitator.find_elements(By.XPATH, "//h3[.='Etapas']/following-sibling::ul[1]/li")]
        assert [s.split(":")[0] for s in stages] == ["Introducción", ANALYSIS, "Acuerdos", "Seguimiento", "Concluida"], stages
        for stage in stages:
            assert re.fullmatch(r"[^:]+: \d\d/\d\d/\d{4} \d\d:\d\d", stage), stage
        interventions = facilitator.find_elements(By.XPATH, "//h3[.='Intervenciones']/following-sibling::table[1]/tbody/tr")
        assert len(interventions) == len(said), [r.text for r in interventions]
        for said_text in said.values():
            assert said_text in text, said_text
        assert facilitator.find_element(By.LINK_TEXT, "Descargar en PDF")
        shots(facilitator, "relatoria")

        # 10. The stored PDF of the minutes, downloaded with the facilitator's session.
        session = requests.Session()
        for cookie in facilitator.get_cookies():
            session.cookies.set(cookie["name"], cookie["value"], path=cookie.get("path", "/"))
        response = session.get(f"{base}/exercises/{eid}/roundtables/{rid}/minutes.pdf", timeout=60)
        assert response.status_code == 200, response.text[:500]
        assert response.headers["Content-Type"].startswith("application/pdf"), response.headers
        assert response.content.startswith(b"%PDF-")
        shots.save_pdf(response.content, "relatoria")
        pdf = subprocess.run(["pdftotext", "-raw", str(shots.directory / "relatoria.pdf"), "-"], capture_output=True, text=True, timeout=60)
        assert pdf.returncode == 0, pdf.stderr
        flat = " ".join(pdf.stdout.split())
        (shots.directory / "relatoria.txt").write_text(pdf.stdout)
        assert "Relatoría de la mesa de diálogo" in flat, flat[:2000]
        tokens = flat.split()
        for said_text in said.values():  # the table wraps each text over several lines, between the other columns' lines
            assert in_order(tokens, said_text.split()), f"{said_text!r} not in the PDF:\n{pdf.stdout}"
        for name in (lucia["name"], maria["name"]):
            assert in_order(tokens, name.split()), name
        assert requests.get(f"{base}/exercises/{eid}/roundtables/{rid}/minutes.pdf", timeout=30,
                            allow_redirects=False).status_code in (302, 303, 401), "the minutes are not public"
    finally:
        for browser in browsers.values():
            browser.quit()
