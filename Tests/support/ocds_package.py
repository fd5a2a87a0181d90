"""An OCDS 1.1 release package as the Secretaría de Salud Jalisco would publish its medicine purchases
(one process complete, one whose award leaves out its date and its supplier's name), and attaching it
to a procurement commitment through the API, as the browser tests need it."""
import json
import urllib.request
import uuid

OCDS_PACKAGE = {
    "uri": "https://transparencia.jalisco.gob.mx/ocds/salud/2026-014.json", "publishedDate": "2026-05-20T10:00:00-06:00",
    "publisher": {"name": "Secretaría de Salud Jalisco"}, "version": "1.1",
    "releases": [
        {"ocid": "ocds-7sjl2m-SSJ-LPL-2026-014", "id": "SSJ-LPL-2026-014-02", "date": "2026-03-16T12:00:00-06:00",
         "tag": ["award", "contract"], "initiationType": "tender", "buyer": {"id": "MX-SSJ", "name": "Secretaría de Salud Jalisco"},
         "tender": {"title": "Medicamentos del cuadro básico para la zona metropolitana", "status": "complete",
                    "value": {"amount": 18450000, "currency": "MXN"},
                    "tenderPeriod": {"startDate": "2026-02-03T09:00:00-06:00", "endDate": "2026-02-24T18:00:00-06:00"}},
         "awards": [{"id": "SSJ-014-A1", "date": "2026-03-09T17:00:00-06:00", "value": {"amount": 17982340.5, "currency": "MXN"},
                     "suppliers": [{"id": "MX-RFC-DFO010203AB1", "name": "Distribuidora Farmacéutica de Occidente, S.A. de C.V."}]}],
         "contracts": [{"id": "SSJ-014-C1", "awardID": "SSJ-014-A1", "dateSigned": "2026-03-16T11:30:00-06:00",
                        "value": {"amount": 17982340.5, "currency": "MXN"}}]},
        {"ocid": "ocds-7sjl2m-SSJ-IA-2026-022", "id": "SSJ-IA-2026-022-01", "date": "2026-04-02T10:00:00-06:00",
         "tag": ["award"], "initiationType": "tender", "buyer": {"name": "Secretaría de Salud Jalisco"},
         "tender": {"title": "Material de curación para el Hospital General de Occidente", "status": "complete",
                    "value": {"amount": 1250000, "currency": "MXN"}},
         "awards": [{"id": "SSJ-022-A1", "value": {"amount": 1198000, "currency": "MXN"}, "suppliers": [{"id": "MX-RFC-SIN-NOMBRE"}]}]},
    ],
}


def upload(base, token, path, filename, data, media_type="application/json"):
    """POSTs one file in the multipart field `file` to /api/v1`path`; returns the decoded JSON answer."""
    boundary = "cocrea-" + uuid.uuid4().hex
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
            f'Content-Type: {media_type}\r\n\r\n').encode() + data + f"\r\n--{boundary}--\r\n".encode()
    request = urllib.request.Request(base + "/api/v1" + path, data=body, method="POST",
                                     headers={"Authorization": f"Bearer {token}", "Accept": "application/json",
                                              "Content-Type": f"multipart/form-data; boundary={boundary}"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def attach_package(base, token, commitment):
    """The package above on the commitment (which must be the procurement one)."""
    package = upload(base, token, f"/commitments/{commitment}/procurement-packages", "ssj-2026-014.json",
                     json.dumps(OCDS_PACKAGE, ensure_ascii=False).encode())
    assert len(package["processes"]) == 2, package
    return package
