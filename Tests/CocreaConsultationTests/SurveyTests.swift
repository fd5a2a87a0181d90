import CocreaConsultation
import CocreaCore
import Foundation
import Testing

/// Consultation surveys without a server: building one, checking a citizen's answers, counting the
/// results, turning one into dossier evidence, and the guard in front of the public form.
@Suite struct SurveyTests {
    /// The 422 a call threw, or nil when it did not throw one.
    static func refusal(_ body: () throws -> Void) -> CocreaError? {
        do {
            try body()
            return nil
        } catch {
            return error as? CocreaError
        }
    }

    static func fields(_ error: CocreaError?) -> [String] { error?.fieldErrors.map(\.field) ?? [] }

    /// A health-services survey: one question of each kind.
    static let definition = try! SurveyDefinition.build(
        title: "Abasto de medicamentos en los centros de salud", description: "Tu opinión sobre tu última consulta.",
        questions: [
            QuestionDraft(
                prompt: "¿Encontraste todos tus medicamentos en la farmacia del centro de salud?", kind: "singleChoice",
                required: true, options: ["Sí", "No"]),
            QuestionDraft(
                prompt: "¿Cuáles te faltaron?", kind: "multipleChoice", required: false,
                options: ["Insulina", "Metformina", "Losartán", "Paracetamol"]),
            QuestionDraft(prompt: "¿Cómo calificas la atención en ventanilla?", kind: "scale", required: false, options: nil),
            QuestionDraft(prompt: "¿En qué centro de salud te atendieron?", kind: "shortText", required: false, options: []),
            QuestionDraft(prompt: "¿Qué mejorarías?", kind: "longText", required: false, options: nil),
        ])

    static func check(_ raw: [String: [String]]) throws -> [String: AnswerValue] {
        try SurveyAnswers.check(raw, against: definition)
    }

    // MARK: Building

    @Test func aValidSurveyGetsStableIdsAndCleanOptions() throws {
        let survey = Self.definition
        #expect(survey.title == "Abasto de medicamentos en los centros de salud")
        #expect(survey.questions.map(\.id) == ["p1", "p2", "p3", "p4", "p5"])
        #expect(survey.questions.map(\.kind) == [.singleChoice, .multipleChoice, .scale, .shortText, .longText])
        #expect(survey.questions.map(\.required) == [true, false, false, false, false])
        #expect(survey.questions[1].options == ["Insulina", "Metformina", "Losartán", "Paracetamol"])
        #expect(survey.questions[2].options.isEmpty)

        let trimmed = try SurveyDefinition.build(
            title: "  Transporte escolar  ", description: nil,
            questions: [
                QuestionDraft(
                    prompt: " ¿Usas el transporte escolar? ", kind: "singleChoice", required: nil,
                    options: [" Sí ", "", "No", "   "]),
                QuestionDraft(prompt: "Comentarios", kind: "shortText", required: nil, options: ["", "  "]),
            ])
        #expect(trimmed.title == "Transporte escolar")
        #expect(trimmed.description == "")
        #expect(trimmed.questions[0].prompt == "¿Usas el transporte escolar?")
        #expect(trimmed.questions[0].options == ["Sí", "No"], "blank options are dropped, the rest trimmed")
        #expect(trimmed.questions[0].required == false, "a question is optional unless said")
        #expect(trimmed.questions[1].options.isEmpty, "blank options on a text question are no options")
    }

