import CocreaCore
import CocreaMail
import CocreaStore
import CocreaTestSupport
import CocreaUseCases
import Fluent
import Testing
import Vapor

@testable import CocreaWeb

/// Deny by default: every registered route declares who may reach it, and walking every route as
/// every kind of person (and as nobody) gets exactly what the policy and the roles allow.
@Suite struct AuthorizationWalkTests {
    @Test func everyRouteDeclaresAPolicy() async throws {
        try await withCocrea(.sqlite) { app in
            let missing = app.routes.all.filter { $0.policy == nil }.map { "\($0.method) /\($0.path.string)" }
            #expect(missing.isEmpty, "routes without a policy: \(missing)")
        }
    }

    enum Persona: String, CaseIterable {
        case anonymous, outsider, memberOfOther, civilSociety, institution, guarantor, facilitator, administrator
    }

    @Test(arguments: TestDatabase.all)
    func everyRouteAsEveryPersonaGetsWhatItsRoleAllows(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let fixture = try await Fixture.make(on: app)
            let fileID = try await addFile(to: fixture.exercise, on: app)
            let deliveryID = try await queueMail(on: app)
            let roundtableID = try await app.writer.write(on: app.db, actor: .system) { tx, _ in
                let table = Roundtable(exerciseID: fixture.exercise.id!, startsAt: Date().addingTimeInterval(30 * 86400), place: "Sala")
                try await table.create(on: tx)
                return try table.requireID()
            }
            let (commitmentID, activityID, updateID) = try await app.writer.write(on: app.db, actor: .system) { tx, _ in
                let commitment = try await Fixture.commitment("Contrataciones abiertas", of: fixture.exercise.requireID(), on: tx)
                let activity = try await Fixture.activity("Publicar contratos", of: commitment.requireID(), on: tx)
                let update = ActivityUpdate()
                update.$activity.id = try activity.requireID()
                update.status = ActivityStatus.inProgress.rawValue
                update.progress = 30
                update.note = "Primeros contratos publicados"
                update.reportedBy = "Dra. María Fernanda López Castañeda"
                update.reportedAt = Date()
                try await update.create(on: tx)
                return (try commitment.requireID(), try activity.requireID(), try update.requireID())
            }
            let planVersionID = try await app.writer.write(on: app.db, actor: .system) { tx, _ in
                let version = PlanVersion()
                version.$exercise.id = fixture.exercise.id!
                version.number = 1
                version.content = JSON.canonical(PlanVersionOperations.Content(exercise: ExerciseDTO(fixture.exercise), commitments: []))
                version.sha256 = Hashing.sha256Hex(version.content)
                version.frozenAt = Date()
                try await version.create(on: tx)
                return try version.requireID()
            }
            let (surveyID, importID, topicID) = try await addConsultation(to: fixture.exercise, on: app)
            let proposalID = try await addProposal(to: fixture.exercise, on: app)
            // Sign-out ends the session, so it goes last.
            let routes = app.routes.all.filter { $0.path.string != "logout" } + app.routes.all.filter { $0.path.string == "logout" }

            for persona in Persona.allCases {
                let person = self.person(persona, in: fixture)
                let browser = Browser(app: app)
                if let person {
                    let signIn = try await browser.signIn(email: person.email, password: person.password)
                    #expect(signIn.status == .seeOther, "\(persona) could not sign in")
                }
                let api = APIClient(app: app, token: person?.token)
                let access = self.access(persona)

                for route in routes {
                    // Removing a package is allowed to more than one persona: each route gets one of its own.
                    let packageID =
                        route.path.contains(.parameter("packageID"))
                        ? try await addProcurementPackage(to: commitmentID, on: app) : UUID()
                    let path =
                        "/"
                        + route.path.map { component -> String in
                            switch component {
                            case .parameter("exerciseID"): fixture.exercise.id!.uuidString
                            case .parameter("fileID"): fileID.uuidString
                            case .parameter("deliveryID"): deliveryID.uuidString
                            case .parameter("roundtableID"): roundtableID.uuidString
                            case .parameter("commitmentID"): commitmentID.uuidString
                            case .parameter("activityID"): activityID.uuidString
                            case .parameter("updateID"): updateID.uuidString
                            case .parameter("planVersionID"): planVersionID.uuidString
                            case .parameter("surveyID"): surveyID.uuidString
                            case .parameter("importID"): importID.uuidString
                            case .parameter("topicID"): topicID.uuidString
                            case .parameter("proposalID"): proposalID.uuidString
                            case .parameter("packageID"): packageID.uuidString
                            case .parameter: "token-de-prueba"
                            default: component.description
                            }
                        }.joined(separator: "/")
                    let isAPI = path.hasPrefix("/api/")
                    let policy = route.policy!
                    let allowed: Bool
                    switch policy {
                    case .open: allowed = true
                    case .signedIn: allowed = person != nil
                    case .instanceAdministrator: allowed = persona == .administrator
                    case .exercise(let permission): allowed = access.allows(permission)
                    // The walk's plan version is not sealed, so only the exercise's members may read it.
                    case .sealedPlanOr(let permission): allowed = access.allows(permission)
                    }
                    // A live table's event stream never ends once allowed; Tests/api/test_live_events.py reads it.
                    if route.path.last?.description == "events" && allowed { continue }
                    let response =
                        isAPI
                        ? try await api.send(route.method, path)
                        : route.method == .GET ? try await browser.get(path) : try await browser.post(path, form: [])
                    let label = "\(persona) \(route.method) \(path) → \(response.status.code)"
                    #expect(response.status.code < 500, "\(label): \(response.body.string.prefix(300))")

                    let refused =
                        response.status == .unauthorized || response.status == .forbidden || response.status == .notFound
                        || (response.status == .seeOther && (response.headers.first(name: .location) ?? "").hasPrefix("/login"))
                    if policy == .open { continue }
                    if allowed {
                        #expect(!refused, "\(label) should be allowed")
                    } else {
                        #expect(refused, "\(label) should be refused")
                    }
                }
            }
        }
    }

    private func person(_ persona: Persona, in fixture: Fixture) -> Fixture.Person? {
        switch persona {
        case .anonymous: nil
        case .outsider: fixture.outsider
        case .memberOfOther: fixture.memberOfOther
        case .administrator: fixture.administrator
        case .civilSociety, .institution, .guarantor, .facilitator: fixture.members[persona.rawValue]
        }
    }

    private func access(_ persona: Persona) -> Access {
        switch persona {
        case .anonymous, .outsider, .memberOfOther: .outsider
        case .administrator: Access(isInstanceAdministrator: true, role: nil, sector: nil)
        case .facilitator: Access(isInstanceAdministrator: false, role: .facilitator, sector: .guarantor)
        case .guarantor: Access(isInstanceAdministrator: false, role: .member, sector: .guarantor)
        case .institution: Access(isInstanceAdministrator: false, role: .member, sector: .institution)
        case .civilSociety: Access(isInstanceAdministrator: false, role: .member, sector: .civilSociety)
        }
    }

    private func queueMail(on app: Application) async throws -> UUID {
        try await app.writer.write(on: app.db, actor: .system) { tx, _ in
            let message = MailMessage(
                from: MailAddress(email: "stl@cocrea.example"), to: [MailAddress(email: "ana@correo.example")],
                subject: "Aviso", textBody: "Hola")
            try await Outbox.enqueue(message, kind: "test", exerciseID: nil, on: tx)
            return try await Delivery.query(on: tx).first()!.requireID()
        }
    }

    /// A published survey, an applied import of one information request, and a topic of that request.
    /// The topic is already in the dossier: re-detecting topics (a route the walk calls) replaces every
    /// other topic, and the routes after it must still find this one.
    private func addProposal(to exercise: Exercise, on app: Application) async throws -> UUID {
        try await app.writer.write(on: app.db, actor: .system) { tx, _ in
            let proposal = Proposal()
            proposal.$exercise.id = exercise.id!
            proposal.problem = "Las recetas se surten incompletas"
            proposal.solution = "Publicar el inventario de medicamentos"
            proposal.theme = "Salud"
            proposal.receivedAt = Date()
            proposal.status = .received
            proposal.moderationReason = ""
            proposal.responseReason = ""
            proposal.commitmentIDs = []
            proposal.respondedBy = ""
            try await proposal.create(on: tx)
            return try proposal.requireID()
        }
    }

    private func addConsultation(to exercise: Exercise, on app: Application) async throws -> (survey: UUID, requestImport: UUID, topic: UUID) {
        try await app.writer.write(on: app.db, actor: .system) { tx, _ in
            let survey = Survey()
            survey.$exercise.id = exercise.id!
            survey.title = "Abasto de medicamentos"
            survey.description = ""
            survey.questionsJSON = #"[{"id":"p1","kind":"singleChoice","options":["Sí","No"],"prompt":"¿Encontraste tus medicamentos?","required":true}]"#
            survey.status = "published"
            survey.createdBy = "Secretaría de Salud Jalisco"
            survey.publishedAt = Date()
            survey.revision = 2
            try await survey.create(on: tx)

            let data = Data("Folio,Fecha de solicitud,Descripción de la solicitud\n140254624000001,15/03/2024,Solicito el inventario de medicamentos\n".utf8)
            let file = StoredFile(name: "solicitudes.csv", mediaType: "text/csv", data: data, sha256: Hashing.sha256Hex(data))
            try await file.create(on: tx)
            let requestImport = RequestImport()
            requestImport.$exercise.id = exercise.id!
            requestImport.$file.id = try file.requireID()
            requestImport.state = "applied"
            requestImport.validRows = 1
            requestImport.invalidRows = 0
            requestImport.importedRows = 1
            requestImport.importedBy = "Secretaría de Salud Jalisco"
            requestImport.createdAt = Date()
            requestImport.appliedAt = Date()
            try await requestImport.create(on: tx)

            let item = DossierItem(
                exerciseID: exercise.id!, kind: .informationRequests, title: "Solicitudes recurrentes: medicamentos",
                body: "1 de 1 solicitudes", source: "Solicitudes importadas", contributedByMemberID: nil,
                contributedBy: "Secretaría de Salud Jalisco", fileID: nil, createdAt: Date())
            try await item.create(on: tx)
            let topic = RequestTopic()
            topic.$exercise.id = exercise.id!
            topic.label = "medicamentos · inventario"
            topic.termsJSON = #"["medicamentos","inventario"]"#
            topic.size = 1
            topic.position = 0
            topic.detectedAt = Date()
            topic.$dossierItem.id = try item.requireID()
            try await topic.create(on: tx)

            let request = InformationRequest()
            request.$exercise.id = exercise.id!
            request.$requestImport.id = try requestImport.requireID()
            request.folio = "140254624000001"
            request.filedOn = "2024-03-15"
            request.obligatedBody = ""
            request.text = "Solicito el inventario de medicamentos"
            request.extraJSON = "{}"
            request.$topic.id = try topic.requireID()
            try await request.create(on: tx)
            return (try survey.requireID(), try requestImport.requireID(), try topic.requireID())
        }
    }

    /// An OCDS package of the procurement commitment, stored as the product stores one (its releases
    /// already compiled; none here, which the routes list as a package without processes).
    private func addProcurementPackage(to commitmentID: UUID, on app: Application) async throws -> UUID {
        try await app.writer.write(on: app.db, actor: .system) { tx, _ in
            let data = Data(#"{"uri":"https://transparencia.jalisco.gob.mx/ocds/\#(UUID().uuidString).json","version":"1.1","releases":[]}"#.utf8)
            let package = ProcurementPackage()
            package.$commitment.id = commitmentID
            package.name = "ssj-2026.json"
            package.size = data.count
            package.sha256 = Hashing.sha256Hex(data)
            package.data = data
            package.uri = "https://transparencia.jalisco.gob.mx/ocds/ssj-2026.json"
            package.publisher = "Secretaría de Salud Jalisco"
            package.publishedDate = Date()
            package.releaseCount = 0
            package.releases = "[]"
            package.processes = "[]"
            package.addedBy = "Secretaría de Salud Jalisco"
            package.addedAt = Date()
            try await package.create(on: tx)
            return try package.requireID()
        }
    }

    private func addFile(to exercise: Exercise, on app: Application) async throws -> UUID {
        try await app.writer.write(on: app.db, actor: .system) { tx, _ in
            let data = SimplePDF.document(title: "Kit de capacidades", lines: ["Guía"])
            let file = StoredFile(name: "kit.pdf", mediaType: "application/pdf", data: data, sha256: Hashing.sha256Hex(data))
            try await file.create(on: tx)
            try await DossierItem(
                exerciseID: exercise.id!, kind: .capacityKit, title: "Kit", body: "", source: "",
                contributedByMemberID: nil, contributedBy: "Organismo garante", fileID: file.id, createdAt: Date()
            ).create(on: tx)
            return try file.requireID()
        }
    }
}
