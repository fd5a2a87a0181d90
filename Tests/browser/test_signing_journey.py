"""Signing the PAL in a real browser: the facilitator closes the manifestación de conformidad and asks
for the signatures by mail; every member opens their personal link in a browser of their own, reads
the one-time code from the real SMTP sink and signs (one of them types a wrong code first); the last
signature seals the PAL. The sealed PDF is then checked with poppler (pdfsig, pdftotext), pyHanko and
the offline `cocrea verify`, and verified on the public /verify page without an account, together
with a copy that has one byte changed.

The journey runs on a server and SMTP sink of its own (like the accessibility test), so the mail
counts the dossier journey expects on the shared server are unaffected."""
import subprocess
import urllib.request

import pytest
from selenium.webdriver.common.by import By

from conftest import make_browser
from cocrea_server import BINARY, cocrea_server, seed_demo, smtp_sink
from browser_steps import (codes_for, mailed_links, main_text, navigate, newest_code,  # noqa: E402  (Tests/support)
                           sign_in, type_signing_code)

FACILITATOR = "jorge.ramirez@stl-jalisco.example"
REQUEST_SUBJECT = "Firma del Plan de Acción Local"


@pytest.fixture(scope="module")
def site():
    with smtp_sink() as mailbox, cocrea_server(mailbox.port) as server:
        records = seed_demo(server, mailbox)
        records.update(base=server.base, mailbox=mailbox, server=server)
        yield records


def run(command, timeout=120):
    return subprocess.run([str(c) for c in command], capture_output=True, text=True, timeout=timeout)


def verify_upload(browser, path):
    browser.find_element(By.ID, "file").send_keys(str(path))
    navigate(browser, browser.find_element(By.CSS_SELECTOR, "form[action='/verify'][method=post] button[type=submit]"))
    return browser.find_element(By.ID, "resultado").text.strip()


