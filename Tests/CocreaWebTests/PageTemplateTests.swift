import CocreaCore
import CocreaDocuments
import CocreaStore
import CocreaTestSupport
import Foundation
import Leaf
import Testing
import Vapor

@testable import CocreaUseCases
@testable import CocreaWeb

/// Every page renders with a model that has every value (each optional filled, each list non-empty),
/// and every variable its template, its layout and its partials name is in that model: Leaf shows a
/// missing variable as nothing, so a misspelt or stale name would otherwise ship silently.
@Suite struct PageTemplateTests {
    static let root = URL(fileURLWithPath: TestPaths.root)
    static let views = root.appendingPathComponent("Resources/Views")
    static let words = try! Catalogue.load(directory: root.appendingPathComponent("Resources/Locales")).words(.es)

    /// A page: its template and a model of the type the template renders (the compiler checks the pair).
    struct PageCase: Sendable, CustomTestStringConvertible {
        let path: String
        let model: any Sendable
        let context: @Sendable () -> any Encodable & Sendable

        init<Model>(_ template: Template<Model>, _ model: Model) {
            path = template.path
            self.model = model
            context = {
                Page.Context(
                    t: TemplateWords(PageTemplateTests.words.table), lang: "es", languages: [Page.LanguageChoice(code: "en", name: "English")],
                    user: Page.UserView(name: "Ana López Ruiz", email: "ana.lopez@zapopan.gob.mx", isAdministrator: true),
                    csrf: "f3b1c2d4e5", title: "Mesa de diálogo de Zapopan 2026",
                    errors: [FieldError(field: "title", message: "Falta el título del compromiso.")], page: model)
            }
        }

        var testDescription: String { path }
    }

