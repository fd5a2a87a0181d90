"""Issue 8, item 2: every page and form of Cocrea in a real headless Chromium, checked with axe-core
(axe-selenium-python) for serious and critical violations, its raw HTML parsed by html5lib in strict
mode, and the sign-in, new-exercise, survey-answer and survey-builder forms used with the keyboard alone.

The pages are filled with real data first (the dossier sent and received, a table scheduled, a plan
frozen, a survey draft beside the demo's published survey, information requests imported), on a server of their own started like the journey's: sending the dossier here must not
change what the journey test sees on the shared one."""
import html5lib
import http.cookiejar
import json
import os
import re
import time
import uuid
import urllib.error
import urllib.parse
import urllib.request

import pytest
from axe_selenium_python import Axe
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from conftest import Shots, make_browser
from browser_steps import emulate_touch_screen, replaced, tab_to
from cocrea_server import ADMIN, cocrea_server, published_survey, seed_demo, smtp_sink
from ocds_package import OCDS_PACKAGE, attach_package
from request_files import request_csv, request_rows

FACILITATOR = "jorge.ramirez@stl-jalisco.example"
PASSWORD = "cocrea-demo-2026"
BLOCKING = {"serious", "critical"}
NIL_UUID = "00000000-0000-4000-8000-000000000000"


@pytest.fixture(scope="module")
def site():
    with smtp_sink() as mailbox, cocrea_server(mailbox.port) as server:
        records = seed_demo(server, mailbox)
        records.update(base=server.base, mailbox=mailbox)
        seed_consultation(server, records)
        seed_procurement(server, records)
        seed_publication(records)
        yield records


def seed_publication(records):
    """The demo exercise published, with a roadmap whose table was moved once (a change to show) and a
    consultation open today, and citizen proposals: one answered, one hidden with its public reason."""
    import datetime
    api, eid = records["api"], records["exercise"]
    api("POST", f"/exercises/{eid}/publication")
    today = datetime.date.today()
    consultation = {"kind": "consultation", "title": "Consulta pública de salud",
                    "startsOn": (today - datetime.timedelta(days=2)).isoformat(), "endsOn": (today + datetime.timedelta(days=30)).isoformat()}
    for starts in ("2027-02-12", "2027-02-19"):
        api("PUT", f"/exercises/{eid}/roadmap", [
            {"kind": "kickoff", "title": "Evento de arranque", "startsOn": "2027-01-20", "place": "Auditorio del ITEI"},
            consultation,
            {"kind": "roundtable", "title": "Mesa de diálogo de salud", "startsOn": starts, "place": "Sala Juárez"}])
    answered = api("POST", f"/public/exercises/{eid}/proposals", {
        "problem": "Las recetas del centro de salud se surten incompletas", "solution": "Publicar el inventario semanal por unidad médica",
        "theme": "Salud"})["id"]
    hidden = api("POST", f"/public/exercises/{eid}/proposals", {
        "problem": "El director no atiende", "solution": "Cambiarlo", "theme": "Salud"})["id"]
    api("POST", f"/proposals/{answered}/moderation", {"action": "publish"})
    api("POST", f"/proposals/{answered}/response", {
        "outcome": "notIncorporated", "reason": "El inventario ya se publica cada mes en el portal estatal."})
    api("POST", f"/proposals/{hidden}/moderation", {"action": "hide", "reason": "Señala a una persona por su nombre."})
    records["commitment"] = api("GET", f"/exercises/{eid}/commitments")[0]["id"]


