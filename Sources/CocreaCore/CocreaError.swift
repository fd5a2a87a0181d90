/// An error a person or a program can act on: a stable `code` for programs, a Spanish message for
/// people, the HTTP status it maps to, and the facts of the error as extra fields.
public struct CocreaError: Error, Sendable {
    public var status: Int
    public var code: String
    public var message: String
    /// Per-field problems of a rejected form or body, in the order found.
    public var fieldErrors: [FieldError]
    /// Facts that a program may need (e.g. `earliestValidDate`), serialised as extra problem fields.
    public var facts: [String: Fact]

    public init(status: Int, code: String, message: String, fieldErrors: [FieldError] = [], facts: [String: Fact] = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.fieldErrors = fieldErrors
        self.facts = facts
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

public struct FieldError: Sendable, Equatable, Codable {
    public var field: String
    public var message: String
    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}

extension CocreaError {
    /// An error of the catalogue (`ErrorCatalogue.swift`): its status is the code's, unless the entry
    /// says otherwise.
    init(_ code: ErrorCode, _ message: String, status: Int? = nil, fieldErrors: [FieldError] = [], facts: [String: Fact] = [:]) {
        self.init(status: status ?? code.status, code: code.rawValue, message: message, fieldErrors: fieldErrors, facts: facts)
    }
}
