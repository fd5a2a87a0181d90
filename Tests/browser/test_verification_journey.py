"""Progress verified by civil society, in a real browser (issue 18, point 4): on a sealed plan the
institution reports an activity complete; a civil-society member of the STL observes it (first
without a reason, which is refused), the institution answers, the weekly digest (`cocrea digest`,
through the real SMTP sink) lists the report waiting for verification, the member verifies it, and
the public page then shows «Concluida» and «Verificado» apart with who verified, observed and
answered, and when (never an email).

On a server and SMTP sink of its own: sealing the plan changes what the other journeys see."""
import re
import subprocess

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import make_browser
from cocrea_server import BINARY, cocrea_server, seed_demo, smtp_sink
from browser_steps import errors, main_text, navigate, sign_in  # noqa: E402  (Tests/support)
from paper_copy import seal_on_paper  # noqa: E402  (Tests/support)

INSTITUTION = "mf.lopez@salud-jalisco.example"
CIVIL_SOCIETY = "lucia@datosabiertos-gdl.example"
COMMITMENT = "Contrataciones abiertas de medicamentos"
ACTIVITY = "Publicar el primer corte"
REPORT = "Se publicaron en OCDS las 214 compras de medicamentos de enero a junio"
OBSERVATION = "El enlace a la evidencia no abre desde fuera de la red estatal"
ANSWER = "Movimos los archivos al portal público de datos abiertos de Jalisco"
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


@pytest.fixture(scope="module")
def site():
    with smtp_sink() as mailbox, cocrea_server(mailbox.port) as server:
        records = seed_demo(server, mailbox)
        api = records["api"]
        api("POST", f"/exercises/{records['exercise']}/publication")
        api("POST", f"/plan-versions/{records['planVersion']}/conformity/close")
        seal_on_paper(server.base, api.token, records["planVersion"])
        records.update(base=server.base, mailbox=mailbox, server=server)
        yield records


def verification_row(browser):
    """The row of the plan page's verification section for the activity."""
    section = browser.find_element(By.CSS_SELECTOR, "section[aria-labelledby=verificacion]")
    rows = [row for row in section.find_elements(By.CSS_SELECTOR, "tbody tr") if ACTIVITY in row.text and COMMITMENT in row.text]
    assert len(rows) == 1, section.text
    return rows[0]


def notice(browser):
    return browser.find_element(By.CSS_SELECTOR, "p.notice[role=status]").text


