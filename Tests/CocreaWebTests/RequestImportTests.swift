import CocreaCore
import CocreaStore
import CocreaTestSupport
import CocreaUseCases
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import CocreaWeb

/// Access-to-information requests through the API: a file imported whole or not at all (unless its
/// bad rows are knowingly skipped), its recurring topics found, a topic taken to the dossier.
@Suite struct RequestImportTests {
    struct Request {
        var folio: String
        var filedOn: String
        var body: String
        var text: String
    }

    /// Three clear topics, fifteen requests each, as people write them on the Plataforma Nacional de Transparencia.
    static let topics: [(body: String, subjects: [String], details: [String])] = [
        (
            "Secretaría de Salud Jalisco",
            [
                "el inventario de medicamentos de la farmacia del Hospital Civil y las claves en desabasto",
                "las recetas no surtidas por falta de medicamentos en los centros de salud de Guadalajara",
                "el desabasto de insulina y de medicamentos para la diabetes en las unidades médicas",
                "las compras consolidadas de medicamentos oncológicos y su entrega a los hospitales",
                "el porcentaje de recetas surtidas completas en las farmacias de las unidades médicas",
            ],
            [
                "por unidad médica y por mes",
                "indicando qué medicamentos faltaron y durante cuántos días",
                "incluyendo las claves de medicamentos agotadas en el almacén estatal",
            ]
        ),
        (
            "Secretaría de Educación Jalisco",
            [
                "el padrón de beneficiarios del programa de becas para estudiantes de secundaria",
                "el número de becas otorgadas por escuela y el monto de cada beca",
                "la convocatoria y los requisitos de las becas de transporte para universitarios",
                "la lista de alumnos beneficiarios de la beca de excelencia académica",
                "los criterios para asignar las becas escolares y el padrón de estudiantes becados",
            ],
            [
                "desglosado por municipio, sexo y grado escolar",
                "indicando el presupuesto ejercido en becas durante el ciclo escolar 2023-2024",
                "y cuántas solicitudes de beca fueron rechazadas",
            ]
        ),
        (
            "Secretaría de Infraestructura y Obra Pública",
            [
                "los contratos de obra pública adjudicados por la Secretaría de Infraestructura en 2023",
                "las licitaciones de obra para la rehabilitación de carreteras estatales",
                "los contratos por adjudicación directa para la construcción de puentes vehiculares",
                "el expediente de la licitación pública de la obra del nuevo mercado de abastos",
                "el monto de cada contrato de pavimentación y el nombre de la empresa contratista",
            ],
            [
                "con las actas de fallo y las bitácoras de obra",
                "así como los convenios modificatorios de cada contrato",
                "y el avance físico y financiero de cada obra",
            ]
        ),
    ]

    static let openings = ["Solicito", "Quiero conocer", "Por este medio solicito"]

    /// `count` requests over the three topics in turn, folios `<prefix>00001`…, filed January to June 2024.
    static func requests(_ count: Int = 45, prefix: String = "1402546240") -> [Request] {
        (0..<count).map { index in
            let topic = topics[index % 3]
            let combination = index / 3
            let subject = topic.subjects[combination % topic.subjects.count]
            let detail = topic.details[combination / topic.subjects.count % topic.details.count]
            let day = index % 28 + 1
            let month = index % 6 + 1
            return Request(
                folio: prefix + String(format: "%05d", index + 1),
                filedOn: String(format: "%02d/%02d/2024", day, month), body: topic.body,
                text: "\(openings[combination % openings.count]) \(subject), \(detail).")
        }
    }

    static let header = "Folio,Fecha de solicitud,Sujeto obligado,Descripción de la solicitud,Estatus"

