import CocreaConsultation
import CocreaCore
import CocreaStore
import CocreaUseCases
import Fluent
import Vapor

extension Demo {
    static let surveyTitle = "¿Cómo te atendieron en tu centro de salud?"

    /// The institution's consultation in the demo: a published survey with some answers already in,
    /// so the results, the kiosk and the findings can be tried at once.
    static func loadConsultation(into exerciseID: UUID, on app: Application) async throws {
        guard try await Survey.query(on: app.db).filter(\.$exercise.$id == exerciseID).filter(\.$title == surveyTitle).first() == nil else { return }
        let definition = try SurveyDefinition.build(
            title: surveyTitle,
            description:
                "La Secretaría de Salud Jalisco quiere saber cómo fue tu última visita. Tus respuestas son anónimas y ayudan a definir los compromisos del Plan de Acción Local.",
            questions: [
                QuestionDraft(
                    prompt: "¿Te surtieron completa tu receta?", kind: "singleChoice", required: true,
                    options: ["Sí, completa", "Solo una parte", "No me surtieron nada"]),
                QuestionDraft(
                    prompt: "¿Qué información te gustaría encontrar en línea?", kind: "multipleChoice", required: false,
                    options: ["Existencia de medicamentos", "Horarios y médicos de guardia", "Tiempos de espera", "Cómo presentar una queja"]),
                QuestionDraft(prompt: "¿Cómo calificas la atención que recibiste?", kind: "scale", required: true, options: []),
                QuestionDraft(prompt: "¿En qué municipio está tu centro de salud?", kind: "shortText", required: false, options: []),
                QuestionDraft(prompt: "¿Qué debería mejorar primero?", kind: "longText", required: false, options: []),
            ])
        let now = app.options.now()
        try await app.writer.write(on: app.db, actor: .system) { tx, audit in
            let survey = Survey()
            survey.$exercise.id = exerciseID
            survey.title = definition.title
            survey.description = definition.description
            survey.questionsJSON = JSON.canonical(definition.questions)
            survey.status = SurveyStatus.published.rawValue
            survey.createdBy = "Dra. María Fernanda López Castañeda (Secretaría de Salud Jalisco)"
            survey.publishedAt = now
            survey.revision = 1
            try await survey.create(on: tx)
            try await audit.created("survey", id: survey.id, exercise: exerciseID, ["title": survey.title])
            let receipts = ["Sí, completa", "Solo una parte", "Solo una parte", "No me surtieron nada", "Solo una parte", "Sí, completa"]
            let places = ["Guadalajara", "Zapopan", "Tlaquepaque", "Tonalá"]
            let wishes = ["Existencia de medicamentos", "Horarios y médicos de guardia", "Tiempos de espera", "Cómo presentar una queja"]
            let comments = [
                "Que avisen qué medicinas hay antes de ir.", "Más personal en la farmacia por la mañana.",
                "Publicar cuándo llega el surtido.", "",
            ]
            // Fixed answers, so the demo looks the same every time it is loaded.
            let responses = (0..<36).map { index -> SurveyResponse in
                var answers: [String: AnswerValue] = [
                    "p1": .one(receipts[index % receipts.count]),
                    "p3": .number([2, 3, 4, 2, 5, 3, 1][index % 7]),
                    "p4": .one(places[index % places.count]),
                ]
                answers["p2"] = .many(wishes.enumerated().filter { (index + $0.offset) % 3 != 0 }.map(\.element))
                if !comments[index % comments.count].isEmpty { answers["p5"] = .one(comments[index % comments.count]) }
                return SurveyResponse(
                    surveyID: survey.id!, answersJSON: JSON.canonical(answers), channel: index % 3 == 0 ? "kiosk" : "web",
                    receivedAt: now.addingTimeInterval(Double(index - 40) * 3600))
            }
            try await responses.create(on: tx)
        }
    }
}