    /// Every page of the application. A template file that is not here must be a partial (`_name.leaf`).
    static let pages: [PageCase] = [
        PageCase(Templates.home, Page.Empty()),
        PageCase(Templates.privacy, Page.Empty()),
        PageCase(Templates.error, Page.ErrorBody(code: "not_found", message: "No encontramos ese ejercicio.", status: 404)),
        PageCase(
            Templates.login,
            AuthPages.FormBody(email: "ana.lopez@zapopan.gob.mx", next: "/exercises", notice: "Te enviamos un enlace para entrar a tu correo.")),
        PageCase(Templates.loginConfirm, AuthPages.ConfirmBody(token: "q8Zt3kLm")),
        PageCase(
            Templates.deliveries,
            OutboxPages.Body(rows: [
                OutboxPages.Row(
                    id: UUID(), toEmail: "luis.perez@ciudadanos.org.mx", subject: "Expediente de la mesa de diálogo", kind: "dossier",
                    state: "Falló", stateCode: "failed", attempts: 3, lastError: "550 buzón inexistente", createdAt: "01/10/2026 09:30",
                    canRetry: true)
            ])),
        PageCase(
            Templates.exercises,
            WorkspacePages.ListBody(
                exercises: [WorkspacePages.ExerciseRow(id: UUID(), name: exercise.name, territory: exercise.territory, role: "Facilitación")],
                canCreate: true, path: "/exercises", pagination: pagination("/exercises"), searchable: true)),
        PageCase(
            Templates.exerciseNew,
            WorkspacePages.NewBody(
                values: ExerciseInput(
                    name: "Plan de Acción Local de Tlaquepaque", territory: "San Pedro Tlaquepaque, Jalisco", timeZone: "America/Mexico_City",
                    nationalPlan: "2019-2021", sectorLabels: ["guarantor": "Órgano Garante"]),
                timeZones: ["America/Mexico_City", "America/Tijuana"], nationalPlans: ["2016-2018", "2019-2021"])),
        PageCase(Templates.exercise, workspace),
        PageCase(Templates.members, workspace),
        PageCase(Templates.dossier, workspace),
        PageCase(
            Templates.status,
            DossierPages.StatusBody(
                exercise: exercise, currentVersion: 2, earliestValidDate: "15/10/2026", holdingBack: ["Luis Pérez Gómez (Ciudadanos por Zapopan)"],
                members: [
                    DossierPages.MemberRow(
                        name: "Luis Pérez Gómez", organization: "Ciudadanos por Zapopan", receivedVersion: "1", receivedAt: "02/10/2026 10:15",
                        current: false)
                ], canDistribute: true, notice: "Enviamos la versión 2 del expediente a 6 integrantes.")),
        PageCase(
            Templates.receipt,
            DossierPages.ReceiptBody(
                token: "r7Kd2pQx", memberName: "Luis Pérez Gómez", exerciseName: exercise.name, version: 2, receivedAt: "03/10/2026 18:40",
                outdated: true,
                items: [
                    DossierPages.ReceiptItem(
                        kind: "Problema", title: "Baches en avenidas principales", body: "Reportes ciudadanos de 2025.",
                        source: "Dirección de Obras Públicas", contributedBy: "María Hernández (Gobierno de Zapopan)", fileID: UUID(),
                        fileName: "reportes-baches.pdf")
                ])),
        PageCase(
            Templates.surveys,
            SurveyPages.ListBody(
                exercise: exercise,
                surveys: [
                    SurveyPages.SurveyRow(
                        id: UUID(), title: "¿Qué servicio público mejorarías?", status: "Publicada", responses: 148, publishedAt: "01/09/2026")
                ], canConsult: true)),
        PageCase(
            Templates.surveyBuilder,
            SurveyPages.BuilderBody(
                exercise: exercise, surveyID: UUID(), title: "¿Qué servicio público mejorarías?", description: "Consulta abierta a la población.",
                slots: [
                    SurveyPages.QuestionSlot(
                        number: 1, prompt: "¿Qué servicio usas más?", kind: "singleChoice", required: true, options: "Agua\nAlumbrado\nTransporte")
                ], kinds: [SurveyPages.KindOption(value: "singleChoice", label: "Opción única")])),
        PageCase(
            Templates.surveyResults,
            SurveyPages.ResultsBody(
                exercise: exercise, surveyID: UUID(), title: "¿Qué servicio público mejorarías?", status: "Publicada", isDraft: false, isPublished: true,
                responseCount: 148, publicURL: "https://cocrea.zapopan.gob.mx/surveys/1", kioskURL: "https://cocrea.zapopan.gob.mx/surveys/1/kiosk",
                questions: [
                    SurveyPages.QuestionView(
                        id: "q1", number: 1, prompt: "¿Qué servicio usas más?", kind: "scale", answered: 140, mean: "3.8",
                        bars: [SurveyPages.Bar(label: "Agua", count: 90, percent: "64 %", y: 0, width: 320)], chartHeight: 40,
                        texts: ["Que haya agua todos los días."], hasChart: true)
                ], canConsult: true, notice: "La consulta quedó publicada.")),
        PageCase(
            Templates.surveyAnswer,
            SurveyPages.AnswerBody(
                surveyID: UUID(), title: "¿Qué servicio público mejorarías?", description: "Consulta abierta a la población.", kiosk: true,
                action: "/surveys/1/kiosk",
                questions: [
                    SurveyPages.AnswerQuestionView(
                        id: "q1", number: 1, prompt: "¿Qué servicio usas más?", kind: "multipleChoice", required: true,
                        choices: [SurveyPages.ChoiceView(value: "Agua", index: 0, checked: true)], text: "", limit: 2000)
                ], honeypot: "sitio_web")),
        PageCase(
            Templates.surveyThanks, SurveyPages.ThanksBody(title: "¿Qué servicio público mejorarías?", kiosk: true, again: "/surveys/1/kiosk")),
        PageCase(
            Templates.proposalsPublic,
            ProposalPages.PublicBody(
                exerciseName: "Mesa de diálogo de Zapopan 2026", exerciseURL: "/public/exercises/1", kiosk: false, action: "/public/exercises/1/proposals",
                open: true,
                openUntil: "La consulta pública está abierta hasta el 30/11/2026.", nextOpens: "La próxima consulta pública abre el 01/02/2027.",
                problem: "Faltan medicinas", solution: "Publicar el inventario", theme: "Salud", email: "rosa@correo.example", honeypot: "sitio_web",
                proposals: [
                    ProposalPages.PublicItem(
                        number: 1, title: "Propuesta 1", status: "Publicada", receivedOn: "Recibida el 18/11/2026", shown: true, hidden: true,
                        awaiting: true, problem: "Faltan medicinas en el centro de salud", solution: "Publicar el inventario semanal", theme: "Salud",
                        hiddenReason: "Oculta por el STL. Motivo: datos personales", answered: true, outcome: "Incorporada",
                        reason: "Se incorpora al compromiso de abasto.", mergedWith: "Fusionada con la propuesta 2.",
                        commitments: [
                            ProposalPages.CommitmentLink(title: "Inventario mensual de medicamentos", url: "/public/commitments/1")
                        ])
                ])),
        PageCase(
            Templates.proposalThanks,
            ProposalPages.ThanksBody(
                exerciseName: "Mesa de diálogo de Zapopan 2026", listURL: "/public/exercises/1/proposals", confirmationSent: true, kiosk: false,
                again: "/public/exercises/1/proposals/kiosk")),
        PageCase(
            Templates.proposalConfirm,
            ProposalPages.ConfirmBody(
                action: "/public/proposals/confirm/q8Zt3kLm", question: "Confirma que quieres recibir por correo la respuesta.", confirmed: true,
                listURL: "/public/exercises/1/proposals")),
        PageCase(
            Templates.proposals,
            ProposalPages.WorkspaceBody(
                exercise: exercise, publicURL: "/public/exercises/1/proposals",
                kioskURL: "https://cocrea.zapopan.gob.mx/public/exercises/1/proposals/kiosk", canRespond: true, notice: "Respuesta guardada y publicada.",
                proposals: [
                    ProposalPages.WorkspaceItem(
                        id: UUID(), number: 1, title: "Propuesta 1", status: "Publicada", receivedOn: "Recibida el 18/11/2026",
                        problem: "Faltan medicinas", solution: "Publicar el inventario", theme: "Salud", moderationReason: "Datos personales",
                        notified: true, published: true,
                        actions: [ProposalPages.Choice(value: "publish", label: "Publicar", selected: true)],
                        outcomes: [ProposalPages.Choice(value: "incorporated", label: "Incorporada", selected: true)],
                        reason: "Se incorpora al compromiso de abasto.",
                        commitments: [ProposalPages.Choice(value: "c1", label: "Inventario mensual de medicamentos", selected: true)],
                        mergeTargets: [ProposalPages.Choice(value: "p2", label: "Propuesta 2", selected: false)])
                ])),
        PageCase(
            Templates.requests,
            RequestPages.Body(
                exercise: exercise, requestCount: 312,
                topics: [
                    RequestPages.TopicView(
                        id: UUID(), label: "Obra pública", terms: "bache, pavimento, obra", count: 41,
                        months: [RequestPages.MonthBar(month: "2026-03", count: 12, x: 10, height: 60, y: 40)], chartWidth: 240,
                        examples: [
                            RequestExampleDTO(
                                folio: "140284926000123", filedOn: "2026-03-04", obligatedBody: "Ayuntamiento de Zapopan",
                                text: "Solicito los contratos de pavimentación de 2025.")
                        ], inDossier: true)
                ], canConsult: true, notice: "Importamos 312 solicitudes.",
                pending: RequestPages.Pending(id: UUID(), validRows: 310, invalidRows: 2))),
        PageCase(
            Templates.roundtables,
            DossierPages.TablesBody(
                exercise: exercise,
                tables: [
                    DossierPages.TableRow(
                        id: UUID(), when: "20/10/2026 10:00", localValue: "2026-10-20T10:00", place: "Cabildo de Zapopan", state: "Programada", open: true)
                ], earliestValidDate: "15/10/2026", earliestValue: "2026-10-15T09:00", canFacilitate: true,
                values: RoundtableInput(startsAt: "2026-10-20T10:00", place: "Cabildo de Zapopan"))),
        PageCase(
            Templates.console,
            ConsolePages.Body(
                exercise: exercise, tableId: UUID(), when: "20/10/2026 10:00", place: "Cabildo de Zapopan", stage: "Análisis", stageKey: "analysis",
                stages: [ConsolePages.Choice(value: "analysis", label: "Análisis", selected: true)],
                nextStage: ConsolePages.Choice(value: "agreements", label: "Acuerdos", selected: false), inSession: true, inAnalysis: true,
                closed: true, canFacilitate: true, presenting: "Baches en avenidas principales", presentingBody: "Reportes ciudadanos de 2025.",
                items: [ConsolePages.Choice(value: UUID().uuidString, label: "Baches en avenidas principales", selected: true)],
                members: [ConsolePages.Choice(value: UUID().uuidString, label: "Luis Pérez Gómez", selected: false)],
                presences: [ConsolePages.Choice(value: "present", label: "Presente", selected: true)],
                kinds: [ConsolePages.Choice(value: "doubt", label: "Duda", selected: false)],
                attendance: [
                    ConsolePages.AttendanceRow(memberId: UUID(), name: "Luis Pérez Gómez", organization: "Ciudadanos por Zapopan", presence: "Presente")
                ],
                interventions: [
                    ConsolePages.InterventionRow(
                        id: UUID(), at: "10:42", who: "Luis Pérez Gómez", kind: "Aportación", item: "Baches en avenidas principales",
                        text: "Publicar el calendario de obra por colonia.")
                ], lastEvent: 17, notice: "La mesa pasó a análisis.")),
        PageCase(
            Templates.minutes,
            ConsolePages.MinutesBody(
                exercise: exercise, tableId: UUID(), closed: true, date: "20/10/2026", place: "Cabildo de Zapopan",
                attendees: [["Luis Pérez Gómez", "Ciudadanos por Zapopan", "Presente"]], stages: ["Introducción 10:00–10:20"],
                interventions: [["10:42", "Luis Pérez Gómez", "Aportación", "Publicar el calendario de obra por colonia."]],
                agreements: ["Publicar el calendario de obra por colonia."], conformity: [["Luis Pérez Gómez", "De acuerdo", ""]])),
        PageCase(
            Templates.reading,
            ConsolePages.ReadingBody(
                exercise: exercise, introduction: narrative[0], sections: Array(narrative.dropFirst()),
                problems: [
                    ConsolePages.ReadingProblem(
                        problem: "Obra pública sin información", commitments: [ConsolePages.ReadingCommitmentLink(number: 1, title: "Obra pública abierta")])
                ],
                commitments: [
                    ConsolePages.ReadingCommitment(
                        number: 1, title: "Obra pública abierta", category: "Contrataciones abiertas", objective: "Publicar cada contrato de obra.",
                        indicator: "Contratos publicados: 0 → 100 %", span: "01/01/2027 – 31/12/2027", leadInstitution: "Dirección de Obras Públicas",
                        template: [ConsolePages.ReadingDetail(label: "Agenda 2030:", text: "16.10 Garantizar el acceso público a la información")],
                        activities: ["Publicar el padrón de contratistas"])
                ], recordIntroduction: record, recordClosing: record)),
        PageCase(Templates.plan, plan),
        PageCase(
            Templates.planNarrative,
            PlanNarrativePages.Body(exercise: exercise, canEdit: true, previewing: true, notice: "Se guardaron las secciones del plan.", sections: narrative)),
        PageCase(
            Templates.sign,
            SigningPages.SignBody(
                token: "s9Lw4nXe", memberName: "Luis Pérez Gómez", exerciseName: exercise.name, versionNumber: 2, shortCode: "7F3A-91C2",
                commitments: ["Obra pública abierta"], signedAt: "05/11/2026 12:10", locked: true, codeSentTo: "l•••@ciudadanos.org.mx",
                codeExpiresAt: "12:20", notice: "Te enviamos un código nuevo.", efirma: true)),
        PageCase(
            Templates.verify,
            SigningPages.VerifyBody(
                checked: true, authentic: true, message: "La copia es auténtica.", sha256: String(repeating: "ab", count: 32),
                planVersionId: UUID().uuidString, progressReportPdf: "/api/v1/progress-reports/\(UUID()).pdf", signers: [signer],
                timestamp: "06/11/2026 09:00:12 · CN=Autoridad de Sellado de Tiempo de prueba",
                fileSignatures: [
                    SigningPages.FileSignatureRow(
                        name: "LUCÍA HERNÁNDEZ PAREDES", how: "e.firma (firma electrónica avanzada) · RFC HEPL900305QX4",
                        covers: "Cubre hasta el byte 48213 de 96402", intact: "Íntegra",
                        after: "Se agregó algo después de esta firma (firmas o datos posteriores)",
                        timestamp: "Sello de tiempo: 06/11/2026, 08:58, autoridad Autoridad de Sellado de Tiempo de prueba")
                ])),
        PageCase(
            Templates.planVersion,
            SigningPages.VersionBody(
                id: UUID().uuidString, exerciseName: exercise.name, territory: exercise.territory, versionNumber: 2,
                sha256: String(repeating: "cd", count: 32), frozenAt: "01/11/2026 17:00", sealed: true, sealedAt: "06/11/2026 09:00",
                sealedSha256: String(repeating: "ef", count: 32), signers: [signer])),
        PageCase(
            Templates.publicIndex,
            PublicPages.IndexBody(
                exercises: [PublicPages.IndexRow(id: UUID(), name: exercise.name, territory: exercise.territory, sealedAt: "06/11/2026", progress: 35)],
                surveys: [PublicPages.SurveyLink(id: UUID(), title: "¿Qué servicio público mejorarías?")], path: "/public",
                pagination: pagination("/public"), searchable: true)),
        PageCase(Templates.publicExercise, publicExercise),
        PageCase(
            Templates.publicCommitment,
            PublicCommitmentPages.CommitmentBody(
                exerciseName: exercise.name, exerciseURL: "/public/exercises/1", category: "Local", objective: "Surtir el 95 % de las recetas",
                progress: "Avance: 40 % · Limitado",
                origin: OriginView(lines: ["Propuesta ciudadana 3 (Incorporada): «Las recetas se surten incompletas»"], empty: false),
                action: "/public/commitments/1/followers", email: "rosa.martinez@correo.example", honeypot: "sitio_web",
                jsonURL: "/api/v1/public/commitments/1")),
        PageCase(
            Templates.followThanks,
            PublicCommitmentPages.ThanksBody(commitmentURL: "/public/commitments/1", confirmBy: "El enlace vale hasta el 12/02/2027.")),
        PageCase(
            Templates.followLink,
            PublicCommitmentPages.LinkBody(
                heading: "Dejar de seguir el compromiso", question: "¿Dejas de recibir los avances de «Inventario mensual de medicamentos»?",
                button: "Dejar de seguirlo", action: "/public/followers/q8Zt3kLm/unsubscribe", done: true,
                doneText: "Listo: ya no recibirás correos de este compromiso.", commitmentURL: "/public/commitments/1")),
        PageCase(
            Templates.progressReports,
            ProgressReportPages.Body(
                exercise: exercise, sealed: true, closed: false, canIssue: true, notice: "Se emitió el informe de avance 1; se envía por correo a 4 personas.",
                reports: [progressReport], kinds: [ProgressReportPages.Option(value: "interim", label: "Intermedio", selected: true)],
                commitments: [
                    ProgressReportPages.RatingRow(
                        id: "6f1c2a4e-0b7d-4c1e-9a3f-2d5e8b7c9a10", title: "Inventario mensual de medicamentos",
                        ratingLabel: "¿Abrió el gobierno? — «Inventario mensual de medicamentos»",
                        reasonLabel: "Motivo de la valoración de «Inventario mensual de medicamentos»",
                        options: [ProgressReportPages.Option(value: "major", label: "Significativo", selected: true)],
                        reason: "El inventario se consulta en línea cada mes.")
                ], lessonsLearned: "Acordar la evidencia de cada actividad desde la mesa.")),
        PageCase(
            Templates.publicProgressReports,
            ProgressReportPages.PublicBody(
                heading: "Informes de avance de «Mesa de diálogo de Zapopan 2026»", exerciseURL: "/public/exercises/1",
                jsonURL: "/api/v1/public/exercises/1/progress-reports", reports: [progressReport])),
    ]