    static func csv(_ requests: [Request], header: String = header, separator: String = ",", lineEnd: String = "\n") -> String {
        ([header]
            + requests.map { request in
                [request.folio, request.filedOn, request.body, "\"\(request.text.replacingOccurrences(of: "\"", with: "\"\""))\"", "Terminada"]
                    .joined(separator: separator)
            }).joined(separator: lineEnd) + lineEnd
    }

    static func multipart(_ data: Data, name: String, type: String = "text/csv", fields: [(String, String)] = []) -> (HTTPHeaders, ByteBuffer) {
        MultipartForm.encode(fields: fields, file: (field: "file", name: name, type: type, data: Array(data)))
    }

    static func upload(
        _ api: APIClient, _ exerciseID: UUID, _ data: Data, name: String = "solicitudes.csv", type: String = "text/csv",
        skipInvalid: Bool = false
    ) async throws -> TestingHTTPResponse {
        let (headers, body) = multipart(data, name: name, type: type, fields: skipInvalid ? [("skipInvalid", "true")] : [])
        return try await api.send(.POST, "/api/v1/exercises/\(exerciseID)/information-requests/imports", headers: headers, body: body)
    }

    static func json(_ response: TestingHTTPResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
    }

    static func errors(_ problem: [String: Any]) -> [(field: String, message: String)] {
        (problem["errors"] as? [[String: Any]] ?? []).map { ($0["field"] as? String ?? "", $0["message"] as? String ?? "") }
    }

    struct Clients {
        var fixture: Fixture
        var institution: APIClient
        var civilSociety: APIClient
        var exerciseID: UUID
    }

    static func clients(_ app: Application) async throws -> Clients {
        let fixture = try await Fixture.make(on: app)
        return Clients(
            fixture: fixture, institution: APIClient(app: app, token: fixture.members["institution"]!.token),
            civilSociety: APIClient(app: app, token: fixture.members["civilSociety"]!.token), exerciseID: fixture.exercise.id!)
    }

    // MARK: A clean file

    @Test(arguments: TestDatabase.all)
    func aCleanFileIsImportedAndItsRecurringTopicsGoToTheDossier(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let setup = try await Self.clients(app)
            let file = Data(Self.csv(Self.requests()).utf8)

            let refused = try await Self.upload(setup.civilSociety, setup.exerciseID, file)
            #expect(refused.status == .forbidden, "only the institution imports its requests")
            let outsider = APIClient(app: app, token: setup.fixture.memberOfOther.token)
            #expect(try await Self.upload(outsider, setup.exerciseID, file).status == .notFound)

            let imported = try await Self.upload(setup.institution, setup.exerciseID, file)
            #expect(imported.status == .created, "\(imported.body.string.prefix(800))")
            let record = try Self.json(imported)
            #expect(record["state"] as? String == "applied")
            #expect(record["importedRows"] as? Int == 45)
            #expect(record["invalidRows"] as? Int == 0)
            #expect(try await InformationRequest.query(on: app.db).count() == 45)
            let sample = try #require(try await InformationRequest.query(on: app.db).filter(\.$folio == "140254624000002").first())
            #expect(sample.filedOn == "2024-02-02")
            #expect(sample.obligatedBody == "Secretaría de Educación Jalisco")
            #expect(
                sample.text
                    == "Solicito el padrón de beneficiarios del programa de becas para estudiantes de secundaria, desglosado por municipio, sexo y grado escolar."
            )
            #expect(sample.extraJSON == #"{"Estatus":"Terminada"}"#)
            #expect(try await StoredFile.query(on: app.db).filter(\.$name == "solicitudes.csv").count() == 1, "the file is kept as evidence")

            let overview = try await setup.civilSociety.send(.GET, "/api/v1/exercises/\(setup.exerciseID)/information-requests/topics")
            #expect(overview.status == .ok, "every member sees the topics")
            let topicsBody = try Self.json(overview)
            #expect(topicsBody["requestCount"] as? Int == 45)
            let topics = try #require(topicsBody["topics"] as? [[String: Any]])
            #expect(topics.count >= 3, "\(topics.map { $0["label"] ?? "" })")
            let counts = topics.compactMap { $0["count"] as? Int }
            #expect(counts.reduce(0, +) == 45, "every request in one topic")
            #expect(counts == counts.sorted(by: >), "largest first")
            let allFolios = Set(Self.requests().map(\.folio))
            for topic in topics {
                let months = topic["months"] as? [[String: Any]] ?? []
                #expect(!months.isEmpty)
                #expect(months.compactMap { $0["count"] as? Int }.reduce(0, +) == topic["count"] as? Int)
                #expect(months.allSatisfy { ($0["month"] as? String)?.hasPrefix("2024-0") == true })
                #expect(months.compactMap { $0["month"] as? String } == months.compactMap { $0["month"] as? String }.sorted())
                let examples = topic["examples"] as? [[String: Any]] ?? []
                #expect((1...3).contains(examples.count))
                #expect(examples.allSatisfy { allFolios.contains($0["folio"] as? String ?? "") })
                #expect(!(topic["terms"] as? [String] ?? []).isEmpty)
                #expect(topic["dossierItemId"] == nil || topic["dossierItemId"] is NSNull)
            }
            // The three planted topics each dominate one topic found.
            let words = topics.map { ($0["terms"] as? [String] ?? []).joined(separator: " ") }
            for stem in ["medicament", "beca", "obra"] {
                #expect(words.contains { $0.contains(stem) }, "a topic about «\(stem)»: \(words)")
            }

            // The same file again: every folio is already there, nothing is imported twice.
            let again = try await Self.upload(setup.institution, setup.exerciseID, file)
            #expect(again.status == .unprocessableEntity)
            let repeated = try Self.json(again)
            #expect(repeated["code"] as? String == "request_rows_invalid")
            #expect(repeated["validRows"] as? Int == 0)
            #expect(repeated["invalidRows"] as? Int == 45)
            let problems = Self.errors(repeated)
            #expect(problems.count == 45)
            #expect(problems.first?.field == "fila 2")
            #expect(problems.first?.message == "Fila 2: el folio 140254624000001 ya se importó antes en este ejercicio.")
            #expect(try await InformationRequest.query(on: app.db).count() == 45)
            let pendingID = try #require(repeated["importId"] as? String)
            let nothingLeft = try await setup.institution.send(.POST, "/api/v1/request-imports/\(pendingID)/apply")
            #expect(nothingLeft.status == .unprocessableEntity)
            #expect(try Self.json(nothingLeft)["code"] as? String == "request_file_invalid")
            #expect(try await InformationRequest.query(on: app.db).count() == 45)

            // A topic becomes dossier material, with its evidence.
            let topic = topics[0]
            let topicID = try #require(topic["id"] as? String)
            #expect(try await setup.civilSociety.send(.POST, "/api/v1/request-topics/\(topicID)/problem").status == .forbidden)
            let made = try await setup.institution.send(.POST, "/api/v1/request-topics/\(topicID)/problem")
            #expect(made.status == .created, "\(made.body.string.prefix(500))")
            let item = try Self.json(made)
            #expect(item["kind"] as? String == "informationRequests")
            #expect(item["title"] as? String == "Solicitudes recurrentes: \(topic["label"] as? String ?? "")")
            let body = try #require(item["body"] as? String)
            #expect(body.hasPrefix("\(topic["count"] as? Int ?? -1) de 45 solicitudes de acceso a la información"), "\(body)")
            for example in topic["examples"] as? [[String: Any]] ?? [] {
                #expect(body.contains("Folio \(example["folio"] as? String ?? "?")"), "\(body)")
            }
            #expect(body.contains("Por mes: 2024-0"))
            #expect(body.contains("/requests#tema-"))
            #expect(item["source"] as? String == "Solicitudes de acceso a la información importadas (\(topic["count"] as? Int ?? -1) de 45)")
            #expect(try await DossierItem.query(on: app.db).filter(\.$kind == .informationRequests).count() == 1)

            let twice = try await setup.institution.send(.POST, "/api/v1/request-topics/\(topicID)/problem")
            #expect(twice.status == .conflict)
            #expect(try Self.json(twice)["code"] as? String == "topic_in_dossier")
            #expect(try await DossierItem.query(on: app.db).filter(\.$kind == .informationRequests).count() == 1)
            #expect(try await setup.institution.send(.POST, "/api/v1/request-topics/\(UUID())/problem").status == .notFound)

            let after = try Self.json(try await setup.institution.send(.GET, "/api/v1/exercises/\(setup.exerciseID)/information-requests/topics"))
            let linked = (after["topics"] as? [[String: Any]] ?? []).first { $0["id"] as? String == topicID }
            #expect(linked?["dossierItemId"] as? String == item["id"] as? String, "the topic knows its dossier item")

            // Detecting again keeps the topic that went to the dossier.
            #expect(
                try await setup.civilSociety.send(
                    .POST, "/api/v1/exercises/\(setup.exerciseID)/information-requests/topics",
                    json: #"{"topicCount": 3}"#
                ).status == .forbidden)
            let bad = try await setup.institution.send(
                .POST, "/api/v1/exercises/\(setup.exerciseID)/information-requests/topics",
                json: #"{"topicCount": 1}"#)
            #expect(bad.status == .unprocessableEntity)
            let redetected = try await setup.institution.send(
                .POST, "/api/v1/exercises/\(setup.exerciseID)/information-requests/topics",
                json: #"{"topicCount": 3}"#)
            #expect(redetected.status == .ok, "\(redetected.body.string.prefix(500))")
            let three = try Self.json(redetected)["topics"] as? [[String: Any]] ?? []
            #expect(three.count == 3)
            #expect(three.compactMap { $0["count"] as? Int }.reduce(0, +) == 45)
            #expect(try await RequestTopic.query(on: app.db).filter(\.$id == UUID(uuidString: topicID)!).first()?.$dossierItem.id != nil)
        }
    }

    // MARK: Bad rows

    @Test(arguments: TestDatabase.all)
    func aFileWithBadRowsImportsNothingUntilSkippingThemIsAccepted(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let setup = try await Self.clients(app)
            var rows = Self.requests(20, prefix: "1402546241")
            rows[3].filedOn = "31/02/2024"
            rows[7].text = "  "
            let uploaded = try await Self.upload(setup.institution, setup.exerciseID, Data(Self.csv(rows).utf8))
            #expect(uploaded.status == .unprocessableEntity)
            let problem = try Self.json(uploaded)
            #expect(problem["code"] as? String == "request_rows_invalid")
            #expect(problem["validRows"] as? Int == 18)
            #expect(problem["invalidRows"] as? Int == 2)
            #expect((problem["detail"] as? String)?.hasPrefix("No se importó nada: 2 filas tienen problemas y 18 son válidas.") == true)
            let errors = Self.errors(problem)
            #expect(errors.map(\.field) == ["fila 5", "fila 9"], "rows as a spreadsheet numbers them, the header being row 1")
            #expect(errors.first?.message == "Fila 5: la fecha «31/02/2024» no existe.")
            #expect(errors.last?.message == "Fila 9: falta la descripción de la solicitud.")
            let importID = try #require(problem["importId"] as? String)
            #expect(try await InformationRequest.query(on: app.db).count() == 0, "nothing imported")
            #expect(try await RequestTopic.query(on: app.db).count() == 0)
            #expect(try await RequestImport.query(on: app.db).first()?.state == "pending")

            #expect(try await setup.civilSociety.send(.POST, "/api/v1/request-imports/\(importID)/apply").status == .forbidden)
            let otherMember = APIClient(app: app, token: setup.fixture.memberOfOther.token)
            #expect(try await otherMember.send(.POST, "/api/v1/request-imports/\(importID)/apply").status == .notFound)
            #expect(try await setup.institution.send(.POST, "/api/v1/request-imports/\(UUID())/apply").status == .notFound)

            let applied = try await setup.institution.send(.POST, "/api/v1/request-imports/\(importID)/apply")
            #expect(applied.status == .ok, "\(applied.body.string.prefix(500))")
            let record = try Self.json(applied)
            #expect(record["state"] as? String == "applied")
            #expect(record["importedRows"] as? Int == 18)
            #expect(record["id"] as? String == importID.uppercased() || record["id"] as? String == importID)
            #expect(try await InformationRequest.query(on: app.db).count() == 18)
            let folios = Set(try await InformationRequest.query(on: app.db).all().map(\.folio))
            #expect(!folios.contains(rows[3].folio) && !folios.contains(rows[7].folio))
            #expect(try await RequestTopic.query(on: app.db).count() > 0, "topics found on applying")

            let twice = try await setup.institution.send(.POST, "/api/v1/request-imports/\(importID)/apply")
            #expect(twice.status == .conflict)
            #expect(try Self.json(twice)["code"] as? String == "import_applied")
            #expect(try await InformationRequest.query(on: app.db).count() == 18)

            // Skipping bad rows up front: one call, the good rows in, the rest left out.
            var more = Self.requests(12, prefix: "1402546242")
            more[0].filedOn = "ayer"
            let skipped = try await Self.upload(setup.institution, setup.exerciseID, Data(Self.csv(more).utf8), skipInvalid: true)
            #expect(skipped.status == .created, "\(skipped.body.string.prefix(500))")
            #expect(try Self.json(skipped)["importedRows"] as? Int == 11)
            #expect(try await InformationRequest.query(on: app.db).count() == 29)

            // The corrected rows sent again import; the ones already in are reported.
            let fixedRows = [
                Request(folio: rows[3].folio, filedOn: "28/02/2024", body: rows[3].body, text: rows[3].text),
                Request(
                    folio: rows[7].folio, filedOn: rows[7].filedOn, body: rows[7].body,
                    text: "Solicito la lista de alumnos beneficiarios de la beca de excelencia académica."),
                rows[0],
            ]
            let corrected = try await Self.upload(setup.institution, setup.exerciseID, Data(Self.csv(fixedRows).utf8))
            #expect(corrected.status == .unprocessableEntity)
            let already = try Self.json(corrected)
            #expect(Self.errors(already).map(\.field) == ["fila 4"])
            #expect(already["validRows"] as? Int == 2)
            let fixedID = try #require(already["importId"] as? String)
            #expect(try await setup.institution.send(.POST, "/api/v1/request-imports/\(fixedID)/apply").status == .ok)
            #expect(try await InformationRequest.query(on: app.db).count() == 31)
            #expect(try await InformationRequest.query(on: app.db).filter(\.$folio == rows[3].folio).first()?.filedOn == "2024-02-28")
        }
    }

    // MARK: Encodings and refused files

    @Test(arguments: TestDatabase.all)
    func aLatin1SemicolonFileIsReadAndFilesThatAreNotTablesAreRefused(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let setup = try await Self.clients(app)
            let rows = Self.requests(9, prefix: "1402546243")
            let text = Self.csv(
                rows, header: "Folio;Fecha de solicitud;Sujeto obligado;Descripción de la solicitud;Estatus",
                separator: ";", lineEnd: "\r\n")
            let latin1 = try #require(text.data(using: .isoLatin1))
            #expect(String(data: latin1, encoding: .utf8) == nil, "really not UTF-8")
            let imported = try await Self.upload(setup.institution, setup.exerciseID, latin1, name: "SOLICITUDES_2024.CSV")
            #expect(imported.status == .created, "\(imported.body.string.prefix(800))")
            #expect(try Self.json(imported)["importedRows"] as? Int == 9)
            let stored = try await InformationRequest.query(on: app.db).sort(\.$folio).all()
            #expect(stored.map(\.folio) == rows.map(\.folio))
            #expect(stored.map(\.text) == rows.map(\.text), "accents read from Windows-1252")
            #expect(stored[0].obligatedBody == "Secretaría de Salud Jalisco")
            #expect(stored[2].text.contains("Secretaría de Infraestructura"))

            func refusal(_ data: Data, name: String, type: String = "text/csv") async throws -> [String: Any] {
                let response = try await Self.upload(setup.institution, setup.exerciseID, data, name: name, type: type)
                #expect(response.status == .unprocessableEntity, "\(name): \(response.body.string.prefix(300))")
                return try Self.json(response)
            }
            let empty = try await refusal(Data(), name: "vacio.csv")
            #expect(empty["code"] as? String == "request_file_invalid", "an empty file: \(empty["detail"] ?? "")")
            #expect(empty["detail"] as? String == "El archivo no tiene solicitudes.")
            let headerOnly = try await refusal(Data((Self.header + "\n\n").utf8), name: "solo-encabezado.csv")
            #expect(headerOnly["code"] as? String == "request_file_invalid")
            #expect(headerOnly["detail"] as? String == "El archivo no tiene solicitudes.")
            let pdf = try await refusal(
                Data("%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n".utf8), name: "solicitudes.pdf",
                type: "application/pdf")
            #expect(pdf["code"] as? String == "request_file_invalid")
            #expect((pdf["detail"] as? String)?.contains("«solicitudes.pdf» es un PDF") == true)
            let columns = try await refusal(Data("Número,Nombre,Comentario\n1,Ana,Hola\n".utf8), name: "otra-cosa.csv")
            #expect(columns["code"] as? String == "request_file_invalid")
            #expect(columns["missingColumns"] as? [String] == ["folio", "fecha de solicitud", "descripción de la solicitud"])
            let html = try await refusal(Data("<html><body><table><tr><td>Folio</td></tr></table></body></html>".utf8), name: "reporte.xls")
            #expect(html["code"] as? String == "request_file_invalid")

            // No file part at all.
            var headers = HTTPHeaders()
            let boundary = "----cocrea-sin-archivo"
            headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
            let noFile = try await setup.institution.send(
                .POST, "/api/v1/exercises/\(setup.exerciseID)/information-requests/imports", headers: headers,
                body: ByteBuffer(string: "--\(boundary)\r\nContent-Disposition: form-data; name=\"skipInvalid\"\r\n\r\ntrue\r\n--\(boundary)--\r\n"))
            #expect(noFile.status == .unprocessableEntity)
            #expect(Self.errors(try Self.json(noFile)).map(\.field) == ["file"])

            #expect(try await InformationRequest.query(on: app.db).count() == 9, "nothing refused was imported")
            #expect(try await RequestImport.query(on: app.db).count() == 1, "a refused file leaves no import behind")
        }
    }
}
