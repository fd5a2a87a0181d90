"""Issue 3's journey: the facilitator sends the dossier, a member opens their receipt link, and a
table is refused before the 10-day window and accepted on its earliest valid date."""
import datetime
import urllib.request
import zoneinfo

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait
from browser_steps import mailed_links, main_text, navigate, schedule_table, sign_in  # noqa: E402  (Tests/support, on the path through conftest)

FACILITATOR = "jorge.ramirez@stl-jalisco.example"
MEXICO_CITY = zoneinfo.ZoneInfo("America/Mexico_City")


def test_dossier_is_received_and_the_table_waits_ten_days(server, mailbox, browser, shots):
    sign_in(browser, server, FACILITATOR)
    assert "/exercises" in browser.current_url
    navigate(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "Jalisco 2026"))
    shots(browser, "ejercicio")
    navigate(browser, browser.find_element(By.LINK_TEXT, "Acuses y regla de 10 días"))
    shots(browser, "acuses-antes")
    assert "Todavía no hay fecha válida" in browser.page_source

    navigate(browser, browser.find_element(By.CSS_SELECTOR, "#enviar button"))
    notice = browser.find_element(By.CSS_SELECTOR, "p.notice").text
    assert "Se envió la versión 1 del expediente a 6 personas." in notice
    shots(browser, "expediente-enviado")

    links = mailed_links(mailbox, "Expediente previo", 6, "/receipts/")
    assert len(links) == 6

    from conftest import make_browser
    member_browser = make_browser(390, 844)
    try:
        member_browser.get(links["carlos@observatorio-salud.example"])
        assert "Quedó registrado tu acuse de recibo" in member_browser.page_source
        assert "Desabasto de medicamentos" in member_browser.page_source
        shots(member_browser, "acuse-integrante")
    finally:
        member_browser.quit()
    pdf = urllib.request.urlopen(links["carlos@observatorio-salud.example"] + "/expediente.pdf", timeout=30).read()
    assert pdf.startswith(b"%PDF-")
    shots.save_pdf(pdf, "expediente-previo")
    archive = urllib.request.urlopen(links["carlos@observatorio-salud.example"] + "/expediente.zip", timeout=30).read()
    assert archive.startswith(b"PK")
    for email, link in links.items():
        if email != "carlos@observatorio-salud.example":
            assert urllib.request.urlopen(link, timeout=10).status == 200

    today = datetime.datetime.now(MEXICO_CITY).date()
    earliest = today + datetime.timedelta(days=10)
    navigate(browser, browser.find_element(By.LINK_TEXT, "Acuses y regla de 10 días"))
    assert browser.find_element(By.ID, "fecha-valida").text.strip() != ""
    shots(browser, "acuses-completos")

    navigate(browser, browser.find_element(By.LINK_TEXT, "Mesas de diálogo"))
    too_early = today + datetime.timedelta(days=5)
    schedule_table(browser, f"{too_early.isoformat()}T10:00", "Auditorio del ITEI, Guadalajara")
    shots(browser, "mesa-rechazada")
    found = browser.find_elements(By.CSS_SELECTOR, "section.errors")
    assert found, "no error shown:\n" + browser.find_element(By.TAG_NAME, "main").text
    errors = found[0].text
    assert "no puede celebrarse antes del" in errors
    assert str(earliest.day) in errors

    schedule_table(browser, f"{earliest.isoformat()}T10:00", "Auditorio del ITEI, Guadalajara")
    assert "Programada" in browser.page_source
    assert "Auditorio del ITEI, Guadalajara" in browser.page_source
    shots(browser, "mesa-programada")

    invitations = mailbox.wait_for(lambda m: (m.get("subject") or "").startswith("Invitación: mesa de diálogo"), 6)
    assert all(any(a["filename"] == "mesa-de-dialogo.ics" for a in m["attachments"]) for m in invitations)