    static let progressReport = ProgressReportPages.ReportView(
        number: 1, kind: "Intermedio", issuedAt: "15/07/2027 10:00", progress: 42, pdf: "/api/v1/progress-reports/1.pdf",
        pdfSha256: String(repeating: "ab", count: 32), download: "Informe 1 (Intermedio), emitido el 15/07/2027 10:00 — PDF sellado")
}

// The models: realistic, and with every value present.
extension PageTemplateTests {
    /// A Fluent value made from JSON, for the transfer types that have no memberwise initialiser.
    static func decoded<Value: Decodable>(_ type: Value.Type, _ json: String) -> Value {
        try! JSONDecoder().decode(type, from: Data(json.utf8))
    }

    static let exercise: WorkspacePages.ExerciseView = {
        let model = Exercise(
            id: UUID(), name: "Mesa de diálogo de Zapopan 2026", territory: "Zapopan, Jalisco", timeZone: "America/Mexico_City",
            nationalPlan: "2019-2021")
        model.publishedAt = Date(timeIntervalSince1970: 1_790_000_000)
        let user = User(email: "ana.lopez@zapopan.gob.mx", name: "Ana López Ruiz", isAdministrator: true)
        return WorkspacePages.ExerciseView(
            ExerciseContext(exercise: model, user: user, member: nil, access: Access(isInstanceAdministrator: true, role: .facilitator, sector: .guarantor)))
    }()

