"""Consultation surveys in a real browser: a citizen answers the demo survey on a phone with the
keyboard, two people answer it one after the other on a kiosk tablet, the institution builds and
publishes a survey of its own and takes a result to the dossier, and imports its access-to-information
requests (a file with a bad row included)."""
import json
import re
import time
import urllib.error
import urllib.request

import pytest
from selenium.common.exceptions import NoSuchElementException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import make_browser
from browser_steps import (assert_no_horizontal_scroll, emulate_touch_screen, fetch_as,  # noqa: E402  (Tests/support)
                           main_text, navigate, press, replaced, scroll_to, sign_in, tab_to)
from cocrea_server import DEMO_SURVEY, published_survey
from request_files import THEMES, request_csv, request_rows

INSTITUTION = "mf.lopez@salud-jalisco.example"
PHONE = (390, 844)
TABLET = (1024, 768)
SEND = (By.XPATH, "//form//button[normalize-space()='Enviar respuesta']")
THANKS = "¡Gracias por participar!"


@pytest.fixture(scope="module")
def demo(server):
    """The demo's published survey, found the way anyone finds it: the public list."""
    survey = published_survey(server)
    return dict(survey=survey["id"], exercise=survey["exerciseId"], questions=survey["questions"])


@pytest.fixture(scope="module")
def institution(server):
    """The institution's member (Secretaría de Salud Jalisco), signed in for the whole module."""
    driver = make_browser()
    try:
        sign_in(driver, server, INSTITUTION)
        yield driver
    finally:
        driver.quit()


def stored_answers(institution, base, exercise, survey):
    """What the institution has: the count on the results page, checked against the JSON download."""
    results = f"{base}/exercises/{exercise}/surveys/{survey}/results"
    institution.get(results)
    found = re.search(r"Respuestas: (\d+)", main_text(institution))
    assert found, main_text(institution)
    status, raw = fetch_as(institution, results.replace("/results", "/responses.json"))
    assert status == 200, raw[:500]
    rows = json.loads(raw)
    assert len(rows) == int(found.group(1)), (len(rows), found.group(0))
    return {row["id"]: row for row in rows}


def form_state(browser):
    """Every answer field of the form: checked options and typed texts (the honeypot left out)."""
    return browser.execute_script("""
        return [...document.querySelectorAll('form input, form textarea')]
          .filter(e => e.type !== 'hidden' && e.name !== 'sitio_web')
          .map(e => [e.id, (e.type === 'radio' || e.type === 'checkbox') ? e.checked : e.value]);""")


def assert_empty_form(browser):
    state = form_state(browser)
    assert len(state) == 14, state  # 3 + 4 + 5 options and two texts in the demo survey
    filled = [(name, value) for name, value in state if value not in (False, "")]
    assert not filled, f"the previous person's answers are still there: {filled}"


def choose(browser, label):
    """Clicks an option by its visible label (as a finger on the tablet would)."""
    browser.find_element(By.XPATH, f"//form//label[normalize-space()={json.dumps(label, ensure_ascii=False)}]").click()


def wait_for_form(browser, title=DEMO_SURVEY):
    """Waits for the answer form (the page may still be changing under the driver meanwhile)."""
    WebDriverWait(browser, 20, ignored_exceptions=(NoSuchElementException, WebDriverException)).until(
        lambda b: b.find_element(By.TAG_NAME, "h1").text == title and len(b.find_elements(By.CSS_SELECTOR, "form input")) > 0)


# (a) The public survey on a phone, answered with the keyboard.

