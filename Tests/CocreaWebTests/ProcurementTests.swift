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

/// Contrataciones abiertas: OCDS packages on the procurement commitment (uploaded, or fetched by an
/// administrator from a real HTTP server), refused whole when invalid, and their contracting
/// processes public with the plan.
@Suite struct ProcurementTests {
    /// The Secretaría de Salud Jalisco's medicine tender, awarded and signed, and an invitation
    /// whose award leaves out its date and its supplier's name.
    static let package = """
        {"uri": "https://transparencia.jalisco.gob.mx/ocds/salud/2026-014.json", "publishedDate": "2026-05-20T10:00:00-06:00",
         "publisher": {"name": "Secretaría de Salud Jalisco"}, "version": "1.1",
         "releases": [
          {"ocid": "ocds-7sjl2m-SSJ-LPL-2026-014", "id": "SSJ-LPL-2026-014-01", "date": "2026-02-03T09:00:00-06:00",
           "tag": ["tender"], "initiationType": "tender", "buyer": {"id": "MX-SSJ", "name": "Secretaría de Salud Jalisco"},
           "tender": {"id": "LPL-43068001-014-2026", "title": "Medicamentos del cuadro básico para la zona metropolitana", "status": "active",
                      "value": {"amount": 18450000, "currency": "MXN"},
                      "tenderPeriod": {"startDate": "2026-02-03T09:00:00-06:00", "endDate": "2026-02-24T18:00:00-06:00"}}},
          {"ocid": "ocds-7sjl2m-SSJ-LPL-2026-014", "id": "SSJ-LPL-2026-014-02", "date": "2026-03-16T12:00:00-06:00",
           "tag": ["award", "contract"], "initiationType": "tender", "buyer": {"id": "MX-SSJ", "name": "Secretaría de Salud Jalisco"},
           "parties": [{"id": "MX-RFC-DFO010203AB1", "name": "Distribuidora Farmacéutica de Occidente, S.A. de C.V.", "roles": ["supplier"]}],
           "tender": {"id": "LPL-43068001-014-2026", "title": "Medicamentos del cuadro básico para la zona metropolitana", "status": "complete",
                      "value": {"amount": 18450000, "currency": "MXN"},
                      "tenderPeriod": {"startDate": "2026-02-03T09:00:00-06:00", "endDate": "2026-02-24T18:00:00-06:00"}},
           "awards": [{"id": "SSJ-014-A1", "date": "2026-03-09T17:00:00-06:00", "value": {"amount": 17982340.5, "currency": "MXN"},
                       "suppliers": [{"id": "MX-RFC-DFO010203AB1"}]}],
           "contracts": [{"id": "SSJ-014-C1", "awardID": "SSJ-014-A1", "dateSigned": "2026-03-16T11:30:00-06:00",
                          "value": {"amount": 17982340.5, "currency": "MXN"}}]},
          {"ocid": "ocds-7sjl2m-SSJ-IA-2026-022", "id": "SSJ-IA-2026-022-01", "date": "2026-04-02T10:00:00-06:00",
           "tag": ["award"], "initiationType": "tender", "buyer": {"name": "Secretaría de Salud Jalisco"},
           "tender": {"title": "Material de curación para el Hospital General de Occidente", "status": "complete",
                      "value": {"amount": 1250000, "currency": "MXN"},
                      "tenderPeriod": {"startDate": "2026-03-10T09:00:00-06:00", "endDate": "2026-03-20T18:00:00-06:00"}},
           "awards": [{"id": "SSJ-022-A1", "value": {"amount": 1198000, "currency": "MXN"}, "suppliers": [{"id": "MX-RFC-SIN-NOMBRE"}]}]}
         ]}
        """

    struct Setup {
        var signing: SigningFlowTests.Setup
        var procurementID: UUID
        var localID: UUID
        var fixture: Fixture { signing.fixture }
    }