    static func pagination(_ path: String) -> Pagination {
        Pagination(path: path, query: "zapopan", page: 2, pageCount: 3, total: 60, words: words)
    }

    /// The STL's sections, each block with both a paragraph and list items so both branches render.
    /// The record's blocks with every list filled: a table held with its minutes, a send, a consultation window.
    static let record: [PlanRecordBlock] = {
        let zone = TimeZone(identifier: "America/Mexico_City")!
        let held = Date(timeIntervalSince1970: 1_792_000_000)
        let person = PlanRecord.Person(name: "Luis Pérez Gómez", sector: .civilSociety, organization: "Ciudadanos por Zapopan")
        return PlanRecord(
            zone: zone, frozenAt: held.addingTimeInterval(86_400), dossierSent: [held.addingTimeInterval(-864_000)],
            consultationWindows: [PlanRecord.Window(startsOn: LocalDate(year: 2026, month: 9, day: 1), endsOn: LocalDate(year: 2026, month: 9, day: 30))],
            participants: [person],
            roundtables: [
                PlanRecord.Roundtable(
                    startsAt: held, place: "Cabildo de Zapopan", stages: [(.introduction, held)],
                    attendees: [PlanRecord.Attendee(person: person, presence: .present)],
                    interventions: [
                        PlanRecord.Intervention(
                            at: held, name: person.name, kind: .contribution, item: "Obra pública sin información", text: "Publicar cada contrato de obra.")
                    ])
            ],
            dossierItems: [.problem: 2], surveys: 1, surveyAnswers: 48, informationRequests: 212,
            requestTopics: [PlanRecord.Topic(label: "Obra pública", requests: 57)], proposalsReceived: 9, proposalOutcomes: [.incorporated: 4],
            measurement: []
        ).introduction(words)
    }()