def test_every_member_signs_and_the_sealed_pal_verifies(site, shots):
    base, mailbox, eid, version = site["base"], site["mailbox"], site["exercise"], site["planVersion"]
    members = site["api"]("GET", f"/exercises/{eid}/members")
    names = {m["email"]: m["name"] for m in members}
    assert len(names) == len(members) >= 2

    # 1. The facilitator closes the manifestación de conformidad and asks for the signatures.
    facilitator = make_browser()
    try:
        sign_in(facilitator, base, FACILITATOR)
        facilitator.get(f"{base}/exercises/{eid}/plan")
        assert "El plan cumple las reglas" in main_text(facilitator), main_text(facilitator)
        assert "Las firmas se solicitan después de cerrar la manifestación de conformidad." in main_text(facilitator)
        shots(facilitator, "plan-congelado")
        navigate(facilitator, (By.XPATH, "//button[normalize-space()='Cerrar la manifestación de conformidad']"))
        assert "La manifestación de conformidad está cerrada." in main_text(facilitator), main_text(facilitator)
        shots(facilitator, "conformidad-cerrada")
        request = facilitator.find_element(By.CSS_SELECTOR, "#firmas-solicitar button[type=submit]")
        assert request.text.strip() == "Solicitar las firmas por correo"
        navigate(facilitator, (By.CSS_SELECTOR, "#firmas-solicitar button[type=submit]"))
        assert facilitator.find_elements(By.CSS_SELECTOR, "#firmas-solicitar button"), main_text(facilitator)
        assert "Enviar de nuevo los enlaces pendientes" in main_text(facilitator), main_text(facilitator)
        shots(facilitator, "firmas-solicitadas")

        # 2. Every member signs from their own link, in a browser session of their own.
        links = mailed_links(mailbox, REQUEST_SUBJECT, len(members), "/sign/")
        assert set(links) == set(names)

        order = sorted(links)
        wrong_once = order[0]
        for position, email in enumerate(order, start=1):
            last = position == len(order)
            seen = len(codes_for(mailbox, email))
            member = make_browser(390, 844)
            try:
                member.get(links[email])
                text = main_text(member)
                assert names[email] in text, text
                assert "Enviamos un código de 6 dígitos" in text, text
                code = newest_code(mailbox, email, seen)
                slug = email.split("@")[0].replace(".", "-")
                shots(member, f"firma-{slug}")
                if email == wrong_once:
                    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
                    type_signing_code(member, wrong)
                    errors = member.find_elements(By.CSS_SELECTOR, "section.errors")
                    assert errors, "no error shown:\n" + main_text(member)
                    assert "El código no es correcto. Te quedan 4 intentos" in errors[0].text, errors[0].text
                    shots(member, f"codigo-incorrecto-{slug}")
                text = type_signing_code(member, code)
                assert "Firmaste el plan" in text, text
                assert not member.find_elements(By.CSS_SELECTOR, "section.errors"), text
                assert ("quedó completo y sellado" in text) == last, text
                shots(member, f"firmado-{slug}")
            finally:
                member.quit()

        # 3. The facilitator's page shows every signature and the sealed PAL.
        facilitator.get(f"{base}/exercises/{eid}/plan")
        rows = facilitator.find_elements(By.CSS_SELECTOR, "section[aria-labelledby=firmas] tbody tr")
        states = {}
        for row in rows:
            cells = [cell.text.strip() for cell in row.find_elements(By.TAG_NAME, "td")]
            states[cells[0]] = cells[-1]
        assert set(states) == set(names.values()), states
        assert all(state.startswith("Firmó el ") for state in states.values()), states
        sealed_link = facilitator.find_element(By.LINK_TEXT, "Descargar el PAL sellado")
        verify_link = facilitator.find_element(By.LINK_TEXT, "Página pública de verificación")
        assert sealed_link.get_attribute("href") == f"{base}/api/v1/plan-versions/{version}/sealed.pdf"
        assert verify_link.get_attribute("href") == f"{base}/verify/{version}"
        facilitator.execute_script("document.getElementById('firmas').scrollIntoView()")
        shots(facilitator, "pal-sellado")
    finally:
        facilitator.quit()

    with urllib.request.urlopen(f"{base}/api/v1/plan-versions/{version}/sealed.pdf", timeout=60) as response:
        assert response.status == 200
        sealed = response.read()
    assert sealed.startswith(b"%PDF-")
    shots.save_pdf(sealed, "pal-sellado")  # also renders page 1 with pdftoppm -r 60 -png -f 1 -l 1
    sealed_path = shots.directory / "pal-sellado.pdf"
    assert list(shots.directory.glob("pal-sellado-*.png")), "pdftoppm rendered no first page"
    certificate = urllib.request.urlopen(f"{base}/instance/certificate.pem", timeout=30).read()
    assert b"BEGIN CERTIFICATE" in certificate
    certificate_path = shots.directory / "instance-certificate.pem"
    certificate_path.write_bytes(certificate)

    pdfsig = run(["pdfsig", sealed_path])
    assert "Signature is Valid" in pdfsig.stdout, pdfsig.stdout + pdfsig.stderr
    hanko = run(["pyhanko", "sign", "validate", "--pretty-print", "--no-revocation-check",
                 "--trust-replace", "--trust", certificate_path, sealed_path])
    report = hanko.stdout + hanko.stderr
    (shots.directory / "pyhanko.txt").write_text(report)
    assert "The signature is judged VALID" in report, report
    assert "The signature covers the entire file" in report, report

    text = run(["pdftotext", "-raw", sealed_path, "-"])  # reading order: the two-line labels stay together
    assert text.returncode == 0, text.stderr
    pages = [page for page in text.stdout.split("\f") if page.strip()]
    assert pages
    for number, page in enumerate(pages, start=1):
        flat = " ".join(page.split())
        assert f"Página {number} de {len(pages)}" in flat, f"página {number}:\n{page}"
        for name in names.values():
            assert f"Rúbrica: {name}" in flat, f"página {number} sin la rúbrica de {name}:\n{page}"

    tampered = bytearray(sealed)
    tampered[len(tampered) // 2] ^= 0xFF
    tampered_path = shots.directory / "pal-alterado.pdf"
    tampered_path.write_bytes(bytes(tampered))

    # 4. Public verification, without an account.
    visitor = make_browser()
    try:
        visitor.get(f"{base}/verify")
        assert "Verificar un Plan de Acción Local" in main_text(visitor)
        assert verify_upload(visitor, sealed_path).startswith("Auténtico"), main_text(visitor)
        signers = [row.find_element(By.TAG_NAME, "td").text.strip()
                   for row in visitor.find_elements(By.CSS_SELECTOR, "#resultado ~ table:first-of-type tbody tr")]
        assert sorted(signers) == sorted(names.values()), signers
        shots(visitor, "verificacion-autentico")
        result = verify_upload(visitor, tampered_path)
        assert result.startswith("No auténtico"), main_text(visitor)
        shots(visitor, "verificacion-alterado")
        visitor.get(f"{base}/verify/{version}")
        assert visitor.find_elements(By.PARTIAL_LINK_TEXT, "Descargar el PAL sellado"), main_text(visitor)
        for name in names.values():
            assert name in main_text(visitor)
        shots(visitor, "pagina-qr")
    finally:
        visitor.quit()

    # 5. The offline verifier, with the certificate downloaded from the instance.
    good = run([BINARY, "verify", sealed_path, "--certificate", certificate_path])
    assert good.returncode == 0, good.stdout + good.stderr
    assert "AUTÉNTICO" in good.stdout and "NO AUTÉNTICO" not in good.stdout, good.stdout
    bad = run([BINARY, "verify", tampered_path, "--certificate", certificate_path])
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "NO AUTÉNTICO" in bad.stdout, bad.stdout
    (shots.directory / "cocrea-verify.txt").write_text(good.stdout + "\n" + bad.stdout)
