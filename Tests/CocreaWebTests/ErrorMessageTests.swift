import CocreaCore
import CocreaStore
import CocreaTestSupport
import CocreaUseCases
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import CocreaWeb

/// Every error code says what happened in every language of the catalogue (`error.<code>` in
/// `Resources/Locales`), and a request reads its errors in the language it asked for.
@Suite struct ErrorMessageTests {
    static let catalogue = try! Catalogue.load(directory: URL(fileURLWithPath: TestPaths.root).appendingPathComponent("Resources/Locales"))

    @Test func everyCodeHasItsMessageInEveryLanguage() {
        for language in Language.allCases {
            let keys = Self.catalogue.words(language).table.keys
            let silent = ErrorCode.allCases.filter { code in
                !keys.contains { $0 == "error.\(code.rawValue)" || $0.hasPrefix("error.\(code.rawValue).") }
            }
            #expect(silent.isEmpty, "\(language.rawValue).json has no message for: \(silent.map(\.rawValue))")
        }
    }

    /// Each entry of `ErrorCatalogue.swift` names a text (`CocreaError(.code, "variant", …)`, and
    /// `.count("key", n)` for a number and its noun) that every language has.
    @Test func everyTextTheCatalogueOfErrorsNamesIsInEveryLanguage() throws {
        let source = try String(
            contentsOf: URL(fileURLWithPath: TestPaths.root).appendingPathComponent("Sources/CocreaCore/ErrorCatalogue.swift"), encoding: .utf8)
        var named: Set<String> = []
        for match in source.matches(of: /CocreaError\(\s*\.(\w+)(?:,\s*(?:nil|"(\w+)"))?/) {
            let code = try #require(ErrorCode.allCases.first { "\($0)" == match.1 }, "no ErrorCode.\(match.1)")
            named.insert("error.\(code.rawValue)" + (match.2.map { ".\($0)" } ?? ""))
        }
        for match in source.matches(of: /\.count\("([\w.]+)"/) {
            named.formUnion(["\(match.1)One", "\(match.1)Other"])
        }
        #expect(named.count > 100)
        for language in Language.allCases {
            let missing = named.subtracting(Self.catalogue.words(language).table.keys)
            #expect(missing.isEmpty, "\(language.rawValue).json lacks: \(missing.sorted())")
        }
    }

    @Test func aRuleRefusalKeepsItsFactsInEnglish() {
        let refusal = CocreaError.dossierWindow(
            currentVersion: 2, holdingBack: [], earliestValidDate: LocalDate(year: 2026, month: 12, day: 11))
        #expect(
            refusal.message(Self.catalogue.words(.en))
                == "The table cannot be held before Friday, December 11, 2026: everyone must have the dossier at least 10 days before.")
        #expect(
            CocreaError.signingCodeWrong(remainingAttempts: 1).message(Self.catalogue.words(.en))
                == "The code is not correct. You have 1 attempt left before the link locks.")
        #expect(
            CocreaError.signingCodeWrong(remainingAttempts: 3).message(Self.catalogue.words(.es))
                == "El código no es correcto. Te quedan 3 intentos antes de que el enlace se bloquee.")
    }

    @Test func anAPIProblemIsWrittenInTheLanguageTheRequestAsksFor() async throws {
        try await withCocrea(.sqlite) { app in
            struct Problem: Decodable { var code: String, detail: String }
            func problem(_ response: TestingHTTPResponse) throws -> Problem {
                try JSONDecoder().decode(Problem.self, from: Data(response.body.string.utf8))
            }
            let spanish = try await Browser(app: app).get("/api/v1/no-existe")
            let english = try await Browser(app: app).get("/api/v1/no-existe", headers: ["Accept-Language": "en-US,en;q=0.9"])
            let asked = try await Browser(app: app).get("/api/v1/no-existe?lang=en")
            #expect(spanish.status == .notFound)
            #expect(try problem(spanish).detail == "No existe esa dirección en Cocrea.")
            #expect(try problem(english).detail == "There is no such address in Cocrea.")
            #expect(try problem(asked).code == "not_found")
            #expect(try problem(asked).detail == "There is no such address in Cocrea.")
        }
    }

    @Test func aMissingRecordIsNamedInTheLanguageTheRequestAsksFor() async throws {
        try await withCocrea(.sqlite) { app in
            struct Problem: Decodable { var code: String, detail: String }
            let fixture = try await Fixture.make(on: app)
            let api = APIClient(app: app, token: fixture.administrator.token)
            let unknown = "/api/v1/exercises/\(UUID())"
            let spanish = try JSONDecoder().decode(Problem.self, from: try await api.send(.GET, unknown).body)
            let english = try JSONDecoder().decode(Problem.self, from: try await api.send(.GET, unknown, headers: ["Accept-Language": "en"]).body)
            #expect(spanish.code == "not_found" && english.code == "not_found")
            #expect(spanish.detail == "No encontramos ese ejercicio.")
            #expect(english.detail == "We could not find that exercise.")
        }
    }

    @Test func aRefusedFormSaysEachProblemInTheLanguageTheRequestAsksFor() async throws {
        try await withCocrea(.sqlite) { app in
            struct Problem: Decodable { var code: String, detail: String, errors: [FieldError] }
            let fixture = try await Fixture.make(on: app)
            let api = APIClient(app: app, token: fixture.administrator.token)
            let body = #"{"name": "  ", "territory": "Zapopan, Jalisco", "timeZone": "Europe/Madrid"}"#
            let spanish = try JSONDecoder().decode(Problem.self, from: try await api.send(.POST, "/api/v1/exercises", json: body).body)
            let english = try JSONDecoder().decode(
                Problem.self, from: try await api.send(.POST, "/api/v1/exercises", json: body, headers: ["Accept-Language": "en"]).body)
            #expect(spanish.code == "validation_failed" && english.code == "validation_failed")
            #expect(
                spanish.errors.map(\.message) == [
                    "Falta el nombre del ejercicio.",
                    "«Europe/Madrid» no es una zona horaria de México reconocida (por ejemplo America/Mexico_City o America/Cancun).",
                ])
            #expect(english.errors.map(\.field) == ["name", "timeZone"])
            #expect(english.errors.first?.message == "Missing: the exercise's name.")
            #expect(english.detail.hasPrefix("Check the data: Missing: the exercise's name. «Europe/Madrid» is not a recognised Mexican time zone"))
        }
    }

    @Test func anUnreadableDateInABodySaysWhereAndWhyInTheReadersLanguage() throws {
        struct Body: Decodable { var startsOn: LocalDate }
        let error = #expect(throws: CocreaError.self) { try JSONDecoder().decode(Body.self, from: Data(#"{"startsOn": "2027-13-01"}"#.utf8)) }
        #expect(error?.code == "invalid_body")
        #expect(error?.message(Self.catalogue.words(.en)) == "We could not read the request: «startsOn»: «2027-13-01» is not a valid YYYY-MM-DD date.")
        #expect(error?.message == "No pudimos leer la solicitud: «startsOn»: «2027-13-01» no es una fecha AAAA-MM-DD válida.")
    }

    @Test func aFieldTooLongIsNamedAtTheStartOfItsSentenceInEveryLanguage() {
        var v = Validator()
        _ = v.required(String(repeating: "a", count: 301), field: "title", label: "fieldCommitmentTitle", maxLength: 300)
        #expect(v.errors.first?.message(Self.catalogue.words(.es)) == "El título del compromiso admite hasta 300 caracteres.")
        #expect(v.errors.first?.message(Self.catalogue.words(.en)) == "The commitment's title takes at most 300 characters.")
    }

    /// A refused file of requests or of progress, and a plan that cannot be frozen, say each row's and
    /// each rule's problem in English when the request asks for it: the Spanish left is what people wrote.
    @Test func aRefusedFileOrPlanSaysEveryProblemInEnglishWhenAsked() async throws {
        try await withCocrea(.sqlite) { app in
            struct Problem: Decodable {
                struct Rule: Decodable { var code: String, message: String }
                var code: String, detail: String
                var errors: [FieldError]?
                var problems: [Rule]?
                var lines: String { ([detail] + (errors ?? []).map(\.message) + (problems ?? []).map(\.message)).joined(separator: "\n") }
            }
            let setup = try await RequestImportTests.clients(app)
            let facilitator = APIClient(app: app, token: setup.fixture.members["facilitator"]!.token)
            let english: HTTPHeaders = ["Accept-Language": "en"]
            func problem(_ response: TestingHTTPResponse) throws -> Problem { try JSONDecoder().decode(Problem.self, from: response.body) }

            var rows = RequestImportTests.requests(6, prefix: "1402546242")
            rows[1].filedOn = "31/02/2024"
            rows[2].filedOn = "marzo de 2024"
            rows[3].text = " "
            rows[4].folio = rows[0].folio
            var file = RequestImportTests.csv(rows).split(separator: "\n").map(String.init)
            file[6] += ",de más"
            var (headers, body) = RequestImportTests.multipart(Data((file.joined(separator: "\n") + "\n").utf8), name: "solicitudes.csv")
            headers.add(contentsOf: english)
            let requests = try problem(
                try await setup.institution.send(.POST, "/api/v1/exercises/\(setup.exerciseID)/information-requests/imports", headers: headers, body: body))
            #expect(requests.code == "request_rows_invalid")
            #expect(
                requests.errors?.map(\.message) == [
                    "Row 3: the date «31/02/2024» does not exist.",
                    "Row 4: the date «marzo de 2024» cannot be read; write it as DD/MM/YYYY or YYYY-MM-DD.",
                    "Row 5: the request's description is missing.", "Row 6: folio 140254624200001 is repeated; it already appears in row 2.",
                    "Row 7: it has 6 fields and the header has 5; check the separators («,») and the quotes in that row.",
                ])
            let rowData = ["31/02/2024", "marzo de 2024", rows[0].folio]
            #expect(EnglishPagesTests.spanishLeft(in: requests.lines, userData: rowData).isEmpty, "\(requests.lines)")

            let progress = try problem(
                try await facilitator.send(
                    .POST, "/api/v1/exercises/\(setup.exerciseID)/progress/import", headers: ["Accept-Language": "en", "Content-Type": "text/csv"],
                    body: ByteBuffer(string: "activityId,status,progress\r\nnueve,terminada,150\r\n")))
            #expect(progress.code == "csv_rows_invalid")
            #expect(progress.errors?.first?.message == "Row 2, column activityId: it is not a valid activity identifier.")
            #expect(EnglishPagesTests.spanishLeft(in: progress.lines, userData: ["terminada"]).isEmpty, "\(progress.lines)")

            let title = "Contrataciones abiertas de medicamentos"
            try await app.writer.write(on: app.db, actor: .system) { tx, _ in
                let commitment = try await Fixture.commitment(title, of: setup.exerciseID, startsOn: "2027-01-15", endsOn: "2028-06-15", on: tx)
                try await Fixture.activity("Publicar contratos", of: commitment.requireID(), dueOn: "2029-01-01", on: tx)
            }
            let plan = try problem(try await facilitator.send(.POST, "/api/v1/exercises/\(setup.exerciseID)/plan/versions", headers: english))
            #expect(plan.code == "plan_invalid")
            #expect(
                plan.problems?.first { $0.code == "span_too_long" }?.message
                    == "“\(title)”: it lasts more than a year (from Friday, January 15, 2027 to Thursday, June 15, 2028).")
            #expect(EnglishPagesTests.spanishLeft(in: plan.lines, userData: [title, "Publicar contratos"]).isEmpty, "\(plan.lines)")
            let check = try JSONDecoder.api.decode(
                PlanCheckDTO.self, from: try await facilitator.send(.GET, "/api/v1/exercises/\(setup.exerciseID)/plan/check", headers: english).body)
            #expect(check.problems.map(\.message) == plan.problems?.map(\.message), "the plan check says it as the refusal does")
            #expect(check.warnings.contains { $0.message == "“\(title)”: without the indicator's baseline nobody can verify how much changed." })
        }
    }

    @Test func anErrorPageIsWrittenInTheLanguageOfThePage() async throws {
        try await withCocrea(.sqlite) { app in
            let english = try await Browser(app: app).get("/no-existe?lang=en")
            #expect(english.status == .notFound)
            #expect(english.body.string.contains("There is no such address in Cocrea."))
            #expect(try await Browser(app: app).get("/no-existe").body.string.contains("No existe esa dirección en Cocrea."))
        }
    }

    /// Checking a sealed plan under English, on the page and in the API, says what was found in English:
    /// an authentic copy, a copy changed after sealing, an unknown fingerprint and a file that is no PDF.
    @Test func aVerificationInEnglishShowsNoSpanish() async throws {
        try await withCocrea(.sqlite) { app in
            let setup = try await PlanDistributionTests.sealedPlan(app)
            let anyone = APIClient(app: app, token: nil)
            let english: HTTPHeaders = ["Accept-Language": "en"]
            let pdf = Data(buffer: try await anyone.send(.GET, setup.versionPath + "/sealed.pdf").body)
            var forged = [UInt8](pdf)
            forged[forged.count / 2] ^= 0x20
            let userData = try await EnglishPagesTests.userData(on: app.db)
            func verify(_ file: Data) async throws -> TestingHTTPResponse {
                var (headers, body) = SigningFlowTests.multipart(file, name: "pal.pdf")
                headers.add(contentsOf: english)
                return try await anyone.send(.POST, "/api/v1/verify", headers: headers, body: body)
            }

            let authentic = try JSONDecoder.api.decode(VerificationDTO.self, from: try await verify(pdf).body)
            #expect(authentic.authentic && authentic.message.hasPrefix("Authentic: it is the Local Action Plan of “"), "\(authentic.message)")
            let modified = try JSONDecoder.api.decode(VerificationDTO.self, from: try await verify(Data(forged)).body)
            #expect(modified.message == "The file was modified after it was sealed: the signature does not match its content.")
            let unknown = try JSONDecoder.api.decode(
                VerificationDTO.self, from: try await anyone.send(.GET, "/api/v1/verify?sha256=\(Hashing.sha256Hex(Data(forged)))", headers: english).body)
            #expect(unknown.message == "No Local Action Plan sealed by this instance has that fingerprint. A modified copy, even by one byte, has another.")
            let notPDF = try await verify(Data("Acta de la mesa de diálogo".utf8))
            #expect(notPDF.status == .unprocessableEntity)
            #expect(notPDF.body.string.contains("The file is not a readable PDF: The file is not a PDF."), "\(notPDF.body.string)")
            for message in [authentic.message, modified.message, unknown.message, notPDF.body.string] {
                #expect(EnglishPagesTests.spanishLeft(in: message, userData: userData).isEmpty, "\(message)")
            }

            let browser = Browser(app: app)
            #expect(try await browser.get("/verify?lang=en").status == .ok)
            for file in [Data(forged), Data("Acta de la mesa de diálogo".utf8)] {
                let page = try await browser.postMultipart(
                    "/verify?lang=en", fields: [], file: (field: "file", name: "pal.pdf", type: "application/pdf", data: Array(file)))
                #expect(page.body.string.contains("<html lang=\"en\">"))
                let left = EnglishPagesTests.spanishLeft(in: page.body.string, userData: userData)
                #expect(left.isEmpty, "/verify still shows Spanish: \(left)")
            }
            let byHash = try await browser.get("/verify?lang=en&sha256=\(Hashing.sha256Hex(Data(forged)))")
            #expect(EnglishPagesTests.spanishLeft(in: byHash.body.string, userData: userData).isEmpty)
        }
    }
}
