"""The sealed PAL carries trusted time, in a real browser: a test TSA made with `openssl ts` (issued by
the same SAT-shaped test root as the e.firma certificates, nothing fetched) answers behind a small HTTP
server the test starts and stops. Two members sign with their e.firma and the others with the emailed
code; the TSA is stopped before the second e.firma, so that signature gets no token of its own, the
status says «Sellado pendiente de sello de tiempo» and the PAL cannot be downloaded; once the TSA is back,
the queue appends a document timestamp after the signatures, seals again over it and stamps the seal, and
the downloaded PAL validates in pyHanko (every signature intact and valid, timestamped by its own token or
by the document timestamp after it, from an authority that chains to the test root) and in pdfsig, and
both report a copy with one byte changed.

The journey runs on a server and SMTP sink of its own, started with COCREA_TRUST_ROOTS and COCREA_TSA_URL."""
import json
import re
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

import pytest
from asn1crypto import pem, x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko_certvalidator import ValidationContext
from selenium.webdriver.common.by import By

from conftest import ROOT, make_browser
from cocrea_server import cocrea_server, free_port, seed_demo, smtp_sink
from browser_steps import codes_for, mailed_links, main_text, newest_code, sign_in, type_signing_code  # noqa: E402
from test_efirma_journey import Authorities, sign_with_efirma
from tsa_server import TimestampAuthority

FACILITATOR = "jorge.ramirez@stl-jalisco.example"
REQUEST_SUBJECT = "Firma del Plan de Acción Local"
PENDING = "Sellado pendiente de sello de tiempo"
RFCS = ["LOCM850412K7A", "RAOJ780923HB5"]

# The SAT writes the RFC in x500UniqueIdentifier as a string; asn1crypto expects a BIT STRING there and
# cannot print an e.firma's subject (docs/decisions.md, 17).
x509.NameTypeAndValue._oid_specs["unique_identifier"] = x509.DirectoryString


@pytest.fixture(scope="module")
def site():
    with tempfile.TemporaryDirectory(prefix="cocrea-sello-tiempo-") as directory:
        authorities = Authorities(directory)
        tsa = TimestampAuthority(directory, free_port())
        tsa.start()
        root = authorities.directory / "root.pem"
        environment = {"COCREA_TRUST_ROOTS": str(authorities.pem), "COCREA_TSA_URL": tsa.url, "COCREA_TSA_CA": str(root)}
        try:
            with smtp_sink() as mailbox, cocrea_server(mailbox.port, environment) as server:
                records = seed_demo(server, mailbox)
                records.update(base=server.base, server=server, mailbox=mailbox, authorities=authorities, tsa=tsa, root=root)
                yield records
        finally:
            tsa.stop()


