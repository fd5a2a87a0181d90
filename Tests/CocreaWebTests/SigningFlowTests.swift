import CocreaCore
import CocreaDocuments
import CocreaStore
import CocreaTestSupport
import CocreaUseCases
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import CocreaWeb

/// Rule S1 end to end: the facilitator requests signatures, each actor signs with a one-time code
/// from their email, the last signature seals the PAL with the instance's PDF signature, and anyone
/// can verify a copy.
@Suite struct SigningFlowTests {
    struct Setup {
        var fixture: Fixture
        var facilitator: APIClient
        var version: PlanVersionDTO
        var versionPath: String
    }

    /// A plan that meets Q1–Q3 and A1, frozen through the API; conformity closed unless asked not to.
    static func frozenPlan(_ app: Application, closeConformity: Bool = true) async throws -> Setup {
        let fixture = try await Fixture.make(on: app)
        let api = APIClient(app: app, token: fixture.members["facilitator"]!.token)
        let base = "/api/v1/exercises/\(fixture.exercise.id!)"
        let problem = try JSONDecoder.api.decode(
            DossierItemDTO.self,
            from: try await api.send(
                .POST, base + "/dossier/items",
                json: """
                    {"kind": "problem", "title": "Desabasto de medicamentos", "body": "Recetas incompletas en centros de salud de Los Altos."}
                    """
            ).body
        ).id!
        let catalogue = try JSONDecoder.api.decode(
            [NationalCommitmentDTO].self,
            from: try await api.send(.GET, "/api/v1/national-commitments?plan=2016-2018").body)
        let national = catalogue.filter { $0.axis != nil }.map(\.id!)
        let commitments: [(String, String, String)] = [
            ("Contrataciones abiertas de la Secretaría de Salud", "procurement", ""),
            ("Sistema Estatal de Cuidados", "nationalPlan", ", \"nationalCommitmentId\": \"\(national[0])\""),
            ("Padrón único de beneficiarios", "nationalPlan", ", \"nationalCommitmentId\": \"\(national[1])\""),
            ("Inventario mensual de medicamentos", "local", ", \"dossierItemId\": \"\(problem)\""),
            ("Tablero de abasto por unidad médica", "local", ", \"dossierItemId\": \"\(problem)\""),
        ]
        for (title, category, link) in commitments {
            let created = try await api.send(
                .POST, base + "/commitments",
                json: """
                    {"title": "\(title)", "category": "\(category)", "problem": "Recetas no surtidas", "objective": "Surtir el 95 % de las recetas",
                     "startsOn": "2027-01-15", "endsOn": "2027-12-15", "leadInstitution": "Secretaría de Salud Jalisco",
                     "indicator": {"name": "Porcentaje publicado", "baseline": "0 %", "target": "100 %", "meansOfVerification": "Portal de datos abiertos"}\(link)}
                    """)
            let id = try JSONDecoder.api.decode(CommitmentDTO.self, from: created.body).id!
            _ = try await api.send(
                .POST, "/api/v1/commitments/\(id)/activities",
                json: """
                    {"title": "Publicar el primer conjunto de datos", "responsible": "Lic. Jorge Ramírez Ochoa", "responsibleInstitution": "STL Jalisco", "dueOn": "2027-03-31"}
                    """)
        }
        let frozen = try await api.send(.POST, base + "/plan/versions")
        let version = try JSONDecoder.api.decode(PlanVersionDTO.self, from: frozen.body)
        let path = "/api/v1/plan-versions/\(version.id!)"
        if closeConformity { _ = try await api.send(.POST, path + "/conformity/close") }
        return Setup(fixture: fixture, facilitator: api, version: version, versionPath: path)
    }

    /// The signing links in the outbox, by recipient email (the newest per person).
    static func signingLinks(on app: Application) async throws -> [String: String] {
        var links: [String: String] = [:]
        for delivery in try await Delivery.query(on: app.db).filter(\.$kind == "signatureRequest").sort(\.$createdAt).all() {
            let raw = String(decoding: delivery.message, as: UTF8.self).replacingOccurrences(of: "=\r\n", with: "")
            if let range = raw.range(of: #"/sign/[A-Za-z0-9_\-]+"#, options: .regularExpression) {
                links[delivery.toEmail] = String(raw[range].dropFirst("/sign/".count))
            }
        }
        return links
    }