def test_a_citizen_answers_on_a_phone_with_the_keyboard(server, demo, institution, shots):
    url = f"{server}/surveys/{demo['survey']}"
    before = stored_answers(institution, server, demo["exercise"], demo["survey"])

    phone = make_browser(*PHONE)
    try:
        emulate_touch_screen(phone, *PHONE)
        phone.get(url)
        assert phone.find_element(By.TAG_NAME, "h1").text == DEMO_SURVEY
        assert "anónima" in main_text(phone)
        assert phone.execute_script("return window.innerWidth") == PHONE[0]
        assert_no_horizontal_scroll(phone, "encuesta en teléfono")
        # The honeypot is there for programs, not for people: out of sight, out of the tab order and of the accessibility tree.
        honeypot = phone.find_element(By.ID, "sitio_web")
        assert honeypot.get_attribute("tabindex") == "-1"
        assert phone.execute_script("return arguments[0].closest('[aria-hidden=true]') !== null", honeypot)
        assert phone.execute_script("return arguments[0].getBoundingClientRect().right <= 0", honeypot)
        shots(phone, "telefono-encuesta")

        # Sent empty: the error list names both required questions and links to their fieldsets.
        navigate(phone, SEND)
        errors = phone.find_element(By.CSS_SELECTOR, "section.errors[role=alert]")
        links = errors.find_elements(By.TAG_NAME, "a")
        assert [link.get_attribute("href").rsplit("#", 1)[-1] for link in links] == ["p1", "p3"], errors.text
        assert "¿Te surtieron completa tu receta?" in links[0].text and "obligatoria" in links[0].text
        assert "¿Cómo calificas la atención que recibiste?" in links[1].text and "obligatoria" in links[1].text
        assert phone.find_element(By.CSS_SELECTOR, "fieldset#p1 legend").is_displayed()
        assert_no_horizontal_scroll(phone, "encuesta con errores en teléfono")
        shots(phone, "telefono-errores")
        # The same empty answer as a plain POST: refused with 422.
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(urllib.request.Request(url, data=b"p4=&p5=&sitio_web=", method="POST"), timeout=30)
        assert refused.value.code == 422

        # Nothing was stored.
        assert stored_answers(institution, server, demo["exercise"], demo["survey"]).keys() == before.keys()

        # From the error list to the question with the keyboard: ENTER on the link, TAB into the first option.
        phone.execute_script("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")
        tab_to(phone, lambda e: e.tag_name == "a" and (e.get_attribute("href") or "").endswith("#p1"))
        press(phone, Keys.ENTER)
        WebDriverWait(phone, 5).until(lambda b: b.execute_script("return location.hash") == "#p1")
        press(phone, Keys.TAB)
        focused = phone.switch_to.active_element
        assert focused.get_attribute("id") == "p1-1", ("TAB after the error link should reach question 1", focused.get_attribute("outerHTML"))
        press(phone, Keys.SPACE)                  # «Sí, completa»
        press(phone, Keys.ARROW_DOWN)             # arrows move within the radio group: «Solo una parte»
        assert phone.find_element(By.ID, "p1-2").is_selected() and not phone.find_element(By.ID, "p1-1").is_selected()
        tab_to(phone, lambda e: e.get_attribute("id") == "p2-1", limit=3)
        press(phone, Keys.SPACE)                  # «Existencia de medicamentos»
        tab_to(phone, lambda e: e.get_attribute("id") == "p2-3", limit=3)
        press(phone, Keys.SPACE)                  # «Tiempos de espera»
        tab_to(phone, lambda e: e.get_attribute("id") == "p3-1", limit=3)
        press(phone, Keys.SPACE, Keys.ARROW_RIGHT, Keys.ARROW_RIGHT, Keys.ARROW_RIGHT)  # 1 → 4
        assert phone.find_element(By.ID, "p3-4").is_selected()
        tab_to(phone, lambda e: e.get_attribute("id") == "p4", limit=3)
        press(phone, "Zapopan")
        tab_to(phone, lambda e: e.get_attribute("id") == "p5", limit=3)
        press(phone, "Que la farmacia avise por mensaje cuando llegue el medicamento.")
        button, path = tab_to(phone, lambda e: e.tag_name == "button", limit=3)
        assert button.text.strip() == "Enviar respuesta" and "sitio_web" not in " ".join(path), path
        shots(phone, "telefono-contestada")
        page = phone.find_element(By.TAG_NAME, "html")
        press(phone, Keys.ENTER)
        WebDriverWait(phone, 20).until(replaced(page))

        assert phone.find_element(By.TAG_NAME, "h1").text == THANKS, main_text(phone)
        assert DEMO_SURVEY in phone.find_element(By.CSS_SELECTOR, "[role=status]").text
        assert not phone.find_elements(By.ID, "reinicio"), "only the kiosk starts over by itself"
        assert phone.find_element(By.LINK_TEXT, "Volver a la encuesta").get_attribute("href").endswith(f"/surveys/{demo['survey']}")
        assert_no_horizontal_scroll(phone, "gracias en teléfono")
        shots(phone, "telefono-gracias")
    finally:
        phone.quit()

    after = stored_answers(institution, server, demo["exercise"], demo["survey"])
    new = [row for key, row in after.items() if key not in before]
    assert len(new) == 1, new
    assert new[0]["channel"] == "web"
    assert new[0]["answers"] == {"p1": "Solo una parte", "p2": ["Existencia de medicamentos", "Tiempos de espera"], "p3": 4,
                                 "p4": "Zapopan", "p5": "Que la farmacia avise por mensaje cuando llegue el medicamento."}