def seed_consultation(server, records):
    """The demo's published survey, a draft beside it and 30 information requests imported (so the
    requests page shows its topics and their charts)."""
    records["survey"] = published_survey(server.base)["id"]
    api = records["api"]
    draft = api("POST", f"/exercises/{records['exercise']}/surveys",
                {"title": "Borrador de encuesta de farmacia", "description": "Todavía sin publicar.",
                 "questions": [{"prompt": "¿Te surtieron tu receta?", "kind": "singleChoice", "required": True,
                                "options": ["Sí", "No"]},
                               {"prompt": "¿Qué mejorarías?", "kind": "longText", "required": False}]})
    records["draft"] = draft["id"]
    body, boundary = multipart({}, {"file": ("solicitudes.csv", request_csv(request_rows(1420000100001, 30)))})
    request = urllib.request.Request(f"{server.base}/api/v1/exercises/{records['exercise']}/information-requests/imports",
                                     data=body, method="POST",
                                     headers={"Authorization": f"Bearer {api.token}", "Accept": "application/json",
                                              "Content-Type": f"multipart/form-data; boundary={boundary}"})
    with urllib.request.urlopen(request, timeout=60) as response:
        assert json.loads(response.read())["importedRows"] == 30


def seed_procurement(server, records):
    """An OCDS package on the demo plan's procurement commitment (the first one seed_demo makes)."""
    records["procurement"] = records["commitments"][0][0]
    attach_package(server.base, records["api"].token, records["procurement"])


def multipart(fields, files):
    """A multipart/form-data body (as a browser sends a form with a file input) and its boundary."""
    boundary = "cocrea-" + uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, data) in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     f'Content-Type: text/csv\r\n\r\n'.encode() + data + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), boundary


def wait_for_new_page(browser, action):
    page = browser.find_element(By.TAG_NAME, "html")
    action()

    def left(driver):
        # Chromium sometimes answers "Node … does not belong to the document" instead of "stale" for the old page.
        try:
            return expected_conditions.staleness_of(page)(driver)
        except WebDriverException as error:
            if "does not belong to the document" in str(error):
                return True
            raise

    WebDriverWait(browser, 20).until(left)


def sign_in(browser, base, email):
    browser.get(base + "/login")
    browser.find_element(By.ID, "email").send_keys(email)
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    button = browser.find_element(By.CSS_SELECTOR, "form[action='/login'] button[type=submit]")
    wait_for_new_page(browser, button.click)
    assert "/login" not in browser.current_url, browser.find_element(By.TAG_NAME, "main").text


@pytest.fixture(scope="module")
def browsers(site):
    """One browser per kind of visitor, kept for the whole module."""
    made = {"anonymous": make_browser(), "facilitator": make_browser(), "admin": make_browser()}
    try:
        sign_in(made["facilitator"], site["base"], FACILITATOR)
        sign_in(made["admin"], site["base"], ADMIN)
        yield made
    finally:
        for driver in made.values():
            driver.quit()


@pytest.fixture(scope="module")
def shots():
    return Shots("accesibilidad")


def raw_html(browser, url, form=None, files=None):
    """The page's HTML as the server sent it (not Chromium's re-serialised DOM), with the browser's
    cookies; with `form`, as the answer to POSTing those fields (as multipart/form-data with `files`)."""
    jar = http.cookiejar.CookieJar()
    for cookie in browser.get_cookies():
        jar.set_cookie(http.cookiejar.Cookie(
            0, cookie["name"], cookie["value"], None, False, cookie.get("domain", "127.0.0.1"), False, False,
            cookie.get("path", "/"), True, False, None, False, None, None, {}))
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    headers = {"Accept-Language": "es-MX,es"}
    if files is not None:
        data, boundary = multipart(form or {}, files)
        headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
    else:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
    request = urllib.request.Request(url, data=data, headers=headers)
    try:
        with opener.open(request, timeout=30) as response:
            return response.read()
    except urllib.error.HTTPError as error:  # error pages are pages too
        return error.read()


