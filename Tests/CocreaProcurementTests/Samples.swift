import Foundation

/// Release packages as the Secretaría de Salud Jalisco would publish its medicine purchases, built
/// as JSON objects so each test can break exactly one thing.
enum Samples {
    static let ocid = "ocds-7sjl2m-SSJ-LPL-2026-014"

    static func package(_ releases: [[String: Any]], change: (inout [String: Any]) -> Void = { _ in }) -> Data {
        var package: [String: Any] = [
            "uri": "https://transparencia.jalisco.gob.mx/ocds/salud/2026-014.json",
            "publishedDate": "2026-05-20T10:00:00-06:00",
            "publisher": ["name": "Secretaría de Salud Jalisco", "uri": "https://ssj.jalisco.gob.mx"],
            "version": "1.1",
            "releases": releases,
        ]
        change(&package)
        return try! JSONSerialization.data(withJSONObject: package, options: [.sortedKeys])
    }

    static var buyer: [String: Any] { ["id": "MX-SSJ", "name": "Secretaría de Salud Jalisco"] }
    static var supplier: [String: Any] { ["id": "MX-RFC-DFO010203AB1", "name": "Distribuidora Farmacéutica de Occidente, S.A. de C.V."] }

    static func tenderRelease(ocid: String = ocid, id: String = "SSJ-LPL-2026-014-01", date: String = "2026-02-03T09:00:00-06:00") -> [String: Any] {
        [
            "ocid": ocid, "id": id, "date": date, "tag": ["tender"], "initiationType": "tender",
            "buyer": buyer,
            "parties": [buyer.merging(["roles": ["buyer", "procuringEntity"]]) { $1 }],
            "tender": [
                "id": "LPL-43068001-014-2026",
                "title": "Adquisición de medicamentos del cuadro básico para centros de salud de la zona metropolitana",
                "status": "active",
                "value": ["amount": 18_450_000, "currency": "MXN"],
                "tenderPeriod": ["startDate": "2026-02-03T09:00:00-06:00", "endDate": "2026-02-24T18:00:00-06:00"],
            ],
        ]
    }

    static func awardRelease(ocid: String = ocid, id: String = "SSJ-LPL-2026-014-02", date: String = "2026-03-10T12:00:00-06:00") -> [String: Any] {
        [
            "ocid": ocid, "id": id, "date": date, "tag": ["award", "contract"], "initiationType": "tender",
            "buyer": buyer,
            "parties": [buyer.merging(["roles": ["buyer"]]) { $1 }, supplier.merging(["roles": ["supplier"]]) { $1 }],
            "tender": [
                "id": "LPL-43068001-014-2026",
                "title": "Adquisición de medicamentos del cuadro básico para centros de salud de la zona metropolitana",
                "status": "complete",
                "value": ["amount": 18_450_000, "currency": "MXN"],
                "tenderPeriod": ["startDate": "2026-02-03T09:00:00-06:00", "endDate": "2026-02-24T18:00:00-06:00"],
            ],
            "awards": [
                [
                    "id": "SSJ-014-A1", "date": "2026-03-09T17:00:00-06:00", "status": "active",
                    "value": ["amount": 17_982_340.5, "currency": "MXN"], "suppliers": [supplier],
                ]
            ],
            "contracts": [
                [
                    "id": "SSJ-014-C1", "awardID": "SSJ-014-A1", "dateSigned": "2026-03-16T11:30:00-06:00", "status": "active",
                    "value": ["amount": 17_982_340.5, "currency": "MXN"],
                ]
            ],
        ]
    }
}
