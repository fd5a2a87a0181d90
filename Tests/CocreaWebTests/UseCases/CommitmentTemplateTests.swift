import CocreaCore
import CocreaDocuments
import CocreaStore
import CocreaTestSupport
import CocreaUseCases
import Fluent
import Foundation
import Testing
import Vapor

@testable import CocreaWeb

/// The commitment template as plans are written (issue 18): OGP values, 2030 Agenda targets, gender
/// perspective, co-responsible organisations, assumptions, budget; activities with a start date, a
/// deliverable and a means of verification.
@Suite struct CommitmentTemplateTests {
    /// A plan as it was agreed before the template grew: a commitment and its activity, with fixed ids.
    static func planAgreedBeforeTheTemplateGrew() -> (ExerciseDTO, [CommitmentDTO]) {
        let exercise = Exercise(
            id: UUID(uuidString: "0B6B1C55-3F7E-4E43-9C1D-5A2F1E0C7A10")!, name: "PAL Guadalajara 2027", territory: "Guadalajara, Jalisco",
            timeZone: "America/Mexico_City", nationalPlan: "2019-2021")
        let commitment = Commitment()
        commitment.id = UUID(uuidString: "6A1F2C3D-4B5E-4F60-8172-93A4B5C6D7E8")!
        commitment.$exercise.id = exercise.id!
        commitment.title = "Contrataciones abiertas de medicamentos"
        commitment.problem = "Recetas no surtidas en los centros de salud"
        commitment.description = "Publicar en OCDS cada compra de medicamentos"
        commitment.objective = "Que las personas usuarias sepan qué se compró, a quién y a qué precio"
        commitment.startsOn = "2027-01-15"
        commitment.endsOn = "2027-12-15"
        commitment.leadInstitution = "Secretaría de Salud Jalisco"
        commitment.indicatorName = "Compras publicadas en OCDS"
        commitment.indicatorBaseline = "0 %"
        commitment.indicatorTarget = "100 %"
        commitment.indicatorMeansOfVerification = "Portal de datos abiertos de Jalisco"
        commitment.category = .procurement
        commitment.revision = 3
        let activity = Activity()
        activity.id = UUID(uuidString: "7B2E3D4C-5A6F-4071-8293-A4B5C6D7E8F9")!
        activity.$commitment.id = commitment.id!
        activity.title = "Publicar el primer corte de compras"
        activity.responsible = "Lic. Jorge Ramírez Ochoa"
        activity.responsibleInstitution = "Secretaría de Salud Jalisco"
        activity.dueOn = "2027-03-31"
        activity.status = ActivityStatus.inProgress.rawValue
        activity.progress = 40
        activity.weight = 1
        activity.revision = 2
        return (ExerciseDTO(exercise), [CommitmentDTO(commitment, activities: [activity])])
    }

    @Test func aPlanWithoutTheNewFieldsHashesExactlyAsBefore() {
        let (exercise, commitments) = Self.planAgreedBeforeTheTemplateGrew()
        let content = PlanVersionOperations.canonical(exercise: exercise, commitments: commitments)
        // Taken from the code before the template grew: a version frozen then is still the same plan.
        #expect(Hashing.sha256Hex(content) == "1c2287aac2228d0c840b90875f59fd5397c0636ad537b83fd319b0a11e856143")
    }

    static let fullTemplate = """
        {"title": "Contrataciones abiertas de medicamentos", "category": "procurement",
         "objective": "Que las personas usuarias de los centros de salud sepan qué medicamentos se compraron y a qué precio",
         "startsOn": "2027-01-15", "endsOn": "2027-12-15", "leadInstitution": "Secretaría de Salud Jalisco",
         "indicator": {"name": "Compras publicadas en OCDS", "baseline": "0 %", "target": "100 %", "meansOfVerification": "Portal de datos abiertos"},
         "ogpValues": [{"value": "publicAccountability", "why": "La Contraloría responde cada trimestre por las compras observadas."},
                       {"value": "transparency", "why": "Cada contrato queda publicado con sus anexos."}],
         "sdgTargets": ["16.10", " 16.5", "3.8", "16.10"],
         "genderPerspective": "Se publica cuántas compras atienden la salud materna.",
         "coResponsible": ["Colectivo Cero Desabasto", "", "Universidad de Guadalajara"],
         "assumptions": "Que la Secretaría de Administración mantenga el portal en línea.",
         "budget": {"amount": "$1,250,000.5", "source": "Recursos propios del estado"}}
        """