def test_civil_society_observes_the_institution_answers_and_the_report_is_verified(site, shots):
    base, eid, mailbox = site["base"], site["exercise"], site["mailbox"]
    plan = f"{base}/exercises/{eid}/plan"

    # 1. The institution reports the activity complete.
    maria = make_browser()
    lucia = make_browser()
    try:
        sign_in(maria, base, INSTITUTION)
        maria.get(plan)
        article = maria.find_element(By.XPATH, f"//article[contains(@class,'commitment')][h3[normalize-space()='{COMMITMENT}']]")
        details = article.find_element(By.XPATH, ".//details[summary[normalize-space()='Reportar el avance de una actividad']]")
        details.find_element(By.TAG_NAME, "summary").click()
        key = details.find_element(By.CSS_SELECTOR, "select[id^=status-]").get_attribute("id").removeprefix("status-")
        Select(details.find_element(By.ID, f"status-{key}")).select_by_value("completed")
        progress = details.find_element(By.ID, f"progress-{key}")
        progress.clear()
        progress.send_keys("100")
        details.find_element(By.ID, f"note-{key}").send_keys(REPORT)
        navigate(maria, details.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        assert not errors(maria), errors(maria)
        row = verification_row(maria)
        assert "Por verificar" in row.text and REPORT in row.text, row.text
        assert not row.find_elements(By.CSS_SELECTOR, "form[action$='/verification']"), "the institution gives no verdict"
        shots(maria, "reportado")

        # 2. A civil-society member observes it: first without a reason (refused), then with one.
        sign_in(lucia, base, CIVIL_SOCIETY)
        lucia.get(plan)
        row = verification_row(lucia)
        Select(row.find_element(By.CSS_SELECTOR, "select[name=verdict]")).select_by_value("observed")
        navigate(lucia, row.find_element(By.CSS_SELECTOR, "form[action$='/verification'] button[type=submit]"))
        assert any("Falta el motivo de la observación." in text for text in errors(lucia)), main_text(lucia)
        assert "Por verificar" in verification_row(lucia).text, "a refusal changes nothing"
        shots(lucia, "observacion-sin-motivo")
        row = verification_row(lucia)
        Select(row.find_element(By.CSS_SELECTOR, "select[name=verdict]")).select_by_value("observed")
        row.find_element(By.CSS_SELECTOR, "textarea[name=reason]").send_keys(OBSERVATION)
        navigate(lucia, row.find_element(By.CSS_SELECTOR, "form[action$='/verification'] button[type=submit]"))
        assert not errors(lucia), errors(lucia)
        assert "Quedó registrado tu dictamen" in notice(lucia)
        row = verification_row(lucia)
        assert "Observado" in row.text and "Observó: Lucía Hernández Paredes" in row.text and OBSERVATION in row.text, row.text
        shots(lucia, "observado")

        # 3. The institution answers the observation.
        maria.get(plan)
        row = verification_row(maria)
        row.find_element(By.CSS_SELECTOR, "textarea[name=answer]").send_keys(ANSWER)
        navigate(maria, row.find_element(By.CSS_SELECTOR, "form[action$='/answer'] button[type=submit]"))
        assert not errors(maria), errors(maria)
        assert "Quedó registrada la respuesta" in notice(maria)
        assert "Respondido, por verificar" in verification_row(maria).text
        shots(maria, "respondido")

        # 4. The weekly digest tells civil society what waits for its verdict.
        done = subprocess.run([str(BINARY), "digest"], env=site["server"].env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr
        (digest,) = mailbox.wait_for(
            lambda m: m.get("rcptTos") == [CIVIL_SOCIETY] and (m.get("subject") or "").startswith("Resumen semanal"), 1, timeout=60)
        assert "1 reporte por verificar" in digest["subject"], digest["subject"]
        text = digest["textBody"]
        assert "POR VERIFICAR (1)" in text and ACTIVITY in text and COMMITMENT in text, text
        assert "Respondido, por verificar" in text and "Dra. María Fernanda López Castañeda" in text, text
        assert re.search(rf"{re.escape(base)}/exercises/{eid.lower()}/plan#reporte-[0-9a-f-]{{36}}", text), text

        # 5. The member verifies it.
        lucia.get(plan)
        row = verification_row(lucia)
        Select(row.find_element(By.CSS_SELECTOR, "select[name=verdict]")).select_by_value("verified")
        navigate(lucia, row.find_element(By.CSS_SELECTOR, "form[action$='/verification'] button[type=submit]"))
        assert not errors(lucia), errors(lucia)
        row = verification_row(lucia)
        assert "Verificado" in row.text and not row.find_elements(By.TAG_NAME, "form"), row.text
        shots(lucia, "verificado")
    finally:
        maria.quit()
        lucia.quit()

    # 6. Anyone sees «Concluida» and «Verificado» apart, and who took each step and when.
    visitor = make_browser()
    try:
        visitor.get(f"{base}/public/exercises/{eid}")
        section = visitor.find_element(By.XPATH, f"//section[h2[contains(normalize-space(), '{COMMITMENT}')]]")
        assert "Completo" in section.text, section.text
        row = next(r for r in section.find_elements(By.CSS_SELECTOR, "tbody tr") if ACTIVITY in r.text)
        cells = [cell.text.strip() for cell in row.find_elements(By.TAG_NAME, "td")]
        headers = [h.text.strip() for h in row.find_elements(By.XPATH, "./ancestor::table[1]/thead//th")]
        by_header = dict(zip(headers, cells))
        assert by_header["Estado"] == "Concluida" and by_header["Verificación"] == "Verificado", by_header
        steps = [li.text for li in row.find_elements(By.CSS_SELECTOR, "td:last-child li li")]
        assert len(steps) == 3, steps
        assert re.match(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2} · Observó: Lucía Hernández Paredes \(Sociedad civil, Colectivo Datos Abiertos Guadalajara\): "
                        + re.escape(OBSERVATION), steps[0]), steps
        assert "Respondió: Dra. María Fernanda López Castañeda" in steps[1] and ANSWER in steps[1], steps
        assert "Verificó: Lucía Hernández Paredes (Sociedad civil" in steps[2], steps
        assert not EMAIL.search(visitor.find_element(By.TAG_NAME, "main").text), "no email is ever published"
        shots(visitor, "pagina-publica-verificada")
    finally:
        visitor.quit()
