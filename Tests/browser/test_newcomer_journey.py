"""Issue 8's newcomer journey: the whole path of a person who comes to Cocrea with the demo, in real
Chromium sessions and through the pages alone (mail is read from the real SMTP sink, as the members
would read it), from the dossier to the public follow-up of the signed plan.

Rule D10 keeps a table at least 10 days after everyone received the dossier, and the server's clock
cannot be moved, so the journey does the «before the table» part on the demo's Jalisco exercise (the
facilitator adds material, sends the dossier, every member acknowledges from their emailed link, the
table is scheduled on the earliest valid date the page proposes and cannot be opened today), and the
rest on the demo's Zapopan exercise, whose dossier everyone received 12 days ago and whose table sits
today: the facilitator leads it from the console (stages, attendance, an item on screen, a member's
intervention arriving live), the agreements are written on the plan page until the plan check shows
no unmet rule (Q1–Q3, A1), the plan is frozen, members state their conformity, every actor signs
with the code emailed to them, the sealed PAL is emailed to everyone, the table concludes with its
minutes; then the person responsible for an activity (signed in with an emailed link) reports its
progress, and a visitor without an account finds it on /public, in the chart's data table and in
the history, and downloads the open data.

It runs on a server and SMTP sink of its own (the dossier journey counts the mail of the shared one).
Screenshots of each step: artifacts/browser/test_a_newcomer_goes_from_the_dossier_to_public_follow_up/."""
import csv
import datetime
import io
import time
import zoneinfo

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import make_browser
from cocrea_server import cocrea_server, smtp_sink
from browser_steps import (advance_stage, codes_for, errors, fetch_as, mailed_links, main_text,  # noqa: E402  (Tests/support)
                           navigate, newest_code, present_item, record_attendance, record_intervention, schedule_table,
                           scroll_to, set_value, sign_in, subject, type_signing_code, wait_text)

JALISCO = "Ejercicio local de gobierno abierto Jalisco 2026"
ZAPOPAN = "Mesa de diálogo de Zapopan 2026 (lista para sesionar)"
FACILITATOR = "jorge.ramirez@stl-jalisco.example"
LUCIA = "lucia@datosabiertos-gdl.example"
MARIA = "mf.lopez@salud-jalisco.example"
MARIA_NAME = "Dra. María Fernanda López Castañeda"
HEALTH = "Secretaría de Salud Jalisco"
MEXICO_CITY = zoneinfo.ZoneInfo("America/Mexico_City")
PLACE = "Sala de juntas del ITEI, Guadalajara"
NEW_ITEM = "Recetas surtidas de forma incompleta por centro de salud, 2026"
# (title, category, link, activity, responsible): one procurement commitment (Q1), two aligned to the
# national plan (Q2), two answering a problem of the diagnosis (Q3), each with an activity (A1).
AGREEMENTS = [
    ("Compras de medicamentos de Zapopan en datos abiertos", "procurement", None,
     "Publicar los contratos de compra de medicamentos de 2026", MARIA_NAME),
    ("Transparencia proactiva en salud municipal", "nationalPlan", 1,
     "Publicar el catálogo de servicios de cada centro de salud", "Lic. Jorge Ramírez Ochoa"),
    ("Gasto en salud de Zapopan abierto por programa", "nationalPlan", 2,
     "Publicar el gasto trimestral por programa de salud", MARIA_NAME),
    ("Existencias de medicamentos por centro de salud", "local", "problem",
     "Publicar cada semana las existencias de 50 medicamentos", MARIA_NAME),
    ("Reporte ciudadano de recetas no surtidas", "local", "problem",
     "Abrir el formulario de reporte y publicar sus resultados", "Carlos Mendoza Íñiguez"),
]
REPORT_NOTE = "Se publicaron los contratos del primer trimestre en el portal municipal."
SENT = "Entregado al servidor de correo el "
EVIDENCE = "https://transparencia.zapopan.example/compras/medicamentos-2026"


@pytest.fixture(scope="module")
def site():
    with smtp_sink() as mailbox, cocrea_server(mailbox.port) as server:
        yield dict(base=server.base, mailbox=mailbox)