# (b) Kiosk mode on a tablet at the service window.

def test_kiosk_starts_over_empty_for_the_next_person(server, demo, institution, shots):
    kiosk = f"{server}/surveys/{demo['survey']}/kiosk"
    before = stored_answers(institution, server, demo["exercise"], demo["survey"])

    tablet = make_browser(*TABLET)
    try:
        emulate_touch_screen(tablet, *TABLET)
        tablet.get(kiosk)
        assert tablet.find_elements(By.CSS_SELECTOR, "div.kiosk form")
        # Large targets for fingers: every option row and the send button at least 44 px high.
        heights = tablet.execute_script(
            "return [...document.querySelectorAll('.choice, form button')].map(e => e.getBoundingClientRect().height)")
        assert heights and min(heights) >= 44, heights
        assert tablet.execute_script("return [window.innerWidth, window.innerHeight]") == list(TABLET)
        assert_no_horizontal_scroll(tablet, "quiosco")
        shots(tablet, "quiosco-encuesta")

        choose(tablet, "Sí, completa")
        choose(tablet, "Cómo presentar una queja")
        choose(tablet, "5")
        tablet.find_element(By.ID, "p5").send_keys("Me atendieron rápido.")
        shots(tablet, "quiosco-primera-persona")
        navigate(tablet, SEND)
        assert tablet.find_element(By.TAG_NAME, "h1").text == THANKS, main_text(tablet)
        countdown = tablet.find_element(By.ID, "reinicio")
        assert countdown.is_displayed() and countdown.get_attribute("data-url").lower() == f"/surveys/{demo['survey']}/kiosk".lower()
        assert tablet.find_element(By.ID, "reinicio-detener").is_displayed(), "the countdown can be stopped (WCAG 2.2.1)"
        assert tablet.find_element(By.LINK_TEXT, "Siguiente persona")
        shots(tablet, "quiosco-gracias")

        # It comes back by itself, within the 10 seconds it counts down (with some slack), to an empty form.
        thanks = tablet.find_element(By.TAG_NAME, "html")
        started = time.monotonic()
        WebDriverWait(tablet, 14).until(replaced(thanks))
        wait_for_form(tablet)
        assert time.monotonic() - started <= 14.5
        assert tablet.current_url.lower() == kiosk.lower()
        assert not tablet.find_elements(By.CSS_SELECTOR, "section.errors"), main_text(tablet)
        assert_empty_form(tablet)
        shots(tablet, "quiosco-de-nuevo-vacia")

        # The next person answers differently, and takes the button instead of waiting.
        choose(tablet, "No me surtieron nada")
        choose(tablet, "Existencia de medicamentos")
        choose(tablet, "Horarios y médicos de guardia")
        choose(tablet, "2")
        tablet.find_element(By.ID, "p4").send_keys("Tonalá")
        navigate(tablet, SEND)
        assert tablet.find_element(By.TAG_NAME, "h1").text == THANKS, main_text(tablet)
        shots(tablet, "quiosco-gracias-segunda")
        navigate(tablet, (By.LINK_TEXT, "Siguiente persona"))
        wait_for_form(tablet)
        assert_empty_form(tablet)
        shots(tablet, "quiosco-siguiente-persona")
    finally:
        tablet.quit()

    after = stored_answers(institution, server, demo["exercise"], demo["survey"])
    new = sorted((row for key, row in after.items() if key not in before), key=lambda row: row["receivedAt"])
    assert [row["channel"] for row in new] == ["kiosk", "kiosk"], new
    assert new[0]["answers"] == {"p1": "Sí, completa", "p2": ["Cómo presentar una queja"], "p3": 5, "p5": "Me atendieron rápido."}
    assert new[1]["answers"] == {"p1": "No me surtieron nada", "p2": ["Existencia de medicamentos", "Horarios y médicos de guardia"],
                                 "p3": 2, "p4": "Tonalá"}