def check_html(source, url, lang="es"):
    """Strict HTML5 parse (any parse error fails), unique ids and the page's language."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    try:
        document = parser.parse(source)
    except html5lib.html5parser.ParseError as error:
        line, column = parser.errors[-1][0] if parser.errors else ("?", "?")
        lines = source.decode("utf-8", "replace").splitlines()
        context = lines[line - 1] if isinstance(line, int) and 0 < line <= len(lines) else ""
        raise AssertionError(f"{url}: HTML no válido en la línea {line}, columna {column}: {error}\n    {context.strip()}")
    ids = [element.get("id") for element in document.iter() if element.get("id")]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert not duplicates, f"{url}: ids repetidos {duplicates}"
    assert document.get("lang", "").startswith(lang), f"{url}: <html lang> debe ser {lang!r}, es {document.get('lang')!r}"


def describe(violations):
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"][:10]:
            lines.append(f"    en {', '.join(map(str, node['target']))}: {node['html'][:200]}")
            for check in node.get("any", []) + node.get("all", []) + node.get("none", []):
                lines.append(f"        {check['message']}")
    return "\n".join(lines)


def check_axe(browser, url, skip=()):
    """`skip` names axe rules left out, each for a reason a test of its own states (see the kiosk's)."""
    # axe-selenium-python bundles axe-core 3.1; AXE_CORE_JS may name a newer axe.min.js (4.x has more rules).
    axe = Axe(browser, os.environ["AXE_CORE_JS"]) if os.environ.get("AXE_CORE_JS") else Axe(browser)
    axe.inject()
    results = axe.run(options=json.dumps({"rules": {rule: {"enabled": False} for rule in skip}})) if skip else axe.run()
    blocking = [v for v in results["violations"] if v.get("impact") in BLOCKING]
    others = [v for v in results["violations"] if v.get("impact") not in BLOCKING]
    if others:
        print(f"\n{url}: avisos de axe de menor impacto:\n{describe(others)}")
    assert not blocking, f"{url}: axe-core encontró problemas graves o críticos:\n{describe(blocking)}"


def check_page(browser, url, shots, name):
    shots(browser, name)
    check_axe(browser, url)
    check_html(raw_html(browser, url), url)


def test_the_checkers_see_real_problems(browser):
    """axe and the strict parser fail on a page that is known to be wrong, so a green run means something."""
    browser.get("data:text/html;charset=utf-8,<!DOCTYPE html><html><body><img src=x.png><input type=text>"
                "<button></button></body></html>")
    with pytest.raises(AssertionError, match="image-alt"):
        check_axe(browser, "ejemplo")
    with pytest.raises(AssertionError, match="HTML no válido"):
        check_html(b"<!DOCTYPE html><html lang=es><title>x</title><p><div></p></div>", "ejemplo")


# (name for the screenshot, who looks, path; {e} the exercise, {receipt} a receipt token,
#  {table} its roundtable, {version} its frozen plan version, {survey} the demo's published survey,
#  {draft} a survey draft)
PAGES = [
    ("inicio", "anonymous", "/"),
    ("entrar", "anonymous", "/login"),
    ("privacidad", "anonymous", "/privacidad"),
    ("acuse", "anonymous", "/receipts/{receipt}"),
    ("no-encontrado", "anonymous", "/receipts/no-existe"),
    ("ejercicios", "admin", "/exercises"),
    ("nuevo-ejercicio", "admin", "/exercises/new"),
    ("correos", "admin", "/admin/deliveries"),
    ("resumen", "facilitator", "/exercises/{e}"),
    ("integrantes", "facilitator", "/exercises/{e}/members"),
    ("expediente", "facilitator", "/exercises/{e}/dossier"),
    ("acuses", "facilitator", "/exercises/{e}/status"),
    ("mesas", "facilitator", "/exercises/{e}/roundtables"),
    ("acuerdos", "facilitator", "/exercises/{e}/plan"),
    ("acuerdos-admin", "admin", "/exercises/{e}/plan"),
    ("integrantes-admin", "admin", "/exercises/{e}/members"),
    ("ejercicio-ajeno", "facilitator", f"/exercises/{NIL_UUID}"),
    ("ingles", "anonymous", "/login?lang=en"),
    ("consola-mesa", "facilitator", "/exercises/{e}/roundtables/{table}"),
    ("relatoria", "facilitator", "/exercises/{e}/roundtables/{table}/minutes"),
    ("lectura", "facilitator", "/exercises/{e}/plan/reading"),
    ("narrativa", "facilitator", "/exercises/{e}/plan/narrative"),
    ("verificar", "anonymous", "/verify"),
    ("version-publica", "anonymous", "/verify/{version}"),
    ("seguimiento-publico", "anonymous", "/public"),
    ("ejercicio-publico", "anonymous", "/public/exercises/{e}"),
    ("encuesta", "anonymous", "/surveys/{survey}"),
    ("encuesta-quiosco", "anonymous", "/surveys/{survey}/kiosk"),
    ("encuesta-inexistente", "anonymous", f"/surveys/{NIL_UUID}"),
    ("encuestas", "facilitator", "/exercises/{e}/surveys"),
    ("nueva-encuesta", "facilitator", "/exercises/{e}/surveys/new"),
    ("borrador-encuesta", "facilitator", "/exercises/{e}/surveys/{draft}"),
    ("resultados-encuesta", "facilitator", "/exercises/{e}/surveys/{survey}/results"),
    ("solicitudes", "facilitator", "/exercises/{e}/requests"),
    ("propuestas-publicas", "anonymous", "/public/exercises/{e}/proposals"),
    ("propuestas", "facilitator", "/exercises/{e}/proposals"),
    ("compromiso-publico", "anonymous", "/public/commitments/{commitment}"),
]


@pytest.mark.parametrize("name,who,path", PAGES, ids=[p[0] for p in PAGES])
def test_page_is_accessible_and_valid_html(site, browsers, shots, name, who, path):
    browser = browsers[who]
    url = site["base"] + path.format(e=site["exercise"], receipt=site["receipt"], table=site["roundtable"], version=site["planVersion"],
                                     survey=site["survey"], draft=site["draft"], commitment=site["commitment"])
    browser.get(url)
    if name == "ingles":
        # Back to Spanish for the other pages (the choice is kept in the session).
        try:
            check_axe(browser, url)
            check_html(raw_html(browser, url), url, lang="en")
            shots(browser, name)
        finally:
            browser.get(site["base"] + "/login?lang=es")
        return
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang").startswith("es")
    check_page(browser, url, shots, name)


def test_pages_with_form_errors(site, browsers, shots):
    """The error summary of a rejected form, as the sign-in and the roundtable forms show it."""
    browser = make_browser()
    try:
        browser.get(site["base"] + "/login")
        browser.find_element(By.ID, "email").send_keys(FACILITATOR)
        browser.find_element(By.ID, "password").send_keys("no-es-la-contraseña")
        wait_for_new_page(browser, browser.find_element(By.CSS_SELECTOR, "form[action='/login'] button").click)
        assert browser.find_elements(By.CSS_SELECTOR, "section.errors, p.problem"), browser.find_element(By.TAG_NAME, "main").text
        shots(browser, "entrar-con-error")
        check_axe(browser, browser.current_url)
        csrf = browser.find_element(By.CSS_SELECTOR, "form[action='/login'] input[name=csrf]").get_attribute("value")
        rejected = raw_html(browser, site["base"] + "/login",
                            {"csrf": csrf, "next": "", "email": FACILITATOR, "password": "tampoco-es-esta"})
        assert "Revisa".encode() in rejected or b'class="errors"' in rejected, rejected[:3000]
        check_html(rejected, site["base"] + "/login (POST rechazado)")
    finally:
        browser.quit()

    browser = browsers["facilitator"]
    roundtables = site["base"] + f"/exercises/{site['exercise']}/roundtables"
    browser.get(roundtables)
    csrf = browser.find_element(By.CSS_SELECTOR, "section[aria-labelledby=programar] input[name=csrf]").get_attribute("value")
    field = browser.find_element(By.ID, "startsAt")
    browser.execute_script("arguments[0].value = arguments[1]", field, "2020-01-01T10:00")
    browser.find_element(By.ID, "place").send_keys("Sala de juntas del ITEI")
    wait_for_new_page(browser, browser.find_element(By.CSS_SELECTOR, "section[aria-labelledby=programar] button").click)
    assert browser.find_elements(By.CSS_SELECTOR, "section.errors"), browser.find_element(By.TAG_NAME, "main").text
    shots(browser, "mesa-con-error")
    check_axe(browser, browser.current_url)
    # The rejected POST answers with the page itself (a GET never shows the error summary).
    rejected = raw_html(browser, roundtables,
                        {"csrf": csrf, "startsAt": "2020-01-01T10:00", "place": "Sala de juntas del ITEI"})
    assert b'class="errors"' in rejected, rejected[:3000]
    check_html(rejected, roundtables + " (POST rechazado)")


def test_following_a_commitment_by_its_form(site, shots):
    """The public commitment's follow form: a malformed address answered with the error summary, then
    the page that asks to check the mail."""
    browser = make_browser()
    try:
        url = site["base"] + f"/public/commitments/{site['commitment']}"
        browser.get(url)
        browser.find_element(By.ID, "email").send_keys("sofia@")
        wait_for_new_page(browser, browser.find_element(By.CSS_SELECTOR, "form#seguimiento button").click)
        assert browser.find_elements(By.CSS_SELECTOR, "section.errors"), browser.find_element(By.TAG_NAME, "main").text
        shots(browser, "compromiso-correo-con-error")
        check_axe(browser, browser.current_url)
        check_html(raw_html(browser, url + "/followers", {"email": "sofia@", "sitio_web": ""}), url + " (POST rechazado)")
        browser.get(url)
        browser.find_element(By.ID, "email").send_keys("sofia.hernandez@correo.example")
        wait_for_new_page(browser, browser.find_element(By.CSS_SELECTOR, "form#seguimiento button").click)
        assert "Revisa tu correo" in browser.find_element(By.TAG_NAME, "main").text
        shots(browser, "compromiso-seguido")
        check_axe(browser, browser.current_url)
        check_html(raw_html(browser, url + "/followers", {"email": "ana.ruiz@correo.example", "sitio_web": ""}), url + " (POST aceptado)")
    finally:
        browser.quit()


def test_rejected_ocds_package(site, browsers, shots):
    """A package that is not valid OCDS, sent through the plan page's form: every problem in the error
    summary, each linking to the form's file field."""
    browser = browsers["facilitator"]
    plan = site["base"] + f"/exercises/{site['exercise']}/plan"
    browser.get(plan)
    field = f"ocds-file-{site['procurement']}"
    form = browser.find_element(By.ID, field).find_element(By.XPATH, "./ancestor::form")
    csrf = form.find_element(By.CSS_SELECTOR, "input[name=csrf]").get_attribute("value")
    broken = dict(OCDS_PACKAGE, version="1.0", releases=[dict(OCDS_PACKAGE["releases"][1], tag=[])])
    browser.find_element(By.ID, field).send_keys(_temporary_json(broken))
    wait_for_new_page(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]").click)
    summary = browser.find_element(By.CSS_SELECTOR, "section.errors")
    assert "$.releases[0].tag" in summary.text and "$.version" in summary.text, summary.text
    assert all(link.get_attribute("href").endswith("#" + field) for link in summary.find_elements(By.TAG_NAME, "a"))
    shots(browser, "paquete-ocds-con-error")
    check_axe(browser, browser.current_url)
    action = site["base"] + f"/exercises/{site['exercise']}/plan/commitments/{site['procurement']}/procurement-packages"
    rejected = raw_html(browser, action, {"csrf": csrf}, {"file": ("ssj.json", json.dumps(broken).encode())})
    assert b'class="errors"' in rejected, rejected[:3000]
    check_html(rejected, action + " (POST rechazado)")


def _temporary_json(document):
    import tempfile
    handle = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8")
    with handle:
        json.dump(document, handle, ensure_ascii=False)
    return handle.name


def test_magic_link_confirmation_page(site, shots):
    browser = make_browser()
    try:
        browser.get(site["base"] + "/login")
        browser.find_element(By.ID, "link-email").send_keys("lucia@datosabiertos-gdl.example")
        wait_for_new_page(browser, browser.find_element(By.CSS_SELECTOR, "form[action='/login/link'] button").click)
        check_page(browser, browser.current_url, shots, "enlace-solicitado")
        mail = site["mailbox"].wait_for(lambda m: m.get("subject") == "Tu enlace para entrar a Cocrea", 1)[-1]
        link = re.search(r"http://\S+/login/link/\S+", mail["textBody"]).group(0)
        browser.get(link)
        check_page(browser, link, shots, "confirmar-enlace")
    finally:
        browser.quit()


def fill_by_keyboard(browser, fields, submit_text):
    """From the top of the page: TAB to each field (in order) and type into it, TAB to the submit
    button whose text is `submit_text`, and press ENTER."""
    browser.find_element(By.TAG_NAME, "body")  # page loaded
    browser.execute_script("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")
    for field_id, text in fields:
        focused, _ = tab_to(browser, lambda e, i=field_id: e.get_attribute("id") == i)
        focused.send_keys(text)
    button, path = tab_to(browser, lambda e: e.tag_name == "button" and e.text.strip() == submit_text)
    assert button.get_attribute("type") == "submit", path
    wait_for_new_page(browser, lambda: ActionChains(browser).send_keys(Keys.ENTER).perform())
    return path


def test_sign_in_with_the_keyboard_alone(site, shots):
    browser = make_browser()
    try:
        browser.get(site["base"] + "/login")
        fill_by_keyboard(browser, [("email", FACILITATOR), ("password", PASSWORD)], "Iniciar sesión")
        assert browser.current_url.endswith("/exercises"), browser.current_url
        shots(browser, "teclado-entrada")
        assert "Jalisco 2026" in browser.find_element(By.TAG_NAME, "main").text
    finally:
        browser.quit()


def test_create_exercise_with_the_keyboard_alone(site, browsers, shots):
    browser = browsers["admin"]
    browser.get(site["base"] + "/exercises/new")
    fill_by_keyboard(browser, [("name", "Ejercicio de prueba con teclado"), ("territory", "Zapopan")], "Crear")
    shots(browser, "teclado-ejercicio-creado")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Ejercicio de prueba con teclado", browser.current_url
    check_axe(browser, browser.current_url)


# Consultation: the public answer form, its kiosk mode, the builder and the requests import.

THANKS = "¡Gracias por participar!"


def choose(browser, *labels):
    for label in labels:
        browser.find_element(By.XPATH, f"//form//label[normalize-space()={json.dumps(label, ensure_ascii=False)}]").click()


def send_survey(browser):
    button = browser.find_element(By.XPATH, "//form//button[normalize-space()='Enviar respuesta']")
    wait_for_new_page(browser, button.click)


def test_survey_thanks_pages(site, shots):
    """The thanks page after answering, on the web and in kiosk mode (which starts over after 8 seconds:
    axe runs at once, and the raw HTML comes from a POST of its own). Every answer differs from the
    others, or the server would take it for the same person sending it twice."""
    survey = f"{site['base']}/surveys/{site['survey']}"
    browser = make_browser()
    try:
        for url, name, labels, raw in [
                (survey, "encuesta-gracias", ("Sí, completa", "Tiempos de espera", "3"), {"p1": "Sí, completa", "p3": "4", "p4": "Zapotlanejo"}),
                (survey + "/kiosk", "quiosco-gracias", ("No me surtieron nada", "1"), {"p1": "Solo una parte", "p3": "1", "p4": "El Salto"})]:
            browser.get(url)
            choose(browser, *labels)
            send_survey(browser)
            assert browser.find_element(By.TAG_NAME, "h1").text == THANKS, browser.find_element(By.TAG_NAME, "main").text
            page = browser.find_element(By.TAG_NAME, "html")
            if url.endswith("/kiosk"):
                # The kiosk starts over after 10 s; axe on a loaded machine may take longer.
                browser.find_element(By.ID, "reinicio-detener").click()
            check_axe(browser, url + " (gracias)")
            assert not replaced(page)(browser), f"{url}: the thanks page was left before axe finished"
            shots(browser, name)
            thanks = raw_html(browser, url, raw)
            assert THANKS.encode() in thanks, thanks[:3000]
            assert (b'id="reinicio"' in thanks) == url.endswith("/kiosk")
            check_html(thanks, url + " (POST: gracias)")
    finally:
        browser.quit()


def test_kiosk_countdown_can_be_stopped(site):
    """WCAG 2.2.1: the kiosk starts over by itself, but anyone can stop the countdown."""
    url = f"{site['base']}/surveys/{site['survey']}/kiosk"
    browser = make_browser()
    try:
        browser.get(url)
        choose(browser, "Solo una parte", "Cómo presentar una queja", "5")
        send_survey(browser)
        assert browser.find_element(By.TAG_NAME, "h1").text == THANKS, browser.find_element(By.TAG_NAME, "main").text
        browser.find_element(By.ID, "reinicio-detener").click()
        check_axe(browser, url + " (gracias, cuenta detenida)")
        time.sleep(11)
        assert browser.find_element(By.TAG_NAME, "h1").text == THANKS, "stopped: the thanks page stays"
    finally:
        browser.quit()


def bad_request_file():
    rows = request_rows(1420000200001, 8)
    rows[4] = rows[4].replace(rows[4].split(",")[1], "31/02/2026", 1)
    return request_csv(rows)


def test_consultation_pages_with_form_errors(site, browsers, shots, tmp_path):
    """The error summaries of the survey (web and kiosk), the builder and the requests import, each with
    its rejected POST parsed strictly."""
    base, exercise = site["base"], site["exercise"]
    browser = make_browser()
    try:
        for path, name in [(f"/surveys/{site['survey']}", "encuesta-con-errores"), (f"/surveys/{site['survey']}/kiosk", "quiosco-con-errores")]:
            browser.get(base + path)
            send_survey(browser)
            errors = browser.find_element(By.CSS_SELECTOR, "section.errors[role=alert]")
            assert [a.get_attribute("href").rsplit("#", 1)[-1] for a in errors.find_elements(By.TAG_NAME, "a")] == ["p1", "p3"], errors.text
            shots(browser, name)
            check_axe(browser, base + path + " (errores)")
            rejected = raw_html(browser, base + path, {"p4": "Ameca", "sitio_web": ""})
            assert b'class="errors"' in rejected and b'value="Ameca"' in rejected, rejected[:3000]
            check_html(rejected, base + path + " (POST rechazado)")
    finally:
        browser.quit()

    browser = browsers["facilitator"]
    browser.get(f"{base}/exercises/{exercise}/surveys/new")
    csrf = browser.find_element(By.CSS_SELECTOR, "form input[name=csrf]").get_attribute("value")
    browser.find_element(By.ID, "title").send_keys("Encuesta con una sola opción")
    browser.find_element(By.ID, "prompt_1").send_keys("¿Te atendieron?")
    browser.find_element(By.ID, "options_1").send_keys("Sí")
    wait_for_new_page(browser, browser.find_element(By.XPATH, "//button[normalize-space()='Guardar borrador']").click)
    errors = browser.find_element(By.CSS_SELECTOR, "section.errors")
    assert errors.find_element(By.TAG_NAME, "a").get_attribute("href").endswith("#options_1"), errors.text
    shots(browser, "constructor-con-errores")
    check_axe(browser, browser.current_url + " (errores)")
    rejected = raw_html(browser, f"{base}/exercises/{exercise}/surveys",
                        {"csrf": csrf, "title": "Encuesta con una sola opción", "prompt_1": "¿Te atendieron?",
                         "kind_1": "singleChoice", "options_1": "Sí"})
    assert b'class="errors"' in rejected, rejected[:3000]
    check_html(rejected, f"{base}/exercises/{exercise}/surveys (POST rechazado)")

    requests = f"{base}/exercises/{exercise}/requests"
    browser.get(requests)
    csrf = browser.find_element(By.CSS_SELECTOR, "section[aria-labelledby=importar] input[name=csrf]").get_attribute("value")
    path = tmp_path / "solicitudes-con-error.csv"
    path.write_bytes(bad_request_file())
    browser.find_element(By.ID, "file").send_keys(str(path))
    wait_for_new_page(browser, browser.find_element(By.XPATH, "//section[@aria-labelledby='importar']//button").click)
    assert browser.find_elements(By.CSS_SELECTOR, "section.errors") and browser.find_elements(By.CSS_SELECTOR, "section.pending"), \
        browser.find_element(By.TAG_NAME, "main").text
    shots(browser, "solicitudes-con-errores")
    check_axe(browser, requests + " (errores)")
    rejected = raw_html(browser, requests + "/imports", {"csrf": csrf}, files={"file": ("solicitudes-con-error.csv", bad_request_file())})
    assert b'class="errors"' in rejected and b'class="pending"' in rejected, rejected[:3000]
    check_html(rejected, requests + "/imports (POST rechazado)")


def test_answer_survey_with_the_keyboard_alone(site, shots):
    """TAB reaches each question, SPACE picks an option and the arrows move within a radio group."""
    browser = make_browser()
    try:
        emulate_touch_screen(browser, 390, 844)
        browser.get(f"{site['base']}/surveys/{site['survey']}")
        browser.execute_script("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")
        tab_to(browser, lambda e: e.get_attribute("id") == "p1-1")
        ActionChains(browser).send_keys(Keys.SPACE).perform()
        tab_to(browser, lambda e: e.get_attribute("id") == "p2-2", limit=4)
        ActionChains(browser).send_keys(Keys.SPACE).perform()
        tab_to(browser, lambda e: e.get_attribute("id") == "p3-1", limit=4)
        ActionChains(browser).send_keys(Keys.SPACE, Keys.ARROW_RIGHT).perform()
        assert browser.find_element(By.ID, "p3-2").is_selected()
        field, _ = tab_to(browser, lambda e: e.get_attribute("id") == "p4", limit=2)
        field.send_keys("Tlajomulco")
        button, path = tab_to(browser, lambda e: e.tag_name == "button" and e.text.strip() == "Enviar respuesta", limit=4)
        assert button.get_attribute("type") == "submit", path
        wait_for_new_page(browser, lambda: ActionChains(browser).send_keys(Keys.ENTER).perform())
        assert browser.find_element(By.TAG_NAME, "h1").text == THANKS, browser.find_element(By.TAG_NAME, "main").text
        shots(browser, "teclado-encuesta-contestada")
    finally:
        browser.quit()


def test_build_and_publish_a_survey_with_the_keyboard_alone(site, browsers, shots):
    browser = browsers["facilitator"]
    browser.get(f"{site['base']}/exercises/{site['exercise']}/surveys/new")
    fill_by_keyboard(browser, [("title", "Encuesta hecha con teclado"), ("prompt_1", "¿En qué municipio vives?"),
                               ("kind_1", "Texto breve")], "Guardar borrador")
    assert browser.find_element(By.TAG_NAME, "h2").text == "Editar el borrador de la encuesta", browser.find_element(By.TAG_NAME, "main").text
    assert browser.find_element(By.ID, "kind_1").get_attribute("value") == "shortText"
    shots(browser, "teclado-borrador")
    fill_by_keyboard(browser, [], "Publicar la encuesta")
    assert browser.current_url.endswith("/results"), browser.current_url
    assert "Publicada" in browser.find_element(By.TAG_NAME, "main").text
    shots(browser, "teclado-encuesta-publicada")
    check_axe(browser, browser.current_url)