def open_exercise(browser, base, name):
    browser.get(base + "/exercises")
    navigate(browser, (By.LINK_TEXT, name))
    assert browser.find_element(By.TAG_NAME, "h1").text == name


def open_details(browser, scope, summary):
    """Opens a <details> inside `scope` (an element) by clicking its summary, as a person would."""
    element = scope.find_element(By.XPATH, f".//details[summary[normalize-space()='{summary}']]")
    if element.get_attribute("open") is None:
        element.find_element(By.TAG_NAME, "summary").click()
    return element


def commitment_article(browser, title):
    return browser.find_element(By.XPATH, f"//article[contains(@class,'commitment')][h3[normalize-space()='{title}']]")


def table_rows(browser, css):
    """The rows of a table as lists of cell texts."""
    return [[cell.text.strip() for cell in row.find_elements(By.TAG_NAME, "td")]
            for row in browser.find_elements(By.CSS_SELECTOR, css)]


def plan_check(browser):
    section = browser.find_element(By.CSS_SELECTOR, "section[aria-labelledby=revision-plan]")
    return section.find_element(By.TAG_NAME, "h3").text, [li.text for li in section.find_elements(By.TAG_NAME, "li")]


def add_commitment(facilitator, title, category, link, starts, ends):
    form = facilitator.find_element(By.CSS_SELECTOR, "section[aria-labelledby=nuevo-compromiso] form")
    form.find_element(By.ID, "title").send_keys(title)
    Select(form.find_element(By.ID, "category")).select_by_value(category)
    if isinstance(link, int):
        Select(form.find_element(By.ID, "nationalCommitmentId")).select_by_index(link)
    elif link == "problem":
        Select(form.find_element(By.ID, "dossierItemId")).select_by_index(1)
    form.find_element(By.ID, "problem").send_keys("Quien acude a un centro de salud no sabe si encontrará su medicamento.")
    form.find_element(By.ID, "objective").send_keys(f"{title}: información pública, puntual y verificable.")
    set_value(facilitator, "startsOn", starts.isoformat())
    set_value(facilitator, "endsOn", ends.isoformat())
    form.find_element(By.ID, "leadInstitution").send_keys(HEALTH)
    form.find_element(By.ID, "indicatorName").send_keys("Porcentaje de publicaciones a tiempo")
    form.find_element(By.ID, "indicatorBaseline").send_keys("0 %")
    form.find_element(By.ID, "indicatorTarget").send_keys("100 %")
    form.find_element(By.ID, "indicatorMeansOfVerification").send_keys("Portal de transparencia de Zapopan")
    navigate(facilitator, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert not errors(facilitator), errors(facilitator)


def add_activity(facilitator, commitment, activity, responsible, due):
    article = commitment_article(facilitator, commitment)
    key = article.get_attribute("id").removeprefix("compromiso-")
    details = open_details(facilitator, article, "Agregar una actividad")
    details.find_element(By.ID, f"a-title-{key}").send_keys(activity)
    details.find_element(By.ID, f"a-resp-{key}").send_keys(responsible)
    details.find_element(By.ID, f"a-inst-{key}").send_keys(HEALTH)
    set_value(facilitator, f"a-due-{key}", due.isoformat())
    navigate(facilitator, details.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert not errors(facilitator), errors(facilitator)
    rows = table_rows(commitment_article(facilitator, commitment), "tbody tr")
    assert [activity, responsible, HEALTH] in [row[:3] for row in rows], rows


def state_conformity(browser, stance, reason=""):
    Select(browser.find_element(By.ID, "stance")).select_by_value(stance)
    browser.find_element(By.ID, "reason").send_keys(reason)
    navigate(browser, (By.XPATH, "//button[normalize-space()='Manifestar mi conformidad']"))
    assert not errors(browser), errors(browser)


def delivered(browser, plan, timeout=15):
    """The rows of the sealed PAL's sending table, once every delivery is no longer waiting (the sink
    has the mail a moment before the outbox records it as sent)."""
    deadline = time.time() + timeout
    while True:
        browser.get(plan)
        rows = table_rows(browser, "section[aria-labelledby=firmas] table:last-of-type tbody tr")
        if (rows and all(row[-1].startswith(SENT) for row in rows)) or time.time() > deadline:
            return rows
        time.sleep(0.5)


def download_csv(browser, link_text):
    """Downloads an open-data file from its link on the page, with the browser's cookies (a visitor has
    none); returns its text and its rows."""
    href = browser.find_element(By.LINK_TEXT, link_text).get_attribute("href")
    status, data = fetch_as(browser, href)
    assert status == 200, (href, status, data[:300])
    text = data.decode("utf-8-sig")
    return text, list(csv.DictReader(io.StringIO(text)))


SPANISH_MONTHS = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
                  "noviembre", "diciembre"]


def test_a_newcomer_goes_from_the_dossier_to_public_follow_up(site, shots, tmp_path):
    base, mailbox = site["base"], site["mailbox"]
    facilitator = make_browser()
    phone = make_browser(390, 844)  # the members' own device, for the links they get by mail
    lucia = maria = visitor = None
    try:
        # 1. The newcomer arrives and signs in as the demo's facilitator.
        facilitator.get(base + "/")
        assert facilitator.find_element(By.TAG_NAME, "h1").text == "Cocrea"
        assert "la mesa de diálogo, los compromisos, la firma y el seguimiento público" in main_text(facilitator)
        shots(facilitator, "inicio")
        sign_in(facilitator, base, FACILITATOR)
        assert facilitator.find_element(By.TAG_NAME, "h1").text == "Ejercicios"
        assert JALISCO in main_text(facilitator) and ZAPOPAN in main_text(facilitator)
        shots(facilitator, "ejercicios")

        # 2. Before the table (Jalisco): material added to the dossier, with a file.
        open_exercise(facilitator, base, JALISCO)
        navigate(facilitator, (By.LINK_TEXT, "Expediente previo"))
        data = tmp_path / "recetas-incompletas-2026.csv"
        data.write_text("centro_de_salud,recetas,incompletas\nCentro de Salud Zapopan Centro,1200,410\n", encoding="utf-8")
        Select(facilitator.find_element(By.ID, "kind")).select_by_value("problem")
        facilitator.find_element(By.ID, "title").send_keys(NEW_ITEM)
        facilitator.find_element(By.ID, "body").send_keys("El 34 % de las recetas del primer semestre se surtió de forma incompleta.")
        facilitator.find_element(By.ID, "source").send_keys("Relatoría del evento de arranque")
        facilitator.find_element(By.ID, "file").send_keys(str(data))
        navigate(facilitator, (By.CSS_SELECTOR, "section[aria-labelledby=agregar] button[type=submit]"))
        assert not errors(facilitator), errors(facilitator)
        items = facilitator.find_element(By.CSS_SELECTOR, "ol.items").text
        assert NEW_ITEM in items and "recetas-incompletas-2026.csv" in items, items
        shots(facilitator, "expediente-preparado")

        # 3. The dossier is sent; nobody has it yet, so there is no valid date for the table.
        navigate(facilitator, (By.LINK_TEXT, "Acuses y regla de 10 días"))
        assert "Todavía no hay fecha válida" in facilitator.find_element(By.ID, "fecha-valida").text
        navigate(facilitator, (By.CSS_SELECTOR, "#enviar button"))
        assert "Se envió la versión 1 del expediente a 6 personas." in facilitator.find_element(By.CSS_SELECTOR, "p.notice").text
        shots(facilitator, "expediente-enviado")

        # 4. Every member acknowledges it from the link in their mail, on their own device.
        receipts = mailed_links(mailbox, f"Expediente previo de «{JALISCO}»", 6, "/receipts/")
        for email, link in sorted(receipts.items()):
            phone.delete_all_cookies()
            phone.get(link)
            text = main_text(phone)
            assert "Quedó registrado tu acuse de recibo" in text and NEW_ITEM in text, text
            assert phone.find_element(By.LINK_TEXT, "Descargar recetas-incompletas-2026.csv")
            if email == LUCIA:
                shots(phone, "acuse-de-lucia")
        # The day the receipts were stamped, in the exercise's time zone (read after them, not at the start).
        today = datetime.datetime.now(MEXICO_CITY).date()
        navigate(facilitator, (By.LINK_TEXT, "Acuses y regla de 10 días"))
        earliest = facilitator.find_element(By.ID, "fecha-valida").text.strip()
        ten_days = today + datetime.timedelta(days=10)
        assert f"{ten_days.day} de {SPANISH_MONTHS[ten_days.month - 1]} de {ten_days.year}" in earliest, earliest
        received = table_rows(facilitator, "main table tbody tr")
        assert len(received) == 6 and all(row[-1] == "Sí" for row in received), received
        shots(facilitator, "acuses-completos")

        # 5. The table is scheduled on the date the form proposes (the earliest valid one) ...
        navigate(facilitator, (By.LINK_TEXT, "Mesas de diálogo"))
        proposed = facilitator.find_element(By.ID, "startsAt").get_attribute("value")
        assert proposed.startswith((today + datetime.timedelta(days=10)).isoformat()), proposed
        schedule_table(facilitator, None, PLACE)
        assert not errors(facilitator), errors(facilitator)
        scheduled = table_rows(facilitator, "main table tbody tr")
        assert [row[1:3] for row in scheduled] == [[PLACE, "Programada"]], scheduled
        invitations = mailbox.wait_for(lambda m: subject(m).startswith("Invitación: mesa de diálogo"), 6)
        assert all(any(a["filename"] == "mesa-de-dialogo.ics" for a in m["attachments"]) for m in invitations)
        shots(facilitator, "mesa-programada")

        # ... and cannot be opened today: rule D10.
        navigate(facilitator, (By.CSS_SELECTOR, "main table tbody tr a"))
        navigate(facilitator, (By.XPATH, "//button[normalize-space()='Pasar a «Introducción»']"))
        refused = " ".join(errors(facilitator))
        assert "La mesa no puede celebrarse antes del" in refused and "10 días antes" in refused, refused
        assert facilitator.find_element(By.ID, "etapa").text == "Programada"
        shots(facilitator, "mesa-antes-de-tiempo")

        # 6. At the table (Zapopan, dossier received 12 days ago): the facilitator opens it.
        open_exercise(facilitator, base, ZAPOPAN)
        navigate(facilitator, (By.LINK_TEXT, "Mesas de diálogo"))
        navigate(facilitator, (By.CSS_SELECTOR, "main table tbody tr a"))
        assert facilitator.find_element(By.ID, "etapa").text == "Programada"
        console = facilitator.current_url
        advance_stage(facilitator, "Introducción")
        members = [option.text for option in Select(facilitator.find_element(By.ID, "memberId-asistencia")).options]
        assert len(members) == 6 and MARIA_NAME in members, members
        for name in members:
            if name.startswith("Rosa"):
                record_attendance(facilitator, name, "represented", "Mtra. Paola Núñez Ríos")
            else:
                record_attendance(facilitator, name, "present")
        attendance = [cell.text for cell in facilitator.find_elements(By.CSS_SELECTOR, "td[id^=asistencia-]")]
        assert sorted(attendance) == ["Presente"] * 5 + ["Representada por Mtra. Paola Núñez Ríos"], attendance
        scroll_to(facilitator, "section[aria-labelledby=asistencia-titulo]")
        shots(facilitator, "asistencia")

        # 7. Análisis: an item on every screen; a member's doubt reaches the facilitator's page live.
        advance_stage(facilitator, "Análisis de la problemática y soluciones")
        problem = Select(facilitator.find_element(By.ID, "dossierItemId-presentar")).options[0].text
        present_item(facilitator, problem)
        lucia = make_browser(1024, 900)
        sign_in(lucia, base, LUCIA)
        lucia.get(console)
        assert problem in lucia.find_element(By.ID, "presentando").text
        doubt = "¿Con qué frecuencia se publicarán las existencias de cada centro de salud?"
        record_intervention(lucia, "doubt", doubt)
        shots(lucia, "duda-de-lucia")
        listed = wait_text(facilitator, "intervenciones", doubt)
        assert f"Lucía Hernández Paredes · Duda · {problem}" in listed, listed
        scroll_to(facilitator, "#intervenciones")
        shots(facilitator, "duda-en-vivo")

        # 8. Acuerdos: five commitments, each with an activity, until the plan check shows no unmet rule.
        advance_stage(facilitator, "Acuerdos")
        navigate(facilitator, (By.LINK_TEXT, "Acuerdos (PAL)"))
        plan = facilitator.current_url
        starts = today + datetime.timedelta(days=15)
        ends = starts + datetime.timedelta(days=330)
        for number, (title, category, link, _, _) in enumerate(AGREEMENTS):
            add_commitment(facilitator, title, category, link, starts, ends)
            if number == 0:
                heading, unmet = plan_check(facilitator)
                assert heading == "Lo que falta para que el plan cumpla las reglas" and unmet, (heading, unmet)
                scroll_to(facilitator, "section[aria-labelledby=revision-plan]")
                shots(facilitator, "plan-incompleto")
        for number, (title, _, _, activity, responsible) in enumerate(AGREEMENTS):
            add_activity(facilitator, title, activity, responsible, starts + datetime.timedelta(days=45 + 30 * number))
        heading, unmet = plan_check(facilitator)
        assert heading == "El plan cumple las reglas (Q1, Q2, Q3, A1 y R1)." and not unmet, (heading, unmet)
        assert not facilitator.find_elements(By.CSS_SELECTOR, "ul.problems"), main_text(facilitator)
        assert [h.text for h in facilitator.find_elements(By.CSS_SELECTOR, "article.commitment h3")] == [a[0] for a in AGREEMENTS]
        shots(facilitator, "plan-completo")

        # 9. The plan is frozen, read aloud and those present state their conformity.
        navigate(facilitator, (By.CSS_SELECTOR, "#congelar button"))
        assert not errors(facilitator), errors(facilitator)
        assert "Manifestación de conformidad · versión 1" in main_text(facilitator)
        assert len(facilitator.find_elements(By.CSS_SELECTOR, "section[aria-labelledby=versiones] li code")) == 1
        navigate(facilitator, (By.LINK_TEXT, "Vista de lectura (para proyectar)"))
        for title, *_ in AGREEMENTS:
            assert title in main_text(facilitator)
        shots(facilitator, "lectura-de-acuerdos")
        facilitator.get(plan)
        state_conformity(facilitator, "agree")
        lucia.get(plan)
        state_conformity(lucia, "agreeWithReservations", "Que el tablero incluya las unidades de los municipios vecinos.")
        facilitator.get(plan)
        stances = {row[0]: row[1] for row in table_rows(facilitator, "section[aria-labelledby=conformidad] tbody tr")}
        assert stances == {"Lic. Jorge Ramírez Ochoa": "De acuerdo", "Lucía Hernández Paredes": "De acuerdo con reservas"}, stances
        navigate(facilitator, (By.XPATH, "//button[normalize-space()='Cerrar la manifestación de conformidad']"))
        assert "La manifestación de conformidad está cerrada." in main_text(facilitator)
        scroll_to(facilitator, "section[aria-labelledby=conformidad]")
        shots(facilitator, "conformidad-cerrada")

        # 10. Signatures: every actor opens their emailed link and signs with the emailed code.
        navigate(facilitator, (By.CSS_SELECTOR, "#firmas-solicitar button[type=submit]"))
        assert "Se envió el enlace personal de firma a 6 personas." in main_text(facilitator), main_text(facilitator)
        links = mailed_links(mailbox, f"Firma del Plan de Acción Local de «{ZAPOPAN}»", 6, "/sign/")
        assert len(links) == 6
        for position, (email, link) in enumerate(sorted(links.items()), start=1):
            seen = len(codes_for(mailbox, email))
            phone.delete_all_cookies()
            phone.get(link)
            assert "Enviamos un código de 6 dígitos" in main_text(phone), main_text(phone)
            for title, *_ in AGREEMENTS:
                assert title in main_text(phone)
            if position == 1:
                shots(phone, "firma-codigo")
            text = type_signing_code(phone, newest_code(mailbox, email, seen))
            assert "Firmaste el plan" in text and not errors(phone), text
            assert ("quedó completo y sellado" in text) == (position == len(links)), text
        shots(phone, "ultima-firma-sella")
        facilitator.get(plan)
        signed = table_rows(facilitator, "section[aria-labelledby=firmas] table:first-of-type tbody tr")
        assert len(signed) == 6 and all(row[-1].startswith("Firmó el ") for row in signed), signed
        assert "El PAL está firmado por todas las personas y sellado" in main_text(facilitator)
        scroll_to(facilitator, "section[aria-labelledby=firmas]")
        shots(facilitator, "pal-sellado")

        # 11. Seguimiento: the sealed PAL is emailed to every actor; then the table concludes.
        facilitator.get(console)
        advance_stage(facilitator, "Seguimiento")
        navigate(facilitator, (By.LINK_TEXT, "Acuerdos (PAL)"))
        navigate(facilitator, (By.XPATH, "//button[normalize-space()='Enviar el PAL sellado por correo a quien aún no lo tiene']"))
        assert not errors(facilitator), errors(facilitator)
        sent = mailbox.wait_for(lambda m: subject(m).startswith(f"Plan de Acción Local firmado de «{ZAPOPAN}»"), 6)
        assert sorted(m["rcptTos"][0] for m in sent) == sorted(links)
        assert all(a["filename"].endswith(".pdf") for m in sent for a in m["attachments"]) and all(m["attachments"] for m in sent)
        assert all("/verify/" in m["textBody"] for m in sent)
        recipients = delivered(facilitator, plan)
        assert sorted(row[1] for row in recipients) == sorted(links), recipients
        assert all(row[-1].startswith(SENT) for row in recipients), recipients
        scroll_to(facilitator, "#envio")
        shots(facilitator, "pal-enviado")
        facilitator.get(console)
        advance_stage(facilitator, "Concluida")
        navigate(facilitator, (By.LINK_TEXT, "Relatoría"))
        minutes = main_text(facilitator)
        assert "Relatoría de la mesa de diálogo" in minutes and doubt in minutes, minutes
        for title, *_ in AGREEMENTS:
            assert title in minutes, title
        assert "De acuerdo con reservas" in minutes
        shots(facilitator, "relatoria")

        # 12. Follow-up: the person responsible for an activity signs in with an emailed link and reports progress.
        maria = make_browser()
        maria.get(base + "/")
        navigate(maria, (By.LINK_TEXT, "Iniciar sesión"))
        maria.find_element(By.ID, "link-email").send_keys(MARIA)
        navigate(maria, (By.CSS_SELECTOR, "form[action='/login/link'] button"))
        assert "te enviamos un enlace para entrar" in main_text(maria)
        (login,) = mailed_links(mailbox, "Tu enlace para entrar a Cocrea", 1, "/login/link/").values()
        maria.get(login)
        navigate(maria, (By.XPATH, "//form[starts-with(@action,'/login/link/')]//button"))
        open_exercise(maria, base, ZAPOPAN)
        navigate(maria, (By.LINK_TEXT, "Acuerdos (PAL)"))
        title, _, _, activity, _ = AGREEMENTS[0]
        report = open_details(maria, commitment_article(maria, title), "Reportar el avance de una actividad")
        key = report.find_element(By.CSS_SELECTOR, "select[id^=status-]").get_attribute("id").removeprefix("status-")
        Select(report.find_element(By.ID, f"status-{key}")).select_by_value("inProgress")
        progress = report.find_element(By.ID, f"progress-{key}")
        progress.clear()
        progress.send_keys("40")
        report.find_element(By.ID, f"note-{key}").send_keys(REPORT_NOTE)
        report.find_element(By.ID, f"evidenceUrl-{key}").send_keys(EVIDENCE)
        shots(maria, "reporte-de-avance")
        navigate(maria, report.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        assert not errors(maria), errors(maria)
        assert "Quedó registrado el avance; ya aparece en el seguimiento público." in maria.find_element(By.CSS_SELECTOR, "p.notice").text
        row = table_rows(commitment_article(maria, title), "tbody tr")[0]
        assert row[0] == activity and row[-3:] == ["En curso", "40 %", "1"], row  # state, progress, weight
        shots(maria, "avance-registrado")

        # 13. A visitor without an account follows the plan publicly.
        visitor = make_browser()
        visitor.get(base + "/public")
        assert visitor.find_element(By.TAG_NAME, "h1").text == "Seguimiento público de los Planes de Acción Local"
        listed = {row[0]: row for row in table_rows(visitor, "main table tbody tr")}
        assert ZAPOPAN in listed and JALISCO not in listed, listed
        overall = listed[ZAPOPAN][-1]
        assert overall == "8 %", listed[ZAPOPAN]  # 40 % of one of five commitments
        shots(visitor, "seguimiento-publico")
        navigate(visitor, (By.LINK_TEXT, ZAPOPAN))
        assert visitor.find_element(By.TAG_NAME, "h1").text == ZAPOPAN
        assert f"avance general {overall}" in visitor.find_element(By.CSS_SELECTOR, "p.subtitle").text
        chart = visitor.find_element(By.CSS_SELECTOR, "figure svg[role=img]")
        assert "Avance de cada compromiso" in chart.find_element(By.TAG_NAME, "title").get_attribute("textContent")
        data = visitor.find_element(By.XPATH, "//table[caption[starts-with(normalize-space(), 'Datos de la gráfica')]]")
        chart_rows = table_rows(data, "tbody tr")
        # Numbered as in the signed PAL: by category, then title.
        signed_order = [a[0] for a in sorted(AGREEMENTS, key=lambda a: (a[1], a[0]))]
        assert [row[1] for row in chart_rows] == signed_order, chart_rows
        number = signed_order.index(title) + 1
        for row in chart_rows:
            expected = ["40 %", "Limitado"] if row[1] == title else ["0 %", "Sin evidencia"]
            assert row == [str(signed_order.index(row[1]) + 1), row[1], row[2]] + expected, row
        shots(visitor, "pagina-publica")
        history = visitor.find_element(By.XPATH, f"//section[h2[normalize-space()='{number}. {title}']]//tbody/tr")
        cells = [cell.text for cell in history.find_elements(By.TAG_NAME, "td")]
        assert cells[0] == activity and cells[3:5] == ["En curso", "40 %"], cells
        entries = [li.text for li in history.find_elements(By.CSS_SELECTOR, "td:last-child li")]
        assert len(entries) == 1 and all(part in entries[0] for part in (MARIA_NAME, "En curso", "40 %", REPORT_NOTE)), entries
        evidence = [link.get_attribute("href") for link in history.find_elements(By.CSS_SELECTOR, "td:last-child li a")]
        assert EVIDENCE in evidence or f"Evidencia: {EVIDENCE}" in entries[0], (entries, evidence)
        scroll_to(visitor, f"section[aria-labelledby=compromiso-{number}]")
        shots(visitor, "historial")

        # 14. Open data: the progress history and the signatures, as CSV.
        text, reports = download_csv(visitor, "progress-history.csv")
        assert len(reports) == 1, text
        assert (reports[0]["status"], reports[0]["progress"], reports[0]["note"], reports[0]["evidenceUrl"]) == \
            ("inProgress", "40", REPORT_NOTE, EVIDENCE), reports[0]
        assert MARIA_NAME in reports[0]["reportedBy"], reports[0]
        text, activities = download_csv(visitor, "activities.csv")
        assert [(a["title"], a["status"], a["progress"]) for a in activities if a["progress"] != "0"] == \
            [(activity, "inProgress", "40")], text
        assert len(activities) == 5, text
        text, signatures = download_csv(visitor, "signatures.csv")
        assert len(signatures) == 6 and {s["method"] for s in signatures} == {"electronic"}, text
        assert all(s["signedAt"] for s in signatures) and "@" not in text, text  # no email is ever published
        assert not visitor.get_cookies(), "the visitor needed no session"
    finally:
        for driver in (facilitator, phone, lucia, maria, visitor):
            if driver is not None:
                driver.quit()
