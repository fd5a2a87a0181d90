import CocreaCore
import CocreaStore
import CocreaTestSupport
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import CocreaWeb

/// Issue 20, point 6: once the plan is sealed, the exercise's open data (the roadmap and the tables
/// among it) is a Frictionless Data Package whose Table Schemas match the CSVs, and the instance's
/// DCAT catalogue lists it for data portals; nothing personal is in any of it.
@Suite struct OpenDataPackageTests {
    private static let roadmap = """
        [{"kind": "kickoff", "title": "Evento de arranque en Guadalajara", "startsOn": "2027-01-20", "place": "Auditorio del ITEI, Guadalajara"},
         {"kind": "roundtable", "title": "Mesa de diálogo de salud", "startsOn": "2027-02-12", "place": "Sala de juntas de la Secretaría de Salud"}]
        """
    private static let proposer = "mariana.lopez@correo.example"
    private static let email = #"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"#

    private static func object(_ response: TestingHTTPResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
    }

    /// A draft's open data answers `not_public` saying the exercise is not published yet; the public
    /// follow-up, which the same code keeps private until a plan is sealed, still says that.
    @Test func aDraftsOpenDataSaysTheExerciseIsNotPublishedYetAndTheFollowUpThatItsPlanIsNotSigned() async throws {
        try await withCocrea(.sqlite) { app in
            let id = try await Fixture.make(on: app).exercise.id!.uuidString.lowercased()
            let anyone = APIClient(app: app, token: nil)
            for (language, notPublished, notSigned) in [
                ("es", "Este ejercicio todavía no se ha publicado", "no tiene todavía un Plan de Acción Local firmado y publicado"),
                ("en", "This exercise has not been published yet", "does not have a signed and published Local Action Plan yet"),
            ] {
                let headers: HTTPHeaders = ["Accept-Language": language]
                let openData = try await anyone.send(.GET, "/open-data/\(id)/roadmap.csv", headers: headers)
                #expect(openData.status == .notFound)
                #expect(openData.body.string.contains("data-code=\"not_public\""))
                #expect(openData.body.string.contains(notPublished), "\(language): \(openData.body.string)")
                #expect(!openData.body.string.contains(notSigned), "a draft's open data does not speak of its plan")
                let followUp = try Self.object(try await anyone.send(.GET, "/api/v1/public/exercises/\(id)/progress", headers: headers))
                #expect(followUp["code"] as? String == "not_public")
                #expect((followUp["detail"] as? String)?.contains(notSigned) == true, "\(language): \(followUp)")
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func theSealedExercisesOpenDataIsAPackageOfTypedTablesListedInTheCatalogue(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let setup = try await SigningFlowTests.frozenPlan(app)
            let exerciseID = setup.fixture.exercise.id!
            let id = exerciseID.uuidString.lowercased()
            let anyone = APIClient(app: app, token: nil)
            #expect(try await setup.facilitator.send(.PUT, "/api/v1/exercises/\(id)/roadmap", json: Self.roadmap).status == .ok)
            let members = try await Member.query(on: app.db).filter(\.$exercise.$id == exerciseID).all()
            try await app.writer.write(on: app.db, actor: .system) { tx, _ in
                let closed = Roundtable(exerciseID: exerciseID, startsAt: Date(timeIntervalSince1970: 1_802_000_000), place: "Sala Juárez")
                closed.stage = .closed
                try await closed.create(on: tx)
                for member in members {
                    let presence: Presence = member.sector == .civilSociety ? .absent : .present
                    try await Attendance(roundtableID: closed.id!, memberID: member.id!, presence: presence, representedBy: nil).create(on: tx)
                }
                try await Roundtable(exerciseID: exerciseID, startsAt: Date(timeIntervalSince1970: 1_803_000_000), place: "Casa de la Cultura").create(on: tx)
                for (problem, status, outcome) in [
                    ("Las recetas del centro de salud se surten incompletas", ProposalStatus.published, ProposalOutcome?.some(.notIncorporated)),
                    ("El director del centro no atiende", .hidden, nil),
                ] {
                    let proposal = Proposal()
                    proposal.$exercise.id = exerciseID
                    proposal.problem = problem
                    proposal.solution = "Publicar el inventario semanal por unidad médica"
                    proposal.theme = "Salud"
                    proposal.receivedAt = Date(timeIntervalSince1970: 1_801_000_000)
                    proposal.status = status
                    proposal.moderationReason = status == .hidden ? "Señala a una persona por su nombre." : ""
                    proposal.email = Self.proposer
                    proposal.emailConfirmedAt = proposal.receivedAt
                    proposal.outcome = outcome
                    proposal.responseReason = outcome == nil ? "" : "El inventario ya se publica cada mes en el portal estatal."
                    proposal.commitmentIDs = []
                    proposal.respondedAt = outcome == nil ? nil : Date(timeIntervalSince1970: 1_801_100_000)
                    proposal.respondedBy = outcome == nil ? "" : "Lic. Jorge Ramírez Ochoa"
                    try await proposal.create(on: tx)
                }
            }

            #expect(try await anyone.send(.GET, "/open-data/\(id)/datapackage.json").status == .notFound, "private before sealing")
            #expect(try await anyone.send(.GET, "/open-data/\(id)/roadmap.csv").status == .notFound)
            #expect((try Self.object(try await anyone.send(.GET, "/open-data/catalog.json"))["dataset"] as? [Any])?.isEmpty == true)
            #expect(try await SigningFlowTests.paperCopy(setup).status == .ok)

            let response = try await anyone.send(.GET, "/open-data/\(id)/datapackage.json")
            #expect(response.status == .ok)
            let package = try Self.object(response)
            #expect(package["profile"] as? String == "tabular-data-package")
            #expect((package["licenses"] as? [[String: String]])?.first?["name"] == "CC-BY-4.0")
            let resources = try #require(package["resources"] as? [[String: Any]])
            #expect(resources.compactMap { $0["name"] as? String } == OpenDataset.allCases.map(\.rawValue), "every dataset")
            var published: [String] = [response.body.string]
            var types: [String: [String: String]] = [:]
            for resource in resources {
                let name = try #require(resource["name"] as? String)
                #expect(resource["path"] as? String == "\(app.options.baseURL)/open-data/\(id)/\(name).csv")
                #expect(resource["mediatype"] as? String == "text/csv" && resource["encoding"] as? String == "utf-8")
                let schema = try #require(resource["schema"] as? [String: Any])
                let fields = try #require(schema["fields"] as? [[String: Any]])
                types[name] = Dictionary(uniqueKeysWithValues: fields.map { ($0["name"] as! String, $0["type"] as! String) })
                let csv = try await anyone.send(.GET, "/open-data/\(id)/\(name).csv").body.string
                #expect(csv.components(separatedBy: "\r\n").first == fields.map { $0["name"] as! String }.joined(separator: ","), "\(name)")
                published.append(csv)
            }
            #expect(types["commitments"]?["progress"] == "integer" && types["commitments"]?["startsOn"] == "date")
            #expect(types["progress-history"]?["reportedAt"] == "datetime")
            #expect(types["roundtables"]?["cancelled"] == "boolean" && types["roundtables"]?["presentCivilSociety"] == "integer")
            #expect(types["roadmap"]?["startsOn"] == "date" && types["roadmap"]?["title"] == "string")
            let activities = try #require(resources.first { $0["name"] as? String == "activities" }?["schema"] as? [String: Any])
            #expect(activities["primaryKey"] as? [String] == ["activityId"])
            let reference = (activities["foreignKeys"] as? [[String: Any]])?.first?["reference"] as? [String: Any]
            #expect(reference?["resource"] as? String == "commitments" && reference?["fields"] as? [String] == ["commitmentId"])

            let roadmap = try await anyone.send(.GET, "/open-data/\(id)/roadmap.csv").body.string
            #expect(roadmap.contains(",kickoff,Evento de arranque en Guadalajara,2027-01-20,2027-01-20,\"Auditorio del ITEI, Guadalajara\","))
            let tables = try await anyone.send(.GET, "/open-data/\(id)/roundtables.json").body
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(buffer: tables)) as? [[String: String]])
            let closed = try #require(rows.first { $0["stage"] == "closed" })
            #expect([closed["presentGuarantor"], closed["presentInstitution"], closed["absentCivilSociety"]] == ["2", "1", "1"])
            #expect(rows.first { $0["stage"] == "scheduled" }?["presentGuarantor"] == "", "no attendance before the table closes")
            let proposals = try await anyone.send(.GET, "/open-data/\(id)/proposals.csv").body.string
            #expect(proposals.contains(",notIncorporated,El inventario ya se publica cada mes en el portal estatal.,"))
            #expect(proposals.contains(",hidden,,,,Señala a una persona por su nombre.,"), "a hidden proposal keeps its reason, not its text")
            #expect(!proposals.contains("El director del centro no atiende"))
            #expect(types["proposals"]?["outcome"] == "string" && types["proposals"]?["respondedAt"] == "datetime")

            let catalogue = try await anyone.send(.GET, "/open-data/catalog.json")
            let catalog = try Self.object(catalogue)
            #expect(catalog["@type"] as? String == "dcat:Catalog")
            let datasets = try #require(catalog["dataset"] as? [[String: Any]])
            #expect(datasets.count == 1, "only the exercise whose plan is sealed")
            #expect(datasets.first?["identifier"] as? String == "\(app.options.baseURL)/open-data/\(id)/datapackage.json")
            #expect(datasets.first?["landingPage"] as? String == "\(app.options.baseURL)/public/exercises/\(id)")
            let downloads = (datasets.first?["distribution"] as? [[String: Any]])?.compactMap { $0["downloadURL"] as? String } ?? []
            #expect(downloads.contains("\(app.options.baseURL)/open-data/\(id)/roundtables.csv"))
            published.append(catalogue.body.string)

            let page = try await Browser(app: app).get("/public/exercises/\(id)").body.string.lowercased()
            #expect(page.contains("href=\"/open-data/\(id)/datapackage.json\"") && page.contains("href=\"/open-data/catalog.json\""))

            for text in published {
                #expect(text.range(of: Self.email, options: .regularExpression) == nil, "an email in \(text.prefix(200))")
            }
        }
    }
}