    static let narrative: [PlanNarrativePages.SectionView] = PlanNarrative.Section.allCases.map { section in
        PlanNarrativePages.SectionView(
            field: section.rawValue, heading: "II. Contexto normativo", label: "II. Contexto normativo",
            text: "El plan se sustenta en:\n- la Ley de Transparencia del Estado de Jalisco.", maxLength: section.maxLength,
            blocks: [PlanNarrativePages.BlockView(paragraph: "El plan se sustenta en:", items: ["la Ley de Transparencia del Estado de Jalisco."])])
    }

    static let signer = SigningPages.SignerRow(
        name: "Luis Pérez Gómez", sector: "Sociedad civil", organization: "Ciudadanos por Zapopan", signedAt: "05/11/2026 12:10",
        how: "e.firma (firma electrónica avanzada) · RFC PEGL800101AB1 · certificado 3A0F, emitido por AC DEL SERVICIO DE ADMINISTRACION TRIBUTARIA")

    static let workspace = WorkspacePages.WorkspaceBody(
        exercise: exercise,
        members: [
            WorkspacePages.MemberRow(
                name: "Luis Pérez Gómez", email: "luis.perez@ciudadanos.org.mx", sector: "Sociedad civil", organization: "Ciudadanos por Zapopan",
                role: "Integrante")
        ],
        items: [
            WorkspacePages.ItemRow(
                kind: "Problema", title: "Baches en avenidas principales", body: "Reportes ciudadanos de 2025.", source: "Dirección de Obras Públicas",
                contributedBy: "María Hernández (Gobierno de Zapopan)", createdAt: "01/10/2026 09:00", late: true, stlOnly: true, fileID: UUID(),
                fileName: "reportes-baches.pdf", fileSize: "1.2 MB")
        ],
        memberValues: MemberInput(
            name: "Rosa Martínez", email: "rosa.martinez@itei.org.mx", sector: "guarantor", organization: "ITEI", role: "member",
            rfc: "MARR800512KQ3", curp: "MARR800512MJCRTS08"),
        itemValues: DossierItemInput(
            kind: "problem", title: "Alumbrado público", body: "Colonias sin luminarias.", source: "Reportes 070", visibility: "stlOnly"),
        sectors: [WorkspacePages.Choice(value: "guarantor", label: "Órgano garante", selected: true)],
        roles: [WorkspacePages.Choice(value: "member", label: "Integrante", selected: true)],
        kinds: [WorkspacePages.Choice(value: "problem", label: "Problema", selected: true)])

