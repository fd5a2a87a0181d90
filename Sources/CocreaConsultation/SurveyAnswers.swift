import CocreaCore
import Foundation

/// One stored answer, as plain JSON: a text or a single option, several options, or a 1–5 rating.
public enum AnswerValue: Codable, Sendable, Hashable {
    case one(String)
    case many([String])
    case number(Int)

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int.self) {
            self = .number(number)
        } else if let many = try? container.decode([String].self) {
            self = .many(many)
        } else {
            self = .one(try container.decode(String.self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .one(let text): try container.encode(text)
        case .many(let values): try container.encode(values)
        case .number(let number): try container.encode(number)
        }
    }

    /// As one cell of a table: several options joined by "; ".
    public var text: String {
        switch self {
        case .one(let text): text
        case .many(let values): values.joined(separator: "; ")
        case .number(let number): String(number)
        }
    }
}

/// A citizen's answers checked against the survey: the same rules for the page, the kiosk and the API.
public enum SurveyAnswers {
    public static let shortTextLimit = 300
    public static let longTextLimit = 3000

    /// `raw` holds, per question id, the values as they came (a form's fields, or a JSON value as text).
    public static func check(_ raw: [String: [String]], against definition: SurveyDefinition) throws(CocreaError) -> [String: AnswerValue] {
        var v = Validator()
        let known = Set(definition.questions.map(\.id))
        for unknown in raw.keys.sorted() where !known.contains(unknown) {
            v.add(field: unknown, "problemSurveyQuestionUnknown", ["question": .text(unknown)])
        }
        var answers: [String: AnswerValue] = [:]
        for (index, question) in definition.questions.enumerated() {
            let values = (raw[question.id] ?? []).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
            let name: [String: ErrorText.Value] = ["number": .number(index + 1), "prompt": .text(String(question.prompt.prefix(60)))]
            guard !values.isEmpty else {
                if question.required { v.add(field: question.id, "problemAnswerRequired", name) }
                continue
            }
            switch question.kind {
            case .singleChoice:
                if values.count > 1 {
                    v.add(field: question.id, "problemAnswerOneOption", name)
                } else if !question.options.contains(values[0]) {
                    v.add(field: question.id, "problemAnswerNotAnOption", name.merging(["value": .text(String(values[0].prefix(60)))]) { $1 })
                } else {
                    answers[question.id] = .one(values[0])
                }
            case .multipleChoice:
                if let stray = values.first(where: { !question.options.contains($0) }) {
                    v.add(field: question.id, "problemAnswerNotAnOption", name.merging(["value": .text(String(stray.prefix(60)))]) { $1 })
                } else {
                    // In the survey's order, each option once, whatever order the client sent.
                    answers[question.id] = .many(question.options.filter(values.contains))
                }
            case .scale:
                if values.count == 1, let rating = Int(values[0]), (1...5).contains(rating) {
                    answers[question.id] = .number(rating)
                } else {
                    v.add(field: question.id, "problemAnswerScale", name)
                }
            case .shortText, .longText:
                let limit = question.kind == .shortText ? shortTextLimit : longTextLimit
                if values.count > 1 {
                    v.add(field: question.id, "problemAnswerOneText", name)
                } else if values[0].count > limit {
                    v.add(field: question.id, "problemAnswerTooLong", name.merging(["maximum": .number(limit)]) { $1 })
                } else {
                    answers[question.id] = .one(question.kind == .shortText ? PlainText.singleLine(values[0]) : PlainText.multiline(values[0]))
                }
            }
        }
        if v.errors.isEmpty, answers.isEmpty {
            v.add(field: "answers", "problemAnswerEmpty")
        }
        try v.check()
        return answers
    }
}