    /// The newest one-time code mailed to `email` (it is in the subject).
    static func code(for email: String, on app: Application) async throws -> String {
        let delivery = try #require(
            try await Delivery.query(on: app.db).filter(\.$kind == "signingCode").filter(\.$toEmail == email)
                .sort(\.$createdAt, .descending).first())
        return String(delivery.subject.suffix(6))
    }

    static func problem(_ response: TestingHTTPResponse) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as! [String: Any]
    }

    static func multipart(_ data: Data, name: String) -> (HTTPHeaders, ByteBuffer) {
        MultipartForm.encode(file: (field: "file", name: name, type: "application/pdf", data: Array(data)))
    }

    /// What a facilitator uploads after a signing session on paper: the plan's own PDF (a real PDF of
    /// its page count) as the scanned copy, and every member still to sign named as having signed it
    /// (or only `names`).
    @discardableResult
    static func paperCopy(_ setup: Setup, signedBy names: [String]? = nil) async throws -> TestingHTTPResponse {
        let scan = Array(try await setup.facilitator.send(.GET, setup.versionPath + "/document.pdf").body.readableBytesView)
        let status = try JSONDecoder.api.decode(SigningStatusDTO.self, from: try await setup.facilitator.send(.GET, setup.versionPath + "/signatures").body)
        let signers = status.signatures.filter { $0.signedAt == nil && (names ?? [$0.name]).contains($0.name) }
        let (headers, body) = MultipartForm.encode(
            fields: signers.map { ("signedBy[]", $0.memberId.uuidString) },
            file: (field: "file", name: "pal-firmado.pdf", type: "application/pdf", data: scan))
        return try await setup.facilitator.send(.POST, setup.versionPath + "/paper-copy", headers: headers, body: body)
    }

    @Test(arguments: TestDatabase.all)
    func everyActorSignsWithACodeAndTheLastSignatureSealsThePAL(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let setup = try await Self.frozenPlan(app, closeConformity: false)
            let open = try await setup.facilitator.send(.POST, setup.versionPath + "/signature-requests")
            #expect(open.status == .conflict)
            #expect(try Self.problem(open)["code"] as? String == "conformity_open")
            _ = try await setup.facilitator.send(.POST, setup.versionPath + "/conformity/close")

            let lucia = APIClient(app: app, token: setup.fixture.members["civilSociety"]!.token)
            #expect(try await lucia.send(.POST, setup.versionPath + "/signature-requests").status == .forbidden)
            let requested = try await setup.facilitator.send(.POST, setup.versionPath + "/signature-requests")
            #expect(requested.status == .accepted, "\(requested.body.string)")
            let links = try await Self.signingLinks(on: app)
            #expect(links.count == 4, "one personal link per member")

            let anyone = APIClient(app: app, token: nil)
            let notYet = try await anyone.send(.GET, setup.versionPath + "/sealed.pdf")
            #expect(notYet.status == .notFound)
            #expect(try Self.problem(notYet)["code"] as? String == "not_sealed")

            let people = setup.fixture.members.values.sorted { $0.email < $1.email }
            for (index, person) in people.enumerated() {
                let token = try #require(links[person.email])
                let sent = try await anyone.send(.POST, "/api/v1/signing/\(token)/code")
                #expect(sent.status == .ok, "\(sent.body.string)")
                #expect(sent.body.string.contains("•••@"), "the address is shown partly hidden")
                let code = try await Self.code(for: person.email, on: app)
                if index == 0 {
                    let wrongCode = code == "000000" ? "111111" : "000000"
                    let wrong = try await anyone.send(.POST, "/api/v1/signing/\(token)", json: #"{"code": "\#(wrongCode)"}"#)
                    #expect(wrong.status == .unprocessableEntity)
                    #expect(try Self.problem(wrong)["code"] as? String == "signing_code_wrong")
                    #expect(try Self.problem(wrong)["remainingAttempts"] as? Int == 4)
                    let malformed = try await anyone.send(.POST, "/api/v1/signing/\(token)", json: #"{"code": "12ab"}"#)
                    #expect(malformed.status == .unprocessableEntity)
                }
                let signed = try await anyone.send(
                    .POST, "/api/v1/signing/\(token)", json: #"{"code": "\#(code)"}"#,
                    headers: ["User-Agent": "Mozilla/5.0 (Pruebas Cocrea)"])
                #expect(signed.status == .ok, "\(signed.body.string)")
                let result = try JSONDecoder.api.decode(SignedDTO.self, from: signed.body)
                #expect(result.sealed == (index == people.count - 1), "only the last signature seals")
                let twice = try await anyone.send(.POST, "/api/v1/signing/\(token)", json: #"{"code": "\#(code)"}"#)
                #expect(twice.status == .conflict)
            }
            let stored = try await Signature.query(on: app.db).all()
            #expect(stored.allSatisfy { $0.userAgent == "Mozilla/5.0 (Pruebas Cocrea)" && $0.codeHash == nil })

            let sealed = try await anyone.send(.GET, setup.versionPath + "/sealed.pdf")
            #expect(sealed.status == .ok)
            let pdf = Data(buffer: sealed.body)
            let report = try await Tool.output(["pdfsig", "FILE"], input: pdf)
            #expect(report.contains("Signature is Valid"), "\(report)")
            let pdfaCheck = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../support/pdfa_check.py").standardized
            let archival = try await Tool.output(["python3", pdfaCheck.path, "FILE"], input: pdf)
            #expect(archival.contains("PDF/A-2b: OK"), "\(archival)")
            let text = try await SignedPALText.of(pdf)
            #expect(text.contains("Constancia de firmas"))
            #expect(text.contains(setup.version.sha256))
            for person in people {
                let name = try #require(try await Member.query(on: app.db).filter(\.$email == person.email).first()).name
                #expect(text.contains("Rúbrica: \(name)"))
                #expect(text.contains(PlanDocument.initials(of: name)))
            }
            #expect(!text.contains("Mozilla"), "the user agent is never published")

            let byHash = try await anyone.send(.GET, "/api/v1/verify?sha256=\(Hashing.sha256Hex(pdf))")
            let verified = try JSONDecoder.api.decode(VerificationDTO.self, from: byHash.body)
            #expect(verified.authentic)
            #expect(verified.planVersionId == setup.version.id)
            #expect(verified.signers.count == 4)
            #expect(!byHash.body.string.contains("ipAddress") && !byHash.body.string.contains("userAgent"))

            let (headers, body) = Self.multipart(pdf, name: "pal.pdf")
            let uploaded = try JSONDecoder.api.decode(
                VerificationDTO.self, from: try await anyone.send(.POST, "/api/v1/verify", headers: headers, body: body).body)
            #expect(uploaded.authentic)
            #expect(uploaded.signers.map(\.name).sorted() == verified.signers.map(\.name).sorted())

            var forged = [UInt8](pdf)
            forged[forged.count / 2] ^= 0x20
            let (forgedHeaders, forgedBody) = Self.multipart(Data(forged), name: "pal.pdf")
            let rejected = try JSONDecoder.api.decode(
                VerificationDTO.self, from: try await anyone.send(.POST, "/api/v1/verify", headers: forgedHeaders, body: forgedBody).body)
            #expect(!rejected.authentic)
            #expect(rejected.signers.isEmpty)
            let unknown = try JSONDecoder.api.decode(
                VerificationDTO.self, from: try await anyone.send(.GET, "/api/v1/verify?sha256=\(Hashing.sha256Hex(Data(forged)))").body)
            #expect(!unknown.authentic)
            #expect(try await anyone.send(.GET, "/api/v1/verify?sha256=no-es-una-huella").status == .unprocessableEntity)

            let again = try await setup.facilitator.send(.POST, setup.versionPath + "/signature-requests")
            #expect(again.status == .conflict)
            #expect(try Self.problem(again)["code"] as? String == "already_sealed")
        }
    }

    @Test func fiveWrongCodesLockTheLinkAndANewRequestOpensAFreshOne() async throws {
        try await withCocrea(.sqlite) { app in
            let setup = try await Self.frozenPlan(app)
            _ = try await setup.facilitator.send(.POST, setup.versionPath + "/signature-requests")
            let email = setup.fixture.members["institution"]!.email
            let token = try #require(try await Self.signingLinks(on: app)[email])
            let anyone = APIClient(app: app, token: nil)
            _ = try await anyone.send(.POST, "/api/v1/signing/\(token)/code")
            let code = try await Self.code(for: email, on: app)
            let wrongCode = code == "999999" ? "888888" : "999999"
            for _ in 1...5 {
                _ = try await anyone.send(.POST, "/api/v1/signing/\(token)", json: #"{"code": "\#(wrongCode)"}"#)
            }
            let locked = try await anyone.send(.POST, "/api/v1/signing/\(token)", json: #"{"code": "\#(code)"}"#)
            #expect(locked.status.code == 423)
            #expect(try Self.problem(locked)["code"] as? String == "signing_link_locked")
            #expect(try await Signature.query(on: app.db).filter(\.$signedAt != nil).count() == 0, "the right code no longer signs")

            _ = try await setup.facilitator.send(.POST, setup.versionPath + "/signature-requests")
            let fresh = try #require(try await Self.signingLinks(on: app)[email])
            #expect(fresh != token)
            #expect(try await anyone.send(.POST, "/api/v1/signing/\(token)/code").status == .notFound, "the old link stops working")
            _ = try await anyone.send(.POST, "/api/v1/signing/\(fresh)/code")
            let newCode = try await Self.code(for: email, on: app)
            #expect(try await anyone.send(.POST, "/api/v1/signing/\(fresh)", json: #"{"code": "\#(newCode)"}"#).status == .ok)
        }
    }

    @Test func aCodeExpiresAfterTenMinutes() async throws {
        let clock = TestClock()
        try await withCocrea(.sqlite, clock: clock) { app in
            let setup = try await Self.frozenPlan(app)
            _ = try await setup.facilitator.send(.POST, setup.versionPath + "/signature-requests")
            let email = setup.fixture.members["guarantor"]!.email
            let token = try #require(try await Self.signingLinks(on: app)[email])
            let anyone = APIClient(app: app, token: nil)
            _ = try await anyone.send(.POST, "/api/v1/signing/\(token)/code")
            let code = try await Self.code(for: email, on: app)
            clock.advance(by: 10 * 60 + 1)
            let expired = try await anyone.send(.POST, "/api/v1/signing/\(token)", json: #"{"code": "\#(code)"}"#)
            #expect(expired.status == .unprocessableEntity)
            #expect(try Self.problem(expired)["code"] as? String == "signing_code_expired")
            let stored = try #require(try await Signature.query(on: app.db).filter(\.$tokenHash == Hashing.sha256Hex(token)).first())
            #expect(stored.codeHash != code && stored.tokenHash != token, "codes and tokens are stored hashed")
        }
    }

    @Test func actorSignsThroughTheirPersonalPage() async throws {
        try await withCocrea(.sqlite) { app in
            let setup = try await Self.frozenPlan(app)
            _ = try await setup.facilitator.send(.POST, setup.versionPath + "/signature-requests")
            let email = setup.fixture.members["civilSociety"]!.email
            let token = try #require(try await Self.signingLinks(on: app)[email])
            let browser = Browser(app: app)
            let page = try await browser.get("/sign/\(token)")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("Enviamos un código de 6 dígitos a <strong>l•••@datosabiertos-gdl.example</strong>"))
            #expect(page.body.string.contains("Contrataciones abiertas de la Secretaría de Salud"))
            #expect(try await Delivery.query(on: app.db).filter(\.$kind == "signingCode").count() == 1, "opening the link sends the code")
            #expect(try await browser.get("/sign/\(token)/document.pdf").headers.contentType?.subType == "pdf")
            let wrong = try await browser.post("/sign/\(token)", form: [("code", "123")])
            #expect(wrong.status == .unprocessableEntity)
            #expect(wrong.body.string.contains("El código tiene 6 dígitos"))
            let code = try await Self.code(for: email, on: app)
            let signed = try await browser.post("/sign/\(token)", form: [("code", code)])
            #expect(signed.status == .ok)
            #expect(signed.body.string.contains("Firmaste el plan: tu rúbrica quedó en cada hoja y tu firma al calce."))
            #expect(try await browser.get("/sign/\(token)").body.string.contains("Firmaste esta versión el"))
        }
    }

    @Test func aPaperCopyCountsOnlyTheNamedSignersOfARealScanAndNeverALockedOne() async throws {
        try await withCocrea(.sqlite) { app in
            let setup = try await Self.frozenPlan(app)
            let members = try JSONDecoder.api.decode(
                SigningStatusDTO.self, from: try await setup.facilitator.send(.GET, setup.versionPath + "/signatures").body
            )
            .signatures
            let everyone = members.map { ("signedBy[]", $0.memberId.uuidString) }
            func upload(_ bytes: [UInt8], signedBy fields: [(String, String)]) async throws -> TestingHTTPResponse {
                let (headers, body) = MultipartForm.encode(fields: fields, file: (field: "file", name: "pal-firmado.pdf", type: "application/pdf", data: bytes))
                return try await setup.facilitator.send(.POST, setup.versionPath + "/paper-copy", headers: headers, body: body)
            }
            let shortScan = Array(
                try PlanPDF.render(
                    PlanDocument(
                        exerciseName: "Copia escaneada", territory: "Jalisco", versionNumber: 1, sha256: setup.version.sha256,
                        frozenAt: "", verificationURL: "https://cocrea.example/verify", signers: [], commitments: [])))
            let scan = Array(try await setup.facilitator.send(.GET, setup.versionPath + "/document.pdf").body.readableBytesView)
            for (bytes, says) in [
                (Array("no es un pdf".utf8), "no se puede leer como PDF"),
                (Array("%PDF-1.4\n% copia firmada\n%%EOF\n".utf8), "no se puede leer como PDF"),
                (shortScan, "y el plan tiene"),
            ] {
                let refused = try await upload(bytes, signedBy: everyone)
                #expect(refused.status == .unprocessableEntity)
                #expect(try Self.problem(refused)["code"] as? String == "invalid_upload")
                #expect(refused.body.string.contains(says), "\(refused.body.string)")
            }
            let nobody = try await upload(scan, signedBy: [])
            #expect(nobody.status == .unprocessableEntity)
            #expect(nobody.body.string.contains("Marca a cada persona que firmó la copia en papel."))
            let lone = try await upload(scan, signedBy: [("signedBy", members[0].memberId.uuidString)])
            #expect(lone.status == .ok, "a lone field without brackets is a list of one: \(lone.body.string)")
            #expect(
                try JSONDecoder.api.decode(SigningStatusDTO.self, from: lone.body).signatures.filter { $0.signedAt != nil }.map(\.name) == [
                    "Lic. Jorge Ramírez Ochoa"
                ])

            // Lucía's link locks after five wrong codes: she cannot be counted as signing on paper.
            _ = try await setup.facilitator.send(.POST, setup.versionPath + "/signature-requests")
            let lucia = setup.fixture.members["civilSociety"]!.email
            let token = try #require(try await Self.signingLinks(on: app)[lucia])
            let anyone = APIClient(app: app, token: nil)
            _ = try await anyone.send(.POST, "/api/v1/signing/\(token)/code")
            let wrongCode = try await Self.code(for: lucia, on: app) == "999999" ? "888888" : "999999"
            for _ in 1...5 { _ = try await anyone.send(.POST, "/api/v1/signing/\(token)", json: #"{"code": "\#(wrongCode)"}"#) }
            let filesBefore = try await StoredFile.query(on: app.db).count()
            let locked = try await upload(scan, signedBy: everyone)
            #expect(locked.status == .unprocessableEntity)
            #expect(
                locked.body.string.contains(
                    "El enlace de firma de Lucía Hernández Paredes está bloqueado por cinco códigos o contraseñas de e.firma incorrectos"))
            #expect(try await Signature.query(on: app.db).filter(\.$signedAt != nil).count() == 1, "a refused copy counts nobody")
            #expect(try await StoredFile.query(on: app.db).count() == filesBefore, "and is not kept")

            let others = try await Self.paperCopy(setup, signedBy: members.map(\.name).filter { $0 != "Lucía Hernández Paredes" })
            #expect(others.status == .ok, "\(others.body.string)")
            let partial = try JSONDecoder.api.decode(SigningStatusDTO.self, from: others.body)
            #expect(!partial.sealed, "Lucía has not signed")
            #expect(partial.signatures.filter { $0.method == "paper" }.count == 3)
            #expect(partial.signatures.first { $0.name == "Lucía Hernández Paredes" }?.signedAt == nil)

            // A new request opens a fresh link; then her signature on paper completes the plan.
            _ = try await setup.facilitator.send(.POST, setup.versionPath + "/signature-requests")
            let sealed = try await Self.paperCopy(setup, signedBy: ["Lucía Hernández Paredes"])
            #expect(sealed.status == .ok, "\(sealed.body.string)")
            let status = try JSONDecoder.api.decode(SigningStatusDTO.self, from: sealed.body)
            #expect(status.sealed)
            #expect(status.signatures.allSatisfy { $0.method == "paper" })
            let pdf = Data(buffer: try await APIClient(app: app, token: nil).send(.GET, setup.versionPath + "/sealed.pdf").body)
            // The page footers (initial boxes, page number) are cut out so a log line broken across pages still reads whole.
            let text = try await SignedPALText.of(pdf)
                .replacing(/Rúbrica: .*?Página \d+ de \d+\s/, with: "")
            let paper = try #require(try await PlanVersion.find(setup.version.id, on: app.db)?.$paperFile.get(on: app.db))
            #expect(text.contains("Copia firmada a mano cargada por Lic. Jorge Ramírez Ochoa (SHA-256 \(paper.sha256));"))
            #expect(text.contains("firmaron en papel: Lucía Hernández Paredes"))
            #expect(text.contains("firma autógrafa (copia escaneada)"))
        }
    }

    @Test func theFacilitatorMarksOnThePlanPageWhoSignedOnPaper() async throws {
        try await withCocrea(.sqlite) { app in
            let setup = try await Self.frozenPlan(app)
            let exerciseID = setup.fixture.exercise.id!.uuidString.lowercased()
            let browser = Browser(app: app)
            #expect(try await browser.signIn(email: setup.fixture.members["facilitator"]!.email, password: Fixture.password).status == .seeOther)
            let page = try await browser.get("/exercises/\(exerciseID)/plan").body.string
            let members = try JSONDecoder.api.decode(
                SigningStatusDTO.self, from: try await setup.facilitator.send(.GET, setup.versionPath + "/signatures").body
            )
            .signatures
            for member in members {
                #expect(page.contains("name=\"signedBy[]\" value=\"\(member.memberId.uuidString)\""), "a checkbox for \(member.name)")
                #expect(page.contains("\(member.name) firmó en papel</label>"))
            }
            let scan = Array(try await setup.facilitator.send(.GET, setup.versionPath + "/document.pdf").body.readableBytesView)
            let path = "/exercises/\(exerciseID)/plan/versions/\(setup.version.id!.uuidString.lowercased())/paper-copy"
            let file = (field: "file", name: "pal-firmado.pdf", type: "application/pdf", data: scan)
            let one = try await browser.postMultipart(path, fields: [("signedBy[]", members[0].memberId.uuidString)], file: file)
            #expect(one.status == .ok)
            #expect(one.body.string.contains("Falta que 3 personas firmen para sellar el PAL."))
            #expect(!one.body.string.contains("value=\"\(members[0].memberId.uuidString)\""), "who signed is no longer offered")
            let rest = try await browser.postMultipart(path, fields: members.dropFirst().map { ("signedBy[]", $0.memberId.uuidString) }, file: file)
            #expect(rest.body.string.contains("Se cargó la copia firmada a mano y el PAL quedó sellado."))
        }
    }

    @Test func operatorVerifiesASealedFileOfflineWithTheCommandLine() async throws {
        try await withCocrea(.sqlite) { app in
            let setup = try await Self.frozenPlan(app)
            #expect(try await Self.paperCopy(setup).status == .ok)
            let pdf = Data(buffer: try await APIClient(app: app, token: nil).send(.GET, setup.versionPath + "/sealed.pdf").body)
            let directory = TestPaths.temporaryDirectory("verify")
            let file = directory + "/pal.pdf"
            try pdf.write(to: URL(fileURLWithPath: file))
            let certificate = TestPaths.signingDirectory + "/certificate.pem"
            let good = try await Tool.run(
                TestPaths.root + "/.build/debug/cocrea", ["verify", file, "--certificate", certificate], environment: ["LOG_LEVEL": "error"])
            #expect(good.status == 0, "\(good.output)")
            #expect(good.output.contains("AUTÉNTICO"))
            #expect(good.output.contains("Lucía Hernández Paredes"))
            var forged = [UInt8](pdf)
            forged[100] ^= 0x01
            try Data(forged).write(to: URL(fileURLWithPath: file))
            let bad = try await Tool.run(
                TestPaths.root + "/.build/debug/cocrea", ["verify", file, "--certificate", certificate], environment: ["LOG_LEVEL": "error"])
            #expect(bad.status == 1)
            #expect(bad.output.contains("NO AUTÉNTICO"))
        }
    }
}
