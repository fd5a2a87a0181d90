"""Issue 8, item 2: every page and form of Cocrea in a real headless Chromium, checked with axe-core
(axe-selenium-python) for serious and critical violations, its raw HTML parsed by html5lib in strict
mode, and the sign-in and new-exercise forms used with the keyboard alone.

The pages are filled with real data first (the dossier sent and received, a table scheduled, a plan
frozen), on a server of their own started like the journey's: sending the dossier here must not
change what the journey test sees on the shared one."""
import html5lib
import http.cookiejar
import os
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest
from axe_selenium_python import Axe
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from conftest import Shots, make_browser
from cocrea_server import ADMIN, cocrea_server, seed_demo, smtp_sink

FACILITATOR = "jorge.ramirez@stl-jalisco.example"
PASSWORD = "cocrea-demo-2026"
BLOCKING = {"serious", "critical"}
NIL_UUID = "00000000-0000-4000-8000-000000000000"


@pytest.fixture(scope="module")
def site():
    with smtp_sink() as mailbox, cocrea_server(mailbox.port) as server:
        records = seed_demo(server, mailbox)
        records.update(base=server.base, mailbox=mailbox)
        yield records


def wait_for_new_page(browser, action):
    page = browser.find_element(By.TAG_NAME, "html")
    action()
    WebDriverWait(browser, 20).until(expected_conditions.staleness_of(page))


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


def raw_html(browser, url, form=None):
    """The page's HTML as the server sent it (not Chromium's re-serialised DOM), with the browser's
    cookies; with `form`, as the answer to POSTing those fields."""
    jar = http.cookiejar.CookieJar()
    for cookie in browser.get_cookies():
        jar.set_cookie(http.cookiejar.Cookie(
            0, cookie["name"], cookie["value"], None, False, cookie.get("domain", "127.0.0.1"), False, False,
            cookie.get("path", "/"), True, False, None, False, None, None, {}))
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    data = urllib.parse.urlencode(form).encode() if form is not None else None
    request = urllib.request.Request(url, data=data, headers={"Accept-Language": "es-MX,es"})
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


def check_axe(browser, url):
    # axe-selenium-python bundles axe-core 3.1; AXE_CORE_JS may name a newer axe.min.js (4.x has more rules).
    axe = Axe(browser, os.environ["AXE_CORE_JS"]) if os.environ.get("AXE_CORE_JS") else Axe(browser)
    axe.inject()
    results = axe.run()
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
#  {table} its roundtable, {version} its frozen plan version)
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
    ("integrantes-admin", "admin", "/exercises/{e}/members"),
    ("ejercicio-ajeno", "facilitator", f"/exercises/{NIL_UUID}"),
    ("ingles", "anonymous", "/login?lang=en"),
    ("consola-mesa", "facilitator", "/exercises/{e}/roundtables/{table}"),
    ("relatoria", "facilitator", "/exercises/{e}/roundtables/{table}/minutes"),
    ("lectura", "facilitator", "/exercises/{e}/plan/reading"),
    ("verificar", "anonymous", "/verify"),
    ("version-publica", "anonymous", "/verify/{version}"),
    ("seguimiento-publico", "anonymous", "/public"),
]


@pytest.mark.parametrize("name,who,path", PAGES, ids=[p[0] for p in PAGES])
def test_page_is_accessible_and_valid_html(site, browsers, shots, name, who, path):
    browser = browsers[who]
    url = site["base"] + path.format(e=site["exercise"], receipt=site["receipt"], table=site["roundtable"], version=site["planVersion"])
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


def tab_to(browser, matches, limit=40):
    """Presses TAB until the focused element satisfies `matches`; returns it and the focus path."""
    path = []
    for _ in range(limit):
        ActionChains(browser).send_keys(Keys.TAB).perform()
        focused = browser.switch_to.active_element
        path.append(focused.tag_name + ("#" + focused.get_attribute("id") if focused.get_attribute("id") else
                                        "[" + (focused.text or focused.get_attribute("type") or "") + "]"))
        if matches(focused):
            return focused, path
    raise AssertionError("TAB never reached the element; focus went through: " + " → ".join(path))


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
