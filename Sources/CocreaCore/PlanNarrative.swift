import Foundation

/// The parts of the Plan de Acción Local the Secretariado Técnico Local writes in its own words, as
/// local plans run them: the context and challenges (in the introduction), the normative context, the
/// definitions, the strategic objective and the specific objectives.
///
/// Their only markup is what a person types without thinking of it: a blank line separates
/// paragraphs and a line starting with "- " is a list item; everything else is text as written.
public struct PlanNarrative: Codable, Sendable, Equatable {
    public var contextAndChallenges = ""
    public var normativeContext = ""
    public var definitions = ""
    public var strategicObjective = ""
    public var specificObjectives = ""

    public init() {}

    /// The sections in the PAL's order, each with its field, its label and its longest text.
    public enum Section: String, CaseIterable, Sendable {
        case contextAndChallenges, normativeContext, definitions, strategicObjective, specificObjectives

        /// Long enough for a plan's chapter, short enough that a page and a PDF stay readable.
        public var maxLength: Int {
            switch self {
            case .strategicObjective: 3000
            case .specificObjectives: 10000
            case .contextAndChallenges, .normativeContext, .definitions: 20000
            }
        }

        /// The field's name with its article, as problems name it («el contexto normativo»).
        public var fieldLabel: FieldLabel {
            switch self {
            case .contextAndChallenges: "fieldNarrativeContextAndChallenges"
            case .normativeContext: "fieldNarrativeNormativeContext"
            case .definitions: "fieldNarrativeDefinitions"
            case .strategicObjective: "fieldNarrativeStrategicObjective"
            case .specificObjectives: "fieldNarrativeSpecificObjectives"
            }
        }
    }

    public subscript(section: Section) -> String {
        get {
            switch section {
            case .contextAndChallenges: contextAndChallenges
            case .normativeContext: normativeContext
            case .definitions: definitions
            case .strategicObjective: strategicObjective
            case .specificObjectives: specificObjectives
            }
        }
        set {
            switch section {
            case .contextAndChallenges: contextAndChallenges = newValue
            case .normativeContext: normativeContext = newValue
            case .definitions: definitions = newValue
            case .strategicObjective: strategicObjective = newValue
            case .specificObjectives: specificObjectives = newValue
            }
        }
    }

    /// True when no section has text: a plan frozen so leaves the narrative out of its content.
    public var isEmpty: Bool { Section.allCases.allSatisfy { self[$0].isEmpty } }

    /// The sections as typed, normalised, or a 422 naming every section that is too long. A missing
    /// section is empty: the STL writes them over several sessions.
    public static func validated(_ input: [Section: String?]) throws(CocreaError) -> PlanNarrative {
        var validator = Validator()
        var narrative = PlanNarrative()
        for section in Section.allCases {
            let text = normalised(input[section] ?? nil)
            if text.count > section.maxLength {
                validator.tooLong(field: section.rawValue, label: section.fieldLabel, maxLength: section.maxLength)
            }
            narrative[section] = text
        }
        try validator.check()
        return narrative
    }

    /// One form of a text, so that the same words hash the same however they were typed: control and
    /// bidirectional characters go, line ends become "\n", every line is trimmed (indentation means
    /// nothing here), runs of blank lines become one, and blank lines at the ends go.
    public static func normalised(_ text: String?) -> String {
        let clean = PlainText.multiline(text ?? "").replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        var lines: [String] = []
        for line in clean.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.replacingOccurrences(of: "\t", with: " ").trimmingWhitespace
            if trimmed.isEmpty && (lines.last?.isEmpty ?? true) { continue }
            lines.append(trimmed)
        }
        if lines.last?.isEmpty == true { lines.removeLast() }
        return lines.joined(separator: "\n")
    }

    /// A paragraph or a list, as the PDF, the reading view and the preview show a section.
    public enum Block: Equatable, Sendable {
        case paragraph(String)
        case list([String])
    }

    /// The section's paragraphs and lists: lines of a paragraph join with a space, a "- " line is an
    /// item of the list it continues or starts, and a blank line ends either.
    public static func blocks(_ text: String) -> [Block] {
        var blocks: [Block] = []
        var paragraph: [String] = []
        var items: [String] = []
        func close() {
            if !paragraph.isEmpty { blocks.append(.paragraph(paragraph.joined(separator: " "))) }
            if !items.isEmpty { blocks.append(.list(items)) }
            paragraph = []
            items = []
        }
        for line in normalised(text).split(separator: "\n", omittingEmptySubsequences: false) {
            if line.isEmpty {
                close()
            } else if line.hasPrefix("- ") {
                if !paragraph.isEmpty { close() }
                let item = String(line.dropFirst(2)).trimmingWhitespace
                if !item.isEmpty { items.append(item) }
            } else {
                if !items.isEmpty { close() }
                paragraph.append(String(line))
            }
        }
        close()
        return blocks
    }
}

/// «Problemáticas y compromisos»: the problems the plan answers, each once, in the order its first
/// commitment comes, with the positions of the commitments that answer it.
public enum PlanProblems {
    public static func grouped(_ problems: [String]) -> [(problem: String, commitments: [Int])] {
        var groups: [(problem: String, commitments: [Int])] = []
        var index: [String: Int] = [:]
        for (position, problem) in problems.enumerated() {
            let key = problem.split(whereSeparator: \.isWhitespace).joined(separator: " ").lowercased()
            if let existing = index[key] {
                groups[existing].commitments.append(position)
            } else {
                index[key] = groups.count
                groups.append((problem: problem.trimmingWhitespace, commitments: [position]))
            }
        }
        return groups
    }
}