# (c) The institution builds, publishes and reads a survey of its own.

NEW_SURVEY = "Consulta sobre la farmacia del centro de salud"
QUESTIONS = [
    ("¿Dónde te enteraste de esta consulta?", "singleChoice", True, "En la ventanilla\nEn redes sociales\nPor una vecina"),
    ("¿Qué tan fácil fue conseguir tu medicamento?", "scale", True, ""),
    ("¿Algo más que quieras contarnos?", "longText", False, ""),
]


def test_institution_builds_publishes_and_takes_a_finding_to_the_dossier(server, demo, institution, shots):
    institution.get(server + "/exercises")
    navigate(institution, (By.PARTIAL_LINK_TEXT, "Jalisco 2026"))
    navigate(institution, (By.LINK_TEXT, "Consulta pública"))
    assert DEMO_SURVEY in main_text(institution)
    shots(institution, "encuestas")
    navigate(institution, (By.LINK_TEXT, "Nueva encuesta"))
    shots(institution, "constructor-vacio")

    institution.find_element(By.ID, "title").send_keys(NEW_SURVEY)
    institution.find_element(By.ID, "description").send_keys("Queremos saber cómo te fue en la farmacia.")
    for number, (prompt, kind, required, options) in enumerate(QUESTIONS, start=1):
        institution.find_element(By.ID, f"prompt_{number}").send_keys(prompt)
        Select(institution.find_element(By.ID, f"kind_{number}")).select_by_value(kind)
        if required:
            institution.find_element(By.ID, f"required_{number}").click()
        if options:
            institution.find_element(By.ID, f"options_{number}").send_keys(options)
    shots(institution, "constructor-lleno")
    navigate(institution, (By.XPATH, "//button[normalize-space()='Guardar borrador']"))
    assert not institution.find_elements(By.CSS_SELECTOR, "section.errors"), main_text(institution)
    draft_url = institution.current_url
    survey_id = draft_url.rstrip("/").rsplit("/", 1)[-1]
    assert "Editar el borrador de la encuesta" in main_text(institution)
    assert institution.find_element(By.ID, "prompt_2").get_attribute("value") == QUESTIONS[1][0]
    assert Select(institution.find_element(By.ID, "kind_2")).first_selected_option.get_attribute("value") == "scale"
    assert institution.find_element(By.ID, "options_1").get_attribute("value").splitlines() == QUESTIONS[0][3].splitlines()
    shots(institution, "borrador")
    # A draft is nobody else's business yet.
    with pytest.raises(urllib.error.HTTPError) as hidden:
        urllib.request.urlopen(f"{server}/surveys/{survey_id}", timeout=30)
    assert hidden.value.code == 404

    navigate(institution, (By.XPATH, "//section[@aria-labelledby='publicar']//button[normalize-space()='Publicar la encuesta']"))
    assert institution.current_url.endswith(f"/surveys/{survey_id}/results"), institution.current_url
    assert re.search(r"Estado: Publicada · Respuestas: 0", main_text(institution)), main_text(institution)
    public_url = institution.find_element(By.PARTIAL_LINK_TEXT, f"/surveys/{survey_id}").get_attribute("href")
    assert public_url.endswith(f"/surveys/{survey_id}")
    assert any(s["id"] == survey_id for s in json.loads(urllib.request.urlopen(server + "/api/v1/public/surveys").read()))
    shots(institution, "publicada")

    citizen = make_browser()  # a fresh session: no cookie of the institution's
    try:
        citizen.get(public_url)
        assert citizen.find_element(By.TAG_NAME, "h1").text == NEW_SURVEY
        assert [f.get_attribute("id") for f in citizen.find_elements(By.CSS_SELECTOR, "form fieldset")] == ["p1", "p2"]
        assert citizen.find_element(By.CSS_SELECTOR, "textarea#p3")
        choose(citizen, "En redes sociales")
        choose(citizen, "4")
        citizen.find_element(By.ID, "p3").send_keys("Faltaba el paracetamol.")
        shots(citizen, "ciudadana-contesta")
        navigate(citizen, SEND)
        assert citizen.find_element(By.TAG_NAME, "h1").text == THANKS, main_text(citizen)
        shots(citizen, "ciudadana-gracias")
        assert not citizen.get_cookies(), "answering leaves nothing behind in the browser"
    finally:
        citizen.quit()

    institution.refresh()
    assert "Respuestas: 1" in main_text(institution), main_text(institution)
    charts = institution.find_elements(By.CSS_SELECTOR, "svg[role=img]")
    assert len(charts) == 2, "a chart for the choice and the scale questions"
    for chart in charts:
        title = chart.find_element(By.TAG_NAME, "title")
        assert chart.get_attribute("aria-labelledby") == title.get_attribute("id")
        assert title.get_attribute("textContent").strip()
    table = institution.find_element(By.CSS_SELECTOR, "section#p1 table")
    assert re.search(r"En redes sociales 1 100", table.text), table.text
    assert "Faltaba el paracetamol." in institution.find_element(By.CSS_SELECTOR, "section#p3").text
    status, csv_bytes = fetch_as(institution, f"{server}/exercises/{demo['exercise']}/surveys/{survey_id}/responses.csv")
    assert status == 200 and "En redes sociales" in csv_bytes.decode("utf-8-sig"), csv_bytes[:500]
    status, json_bytes = fetch_as(institution, f"{server}/exercises/{demo['exercise']}/surveys/{survey_id}/responses.json")
    assert status == 200 and json.loads(json_bytes)[0]["answers"]["p2"] == 4
    scroll_to(institution, "section#p1")
    shots(institution, "resultados")

    navigate(institution, (By.XPATH, "//section[@id='p1']//button[starts-with(normalize-space(), 'Llevar al expediente como hallazgo')]"))
    notice = institution.find_element(By.CSS_SELECTOR, "p.notice").text
    finding = f"Consulta pública: {QUESTIONS[0][0]}"
    assert finding in notice, notice
    shots(institution, "hallazgo-agregado")
    navigate(institution, (By.LINK_TEXT, "Expediente previo"))
    assert finding in main_text(institution), main_text(institution)
    shots(institution, "expediente-con-hallazgo")


