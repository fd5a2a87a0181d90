import CocreaCore
import Foundation

/// The kinds of question a consultation survey can ask.
public enum QuestionKind: String, Codable, Sendable, CaseIterable, Labelled {
    case singleChoice, multipleChoice, scale, shortText, longText
    public static let vocabulary = "questionKind"

    public var hasOptions: Bool { self == .singleChoice || self == .multipleChoice }
}

public struct SurveyQuestion: Codable, Sendable, Equatable {
    /// Stable within its survey (`p1`, `p2`, …): answers and exports refer to it.
    public var id: String
    public var prompt: String
    public var kind: QuestionKind
    public var required: Bool
    public var options: [String]

    public init(id: String, prompt: String, kind: QuestionKind, required: Bool, options: [String] = []) {
        self.id = id
        self.prompt = prompt
        self.kind = kind
        self.required = required
        self.options = options
    }
}

/// A question as the builder sends it, before it is checked.
public struct QuestionDraft: Codable, Sendable {
    public var prompt: String?
    public var kind: String?
    public var required: Bool?
    public var options: [String]?

    public init(prompt: String?, kind: String?, required: Bool?, options: [String]?) {
        self.prompt = prompt
        self.kind = kind
        self.required = required
        self.options = options
    }
}

public enum SurveyStatus: String, Codable, Sendable, CaseIterable, Labelled {
    case draft, published, closed
    public static let vocabulary = "surveyStatus"
}

/// What a survey asks; checked once, when it is built.
public struct SurveyDefinition: Codable, Sendable, Equatable {
    public var title: String
    public var description: String
    public var questions: [SurveyQuestion]

    public init(title: String, description: String, questions: [SurveyQuestion]) {
        self.title = title
        self.description = description
        self.questions = questions
    }

    public static let maximumQuestions = 40
    public static let maximumOptions = 20

    /// Checks a survey as the institution built it; every problem is reported at once, per field.
    public static func build(title: String?, description: String?, questions drafts: [QuestionDraft]) throws -> SurveyDefinition {
        var v = Validator()
        let title = v.required(title, field: "title", label: "fieldTitle", maxLength: 200)
        let description = v.optional(description, field: "description", label: "fieldDescription", maxLength: 2000, lines: .multiple) ?? ""
        if drafts.isEmpty {
            v.add(field: "questions", "problemSurveyNoQuestions")
        } else if drafts.count > maximumQuestions {
            v.add(field: "questions", "problemSurveyTooManyQuestions", ["maximum": .number(maximumQuestions)])
        }
        var questions: [SurveyQuestion] = []
        for (index, draft) in drafts.prefix(maximumQuestions).enumerated() {
            let number = index + 1
            let field = "questions[\(index)]"
            let prompt = v.required(draft.prompt, field: "\(field).prompt", label: FieldLabel("fieldQuestionText", ["number": "\(number)"]), maxLength: 500)
            let kind = v.choice(draft.kind, as: QuestionKind.self, field: "\(field).kind", label: FieldLabel("fieldQuestionKind", ["number": "\(number)"]))
            let options = (draft.options ?? []).map(PlainText.singleLine).filter { !$0.isEmpty }
            if let kind, kind.hasOptions {
                if options.count < 2 || options.count > maximumOptions {
                    v.add(field: "\(field).options", "problemQuestionOptionCount", ["number": .number(number), "maximum": .number(maximumOptions)])
                } else if Set(options.map { $0.lowercased() }).count != options.count {
                    v.add(field: "\(field).options", "problemQuestionOptionRepeated", ["number": .number(number)])
                } else if let long = options.first(where: { $0.count > 200 }) {
                    v.add(field: "\(field).options", "problemQuestionOptionLong", ["option": .text(String(long.prefix(40))), "number": .number(number)])
                }
            } else if kind != nil, !options.isEmpty {
                v.add(field: "\(field).options", "problemQuestionNoOptions", ["number": .number(number), "kind": .label(kind!.labelKey)])
            }
            if !prompt.isEmpty, let kind {
                questions.append(
                    SurveyQuestion(
                        id: "p\(number)", prompt: prompt, kind: kind, required: draft.required ?? false,
                        options: kind.hasOptions ? options : []))
            }
        }
        try v.check()
        return SurveyDefinition(title: title, description: description, questions: questions)
    }
}
