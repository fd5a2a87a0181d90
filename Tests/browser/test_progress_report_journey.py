"""Progress reports at the cuts of the roadmap, in a real browser (issue 18, point 5): on a sealed plan
the facilitator opens the progress-reports page (checked by axe and a strict HTML parser), sends the
final report with one commitment's reason missing (refused, said beside that field, nothing issued),
completes it and issues it; every member receives the sealed PDF through the real SMTP sink, and anyone
finds it on the public list, downloads it and finds it valid for pdfsig, with the ratings and the
lessons learned in it, and valid for pyHanko with the instance's published certificate.

On a server and SMTP sink of its own: sealing the plan changes what the other journeys see."""
import hashlib
import subprocess
import tempfile
import urllib.request

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import make_browser
from cocrea_server import cocrea_server, seed_demo, smtp_sink
from browser_steps import errors, main_text, navigate, sign_in  # noqa: E402  (Tests/support)
from paper_copy import seal_on_paper  # noqa: E402  (Tests/support)
from test_accessibility import check_axe, check_html, raw_html

FACILITATOR = "jorge.ramirez@stl-jalisco.example"
LESSONS = "Acordar desde la mesa qué evidencia prueba cada actividad ahorró meses de discusión."


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


def run_on(data, *command):
    """What poppler's `command` says of the PDF `data` (FILE stands for it), whitespace folded."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(data)
        file.flush()
        done = subprocess.run([file.name if part == "FILE" else part for part in command], capture_output=True, text=True, timeout=60)
    return " ".join((done.stdout + done.stderr).split())


def test_the_facilitator_issues_the_final_report_and_everyone_gets_it(site, shots):
    base, eid, mailbox = site["base"], site["exercise"], site["mailbox"]
    page = f"{base}/exercises/{eid}/progress-reports"
    jorge = make_browser()
    try:
        sign_in(jorge, base, FACILITATOR)
        jorge.get(page)
        check_axe(jorge, page)
        check_html(raw_html(jorge, page), page)
        shots(jorge, "informes-de-avance")

        jorge.find_element(By.ID, "kind-final").click()
        ratings = jorge.find_elements(By.CSS_SELECTOR, "select[name^=rating]")
        assert len(ratings) == len(site["commitments"]), main_text(jorge)
        for select in ratings:
            Select(select).select_by_value("major")
        reasons = jorge.find_elements(By.CSS_SELECTOR, "textarea[name^=reason]")
        for reason in reasons[1:]:
            reason.send_keys("La información ya se consulta en línea y se usa en los municipios.")
        jorge.find_element(By.ID, "lessonsLearned").send_keys(LESSONS)
        missing = reasons[0].get_attribute("id")
        navigate(jorge, jorge.find_element(By.CSS_SELECTOR, "form[action$='/progress-reports'] button[type=submit]"))
        summary = errors(jorge)
        assert summary and "Falta el motivo de la valoración del compromiso" in summary[0], main_text(jorge)
        link = jorge.find_element(By.CSS_SELECTOR, "section.errors[role=alert] a")
        assert link.get_attribute("href").endswith("#" + missing), link.get_attribute("href")
        assert "Aún no se ha emitido ningún informe de avance." in main_text(jorge), "a refusal issues nothing"
        shots(jorge, "informe-final-sin-motivo")

        jorge.find_element(By.CSS_SELECTOR, "textarea[name^=reason]").send_keys("Las compras se publican completas en OCDS.")
        assert jorge.find_element(By.ID, "kind-final").is_selected(), "what was chosen stays chosen"
        navigate(jorge, jorge.find_element(By.CSS_SELECTOR, "form[action$='/progress-reports'] button[type=submit]"))
        assert not errors(jorge), errors(jorge)
        notice = jorge.find_element(By.CSS_SELECTOR, "p.notice[role=status]").text
        assert notice.startswith("Se emitió el informe de avance 1"), notice
        assert "El informe final ya se emitió" in main_text(jorge)
        shots(jorge, "informe-final-emitido")
    finally:
        jorge.quit()

    members = len(site["members"])
    mails = mailbox.wait_for(lambda m: (m.get("subject") or "").startswith("Informe de avance 1 de"), members, timeout=60)
    assert len({tuple(m["rcptTos"]) for m in mails}) == members, "each member once"

    visitor = make_browser()
    try:
        listing = f"{base}/public/exercises/{eid}/progress-reports"
        visitor.get(listing)
        check_axe(visitor, listing)
        href = visitor.find_element(By.CSS_SELECTOR, "ul.reports a[href$='.pdf']").get_attribute("href")
        shots(visitor, "informes-publicos")
    finally:
        visitor.quit()
    with urllib.request.urlopen(href, timeout=60) as response:
        pdf = response.read()
    seal = run_on(pdf, "pdfsig", "FILE")
    assert "Signature is Valid" in seal, seal
    with tempfile.NamedTemporaryFile(suffix=".pem") as trust:
        trust.write(urllib.request.urlopen(f"{base}/instance/certificate.pem", timeout=30).read())
        trust.flush()
        hanko = run_on(pdf, "pyhanko", "sign", "validate", "--pretty-print", "--no-revocation-check", "--trust-replace", "--trust", trust.name, "FILE")
    assert "The signature is judged VALID" in hanko and "The signature covers the entire file" in hanko, hanko
    text = run_on(pdf, "pdftotext", "FILE", "-")
    assert "Informe final de avance" in text and "¿Abrió el gobierno? Significativo" in text and LESSONS in text, text
    digest = hashlib.sha256(pdf).hexdigest()
    assert all(m["attachments"][0]["sha256"] == digest for m in mails), "every mail carries the published file, byte for byte"
