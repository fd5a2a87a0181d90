"""The copy of the PAL signed by hand, as a facilitator uploads it after a signing session on paper:
the plan's own PDF (a real PDF with every page of the plan) as the scan, and one `signedBy[]` field
per member who signed it."""
import json
import urllib.request
import uuid


def _get(base, token, path):
    request = urllib.request.Request(base + "/api/v1" + path, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.read()


def seal_on_paper(base, token, version):
    """Uploads the paper copy of plan version `version` signed by every member still to sign (which
    seals the PAL); returns the signing status."""
    scan = _get(base, token, f"/plan-versions/{version}/document.pdf")
    status = json.loads(_get(base, token, f"/plan-versions/{version}/signatures"))
    signers = [row["memberId"] for row in status["signatures"] if not row.get("signedAt")]
    boundary = "cocrea-" + uuid.uuid4().hex
    body = b"".join(f'--{boundary}\r\nContent-Disposition: form-data; name="signedBy[]"\r\n\r\n{member}\r\n'.encode()
                    for member in signers)
    body += (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="pal-firmado.pdf"\r\n'
             f"Content-Type: application/pdf\r\n\r\n").encode() + scan + f"\r\n--{boundary}--\r\n".encode()
    request = urllib.request.Request(base + f"/api/v1/plan-versions/{version}/paper-copy", data=body, method="POST",
                                     headers={"Authorization": f"Bearer {token}", "Accept": "application/json",
                                              "Content-Type": f"multipart/form-data; boundary={boundary}"})
    with urllib.request.urlopen(request, timeout=60) as response:
        sealed = json.loads(response.read())
    assert sealed["sealed"], sealed
    return sealed