    static let plan: PlanPages.Body = {
        let commitmentID = UUID()
        let survey = CocreaStore.Survey()
        survey.id = UUID()
        survey.title = "Obra pública en tu colonia"
        survey.description = ""
        survey.questionsJSON =
            #"[{"id": "p1", "prompt": "¿Qué obra le preocupa más?", "kind": "singleChoice", "required": true, "options": ["Banquetas", "Alumbrado"]}]"#
        let topic = CocreaStore.RequestTopic()
        topic.id = UUID()
        topic.label = "obra · contrato · colonia"
        topic.size = 57
        let edit = decoded(
            CommitmentDTO.self,
            """
            {"id": "\(commitmentID)", "title": "Obra pública abierta", "problem": "No se sabe quién construye qué.",
             "description": "Publicar cada contrato de obra.", "objective": "Que la población siga la obra pública.",
             "startsOn": "2027-01-01", "endsOn": "2027-12-31", "leadInstitution": "Dirección de Obras Públicas",
             "indicator": {"name": "Contratos publicados", "baseline": "0 %", "target": "100 %", "meansOfVerification": "Portal de datos abiertos"},
             "category": "procurement", "nationalCommitmentId": "\(UUID())", "dossierItemId": "\(UUID())", "revision": 3,
             "ogpValues": [{"value": "transparency", "why": "Cada contrato de obra queda a la vista de las colonias."}],
             "sdgTargets": ["16.6", "16.10"], "genderPerspective": "Se publica quién encabeza cada empresa contratista.",
             "coResponsible": ["Ciudadanos por Zapopan"], "assumptions": "Que la Tesorería libere la plataforma a tiempo.",
             "budget": {"amount": "350000.00", "source": "Recursos propios del municipio"},
             "consultationFindings": [{"surveyId": "\(survey.id!)", "questionId": "p1", "option": "Banquetas"}], "requestTopicIds": ["\(topic.id!)"],
             "origin": {"consultationFindings": [{"surveyId": "\(survey.id!)", "survey": "Obra pública en tu colonia", "questionId": "p1",
               "question": "¿Qué obra le preocupa más?", "option": "Banquetas"}],
               "requestTopics": [{"id": "\(topic.id!)", "label": "obra · contrato · colonia", "terms": ["obra", "contrato", "colonia"], "requests": 57}],
               "proposals": [{"id": "\(UUID())", "number": 3, "problem": "Nadie sabe quién construye la obra de la colonia", "outcome": "incorporated",
               "reason": "Se incorpora como la publicación de cada contrato."}], "dossierItem": {"kind": "problem", "id": "\(UUID())", "title": "Obra pública opaca"},
               "interventions": [{"kind": "doubt", "text": "¿Se publican también las obras por administración directa?", "sector": "civilSociety",
               "roundtableId": "\(UUID())", "recordedAt": 815000000}], "nationalCommitment": {"plan": "2016-2018", "code": "MX0064", "title": "Gasto abierto"}},
             "activities": [{"id": "\(UUID())", "commitmentId": "\(commitmentID)", "title": "Publicar el padrón de contratistas",
               "responsible": "Jorge Ramírez", "responsibleInstitution": "Contraloría", "dueOn": "2027-03-31", "status": "inProgress",
               "startsOn": "2027-02-01", "deliverable": "Padrón de contratistas publicado", "meansOfVerification": "Liga al padrón en el portal",
               "progress": 40, "weight": 2, "revision": 1}]}
            """)
        let choice = PlanPages.Choice(value: "procurement", label: "Contrataciones abiertas")
        return PlanPages.Body(
            exercise: exercise,
            commitments: [
                PlanPages.CommitmentRow(
                    id: commitmentID, title: "Obra pública abierta", category: "Contrataciones abiertas", span: "01/01/2027 – 31/12/2027",
                    leadInstitution: "Dirección de Obras Públicas", indicator: "Contratos publicados: 0 % → 100 %", link: "Compromiso nacional 3",
                    objective: "Que la población siga la obra pública.",
                    activities: [
                        PlanPages.ActivityRow(
                            id: UUID(), title: "Publicar el padrón de contratistas", responsible: "Jorge Ramírez", institution: "Contraloría",
                            dueOn: "31/03/2027", status: "En curso", details: "inicia el 1 de febrero de 2027 · producto: padrón publicado",
                            progress: 40, weight: 2)
                    ], problems: ["Falta el medio de verificación."],
                    warnings: ["«Obra pública abierta»: sin línea base del indicador no se puede verificar cuánto cambió."], edit: edit,
                    procurement: ProcurementPages.CommitmentPackages(
                        canAttach: true, canFetch: true,
                        packages: [
                            ProcurementPages.PackageRow(
                                id: UUID(), name: "contratos-2027.json", publisher: "Gobierno de Zapopan", publishedDate: "01/02/2027",
                                source: "https://datos.zapopan.gob.mx/ocds/contratos-2027.json", sha256: String(repeating: "0f", count: 32),
                                addedBy: "Ana López Ruiz", addedAt: "02/02/2027", releaseCount: 12, processCount: 4, flags: ["Sin fecha de adjudicación"])
                        ]),
                    template: PlanPages.TemplateFields(edit, words: words, language: .es),
                    links: PlanPages.ConsultationLinks(edit, surveys: [survey], topics: [topic], words: words),
                    origin: OriginView(lines: ["Problema del expediente: «Obra pública sin datos abiertos»"], empty: false))
            ],
            generalProblems: ["El plan necesita al menos un compromiso de contrataciones abiertas."], valid: true, canFacilitate: true,
            categories: [choice], nationalCommitments: [choice], dossierProblems: [choice], versions: ["v1 · " + String(repeating: "12", count: 32)],
            latestVersion: PlanPages.LatestVersion(
                id: UUID(), number: 2, open: true, canState: true,
                stances: [PlanPages.StanceRow(name: "Luis Pérez Gómez", stance: "De acuerdo", reason: "Refleja lo acordado.", statedAt: "01/11/2026 18:00")],
                choices: [PlanPages.Choice(value: "agree", label: "De acuerdo")],
                signing: PlanPages.SigningView(
                    requested: true, sealed: true, sealedSha256: String(repeating: "9a", count: 32),
                    rows: [
                        PlanPages.SignatureRow(
                            memberId: UUID(), name: "Luis Pérez Gómez", organization: "Ciudadanos por Zapopan", state: "Firmó", mayMarkPaper: true)
                    ],
                    recipients: [PlanPages.RecipientRow(name: "Luis Pérez Gómez", email: "luis.perez@ciudadanos.org.mx", state: "Enviado")],
                    timestampFailure:
                        "El sello de tiempo no pudo obtenerse y no se volverá a pedir solo: la autoridad de sellado de tiempo rechazó la solicitud (estado 2).")
            ),
            sealed: true, canReportProgress: true,
            verification: VerificationPages.Section(
                rows: [
                    VerificationPages.Row(
                        updateId: UUID().uuidString.lowercased(), commitment: "Obra pública abierta", activity: "Publicar el padrón de contratistas",
                        report: "15/03/2027 10:00 · Contraloría · Concluida · 100 %", state: "Observado",
                        history: ["16/03/2027 09:30 · Observó: Lucía Hernández Paredes (Sociedad civil, Cimtra Jalisco): faltan los contratistas de 2026"],
                        mayJudge: true, mayAnswer: true)
                ], verdicts: [PlanPages.Choice(value: "verified", label: "Verificado")]),
            activityStatuses: [PlanPages.Choice(value: "inProgress", label: "En curso")],
            newTemplate: PlanPages.TemplateFields(edit, words: words, language: .es),
            newLinks: PlanPages.ConsultationLinks(nil, surveys: [survey], topics: [topic], words: words),
            conflict: PlanPages.ConflictView(title: "Obra pública abierta", rows: [["Título", "Obra pública abierta", "Obra pública transparente"]]),
            notice: "Guardamos el compromiso.")
    }()