    @Test(arguments: TestDatabase.all)
    func theTemplateIsWrittenAndReadThroughTheAPI(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let fixture = try await Fixture.make(on: app)
            let api = APIClient(app: app, token: fixture.members["facilitator"]!.token)
            let created = try await api.send(.POST, "/api/v1/exercises/\(fixture.exercise.id!)/commitments", json: Self.fullTemplate)
            #expect(created.status == .created, "\(created.body.string)")
            let commitment = try JSONDecoder.api.decode(CommitmentDTO.self, from: created.body)
            #expect(commitment.ogpValues?.map(\.value) == [.transparency, .publicAccountability], "in the catalogue's order")
            #expect(commitment.sdgTargets == ["3.8", "16.5", "16.10"], "known targets, once each, in the catalogue's order")
            #expect(commitment.coResponsible == ["Colectivo Cero Desabasto", "Universidad de Guadalajara"])
            #expect(commitment.budget == BudgetDTO(amount: "1250000.50", source: "Recursos propios del estado"))
            #expect(commitment.genderPerspective == "Se publica cuántas compras atienden la salud materna.")

            let number = try await api.send(
                .PUT, "/api/v1/commitments/\(commitment.id!)",
                json:
                    #"{"title": "Contrataciones abiertas de medicamentos", "category": "procurement", "revision": 1, "budget": {"amount": 980000, "source": "Fondo federal"}}"#
            )
            #expect(number.status == .ok, "\(number.body.string)")
            let edited = try JSONDecoder.api.decode(CommitmentDTO.self, from: number.body)
            #expect(edited.budget == BudgetDTO(amount: "980000.00", source: "Fondo federal"), "an amount may come as a JSON number")
            #expect(edited.ogpValues == [] && edited.sdgTargets == [] && edited.assumptions == "", "an edit replaces the whole commitment")

            let activity = try await api.send(
                .POST, "/api/v1/commitments/\(commitment.id!)/activities",
                json:
                    #"{"title": "Publicar el padrón de proveedores", "startsOn": "2027-02-01", "dueOn": "2027-03-31", "deliverable": "Padrón en datos abiertos", "meansOfVerification": "Liga al conjunto de datos"}"#
            )
            #expect(activity.status == .created, "\(activity.body.string)")
            let read = try JSONDecoder.api.decode(ActivityDTO.self, from: activity.body)
            #expect([read.startsOn, read.deliverable, read.meansOfVerification] == ["2027-02-01", "Padrón en datos abiertos", "Liga al conjunto de datos"])
        }
    }

    @Test(arguments: TestDatabase.all)
    func badTemplateInputIsRefusedInSpanishAndChangesNothing(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let fixture = try await Fixture.make(on: app)
            let api = APIClient(app: app, token: fixture.members["facilitator"]!.token)
            let refused = try await api.send(
                .POST, "/api/v1/exercises/\(fixture.exercise.id!)/commitments",
                json: """
                    {"title": "Obra pública abierta", "category": "local",
                     "ogpValues": [{"value": "transparencia", "why": "x"}, {"value": "transparency"}, {"value": "transparency", "why": "otra vez"}],
                     "sdgTargets": ["16", "18.1", "16.10"], "budget": {"amount": "-300"}}
                    """)
            #expect(refused.status == .unprocessableEntity)
            let body = refused.body.string
            #expect(body.contains("«transparencia» no es un valor válido para el valor de gobierno abierto"), "\(body)")
            #expect(body.contains("El valor «Transparencia» aparece más de una vez"))
            #expect(body.contains("«16» es el Objetivo de Desarrollo Sostenible 16; indica sus metas, por ejemplo 16.1."))
            #expect(body.contains("«18.1» no es una meta de la Agenda 2030"))
            #expect(body.contains("«-300» no es un monto válido en pesos"))
            let noSource = try await api.send(
                .POST, "/api/v1/exercises/\(fixture.exercise.id!)/commitments",
                json: #"{"title": "Obra pública abierta", "category": "local", "budget": {"amount": "300000"}}"#)
            #expect(noSource.body.string.contains("Falta la fuente del presupuesto"))
            #expect(try await Commitment.query(on: app.db).count() == 0)

            let commitment = try await Fixture.commitment("Obra pública abierta", of: fixture.exercise.requireID(), on: app.db)
            let late = try await api.send(
                .POST, "/api/v1/commitments/\(commitment.id!)/activities",
                json: #"{"title": "Publicar el padrón de contratistas", "startsOn": "2027-04-02", "dueOn": "2027-03-31"}"#)
            #expect(late.status == .unprocessableEntity)
            #expect(
                late.body.string.contains(
                    "La actividad empieza el viernes 2 de abril de 2027, después de su fecha de cumplimiento (miércoles 31 de marzo de 2027)."),
                "\(late.body.string)")
            #expect(try await Activity.query(on: app.db).count() == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aFrozenVersionCarriesTheTemplateOnlyWhenRecorded(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let fixture = try await Fixture.make(on: app)
            let facilitator = try await fixture.context("facilitator", on: app)
            let bare = try await CommitmentOperations.create(
                CommitmentInput(title: "Obra pública abierta", category: "local"), in: facilitator, on: app.useCases)
            _ = try await CommitmentOperations.addActivity(
                ActivityInput(title: "Publicar el padrón de contratistas", dueOn: "2027-03-31"), to: bare.requireID(), in: facilitator, on: app.useCases)
            let exercise = ExerciseDTO(fixture.exercise)
            let before = PlanVersionOperations.canonical(
                exercise: exercise, commitments: try await CommitmentOperations.list(fixture.exercise.requireID(), on: app.db))
            for key in ["ogpValues", "sdgTargets", "genderPerspective", "coResponsible", "assumptions", "budget", "deliverable"] {
                #expect(!before.contains("\"\(key)\""), "an empty \(key) stays out of the frozen content")
            }
            #expect(before.components(separatedBy: "\"startsOn\"").count == 2, "the commitment's start only, not the activity's")
            #expect(before.components(separatedBy: "\"meansOfVerification\"").count == 2, "the indicator's only, not the activity's")

            let input = try JSONDecoder().decode(CommitmentInput.self, from: Data(Self.fullTemplate.utf8))
            _ = try await CommitmentOperations.create(input, in: facilitator, on: app.useCases)
            let after = PlanVersionOperations.canonical(
                exercise: exercise, commitments: try await CommitmentOperations.list(fixture.exercise.requireID(), on: app.db))
            #expect(after.contains(#""sdgTargets":["3.8","16.5","16.10"]"#))
            #expect(after.contains(#""budget":{"amount":"1250000.50","source":"Recursos propios del estado"}"#))
        }
    }

    @Test(arguments: TestDatabase.all)
    func aFacilitatorFillsTheTemplateOnThePlanPage(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let fixture = try await Fixture.make(on: app)
            let browser = Browser(app: app)
            _ = try await browser.signIn(email: fixture.members["facilitator"]!.email, password: Fixture.password)
            let plan = "/exercises/\(fixture.exercise.id!)/plan"
            let form = [
                ("title", "Contrataciones abiertas de medicamentos"), ("category", "procurement"),
                ("ogpValues[]", "transparency"), ("ogpWhy[transparency]", "Cada contrato queda publicado con sus anexos."),
                ("ogpWhy[citizenParticipation]", "Colectivos de pacientes revisan los contratos cada trimestre."),
                ("ogpWhy[publicAccountability]", ""), ("sdgTargets", "16.10, 3.8"),
                ("genderPerspective", "Se publica cuántas compras atienden la salud materna."),
                ("coResponsible", "Colectivo Cero Desabasto\r\nUniversidad de Guadalajara"), ("assumptions", "Que el portal siga en línea."),
                ("budgetAmount", "1,250,000"), ("budgetSource", "Recursos propios del estado"),
            ]
            #expect(try await browser.get(plan).body.string.contains(#"<label for="sdg">Metas de la Agenda 2030"#))
            let wrong = try await browser.post(plan + "/commitments", form: form.map { $0.0 == "sdgTargets" ? ($0.0, "16.10, 16.13") : $0 })
            #expect(wrong.status == .unprocessableEntity)
            #expect(wrong.body.string.contains("«16.13» no es una meta de la Agenda 2030"))
            #expect(try await Commitment.query(on: app.db).count() == 0)

            #expect(try await browser.post(plan + "/commitments", form: form).status == .seeOther)
            let stored = try #require(try await CommitmentOperations.list(fixture.exercise.requireID(), on: app.db).first)
            #expect(
                stored.ogpValues == [
                    OGPValueDTO(value: .transparency, why: "Cada contrato queda publicado con sus anexos."),
                    OGPValueDTO(value: .citizenParticipation, why: "Colectivos de pacientes revisan los contratos cada trimestre."),
                ], "a reason typed for a value counts as ticking it")
            #expect(stored.sdgTargets == ["3.8", "16.10"])
            #expect(stored.coResponsible == ["Colectivo Cero Desabasto", "Universidad de Guadalajara"])
            #expect(stored.budget == BudgetDTO(amount: "1250000.00", source: "Recursos propios del estado"))

            let page = try await browser.get(plan).body.string
            #expect(page.contains("Valores de gobierno abierto: Transparencia, Participación ciudadana"))
            #expect(
                page.contains("«Contrataciones abiertas de medicamentos»: sin línea base del indicador no se puede verificar cuánto cambió."),
                "the quality review's advice beside the problems")
            #expect(!page.contains("no dice qué valor de gobierno abierto atiende"))
            #expect(page.contains("Presupuesto: $1,250,000.00 MXN (Recursos propios del estado)"))
            #expect(page.contains(#"name="ogpValues[]" value="transparency" checked>"#), "the edit form shows what is stored")
            #expect(page.contains(#"name="sdgTargets" value="3.8, 16.10""#))
            #expect(page.contains(#"<label for="e-\#(stored.id!)-gender">Perspectiva de género"#))

            let activity = try await browser.post(
                plan + "/commitments/\(stored.id!)/activities",
                form: [
                    ("title", "Publicar el padrón de proveedores"), ("startsOn", "2027-02-01"), ("dueOn", "2027-03-31"),
                    ("deliverable", "Padrón en datos abiertos"), ("meansOfVerification", "Liga al conjunto de datos"), ("weight", "1"),
                ])
            #expect(activity.status == .seeOther)
            #expect(
                try await browser.get(plan).body.string.contains(
                    "inicia el lunes 1 de febrero de 2027 · producto: Padrón en datos abiertos · verificación: Liga al conjunto de datos"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func thePALPDFAndTheReadingViewCarryTheTemplate(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let fixture = try await Fixture.make(on: app)
            let facilitator = try await fixture.context("facilitator", on: app)
            let input = try JSONDecoder().decode(CommitmentInput.self, from: Data(Self.fullTemplate.utf8))
            let commitment = try await CommitmentOperations.create(input, in: facilitator, on: app.useCases)
            _ = try await CommitmentOperations.addActivity(
                ActivityInput(
                    title: "Publicar el padrón de proveedores", dueOn: "2027-03-31", startsOn: "2027-02-01", deliverable: "Padrón en datos abiertos",
                    meansOfVerification: "Liga al conjunto de datos"), to: commitment.requireID(), in: facilitator, on: app.useCases)
            let exerciseID = try fixture.exercise.requireID()
            let version = try await app.writer.write(on: app.db, actor: .system) { tx, _ in
                let version = PlanVersion()
                version.$exercise.id = exerciseID
                version.number = 1
                version.content = PlanVersionOperations.canonical(
                    exercise: ExerciseDTO(fixture.exercise), commitments: try await CommitmentOperations.list(exerciseID, on: tx))
                version.sha256 = Hashing.sha256Hex(version.content)
                version.frozenAt = app.options.now()
                try await version.create(on: tx)
                return version
            }
            let document = try await PlanDocumentOperations.document(of: version, baseURL: "https://cocrea.example", on: app.db)
            let text = try await Tool.output(["pdftotext", "FILE", "-"], input: PlanPDF.render(document))
                .split(whereSeparator: \.isWhitespace).joined(separator: " ")
            for expected in [
                "Valores de gobierno abierto Transparencia: Cada contrato queda publicado con sus anexos.",
                "Rendición de cuentas: La Contraloría responde cada trimestre por las compras observadas.",
                "16.10 Garantizar el acceso público a la información", "3.8 Lograr la cobertura sanitaria universal",
                "Perspectiva de género Se publica cuántas compras atienden la salud materna.",
                "Organizaciones corresponsables Colectivo Cero Desabasto Universidad de Guadalajara",
                "Supuestos y riesgos Que la Secretaría de Administración mantenga el portal en línea.",
                "$1,250,000.50 MXN · fuente: Recursos propios del estado", "Inicio: 01/02/2027", "Producto: Padrón en datos abiertos",
                "Verificación: Liga al conjunto de datos",
            ] {
                #expect(text.contains(expected), "the PAL lacks «\(expected)»")
            }

            let browser = Browser(app: app)
            _ = try await browser.signIn(email: fixture.members["civilSociety"]!.email, password: Fixture.password)
            let reading = try await browser.get("/exercises/\(exerciseID)/plan/reading").body.string
            #expect(reading.contains("<strong>Agenda 2030:</strong> 3.8 Lograr la cobertura sanitaria universal"))
            #expect(reading.contains("<strong>Presupuesto:</strong> $1,250,000.50 MXN · Recursos propios del estado"))
            #expect(reading.contains("producto: Padrón en datos abiertos"))
        }
    }
}
