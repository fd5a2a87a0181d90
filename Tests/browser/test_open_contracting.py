"""Issue 7, item 5: once the plan is sealed, the public exercise page lists the contracting processes
of the procurement commitment's OCDS packages — buyer, tender, award, supplier, amounts in pesos,
dates dd/mm/aaaa and the key fields they leave out — checked in a real Chromium with axe-core and the
strict HTML parser. On a server of its own: sealing the plan would change what the other modules see."""
import pytest
from selenium.webdriver.common.by import By

from conftest import Shots, make_browser
from cocrea_server import cocrea_server, seed_demo, smtp_sink
from ocds_package import attach_package
from paper_copy import seal_on_paper
from test_accessibility import check_page


@pytest.fixture(scope="module")
def sealed():
    with smtp_sink() as mailbox, cocrea_server(mailbox.port) as server:
        records = seed_demo(server, mailbox)
        api = records["api"]
        attach_package(server.base, api.token, records["commitments"][0][0])
        api("POST", f"/plan-versions/{records['planVersion']}/conformity/close")
        seal_on_paper(server.base, api.token, records["planVersion"])
        records["base"] = server.base
        yield records


def test_the_public_page_lists_the_contracting_processes(sealed):
    browser = make_browser()
    try:
        url = f"{sealed['base']}/public/exercises/{sealed['exercise']}"
        browser.get(url)
        section = browser.find_element(By.CSS_SELECTOR, "section[aria-labelledby=contrataciones]")
        assert section.find_element(By.TAG_NAME, "h2").text == "Contrataciones abiertas (OCDS)"
        rows = [[cell.text for cell in row.find_elements(By.TAG_NAME, "td")] for row in section.find_elements(By.CSS_SELECTOR, "tbody tr")]
        assert [row[0] for row in rows] == ["ocds-7sjl2m-SSJ-IA-2026-022", "ocds-7sjl2m-SSJ-LPL-2026-014"]
        complete = rows[1]
        assert complete[1] == "Secretaría de Salud Jalisco"
        assert complete[3] == "$18,450,000.00"
        assert complete[4] == "03/02/2026 – 24/02/2026"
        assert complete[5] == "SSJ-014-A1: $17,982,340.50, 09/03/2026"
        assert complete[6] == "Distribuidora Farmacéutica de Occidente, S.A. de C.V."
        assert complete[8] == "Ninguno"
        assert "La adjudicación «SSJ-022-A1» no indica su fecha." in rows[0][8]
        check_page(browser, url, Shots("contrataciones-abiertas"), "seguimiento-publico-contrataciones")
    finally:
        browser.quit()