    static let publicExercise: PublicPages.ExerciseBody = {
        let overview = decoded(
            PublicExerciseDTO.self,
            """
            {"id": "\(UUID())", "name": "Mesa de diálogo de Zapopan 2026", "territory": "Zapopan, Jalisco", "publishedAt": 811692800,
             "convener": {"sector": "guarantor", "label": "Órgano garante", "organizations": ["ITEI"]},
             "stl": [{"name": "Rosa Martínez", "sector": "guarantor", "sectorLabel": "Órgano garante", "organization": "ITEI"}],
             "roadmap": [{"id": "\(UUID())", "kind": "roundtable", "title": "Mesa de diálogo", "startsOn": "2026-10-20", "endsOn": "2026-10-20",
               "place": "Cabildo de Zapopan", "firstAnnouncedAt": 811692800, "announcedAt": 811779200, "sequence": 1,
               "changes": [{"title": "Mesa de diálogo", "startsOn": "2026-10-13", "endsOn": "2026-10-13", "place": "Cabildo de Zapopan",
                 "announcedAt": 811692800}]}],
             "roundtables": [{"id": "\(UUID())", "startsAt": 812534400, "place": "Cabildo de Zapopan", "stage": "closed", "cancelled": false,
               "attendance": [{"presence": "present", "sectors": [{"sector": "civilSociety", "label": "Sociedad civil", "count": 3}]}]}],
             "documents": [{"id": "\(UUID())", "kind": "problem", "title": "Baches en avenidas principales", "body": "Reportes ciudadanos de 2025.",
               "source": "Dirección de Obras Públicas", "createdAt": 811692800,
               "file": {"name": "reportes-baches.pdf", "mediaType": "application/pdf", "size": 1200000, "sha256": "\(String(repeating: "ab", count: 32))",
                 "url": "/public/exercises/1/files/2"}}],
             "versions": [{"id": "\(UUID())", "number": 2, "frozenAt": 815000000, "sha256": "\(String(repeating: "cd", count: 32))",
               "sealedAt": 815400000, "sealedSha256": "\(String(repeating: "ef", count: 32))",
               "conformity": [{"stance": "agree", "sectors": [{"sector": "civilSociety", "label": "Sociedad civil", "count": 3}]}]}]}
            """)
        let update = decoded(
            ActivityUpdateDTO.self,
            """
            {"status": "inProgress", "progress": 40, "note": "Padrón en revisión.", "evidenceUrl": "https://datos.zapopan.gob.mx/padron",
             "evidenceFile": {"name": "padron.csv", "mediaType": "text/csv", "size": 52000, "sha256": "\(String(repeating: "77", count: 32))",
               "url": "/public/exercises/1/evidence/3"},
             "reportedBy": "Contraloría", "reportedAt": 830000000, "id": "\(UUID())", "verification": "verified",
             "verificationHistory": [{"step": "verified", "text": "Revisé el padrón publicado.", "name": "Lucía Hernández Paredes",
               "sector": "civilSociety", "organization": "Cimtra Jalisco", "at": 830100000}]}
            """)
        let zone = TimeZone(identifier: "America/Mexico_City")!
        return PublicPages.ExerciseBody(
            id: UUID(), name: "Mesa de diálogo de Zapopan 2026", territory: "Zapopan, Jalisco", sealedAt: "06/11/2026", sealed: true,
            process: PublicProcessView(overview, zone: zone, language: .es, words: words), planVersionId: UUID().uuidString, progress: 35,
            chartHeight: 80,
            commitments: [
                PublicPages.CommitmentView(
                    number: 1, title: "Obra pública abierta", category: "Contrataciones abiertas", objective: "Que la población siga la obra pública.",
                    completion: "35 %", progress: 35, y: 10, textY: 24, barWidth: 140,
                    activities: [
                        PublicPages.ActivityView(
                            title: "Publicar el padrón de contratistas", responsible: "Contraloría", dueOn: "31/03/2027", status: "En curso",
                            verification: "Verificado", progress: 40, weight: 2, history: [PublicPages.HistoryEntry(update, in: zone, language: .es)])
                    ],
                    url: "/public/commitments/1", origin: OriginView(lines: ["Problemática del expediente: «Obra pública opaca»"], empty: false))
            ],
            months: PublicPages.MonthView.chart([ProgressTimeline.Point(month: "2027-03", progress: 35)], words: words),
            datasets: ["compromisos.csv"],
            procurement: [
                ProcurementPages.PublicSection(
                    title: "Obra pública abierta",
                    packages: [ProcurementPages.PublicPackage(name: "contratos-2027.json", url: "/open-data/1/ocds/2", details: "12 entregas, 4 procesos")],
                    processes: [
                        ProcurementPages.PublicProcess(
                            ocid: "ocds-zap-2027-001", buyer: "Gobierno de Zapopan", tender: "Pavimentación de Av. Vallarta", tenderAmount: "$4,200,000 MXN",
                            tenderPeriod: "01/02/2027 – 15/02/2027", awards: ["Constructora Tapatía, $4,050,000 MXN"], suppliers: "Constructora Tapatía",
                            contracts: ["ZAP-OP-2027-014, $4,050,000 MXN"], flags: ["Sin fecha de firma del contrato"])
                    ])
            ])
    }()
}