# (d) The institution's access-to-information requests (three themes: Tests/support/request_files.py).

def upload(browser, path, skip_invalid=False):
    browser.find_element(By.ID, "file").send_keys(str(path))
    if skip_invalid:
        browser.find_element(By.ID, "skipInvalid").click()
    navigate(browser, (By.XPATH, "//section[@aria-labelledby='importar']//button[normalize-space()='Importar']"))


def request_count(browser):
    return int(re.search(r"Solicitudes: (\d+)", main_text(browser)).group(1))


def test_institution_imports_requests_and_sees_their_topics(server, demo, institution, shots, tmp_path):
    institution.get(f"{server}/exercises/{demo['exercise']}/surveys")
    navigate(institution, (By.LINK_TEXT, "Solicitudes de acceso a la información"))
    assert request_count(institution) == 0
    shots(institution, "solicitudes-vacio")

    good = tmp_path / "solicitudes.csv"
    good.write_bytes(request_csv(request_rows(1420000100001, 30)))
    upload(institution, good)
    assert not institution.find_elements(By.CSS_SELECTOR, "section.errors"), main_text(institution)
    assert "Se importaron 30 solicitudes" in institution.find_element(By.CSS_SELECTOR, "p.notice").text
    assert request_count(institution) == 30
    topics = institution.find_elements(By.CSS_SELECTOR, "article.topic")
    assert len(topics) >= 2, main_text(institution)
    sizes = [int(re.search(r"\((\d+)\)$", t.find_element(By.TAG_NAME, "h4").text).group(1)) for t in topics]
    assert sum(sizes) == 30, sizes
    for topic in topics:
        assert topic.find_element(By.CSS_SELECTOR, "svg[role=img] title").get_attribute("textContent").startswith("Solicitudes por mes")
        examples = [li.text for li in topic.find_elements(By.CSS_SELECTOR, "ul li")]
        assert examples, topic.text
        # Each theme went to its own body: a topic that mixes bodies mixed themes.
        bodies = {body for body, _ in THEMES if any(f", {body})" in example for example in examples)}
        assert len(bodies) == 1, (topic.find_element(By.TAG_NAME, "h4").text, examples)
    print("\ntemas:", [t.find_element(By.TAG_NAME, "h4").text for t in topics])
    scroll_to(institution, "section#temas")
    shots(institution, "solicitudes-temas")

    # A file with one impossible date: nothing imported, the row named, and a way to skip it.
    rows = request_rows(1420000200001, 8)
    rows[4] = rows[4].replace(rows[4].split(",")[1], "31/02/2026", 1)
    bad = tmp_path / "solicitudes-con-error.csv"
    bad.write_bytes(request_csv(rows))
    upload(institution, bad)
    errors = institution.find_element(By.CSS_SELECTOR, "section.errors[role=alert]").text
    assert "No se importó nada" in errors and "Fila 6: la fecha «31/02/2026» no existe." in errors, errors
    assert request_count(institution) == 30
    pending = institution.find_element(By.CSS_SELECTOR, "section.pending").text
    assert "7 filas válidas" in pending and "1 filas con problemas" in pending, pending
    shots(institution, "solicitudes-fila-con-error")
    navigate(institution, (By.XPATH, "//section[contains(@class,'pending')]//button[normalize-space()="
                                     "'Importar las filas válidas y omitir las que tienen problemas']"))
    assert not institution.find_elements(By.CSS_SELECTOR, "section.errors"), main_text(institution)
    assert "Se importaron 7 solicitudes, omitiendo las filas con problemas." in institution.find_element(By.CSS_SELECTOR, "p.notice").text
    assert request_count(institution) == 37
    assert not institution.find_elements(By.CSS_SELECTOR, "section.pending")
    shots(institution, "solicitudes-omitidas")

    # The same choice made beforehand with the checkbox: a row without description is skipped at once.
    rows = request_rows(1420000300001, 4)
    rows[1] = rows[1].rsplit(",", 1)[0] + ","
    skipped = tmp_path / "solicitudes-omitir.csv"
    skipped.write_bytes(request_csv(rows))
    upload(institution, skipped, skip_invalid=True)
    assert not institution.find_elements(By.CSS_SELECTOR, "section.errors"), main_text(institution)
    assert "Se importaron 3 solicitudes" in institution.find_element(By.CSS_SELECTOR, "p.notice").text
    assert request_count(institution) == 40
    shots(institution, "solicitudes-casilla-omitir")