    static func setUp(_ app: Application) async throws -> Setup {
        let signing = try await SigningFlowTests.frozenPlan(app)
        let commitments = try await Commitment.query(on: app.db).filter(\.$exercise.$id == signing.fixture.exercise.id!).all()
        return Setup(
            signing: signing, procurementID: try commitments.first { $0.category == .procurement }!.requireID(),
            localID: try commitments.first { $0.category == .local }!.requireID())
    }

    static func upload(_ json: String, name: String = "ssj-2026-014.json", to commitmentID: UUID, as client: APIClient) async throws -> TestingHTTPResponse {
        let (headers, body) = MultipartForm.encode(file: (field: "file", name: name, type: "application/json", data: Array(json.utf8)))
        return try await client.send(.POST, "/api/v1/commitments/\(commitmentID)/procurement-packages", headers: headers, body: body)
    }

    static func problem(_ response: TestingHTTPResponse) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as! [String: Any]
    }

    @Test(arguments: TestDatabase.all)
    func aPackageOnTheProcurementCommitmentListsItsProcessesWithTheirMissingFields(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let setup = try await Self.setUp(app)
            let added = try await Self.upload(Self.package, to: setup.procurementID, as: setup.signing.facilitator)
            #expect(added.status == .created, "\(added.body.string)")
            let package = try JSONDecoder.api.decode(ProcurementPackageDTO.self, from: added.body)
            #expect(package.publisher == "Secretaría de Salud Jalisco")
            #expect(package.releaseCount == 3)
            #expect(package.sha256 == Hashing.sha256Hex(Data(Self.package.utf8)))
            #expect(package.sourceUrl == nil)
            #expect(package.processes.map(\.ocid) == ["ocds-7sjl2m-SSJ-IA-2026-022", "ocds-7sjl2m-SSJ-LPL-2026-014"])
            let tender = try #require(package.processes.last)
            #expect(tender.awards.first?.suppliers == ["Distribuidora Farmacéutica de Occidente, S.A. de C.V."])
            #expect(tender.awards.first?.value?.amount == Decimal(string: "17982340.5"))
            #expect(tender.flags.isEmpty)
            #expect(package.processes.first?.flags.map(\.code) == ["missing_supplier", "missing_award_date"])
            let inEnglish = try JSONDecoder.api.decode(
                [ProcurementPackageDTO].self,
                from: try await setup.signing.facilitator.send(
                    .GET, "/api/v1/commitments/\(setup.procurementID)/procurement-packages", headers: ["Accept-Language": "en"]
                ).body)
            let flags = try #require(inEnglish.first?.processes.first?.flags).map(\.message)
            #expect(flags.count == 2 && flags.allSatisfy { $0.hasPrefix("Award «") }, "the flags in the language asked: \(flags)")
            let stored = try #require(try await ProcurementPackage.find(package.id, on: app.db))
            #expect(stored.data == Data(Self.package.utf8), "the bytes are kept as they came")

            let again = try await Self.upload(Self.package, name: "otra-copia.json", to: setup.procurementID, as: setup.signing.facilitator)
            #expect(again.status == .conflict)
            #expect(try Self.problem(again)["code"] as? String == "procurement_package_exists")
            #expect(
                try Self.problem(again)["detail"] as? String
                    == "Este compromiso ya tiene ese mismo paquete (se agregó como «ssj-2026-014.json», con la misma huella SHA-256).")

            let listed = try JSONDecoder.api.decode(
                [ProcurementPackageDTO].self,
                from: try await setup.signing.facilitator.send(
                    .GET, "/api/v1/commitments/\(setup.procurementID)/procurement-packages"
                ).body)
            #expect(listed.map(\.id) == [package.id])
            let lucia = APIClient(app: app, token: setup.fixture.members["civilSociety"]!.token)
            #expect(try await lucia.send(.DELETE, "/api/v1/procurement-packages/\(package.id)").status == .forbidden)
            #expect(try await Self.upload(Self.package, to: setup.procurementID, as: lucia).status == .forbidden)
            #expect(try await setup.signing.facilitator.send(.DELETE, "/api/v1/procurement-packages/\(package.id)").status == .noContent)
            #expect(try await ProcurementPackage.query(on: app.db).count() == 0)
            let trail = try await AuditEvent.query(on: app.db).filter(\.$entity == "procurementPackage").sort(\.$sequence).all()
            #expect(trail.map(\.action) == ["create", "delete"])
        }
    }

    @Test(arguments: TestDatabase.all)
    func onlyTheProcurementCommitmentTakesPackagesAndABadPackageChangesNothing(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let setup = try await Self.setUp(app)
            let events = try await AuditEvent.query(on: app.db).count()
            let local = try await Self.upload(Self.package, to: setup.localID, as: setup.signing.facilitator)
            #expect(local.status == .unprocessableEntity)
            #expect(try Self.problem(local)["code"] as? String == "not_procurement_commitment")

            let broken = Self.package.replacingOccurrences(of: #""ocid": "ocds-7sjl2m-SSJ-IA-2026-022", "#, with: "")
                .replacingOccurrences(of: #""version": "1.1","#, with: #""version": "1.0","#)
            let invalid = try await Self.upload(broken, to: setup.procurementID, as: setup.signing.facilitator)
            #expect(invalid.status == .unprocessableEntity)
            let problem = try Self.problem(invalid)
            #expect(problem["code"] as? String == "ocds_invalid")
            let errors = (problem["errors"] as? [[String: String]]) ?? []
            #expect(errors.map { $0["field"] ?? "" } == ["$.version", "$.releases[2].ocid"])
            #expect(errors.first?["message"] == "Cocrea lee OCDS 1.1, y el paquete declara la versión «1.0».")

            let notJSON = try await Self.upload(
                "Folio,Proveedor\nLPL-014,Distribuidora Farmacéutica de Occidente\n", name: "contratos.csv",
                to: setup.procurementID, as: setup.signing.facilitator)
            #expect(notJSON.status == .unsupportedMediaType)
            #expect(try Self.problem(notJSON)["code"] as? String == "ocds_not_json")
            #expect(try await ProcurementPackage.query(on: app.db).count() == 0)
            #expect(try await AuditEvent.query(on: app.db).count() == events, "nothing was written")
        }
    }

    @Test(arguments: TestDatabase.all)
    func anAdministratorHasCocreaFetchAPackageFromAnHTTPServer(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let setup = try await Self.setUp(app)
            // The publisher's server: a real HTTP server on loopback.
            let origin = try await Application.make(.testing)
            origin.logger.logLevel = .warning
            origin.get("ocds", "salud", "2026-014.json") { _ in
                Response(status: .ok, headers: ["Content-Type": "application/json"], body: .init(string: Self.package))
            }
            origin.get("ocds", "movido.json") { req in
                req.redirect(to: "/ocds/salud/2026-014.json")
            }
            origin.get("ocds", "enorme.json") { _ in
                Response(status: .ok, body: .init(buffer: ByteBuffer(repeating: UInt8(ascii: " "), count: 21 * 1_048_576)))
            }
            try await origin.server.start(address: .hostname("127.0.0.1", port: 0))
            do {
                let port = try #require(origin.http.server.shared.localAddress?.port)
                let base = "http://127.0.0.1:\(port)/ocds"
                let path = "/api/v1/commitments/\(setup.procurementID)/procurement-packages"
                let admin = APIClient(app: app, token: setup.fixture.administrator.token)

                let facilitator = try await setup.signing.facilitator.send(.POST, path, json: #"{"url": "\#(base)/salud/2026-014.json"}"#)
                #expect(facilitator.status == .forbidden)
                #expect(try Self.problem(facilitator)["code"] as? String == "url_fetch_forbidden")
                for (url, status, code) in [
                    ("ftp://127.0.0.1/ocds.json", HTTPStatus.unprocessableEntity, "validation_failed"),
                    ("http://compras:secreto@127.0.0.1:\(port)/ocds/salud/2026-014.json", .unprocessableEntity, "validation_failed"),
                    ("\(base)/movido.json", .unprocessableEntity, "ocds_fetch_failed"),
                    ("\(base)/no-existe.json", .unprocessableEntity, "ocds_fetch_failed"),
                    ("\(base)/enorme.json", .payloadTooLarge, "file_too_large"),
                ] {
                    let refused = try await admin.send(.POST, path, json: #"{"url": "\#(url)"}"#)
                    #expect(refused.status == status, "\(url): \(refused.body.string)")
                    #expect(try Self.problem(refused)["code"] as? String == code, "\(url)")
                }
                let missing = try await admin.send(.POST, path, json: #"{"url": "\#(base)/no-existe.json"}"#)
                #expect(
                    try Self.problem(missing)["detail"] as? String
                        == "No se pudo traer el paquete de \(base)/no-existe.json: el servidor respondió con el código HTTP 404.")
                let moved = try await admin.send(.POST, path, json: #"{"url": "\#(base)/movido.json"}"#)
                #expect(
                    (try Self.problem(moved)["detail"] as? String)?.contains("Cocrea no sigue redirecciones") == true,
                    "the typed address is the only one reached")
                #expect(try await ProcurementPackage.query(on: app.db).count() == 0)

                let fetched = try await admin.send(.POST, path, json: #"{"url": "\#(base)/salud/2026-014.json"}"#)
                #expect(fetched.status == .created, "\(fetched.body.string)")
                let package = try JSONDecoder.api.decode(ProcurementPackageDTO.self, from: fetched.body)
                #expect(package.name == "2026-014.json")
                #expect(package.sourceUrl == "\(base)/salud/2026-014.json")
                #expect(package.processes.count == 2)
            } catch {
                await origin.server.shutdown()
                try await origin.asyncShutdown()
                throw error
            }
            await origin.server.shutdown()
            try await origin.asyncShutdown()
        }
    }

    @Test(arguments: TestDatabase.all)
    func theProcessesArePublicOnceThePlanIsSealed(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let setup = try await Self.setUp(app)
            #expect(try await Self.upload(Self.package, to: setup.procurementID, as: setup.signing.facilitator).status == .created)
            let exerciseID = setup.fixture.exercise.id!
            let anyone = APIClient(app: app, token: nil)
            let hidden = try await anyone.send(.GET, "/api/v1/public/exercises/\(exerciseID)/procurement")
            #expect(hidden.status == .notFound)
            #expect(try Self.problem(hidden)["code"] as? String == "not_public")

            #expect(try await SigningFlowTests.paperCopy(setup.signing).status == .ok)
            let published = try JSONDecoder.api.decode(
                PublicProcurementDTO.self,
                from: try await anyone.send(.GET, "/api/v1/public/exercises/\(exerciseID)/procurement").body)
            let commitment = try #require(published.commitments.first)
            #expect(published.commitments.count == 1)
            #expect(commitment.title == "Contrataciones abiertas de la Secretaría de Salud")
            #expect(commitment.packages.map(\.publisher) == ["Secretaría de Salud Jalisco"])
            #expect(commitment.processes.map(\.ocid) == ["ocds-7sjl2m-SSJ-IA-2026-022", "ocds-7sjl2m-SSJ-LPL-2026-014"])
            let download = try await anyone.send(.GET, try #require(commitment.packages.first).downloadUrl)
            #expect(download.status == .ok)
            #expect(download.body.string == Self.package, "the package as received, to check against its SHA-256")
            #expect(
                try await anyone.send(.GET, "/public/exercises/\(setup.fixture.otherExercise.id!)/procurement-packages/\(commitment.packages[0].id)").status
                    == .notFound)

            // An edit after sealing is a draft until a new version is sealed: the public keeps what was signed.
            let live = try #require(try await Commitment.find(setup.procurementID, on: app.db))
            live.title = "Contrataciones abiertas (borrador de la siguiente versión)"
            try await live.save(on: app.db)
            let afterEdit = try JSONDecoder.api.decode(
                PublicProcurementDTO.self,
                from: try await anyone.send(.GET, "/api/v1/public/exercises/\(exerciseID)/procurement").body)
            #expect(afterEdit.commitments.map(\.title) == ["Contrataciones abiertas de la Secretaría de Salud"])

            let page = try await Browser(app: app).get("/public/exercises/\(exerciseID)")
            let html = page.body.string
            #expect(page.status == .ok)
            #expect(html.contains("<h2 id=\"contrataciones\">Contrataciones abiertas (OCDS)</h2>"))
            #expect(html.contains("<a href=\"\(commitment.packages[0].downloadUrl)\">"))
            #expect(html.contains("<td>$18,450,000.00</td>"), "the tender's amount in pesos")
            #expect(html.contains("SSJ-014-A1: $17,982,340.50, 09/03/2026"), "the award's amount and date")
            #expect(html.contains("SSJ-014-C1: $17,982,340.50, firmado el 16/03/2026"))
            #expect(html.contains("03/02/2026 – 24/02/2026"), "the tender period, dd/mm/aaaa")
            #expect(html.contains("Distribuidora Farmacéutica de Occidente, S.A. de C.V."))
            #expect(html.contains("La adjudicación «SSJ-022-A1» no indica su fecha."))
        }
    }

    @Test(arguments: TestDatabase.all)
    func thePlanPageTakesAPackageAndShowsEveryProblemOfABadOne(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let setup = try await Self.setUp(app)
            let exerciseID = setup.fixture.exercise.id!
            let facilitator = setup.fixture.members["facilitator"]!
            let browser = Browser(app: app)
            #expect(try await browser.signIn(email: facilitator.email, password: Fixture.password).status == .seeOther)
            let plan = try await browser.get("/exercises/\(exerciseID)/plan")
            let fileField = "ocds-file-\(setup.procurementID)"
            #expect(plan.body.string.contains("<label for=\"\(fileField)\">"))
            #expect(!plan.body.string.contains("ocds-url-"), "only an instance administrator has Cocrea fetch a URL")
            #expect(!plan.body.string.contains("ocds-file-\(setup.localID)"), "only the procurement commitment takes packages")

            let action = "/exercises/\(exerciseID)/plan/commitments/\(setup.procurementID)/procurement-packages"
            let broken = Self.package.replacingOccurrences(of: #""initiationType": "tender", "buyer": {"name""#, with: #""buyer": {"name""#)
            let refused = try await browser.postMultipart(
                action, fields: [("url", "")],
                file: (field: "file", name: "ssj.json", type: "application/json", data: Array(broken.utf8)))
            #expect(refused.status == .unprocessableEntity)
            #expect(
                refused.body.string.contains(
                    "<a href=\"#\(fileField)\">$.releases[2].initiationType: Falta «initiationType» (en OCDS 1.1 siempre es &quot;tender&quot;).</a>"))
            #expect(try await ProcurementPackage.query(on: app.db).count() == 0)

            let added = try await browser.postMultipart(
                action, fields: [("url", "")],
                file: (field: "file", name: "ssj-2026-014.json", type: "application/json", data: Array(Self.package.utf8)))
            #expect(added.status == .ok)
            #expect(added.body.string.contains("Se agregó el paquete «ssj-2026-014.json» de Secretaría de Salud Jalisco: 3 entregas."))
            #expect(added.body.string.contains("ocds-7sjl2m-SSJ-IA-2026-022: La adjudicación «SSJ-022-A1» no indica el nombre de su proveedor."))

            let admin = Browser(app: app)
            #expect(try await admin.signIn(email: setup.fixture.administrator.email, password: Fixture.password).status == .seeOther)
            #expect(try await admin.get("/exercises/\(exerciseID)/plan").body.string.contains("<label for=\"ocds-url-\(setup.procurementID)\">"))
        }
    }
}