    @Test func buildingReportsEveryBrokenRuleAtOnceByField() {
        let error = Self.refusal {
            _ = try SurveyDefinition.build(
                title: "  ", description: nil,
                questions: [
                    QuestionDraft(prompt: "¿Te atendieron a tiempo?", kind: "singleChoice", required: true, options: ["Sí"]),
                    QuestionDraft(prompt: "¿Qué trámite hiciste?", kind: "multipleChoice", required: false, options: ["Licencia", "licencia", "Predial"]),
                    QuestionDraft(prompt: "Tu colonia", kind: "shortText", required: false, options: ["Centro", "Oblatos"]),
                    QuestionDraft(prompt: "¿Volverías?", kind: "siNo", required: false, options: nil),
                    QuestionDraft(prompt: "", kind: "longText", required: false, options: nil),
                    QuestionDraft(prompt: "¿Cuántas veces viniste?", kind: nil, required: false, options: nil),
                ])
        }
        #expect(error?.kind == .invalid)
        #expect(error?.code == "validation_failed")
        #expect(
            Self.fields(error) == [
                "title", "questions[0].options", "questions[1].options", "questions[2].options", "questions[3].kind",
                "questions[4].prompt", "questions[5].kind",
            ])
        let messages = error?.fieldErrors.map(\.message) ?? []
        #expect(messages[0] == "Falta el título.")
        #expect(messages[1].contains("necesita de 2 a 20 opciones"))
        #expect(messages[2].contains("repite una opción"), "options are compared without case")
        #expect(messages[3].contains("no lleva opciones"))
        #expect(messages[4].contains("«siNo»"))
    }

    @Test func aSurveyNeedsQuestionsButNotTooManyOrTooManyOptions() {
        #expect(Self.fields(Self.refusal { _ = try SurveyDefinition.build(title: "Vacía", description: nil, questions: []) }) == ["questions"])
        let many = (1...41).map { QuestionDraft(prompt: "Pregunta \($0)", kind: "shortText", required: false, options: nil) }
        #expect(Self.fields(Self.refusal { _ = try SurveyDefinition.build(title: "Larga", description: nil, questions: many) }) == ["questions"])
        let options = (1...21).map { "Colonia \($0)" }
        let tooMany = Self.refusal {
            _ = try SurveyDefinition.build(
                title: "Colonias", description: nil,
                questions: [
                    QuestionDraft(prompt: "¿Dónde vives?", kind: "singleChoice", required: true, options: options)
                ])
        }
        #expect(Self.fields(tooMany) == ["questions[0].options"])
        let longTitle = Self.refusal {
            _ = try SurveyDefinition.build(
                title: String(repeating: "a", count: 201), description: nil,
                questions: [
                    QuestionDraft(prompt: "¿Sí?", kind: "shortText", required: false, options: nil)
                ])
        }
        #expect(Self.fields(longTitle) == ["title"])
    }

    // MARK: Answers

    @Test func validAnswersAreKeptAsTypedValues() throws {
        let answers = try Self.check([
            "p1": ["Sí"], "p2": ["Losartán", "Insulina", "Insulina"], "p3": [" 4 "], "p4": ["  Centro de Salud Oblatos "],
            "p5": [""],
        ])
        #expect(answers["p1"] == .one("Sí"))
        #expect(answers["p2"] == .many(["Insulina", "Losartán"]), "in the survey's order, each option once")
        #expect(answers["p3"] == .number(4))
        #expect(answers["p4"] == .one("Centro de Salud Oblatos"))
        #expect(answers["p5"] == nil, "an empty optional answer is left out")
        #expect(answers.count == 4)
        #expect(AnswerValue.many(["Insulina", "Losartán"]).text == "Insulina; Losartán")
    }

    @Test func answersThatBreakTheSurveyAreRefusedPerQuestion() {
        let missing = Self.refusal { _ = try Self.check(["p2": ["Insulina"]]) }
        #expect(Self.fields(missing) == ["p1"])
        #expect(missing?.fieldErrors.first?.message.contains("es obligatoria") == true)

        let blankRequired = Self.refusal { _ = try Self.check(["p1": ["   "], "p4": ["Centro"]]) }
        #expect(Self.fields(blankRequired) == ["p1"], "blank is missing")

        let notAnOption = Self.refusal { _ = try Self.check(["p1": ["Más o menos"]]) }
        #expect(Self.fields(notAnOption) == ["p1"])
        #expect(notAnOption?.fieldErrors.first?.message.contains("«Más o menos» no es una de sus opciones") == true)

        #expect(Self.fields(Self.refusal { _ = try Self.check(["p1": ["Sí", "No"]]) }) == ["p1"], "one option only")
        #expect(Self.fields(Self.refusal { _ = try Self.check(["p1": ["Sí"], "p2": ["Insulina", "Aspirina"]]) }) == ["p2"])
        #expect(Self.fields(Self.refusal { _ = try Self.check(["p1": ["sí"]]) }) == ["p1"], "options are matched exactly")

        for rating in ["0", "6", "cinco", "4.5", "-1"] {
            let refused = Self.refusal { _ = try Self.check(["p1": ["No"], "p3": [rating]]) }
            #expect(Self.fields(refused) == ["p3"], "rating \(rating)")
        }
        #expect(Self.fields(Self.refusal { _ = try Self.check(["p1": ["No"], "p3": ["4", "5"]]) }) == ["p3"])
        for rating in 1...5 {
            #expect((try? Self.check(["p1": ["No"], "p3": [String(rating)]]))?["p3"] == .number(rating))
        }

        let atLimit = String(repeating: "ñ", count: SurveyAnswers.shortTextLimit)
        #expect((try? Self.check(["p1": ["Sí"], "p4": [atLimit]]))?["p4"] == .one(atLimit))
        let overShort = Self.refusal { _ = try Self.check(["p1": ["Sí"], "p4": [atLimit + "a"]]) }
        #expect(Self.fields(overShort) == ["p4"])
        #expect(overShort?.fieldErrors.first?.message.contains("hasta 300 caracteres") == true)
        let overLong = Self.refusal { _ = try Self.check(["p1": ["Sí"], "p5": [String(repeating: "x", count: SurveyAnswers.longTextLimit + 1)]]) }
        #expect(Self.fields(overLong) == ["p5"])
        #expect(Self.fields(Self.refusal { _ = try Self.check(["p1": ["Sí"], "p4": ["uno", "dos"]]) }) == ["p4"])

        let unknown = Self.refusal { _ = try Self.check(["p1": ["Sí"], "p9": ["hola"], "correo": ["a@b.mx"]]) }
        #expect(Self.fields(unknown) == ["correo", "p9"])

        let everything = Self.refusal { _ = try Self.check(["p1": ["Tal vez"], "p3": ["6"], "p4": [atLimit + "!"], "p7": ["x"]]) }
        #expect(everything?.code == "validation_failed")
        #expect(Self.fields(everything) == ["p7", "p1", "p3", "p4"], "every problem at once")
    }

    @Test func anEmptyResponseIsRefusedEvenWhenNothingIsRequired() throws {
        let optional = try SurveyDefinition.build(
            title: "Opinión", description: nil,
            questions: [
                QuestionDraft(prompt: "¿Algo que agregar?", kind: "longText", required: false, options: nil),
                QuestionDraft(prompt: "Califica el servicio", kind: "scale", required: false, options: nil),
            ])
        for raw: [String: [String]] in [[:], ["p1": ["  "]], ["p1": [], "p2": [""]]] {
            let refused = Self.refusal { _ = try SurveyAnswers.check(raw, against: optional) }
            #expect(Self.fields(refused) == ["answers"], "\(raw)")
            #expect(refused?.fieldErrors.first?.message.contains("vacía") == true)
        }
        #expect(try SurveyAnswers.check(["p2": ["3"]], against: optional) == ["p2": .number(3)])
    }

    @Test func answersRoundTripAsPlainJSON() throws {
        let answers: [String: AnswerValue] = ["p1": .one("Sí"), "p2": .many(["Insulina"]), "p3": .number(5)]
        let data = try JSONEncoder().encode(answers)
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        #expect(object?["p1"] as? String == "Sí")
        #expect(object?["p2"] as? [String] == ["Insulina"])
        #expect(object?["p3"] as? Int == 5)
        #expect(try JSONDecoder().decode([String: AnswerValue].self, from: data) == answers)
    }

    // MARK: Results

    /// Newest first, as the store reads them.
    static let responses: [[String: AnswerValue]] = [
        ["p1": .one("No"), "p2": .many(["Insulina", "Losartán"]), "p3": .number(2), "p4": .one("Centro de Salud Oblatos")],
        ["p1": .one("Sí"), "p3": .number(5)],
        ["p1": .one("No"), "p2": .many(["Insulina"]), "p3": .number(4), "p5": .one("Que haya más surtido")],
        ["p1": .one("No"), "p4": .one("Centro de Salud Tonalá")],
    ]

    @Test func resultsCountEveryOptionWithPercentsOfWhoAnswered() {
        let results = SurveyResults(definition: Self.definition, responses: Self.responses)
        #expect(results.responseCount == 4)
        #expect(results.questions.map(\.questionId) == ["p1", "p2", "p3", "p4", "p5"])

        let p1 = results.questions[0]
        #expect(p1.answered == 4)
        #expect(p1.options.map(\.label) == ["Sí", "No"])
        #expect(p1.options.map(\.count) == [1, 3])
        #expect(p1.options.map(\.percent) == [25, 75])
        #expect(p1.mean == nil)
        #expect(p1.texts.isEmpty)

        let p2 = results.questions[1]
        #expect(p2.answered == 2, "people who ticked something, not ticks")
        #expect(p2.options.map(\.label) == ["Insulina", "Metformina", "Losartán", "Paracetamol"], "every option, even unchosen")
        #expect(p2.options.map(\.count) == [2, 0, 1, 0])
        #expect(p2.options.map(\.percent) == [100, 0, 50, 0])

        let p3 = results.questions[2]
        #expect(p3.answered == 3)
        #expect(p3.options.map(\.label) == ["1", "2", "3", "4", "5"])
        #expect(p3.options.map(\.count) == [0, 1, 0, 1, 1])
        #expect(p3.options.map(\.percent) == [0, 33.3, 0, 33.3, 33.3], "rounded to one decimal")
        #expect(p3.mean == 3.7, "(2 + 5 + 4) / 3")

        let p4 = results.questions[3]
        #expect(p4.answered == 2)
        #expect(p4.options.isEmpty)
        #expect(p4.texts == ["Centro de Salud Oblatos", "Centro de Salud Tonalá"], "newest first")
        #expect(results.questions[4].texts == ["Que haya más surtido"])
    }

    @Test func resultsOfNobodyAreZerosNotDivisionsByZero() {
        let results = SurveyResults(definition: Self.definition, responses: [])
        #expect(results.responseCount == 0)
        #expect(results.questions.allSatisfy { $0.answered == 0 && $0.options.allSatisfy { $0.count == 0 && $0.percent == 0 } })
        #expect(results.questions[2].mean == nil)
    }

    @Test func textAnswersKeepOnlyTheLatestSample() {
        let many = (1...45).map { ["p4": AnswerValue.one("Centro \($0)")] }
        let texts = SurveyResults(definition: Self.definition, responses: many).questions[3]
        #expect(texts.answered == 45)
        #expect(texts.texts.count == SurveyResults.textSample)
        #expect(texts.texts.first == "Centro 1")
    }

    @Test func aFindingCarriesTheCountsAsEvidence() {
        let results = SurveyResults(definition: Self.definition, responses: Self.responses)
        let finding = SurveyFinding(
            survey: Self.definition.title, result: results.questions[0], responseCount: results.responseCount,
            closing: "Evidencia: https://cocrea.example/encuesta")
        #expect(finding.title == "Consulta pública: ¿Encontraste todos tus medicamentos en la farmacia del centro de salud?")
        let lines = finding.body.split(separator: "\n").map(String.init)
        #expect(
            lines.first
                == "De 4 respuestas a la encuesta «Abasto de medicamentos en los centros de salud», 4 contestaron la pregunta «¿Encontraste todos tus medicamentos en la farmacia del centro de salud?»."
        )
        #expect(Array(lines.dropFirst().prefix(2)) == ["• No: 3 (75 %)", "• Sí: 1 (25 %)"], "most chosen first")
        #expect(lines.last == "Evidencia: https://cocrea.example/encuesta")
        #expect(finding.source == "Encuesta «Abasto de medicamentos en los centros de salud», pregunta p1")

        let scale = SurveyFinding(survey: "Abasto", result: results.questions[2], responseCount: 4)
        #expect(scale.body.contains("De 4 respuestas a la encuesta «Abasto», 3 contestaron"))
        #expect(scale.body.contains("Calificación promedio: 3.7 de 5."))
        #expect(scale.body.contains("• 2: 1 (33.3 %)"))

        let text = SurveyFinding(survey: "Abasto", result: results.questions[3], responseCount: 4)
        #expect(text.body.contains("Algunas respuestas:\n• «Centro de Salud Oblatos»\n• «Centro de Salud Tonalá»"))
        #expect(!text.body.contains("%"), "a text question has no counts to show")
    }

    @Test func theExportHasAHeaderAndOneRowPerResponse() {
        let received = Date(timeIntervalSince1970: 1_795_000_000)
        let rows = Self.responses.enumerated().map { index, answers in
            SurveyExport.Row(
                id: UUID(), receivedAt: received.addingTimeInterval(Double(index)), channel: index == 1 ? "kiosk" : "web",
                answers: answers)
        }
        let csv = SurveyExport.csv(Self.definition, rows: rows)
        let lines = csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(lines.count == 5)
        #expect(lines[0].hasPrefix("respuesta,recibida_utc,canal,p1 ¿Encontraste todos tus medicamentos"))
        #expect(lines[1].hasSuffix(",web,No,Insulina; Losartán,2,Centro de Salud Oblatos,"))
        #expect(lines[2].contains(",kiosk,Sí,,5,,"))
        #expect(lines[1].contains("2026-11-18T"), "instants in UTC, ISO 8601")
    }

    // MARK: The guard in front of the public form

    static let start = Date(timeIntervalSince1970: 1_795_000_000)

    @Test func aClientGetsItsBudgetPerMinuteThenWaits() {
        var guardian = SubmissionGuard(perMinute: 3)
        for second in 0..<3 {
            #expect(guardian.admit(client: 1, fingerprint: 100 + second, kiosk: false, at: Self.start.addingTimeInterval(Double(second))) == .accepted)
        }
        #expect(guardian.admit(client: 1, fingerprint: 200, kiosk: false, at: Self.start.addingTimeInterval(10)) == .rateLimited(retryAfterSeconds: 50))
        #expect(guardian.admit(client: 1, fingerprint: 201, kiosk: false, at: Self.start.addingTimeInterval(59.5)) == .rateLimited(retryAfterSeconds: 1))
        #expect(
            guardian.admit(client: 2, fingerprint: 300, kiosk: false, at: Self.start.addingTimeInterval(10)) == .accepted, "another client has its own budget")
        // The window started with the first answer: a minute later it starts over.
        #expect(
            guardian.admit(client: 1, fingerprint: 200, kiosk: false, at: Self.start.addingTimeInterval(60)) == .accepted,
            "refused answers are not remembered as sent")
        #expect(guardian.admit(client: 1, fingerprint: 202, kiosk: false, at: Self.start.addingTimeInterval(61)) == .accepted)
        #expect(guardian.admit(client: 1, fingerprint: 203, kiosk: false, at: Self.start.addingTimeInterval(62)) == .accepted)
        #expect(guardian.admit(client: 1, fingerprint: 204, kiosk: false, at: Self.start.addingTimeInterval(63)) == .rateLimited(retryAfterSeconds: 57))
    }

    @Test func theSameAnswersAgainAreARepetitionForFiveMinutes() {
        var guardian = SubmissionGuard(perMinute: 0)
        #expect(guardian.admit(client: 1, fingerprint: 42, kiosk: false, at: Self.start) == .accepted)
        #expect(guardian.admit(client: 1, fingerprint: 42, kiosk: false, at: Self.start.addingTimeInterval(5)) == .duplicate)
        #expect(guardian.admit(client: 1, fingerprint: 42, kiosk: false, at: Self.start.addingTimeInterval(4 * 60)) == .duplicate)
        #expect(guardian.admit(client: 1, fingerprint: 43, kiosk: false, at: Self.start.addingTimeInterval(4 * 60)) == .accepted)
        #expect(guardian.admit(client: 1, fingerprint: 42, kiosk: false, at: Self.start.addingTimeInterval(5 * 60 + 1)) == .accepted)
    }

    @Test func aKioskOnlyRefusesADoubleTap() {
        var guardian = SubmissionGuard(perMinute: 0)
        #expect(guardian.admit(client: 7, fingerprint: 42, kiosk: true, at: Self.start) == .accepted)
        #expect(guardian.admit(client: 7, fingerprint: 42, kiosk: true, at: Self.start.addingTimeInterval(3)) == .duplicate)
        #expect(
            guardian.admit(client: 7, fingerprint: 42, kiosk: true, at: Self.start.addingTimeInterval(16)) == .accepted,
            "the next person at the tablet may give the same answers")
        #expect(
            guardian.admit(client: 7, fingerprint: 42, kiosk: false, at: Self.start.addingTimeInterval(30)) == .duplicate,
            "off the kiosk the five minutes apply")
    }

    @Test func zeroPerMinuteIsNoLimit() {
        var guardian = SubmissionGuard(perMinute: 0)
        for index in 0..<5_000 {
            #expect(guardian.admit(client: 1, fingerprint: index, kiosk: false, at: Self.start) == .accepted)
        }
    }

    @Test func aLongRunningGuardForgetsOldAnswers() {
        var guardian = SubmissionGuard(perMinute: 2)
        #expect(guardian.admit(client: 1, fingerprint: 1, kiosk: false, at: Self.start) == .accepted)
        #expect(guardian.admit(client: 1, fingerprint: 2, kiosk: false, at: Self.start) == .accepted)
        #expect(guardian.admit(client: 1, fingerprint: 3, kiosk: false, at: Self.start) == .rateLimited(retryAfterSeconds: 60))
        // An hour later both the window and the fingerprints are gone (swept), and all starts over.
        let later = Self.start.addingTimeInterval(3600)
        #expect(guardian.admit(client: 1, fingerprint: 1, kiosk: false, at: later) == .accepted)
        #expect(guardian.admit(client: 1, fingerprint: 2, kiosk: false, at: later) == .accepted)
        #expect(guardian.admit(client: 1, fingerprint: 3, kiosk: false, at: later) == .rateLimited(retryAfterSeconds: 60))
    }
}
