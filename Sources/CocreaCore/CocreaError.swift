/// An error a person or a program can act on: a stable `code` for programs, a Spanish message for
/// people, what kind of refusal it is (the web edge answers each kind with its HTTP status), and the
/// facts of the error as extra fields.
public struct CocreaError: Error, Sendable {
    public var kind: Kind
    public var code: String
    public var message: String
    /// Per-field problems of a rejected form or body, in the order found.
    public var fieldErrors: [FieldError]
    /// Facts that a program may need (e.g. `earliestValidDate`), serialised as extra problem fields.
    public var facts: [String: Fact]

    public init(kind: Kind, code: String, message: String, fieldErrors: [FieldError] = [], facts: [String: Fact] = [:]) {
        self.kind = kind
        self.code = code
        self.message = message
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

public struct FieldError: Sendable, Equatable, Codable {
    public var field: String
    public var message: String
    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}

extension CocreaError {
    /// An error of the catalogue (`ErrorCatalogue.swift`): its kind is the code's, unless the entry
    /// says otherwise.
    init(_ code: ErrorCode, _ message: String, kind: Kind? = nil, fieldErrors: [FieldError] = [], facts: [String: Fact] = [:]) {
        self.init(kind: kind ?? code.kind, code: code.rawValue, message: message, fieldErrors: fieldErrors, facts: facts)
    }
}