extension PageTemplateTests {
    static func templateFiles() throws -> [String] {
        let enumerator = FileManager.default.enumerator(at: views, includingPropertiesForKeys: nil)
        return (enumerator?.allObjects as? [URL] ?? []).filter { $0.pathExtension == "leaf" }
            .map { String($0.standardizedFileURL.path.dropFirst(views.standardizedFileURL.path.count + 1).dropLast(".leaf".count)) }.sorted()
    }

    static func isPartial(_ path: String) -> Bool { path.split(separator: "/").last!.hasPrefix("_") }

    static let scanner = TemplateVariables { path in
        try String(contentsOf: views.appendingPathComponent(path + ".leaf"), encoding: .utf8)
    }

    static func json(_ value: any Encodable) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: JSONEncoder().encode(value)) as! [String: Any]
    }

    /// Where `value` has an optional left empty or an empty list, so a variable under it could not be checked.
    static func unfilled(_ value: Any, at path: String) -> [String] {
        if value is String || value is UUID || value is Date { return [] }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            guard let wrapped = mirror.children.first else { return [path + " is nil"] }
            return unfilled(wrapped.value, at: path)
        case .collection, .set, .dictionary:
            guard !mirror.children.isEmpty else { return [path + " is empty"] }
            return mirror.children.enumerated().flatMap { index, child in unfilled(child.value, at: "\(path)[\(index)]") }
        case .struct, .class, .tuple:
            return mirror.children.flatMap { child in unfilled(child.value, at: path + "." + (child.label ?? "?")) }
        default:
            return []
        }
    }
}

extension PageTemplateTests {
    @Test func everyTemplateIsAListedPageOrAPartialThatAPageIncludes() throws {
        let files = try Self.templateFiles()
        let pages = Self.pages.map(\.path)
        #expect(Set(pages).count == pages.count, "a page is listed twice")
        let unlisted = files.filter { !Self.isPartial($0) && !pages.contains($0) }
        #expect(unlisted.isEmpty, "templates that are neither a page in PageTemplateTests.pages nor a partial (_name.leaf): \(unlisted)")
        let missing = pages.filter { !files.contains($0) }
        #expect(missing.isEmpty, "pages whose template file does not exist: \(missing)")
        let extended = Set(
            try files.flatMap { file in
                try String(contentsOf: Self.views.appendingPathComponent(file + ".leaf"), encoding: .utf8).matches(of: /#extend\("([^"]+)"\)/).map {
                    String($0.1)
                }
            })
        let unused = files.filter { Self.isPartial($0) && !extended.contains($0) }
        #expect(unused.isEmpty, "partials no template includes: \(unused)")
        let pagesExtended = extended.filter { !Self.isPartial($0) }
        #expect(pagesExtended.isEmpty, "a page included as if it were a partial (name partials _name.leaf): \(pagesExtended)")
    }

    @Test func everyPageModelHasEveryOptionalFilledAndEveryListNonEmpty() {
        for page in Self.pages {
            let unfilled = Self.unfilled(page.model, at: "page")
            #expect(unfilled.isEmpty, "\(page.path): \(unfilled)")
        }
    }

    @Test(arguments: pages) func everyVariableThePageNamesIsInItsModel(_ page: PageCase) throws {
        let missing = try Self.scanner.missing(in: page.path, context: Self.json(page.context()))
        #expect(missing.isEmpty, "variables the model of \(page.path) does not have: \(missing)")
    }

    @Test(arguments: pages) func everyPageRendersWithItsPopulatedModel(_ page: PageCase) async throws {
        let app = try await Application.make(.testing)
        do {
            app.directory = DirectoryConfiguration(workingDirectory: TestPaths.root + "/")
            app.views.use(.leaf)
            let view = try await app.view.render(page.path, page.context())
            let html = String(buffer: view.data)
            #expect(html.contains("<html lang=\"es\">") && html.contains("Mesa de diálogo de Zapopan 2026 · Cocrea"))
            #expect(html.contains("Falta el título del compromiso."), "the layout shows the errors")
        } catch {
            Issue.record(error)
        }
        try await app.asyncShutdown()
    }

    @Test func theScanReportsAMisspeltVariableInALoopAPartialAndAfterItsLoop() throws {
        let templates = [
            "page": """
            #extend("_layout"):#export("body"):
            #for(row in page.rows):<td>#(row.name) #(row.organisation)</td>#if(isFirst && count(row.tags) > 0):#(index)#endif#endfor
            #(row.name) #if(page.sealed == "sí" || !page.valid):\\#(not.a.variable)#endif
            #extend("_partial")
            #endexport#endextend
            """,
            "_layout": #"<title>#(title)</title><p>#(tilte)</p>#import("body")"#,
            "_partial": #"#for(tag in page.rows):#for(label in tag.tags):#(label) #(tag.nam)#endfor#endfor #(page.valid)"#,
        ]
        let scanner = TemplateVariables { templates[$0]! }
        let context: [String: Any] = [
            "title": "Mesa", "page": ["sealed": true, "valid": true, "rows": [["name": "Luis", "tags": ["a"]]]],
        ]
        #expect(
            try scanner.missing(in: "page", context: context) == [
                "_layout.leaf:1: tilte", "page.leaf:2: row.organisation", "page.leaf:3: row.name", "_partial.leaf:1: tag.nam",
            ])
    }
}
