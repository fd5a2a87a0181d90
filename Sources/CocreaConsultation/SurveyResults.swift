import CocreaCore
import Foundation

public struct OptionCount: Codable, Sendable, Equatable {
    public var label: String
    public var count: Int
    /// Of the people who answered the question, rounded to one decimal.
    public var percent: Double
}

public struct QuestionResult: Codable, Sendable {
    public var questionId: String
    public var prompt: String
    public var kind: QuestionKind
    public var answered: Int
    /// Choice questions: every option; scale questions: the ratings 1 to 5. Empty for text questions.
    public var options: [OptionCount]
    public var mean: Double?
    /// Text questions: the latest answers, newest first (at most `textSample`).
    public var texts: [String]
}

public struct SurveyResults: Codable, Sendable {
    public var responseCount: Int
    public var questions: [QuestionResult]

    public static let textSample = 30

    /// Counts answers per question; `responses` newest first.
    public init(definition: SurveyDefinition, responses: [[String: AnswerValue]]) {
        var tally = SurveyTally(definition: definition)
        for answers in responses { tally.add(answers) }
        self = tally.results
    }

    fileprivate init(responseCount: Int, questions: [QuestionResult]) {
        self.responseCount = responseCount
        self.questions = questions
    }
}

/// Results counted one response at a time, newest first, so that a survey is read in pages of any
/// size and memory holds one page and the counts, never every response.
public struct SurveyTally: Sendable {
    private struct Question: Sendable {
        var answered = 0
        var counts: [String: Int] = [:]
        var total = 0
        var texts: [String] = []
    }

    public let definition: SurveyDefinition
    private var responseCount = 0
    private var questions: [Question]

    public init(definition: SurveyDefinition) {
        self.definition = definition
        questions = Array(repeating: Question(), count: definition.questions.count)
    }

    public mutating func add(_ answers: [String: AnswerValue]) {
        responseCount += 1
        for (index, question) in definition.questions.enumerated() {
            guard let answer = answers[question.id] else { continue }
            questions[index].answered += 1
            switch answer {
            case .one(let value) where question.kind.hasOptions: questions[index].counts[value, default: 0] += 1
            case .one(let value): if questions[index].texts.count < SurveyResults.textSample { questions[index].texts.append(value) }
            case .many(let values): for value in values { questions[index].counts[value, default: 0] += 1 }
            case .number(let rating):
                questions[index].counts[String(rating), default: 0] += 1
                questions[index].total += rating
            }
        }
    }

    public var results: SurveyResults {
        SurveyResults(
            responseCount: responseCount,
            questions: zip(definition.questions, questions).map { question, tally in
                let labels = question.kind == .scale ? (1...5).map(String.init) : question.options
                let options = labels.map { label in
                    OptionCount(
                        label: label, count: tally.counts[label] ?? 0,
                        percent: tally.answered == 0 ? 0 : (Double(tally.counts[label] ?? 0) * 1000 / Double(tally.answered)).rounded() / 10)
                }
                return QuestionResult(
                    questionId: question.id, prompt: question.prompt, kind: question.kind, answered: tally.answered, options: options,
                    mean: question.kind == .scale && tally.answered > 0 ? (Double(tally.total) * 10 / Double(tally.answered)).rounded() / 10 : nil,
                    texts: tally.texts)
            })
    }
}

/// A result turned into a dossier problem: its text carries the evidence (the question and its counts).
public struct SurveyFinding: Sendable, Equatable {
    public var title: String
    public var body: String
    public var source: String

    public init(survey: String, result: QuestionResult, responseCount: Int, closing: String? = nil) {
        title = "Consulta pública: \(result.prompt)"
        var lines = ["De \(responseCount) respuestas a la encuesta «\(survey)», \(result.answered) contestaron la pregunta «\(result.prompt)»."]
        if result.kind == .scale, let mean = result.mean {
            lines.append("Calificación promedio: \(Self.decimal(mean)) de 5.")
        }
        for option in result.options.sorted(by: { $0.count > $1.count }) where !result.options.isEmpty {
            lines.append("• \(option.label): \(option.count) (\(Self.decimal(option.percent)) %)")
        }
        if !result.texts.isEmpty {
            lines.append("Algunas respuestas:")
            lines += result.texts.prefix(5).map { "• «\($0)»" }
        }
        if let closing { lines.append(closing) }
        body = lines.joined(separator: "\n")
        source = "Encuesta «\(survey)», pregunta \(result.questionId)"
    }

    /// One decimal with a point, as Mexico writes it.
    public static func decimal(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }
}

/// Every response as a row: for the institution's CSV and JSON downloads.
public enum SurveyExport {
    public struct Row: Sendable {
        public var id: UUID
        public var receivedAt: Date
        public var channel: String
        public var answers: [String: AnswerValue]

        public init(id: UUID, receivedAt: Date, channel: String, answers: [String: AnswerValue]) {
            self.id = id
            self.receivedAt = receivedAt
            self.channel = channel
            self.answers = answers
        }
    }

    public static func header(_ definition: SurveyDefinition) -> [String] {
        ["respuesta", "recibida_utc", "canal"] + definition.questions.map { "\($0.id) \($0.prompt)" }
    }

    public static func csv(_ definition: SurveyDefinition, rows: [Row]) -> String {
        CSVText.write(rows: [header(definition)]) + csvLines(definition, rows: rows)
    }

    /// The lines of `rows` without the header: a download is written one page of responses at a time.
    public static func csvLines(_ definition: SurveyDefinition, rows: [Row]) -> String {
        let instant = ISO8601DateFormatter()
        return CSVText.write(
            rows: rows.map { row in
                [row.id.uuidString.lowercased(), instant.string(from: row.receivedAt), row.channel]
                    + definition.questions.map { row.answers[$0.id]?.text ?? "" }
            })
    }
}