def wait_until(condition, what, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if condition():
            return
        time.sleep(1)
    raise AssertionError(f"{what} did not happen within {timeout} s")


def a_byte_every_signature_covers(pdf):
    """The middle of the longest stream in the PDF's first revision: every signature covers it (a later
    revision's byte rightly leaves the signatures before it intact), and changing it leaves the file's
    structure readable, so a validator can tell only by the signatures' digests."""
    first_signed = int(re.search(rb"/ByteRange \[0 (\d+)", pdf).group(1))
    streams = [(found.end(), pdf.index(b"endstream", found.end()))
               for found in re.finditer(rb"(?<!end)stream\r?\n", pdf[:first_signed])]
    start, end = max(streams, key=lambda stream: stream[1] - stream[0])
    return (start + end) // 2


def sealed_pdf(base, version):
    """The sealed PAL's download: (status, body)."""
    try:
        with urllib.request.urlopen(f"{base}/api/v1/plan-versions/{version}/sealed.pdf", timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def certificate(path):
    _, _, der = pem.unarmor(path.read_bytes())
    return x509.Certificate.load(der)


def pyhanko_statuses(path, anchors, others):
    """pyHanko's judgement of every signature in the file, trusting only `anchors`, offline: for each
    regular signature its name, its status and the status of the earliest document timestamp after it
    (None when none follows it)."""
    context = ValidationContext(trust_roots=anchors, other_certs=others, allow_fetching=False, revocation_mode="soft-fail")
    with open(path, "rb") as file:
        reader = PdfFileReader(file)
        stamps = [(stamp.signed_revision, validate_pdf_timestamp(stamp, validation_context=context))
                  for stamp in reader.embedded_timestamp_signatures]
        judged = []
        for signature in reader.embedded_regular_signatures:
            covering = [status for revision, status in sorted(stamps, key=lambda pair: pair[0])
                        if revision > signature.signed_revision]
            judged.append((signature.field_name, validate_pdf_signature(signature, context, ts_validation_context=context),
                           covering[0] if covering else None))
        return judged


def details(status):
    """pyHanko's account of a status; a document timestamp's has no long form."""
    if hasattr(status, "pretty_print_details"):
        return status.pretty_print_details()
    return f"{status.summary()} at {status.timestamp}, anchor problem: {status.trust_problem_indic}"


def pdfsig(path):
    done = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, timeout=120)
    return done.stdout + done.stderr


def test_the_seal_waits_for_the_tsa_and_every_signature_validates_with_its_trusted_time(site, shots):
    api, base, mailbox, eid, version = site["api"], site["base"], site["mailbox"], site["exercise"], site["planVersion"]
    tsa, authorities = site["tsa"], site["authorities"]
    members = {m["email"]: m for m in api("GET", f"/exercises/{eid}/members")}
    order = sorted(members)
    holders = {}
    for email, rfc in zip(order[:2], RFCS):
        api("PATCH", f"/exercises/{eid}/members/{members[email]['id']}", {"rfc": rfc})
        password = f"Firma de {rfc} 2026"
        holders[email] = (*authorities.issue(members[email]["name"].upper(), rfc, password), password)

    api("POST", f"/plan-versions/{version}/conformity/close")
    api("POST", f"/plan-versions/{version}/signature-requests", expect=(202,))
    links = mailed_links(mailbox, REQUEST_SUBJECT, len(members), "/sign/")
    assert set(links) == set(members)

    late = order[1]
    for email in order:
        if email == late:
            # The first e.firma got its token while its actor signed; the second signs with the TSA away,
            # and so do the others: the seal the last signature makes finds no TSA either.
            wait_until(lambda: tsa.replies >= 1, "the first e.firma signature's timestamp", 60)
            tsa.stop()
        seen = len(codes_for(mailbox, email))
        member = make_browser(390, 844)
        try:
            member.get(links[email])
            if email in holders:
                text = sign_with_efirma(member, *holders[email])
            else:
                text = type_signing_code(member, newest_code(mailbox, email, seen))
            assert "Firmaste el plan" in text, text
            assert not member.find_elements(By.CSS_SELECTOR, "section.errors"), text
            assert "quedó completo y sellado" not in text, text
        finally:
            member.quit()

    # Everyone signed while the TSA is away: the seal waits, and there is nothing to download yet.
    status = api("GET", f"/plan-versions/{version}/signatures")
    assert status["sealPending"] and not status["sealed"], status
    code, body = sealed_pdf(base, version)
    assert code == 404 and json.loads(body)["code"] == "not_sealed", (code, body[:500])
    facilitator = make_browser()
    try:
        sign_in(facilitator, base, FACILITATOR)
        facilitator.get(f"{base}/exercises/{eid}/plan")
        assert PENDING in main_text(facilitator), main_text(facilitator)
        assert not facilitator.find_elements(By.LINK_TEXT, "Descargar el PAL sellado"), main_text(facilitator)
        facilitator.execute_script("document.getElementById('firmas').scrollIntoView()")
        shots(facilitator, "sellado-pendiente")

        # The queue asked while the TSA was away and put the seal off; once the TSA is back, its next
        # attempt (30 s after the failed one) stamps the seal.
        wait_until(lambda: "timestamp.postponed" in site["server"].log(), "a failed attempt at the seal's timestamp", 60)
        tsa.start()
        wait_until(lambda: api("GET", f"/plan-versions/{version}/signatures")["sealed"], "the timestamped seal", 300)
        facilitator.get(f"{base}/exercises/{eid}/plan")
        assert PENDING not in main_text(facilitator), main_text(facilitator)
        assert facilitator.find_elements(By.LINK_TEXT, "Descargar el PAL sellado"), main_text(facilitator)
        shots(facilitator, "sellado-con-sello-de-tiempo")
    finally:
        facilitator.quit()

    code, sealed = sealed_pdf(base, version)
    assert code == 200 and sealed.startswith(b"%PDF-"), (code, sealed[:200])
    shots.save_pdf(sealed, "pal-sellado")
    sealed_path = shots.directory / "pal-sellado.pdf"
    instance_path = shots.directory / "instance-certificate.pem"
    with urllib.request.urlopen(f"{base}/instance/certificate.pem", timeout=30) as response:
        instance_path.write_bytes(response.read())
    root = certificate(site["root"])
    anchors = [root, certificate(instance_path)]
    others = [certificate(authorities.directory / "intermediate.pem")]
    # The instance's seal, and one PDF signature of their own per e.firma signer.
    expected = 1 + len(holders)

    statuses = pyhanko_statuses(sealed_path, anchors, others)
    (shots.directory / "pyhanko.txt").write_text("\n\n".join(
        f"{name}\n{details(status)}" + (f"\n\n{name}: sello de tiempo del documento\n{details(covering)}" if covering else "")
        for name, status, covering in statuses))
    assert len(statuses) == expected, [name for name, _, _ in statuses]
    own_tokens = 0
    for name, status, covering in statuses:
        assert status.intact and status.valid and status.trusted, f"{name}: {details(status)}"
        # Its own signature timestamp, or else the document timestamp the queue put after it.
        stamp = status.timestamp_validity or covering
        assert stamp is not None, f"{name} has neither a signature timestamp nor a document timestamp after it"
        own_tokens += status.timestamp_validity is not None
        assert stamp.intact and stamp.valid and stamp.trusted, f"{name}: {details(stamp)}"
        assert stamp.validation_path.trust_anchor.authority.name == root.subject, f"{name}: {details(stamp)}"
    # The first e.firma and the seal carry their own; the second, signed while the TSA was away, is dated
    # by the document timestamp the queue appended before the seal.
    assert own_tokens == expected - 1, [(name, status.timestamp_validity is not None) for name, status, _ in statuses]
    late_name = next(name for name, status, _ in statuses if status.timestamp_validity is None)
    assert next(covering for name, _, covering in statuses if name == late_name) is not None, late_name
    # Poppler checks every CMS signature; the document timestamp it lists without checking it.
    report = pdfsig(sealed_path)
    (shots.directory / "pdfsig.txt").write_text(report)
    assert report.count("Signature Validation: Signature is Valid") == expected, report
    assert report.count("Signature Validation:") == expected + 1 and "Invalid" not in report, report

    tampered = bytearray(sealed)
    tampered[a_byte_every_signature_covers(sealed)] ^= 0xFF
    tampered_path = shots.directory / "pal-alterado.pdf"
    tampered_path.write_bytes(bytes(tampered))
    statuses = pyhanko_statuses(tampered_path, anchors, others)
    assert len(statuses) == expected, [name for name, _, _ in statuses]
    for name, status, covering in statuses:
        assert not status.intact, f"{name} still judged intact after a changed byte"
        assert covering is None or not covering.intact, f"the document timestamp after {name} still judged intact"
    report = pdfsig(tampered_path)
    assert "Signature is Valid" not in report, report
    assert report.count("Signature Validation:") == expected + 1, report
