/// An error a person or a program can act on: a stable `code` for programs, a message for people in
/// their language, what kind of refusal it is (the web edge answers each kind with its HTTP status),
/// and the facts of the error as extra fields.
public struct CocreaError: Error, Sendable {
    public var kind: Kind
    public var code: String
    /// What a person reads: a text of the catalogue with its values, written in each language.
    public var text: ErrorText
    /// Per-field problems of a rejected form or body, in the order found.
    public var fieldErrors: [FieldError]
    /// Facts that a program may need (e.g. `earliestValidDate`), serialised as extra problem fields.
    public var facts: [String: Fact]

    /// An error outside the catalogue, with its message written whole (a tool's own, a test's).
    public init(kind: Kind, code: String, message: String, fieldErrors: [FieldError] = [], facts: [String: Fact] = [:]) {
        self.init(kind: kind, code: code, text: ErrorText(written: message), fieldErrors: fieldErrors, facts: facts)
    }

    init(kind: Kind, code: String, text: ErrorText, fieldErrors: [FieldError], facts: [String: Fact]) {
        self.kind = kind
        self.code = code
        self.text = text
        self.fieldErrors = fieldErrors
        self.facts = facts
    }

    /// What kind of refusal an error is, whatever carries it (a web page, the API, the command line).
    public enum Kind: String, Sendable, CaseIterable {
        /// The request cannot be read as sent (or the configuration as written).
        case unreadable
        /// Nobody is signed in, or the credentials are not valid.
        case unauthenticated
        /// The person or the place may not do this.
        case forbidden
        case notFound
        case methodNotAllowed
        /// The request took too long to arrive.
        case tooSlow
        /// The state of things does not allow it now (already done, out of order, changed meanwhile).
        case conflict
        /// It existed, and no longer works (an old link).
        case expired
        case tooLarge
        case unsupportedType
        /// It can be read, and breaks a rule.
        case invalid
        /// Locked until someone opens it again.
        case locked
        /// Too many attempts in too short a time.
        case rateLimited
        /// Something failed on Cocrea's side.
        case failure
        /// Cocrea cannot answer now; the same request may succeed in a moment.
        case unavailable
    }

    public enum Fact: Sendable {
        case string(String)
        case strings([String])
        case int(Int)
        case null
        /// A structured value, e.g. both versions of a record in an edit conflict.
        case value(any Encodable & Sendable)
    }
}

/// A problem of one field: the field's name for programs and what a person reads, in their language.
public struct FieldError: Sendable, Equatable, Codable {
    public var field: String
    public var text: ErrorText

    /// A problem written whole, outside the catalogue (a test's, a message already in the reader's language).
    public init(field: String, message: String) {
        self.init(field: field, text: ErrorText(written: message))
    }

    /// A problem of the catalogue: the text `key` with `values` in its placeholders.
    public init(field: String, _ key: String, _ values: [String: ErrorText.Value] = [:]) {
        self.init(field: field, text: ErrorText(key: key, values: values))
    }

    public init(field: String, text: ErrorText) {
        self.field = field
        self.text = text
    }

    public func message(_ words: Words) -> String { text.rendered(words) }

    /// The message in Spanish, the reference language (logs, the command line, the tests).
    public var message: String { message(Catalogue.reference.words) }

    /// The same problem as the reader of `words` reads it, for a page or a problem body.
    public func written(in words: Words) -> FieldError { FieldError(field: field, message: message(words)) }

    public static func == (left: FieldError, right: FieldError) -> Bool {
        left.field == right.field && left.message == right.message
    }

    private enum CodingKeys: String, CodingKey { case field, message }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(field: try container.decode(String.self, forKey: .field), message: try container.decode(String.self, forKey: .message))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(field, forKey: .field)
        try container.encode(message, forKey: .message)
    }
}

extension CocreaError {
    /// An error of the catalogue (`ErrorCatalogue.swift`): its message is the catalogue's text
    /// `error.<code>` (or `error.<code>.<variant>`) with `values` in its placeholders; its kind is the
    /// code's, unless the entry says otherwise.
    init(
        _ code: ErrorCode, _ variant: String? = nil, _ values: [String: ErrorText.Value] = [:], kind: Kind? = nil,
        fieldErrors: [FieldError] = [], facts: [String: Fact] = [:]
    ) {
        self.init(
            kind: kind ?? code.kind, code: code.rawValue, text: ErrorText(key: ErrorText.key(code, variant), values: values),
            fieldErrors: fieldErrors, facts: facts)
    }

    /// The message in the language of `words`.
    public func message(_ words: Words) -> String { text.rendered(words) }

    /// The message in Spanish, the reference language (logs, the command line, the tests).
    public var message: String { message(Catalogue.reference.words) }
}

/// The message of an error as the catalogue holds it: the key of its text and the values of its
/// placeholders, rendered in whatever language the reader asked for.
public struct ErrorText: Sendable {
    public enum Value: Sendable {
        /// Written by a person or by the reader of a file (a name, an address, a title): the same in every language.
        case text(String)
        case number(Int)
        /// A day, written long in the reader's language.
        case date(LocalDate)
        /// Another text of the catalogue (a label).
        case label(String)
        /// A number and its noun: the catalogue's `key` + `One` or `Other`, with `{count}`.
        case count(String, Int)
        /// The name of a field, as the catalogue writes it in each language.
        case field(FieldLabel)
        /// The name of a field opening a sentence, its first letter capitalised («El título…», «The title…»).
        case openingField(FieldLabel)
        /// The values a field takes, each with its label: «guarantor (Garante), institution (Institución)».
        case choices([(value: String, labelKey: String)])
        /// Texts of the catalogue (a form's problems, a file reader's account), each in the reader's language, one after the other.
        case texts([ErrorText])
        /// A text of the catalogue continuing a sentence, its first letter in lower case («Fila 3, columna status: falta…»).
        case continuing(ErrorText)
    }

    /// The catalogue key; nil for a message written whole, outside the catalogue.
    public var key: String?
    public var values: [String: Value]
    private var written: String?

    public init(key: String, values: [String: Value] = [:]) {
        self.key = key
        self.values = values
    }

    public init(written: String) {
        self.values = [:]
        self.written = written
    }

    static func key(_ code: ErrorCode, _ variant: String?) -> String {
        "error." + code.rawValue + (variant.map { "." + $0 } ?? "")
    }

    public func rendered(_ words: Words) -> String {
        guard let key else { return written ?? "" }
        return words[
            key,
            values.mapValues { value in
                switch value {
                case .text(let text): text
                case .number(let number): "\(number)"
                case .date(let date): words.date(date)
                case .label(let key): words[key]
                case .count(let key, let number): words.count(key, number)
                case .field(let label): label.rendered(words)
                case .openingField(let label): label.rendered(words).capitalizedFirst
                case .choices(let choices): choices.map { "\($0.value) (\(words[$0.labelKey]))" }.joined(separator: ", ")
                case .texts(let texts): texts.map { $0.rendered(words) }.joined(separator: " ")
                case .continuing(let text): text.rendered(words).lowercasedFirst
                }
            }]
    }
}

/// The name of a field in a problem's sentence, with its article: the catalogue's text `key`
/// («el título del compromiso», «the commitment's title») with `values` in its placeholders.
public struct FieldLabel: Sendable, ExpressibleByStringLiteral {
    public var key: String
    public var values: [String: String]

    public init(_ key: String, _ values: [String: String] = [:]) {
        self.key = key
        self.values = values
    }

    public init(stringLiteral key: String) {
        self.init(key)
    }

    public func rendered(_ words: Words) -> String { words[key, values] }
}
