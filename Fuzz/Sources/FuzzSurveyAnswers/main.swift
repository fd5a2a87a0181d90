import CocreaConsultation
import CocreaCore
import Foundation
import FuzzInput

/// A citizen's answers to a survey with every kind of question, as the API's JSON (first byte odd)
/// or as a form's fields (NUL-separated names and values): checked answers within the stated
/// limits, or a 422 naming the questions; never a crash.
private let survey = SurveyDefinition(
    title: "Movilidad en la colonia Centro",
    description: "Cuéntanos cómo te mueves.",
    questions: QuestionKind.allCases.enumerated().map { index, kind in
        SurveyQuestion(
            id: "p\(index + 1)", prompt: "Pregunta \(index + 1): \(kind.rawValue)", kind: kind, required: index % 2 == 0,
            options: kind.hasOptions ? ["Camión", "Bicicleta", "A pie", "Auto"] : [])
    }
)

Fuzzer.run { (input: inout FuzzInput) in
    guard let mode = input.bytes.first else { return }
    var raw: [String: [String]] = [:]
    if mode & 1 == 1 {
        // The API's body: {"answers": {"p1": "…", "p2": ["…"], "p3": 4}}.
        guard let answers = try? JSONDecoder().decode([String: AnswerValue].self, from: Data(input.bytes.dropFirst())) else { return }
        for (id, value) in answers {
            switch value {
            case .one(let text): raw[id] = [text]
            case .many(let values): raw[id] = values
            case .number(let number): raw[id] = [String(number)]
            }
        }
    } else {
        _ = input.field()
        var fields = input.remainingTexts()
        while fields.count >= 2 {
            raw[fields.removeFirst(), default: []].append(fields.removeFirst())
        }
    }
    do throws(CocreaError) {
        let answers = try SurveyAnswers.check(raw, against: survey)
        for (id, answer) in answers {
            guard survey.questions.contains(where: { $0.id == id }) else { FuzzInput.violated("only the survey's questions are answered", id) }
            guard case .one(let text) = answer else { continue }
            if text.count > SurveyAnswers.longTextLimit { FuzzInput.violated("a text answer stays within the limit", "\(text.count)") }
            if survey.questions.first(where: { $0.id == id })?.kind == .shortText, text.contains(where: \.isNewline) {
                FuzzInput.violated("a short text answer is one line", text)
            }
        }
    } catch {
        guard error.kind != .failure, error.kind != .unavailable else {
            FuzzInput.violated("bad answers are refused as the sender's fault (a 4xx)", "\(error.kind)")
        }
    }
}
