"""Signing the PAL with an e.firma in a real browser: the operator trusts a SAT-shaped authority made
here with openssl (nothing fetched), two members record their RFC, open their personal link and sign
with their .cer, .key and password (one types a wrong password first and is told how many attempts are
left); the others sign with the emailed code. The sealed PAL's verification, on the public /verify page
and through the API, says how each one signed, with the RFC, issuer and serial of each e.firma.

The journey runs on a server and SMTP sink of its own, started with COCREA_TRUST_ROOTS."""
import json
import pathlib
import subprocess
import tempfile
import urllib.request
import uuid

import pytest
from selenium.webdriver.common.by import By

from conftest import make_browser
from cocrea_server import cocrea_server, seed_demo, smtp_sink
from browser_steps import codes_for, mailed_links, main_text, navigate, newest_code, type_signing_code  # noqa: E402

REQUEST_SUBJECT = "Firma del Plan de Acción Local"
AUTHORITY = "/O=SERVICIO DE ADMINISTRACION TRIBUTARIA/OU=SAT-IES Authority/C=MX"
EXTENSIONS = """[authority]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[holder]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
"""


def openssl(directory, *arguments):
    done = subprocess.run(["openssl", *arguments], cwd=directory, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr


class Authorities:
    """A test root and intermediate with SAT-shaped subjects, and e.firma-shaped certificates with the
    holder's RFC in x500UniqueIdentifier, their keys as the SAT hands them out (DER PKCS#8, PBES2 / DES-EDE3)."""

    def __init__(self, directory):
        self.directory = pathlib.Path(directory)
        (self.directory / "extensions.cnf").write_text(EXTENSIONS)
        openssl(directory, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "root.key", "-out", "root.pem",
                "-days", "3650", "-subj", f"/CN=AC RAIZ DE PRUEBA{AUTHORITY}",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign")
        openssl(directory, "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", "intermediate.key",
                "-out", "intermediate.csr", "-subj", f"/CN=AC DEL SERVICIO DE ADMINISTRACION TRIBUTARIA DE PRUEBA{AUTHORITY}")
        openssl(directory, "x509", "-req", "-in", "intermediate.csr", "-CA", "root.pem", "-CAkey", "root.key",
                "-CAcreateserial", "-days", "3650", "-extfile", "extensions.cnf", "-extensions", "authority",
                "-out", "intermediate.pem")
        self.pem = self.directory / "authorities.pem"
        self.pem.write_text((self.directory / "root.pem").read_text() + (self.directory / "intermediate.pem").read_text())

    def issue(self, name, rfc, password):
        stem = uuid.uuid4().hex
        openssl(self.directory, "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{stem}.pem",
                "-out", f"{stem}.csr", "-utf8", "-subj", f"/CN={name}/C=MX/x500UniqueIdentifier={rfc}")
        openssl(self.directory, "x509", "-req", "-in", f"{stem}.csr", "-CA", "intermediate.pem", "-CAkey", "intermediate.key",
                "-CAcreateserial", "-days", "1460", "-extfile", "extensions.cnf", "-extensions", "holder",
                "-outform", "DER", "-out", f"{rfc.lower()}.cer")
        openssl(self.directory, "pkcs8", "-topk8", "-in", f"{stem}.pem", "-outform", "DER", "-out", f"{rfc.lower()}.key",
                "-passout", f"pass:{password}", "-v2", "des3", "-v2prf", "hmacWithSHA1")
        return self.directory / f"{rfc.lower()}.cer", self.directory / f"{rfc.lower()}.key"


@pytest.fixture(scope="module")
def site():
    with tempfile.TemporaryDirectory(prefix="cocrea-efirma-") as directory:
        authorities = Authorities(directory)
        with smtp_sink() as mailbox, cocrea_server(mailbox.port, {"COCREA_TRUST_ROOTS": str(authorities.pem)}) as server:
            records = seed_demo(server, mailbox)
            records.update(base=server.base, mailbox=mailbox, authorities=authorities)
            yield records


def sign_with_efirma(member, certificate, key, password):
    member.find_element(By.ID, "certificate").send_keys(str(certificate))
    member.find_element(By.ID, "privateKey").send_keys(str(key))
    member.find_element(By.ID, "password").send_keys(password)
    navigate(member, (By.XPATH, "//button[normalize-space()='Firmar con mi e.firma']"))
    return main_text(member)


def test_two_members_sign_with_their_efirma_and_verification_says_how_each_signed(site, shots):
    api, base, mailbox, eid, version = site["api"], site["base"], site["mailbox"], site["exercise"], site["planVersion"]
    members = {m["email"]: m for m in api("GET", f"/exercises/{eid}/members")}
    holders = {}
    for email, rfc in zip(sorted(members)[:2], ["LOCM850412K7A", "RAOJ780923HB5"]):
        api("PATCH", f"/exercises/{eid}/members/{members[email]['id']}", {"rfc": rfc})
        password = f"Firma de {rfc} 2026"
        holders[email] = (rfc, password, *site["authorities"].issue(members[email]["name"].upper(), rfc, password))

    api("POST", f"/plan-versions/{version}/conformity/close")
    api("POST", f"/plan-versions/{version}/signature-requests", expect=(202,))
    links = mailed_links(mailbox, REQUEST_SUBJECT, len(members), "/sign/")
    assert set(links) == set(members)

    order = sorted(links)
    for position, email in enumerate(order, start=1):
        last = position == len(order)
        seen = len(codes_for(mailbox, email))
        member = make_browser(390, 844)
        try:
            member.get(links[email])
            slug = email.split("@")[0].replace(".", "-")
            if email in holders:
                rfc, password, certificate, key = holders[email]
                assert "O firma con tu e.firma" in main_text(member), main_text(member)
                shots(member, f"efirma-{slug}")
                if position == 1:
                    text = sign_with_efirma(member, certificate, key, "no es mi contraseña")
                    errors = member.find_elements(By.CSS_SELECTOR, "section.errors")
                    assert errors, "no error shown:\n" + text
                    assert "La contraseña no abre la llave privada. Te quedan 4 intentos" in errors[0].text, errors[0].text
                    shots(member, f"efirma-contrasena-incorrecta-{slug}")
                text = sign_with_efirma(member, certificate, key, password)
                assert "Firmaste el plan" in text, text
            else:
                text = type_signing_code(member, newest_code(mailbox, email, seen))
                assert "Firmaste el plan" in text, text
            assert not member.find_elements(By.CSS_SELECTOR, "section.errors"), text
            assert ("quedó completo y sellado" in text) == last, text
            shots(member, f"efirma-firmado-{slug}")
        finally:
            member.quit()

    with urllib.request.urlopen(f"{base}/api/v1/plan-versions/{version}/sealed.pdf", timeout=60) as response:
        sealed = response.read()
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"pal.pdf\"\r\n"
            f"Content-Type: application/pdf\r\n\r\n").encode() + sealed + f"\r\n--{boundary}--\r\n".encode()
    request = urllib.request.Request(f"{base}/api/v1/verify", data=body, method="POST",
                                     headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    with urllib.request.urlopen(request, timeout=60) as response:
        verification = json.loads(response.read())
    assert verification["authentic"], verification
    by_name = {signer["name"]: signer for signer in verification["signers"]}
    for email, member in members.items():
        signer = by_name[member["name"]]
        if email in holders:
            assert signer["method"] == "efirma", signer
            assert signer["rfc"] == holders[email][0], signer
            assert signer["issuer"] == "AC DEL SERVICIO DE ADMINISTRACION TRIBUTARIA DE PRUEBA", signer
            assert signer["serial"], signer
        else:
            assert signer["method"] == "emailCode" and "rfc" not in signer, signer

    reader = make_browser()
    try:
        reader.get(f"{base}/verify/{version}")
        text = main_text(reader)
        for rfc, *_ in holders.values():
            assert f"RFC {rfc}" in text, text
        assert "Código de un solo uso enviado por correo" in text, text
        shots(reader, "efirma-verificacion")
    finally:
        reader.quit()
