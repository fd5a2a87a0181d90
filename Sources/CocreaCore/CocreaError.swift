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
    public static func validation(_ errors: [FieldError]) -> CocreaError {
        let summary = errors.map(\.message).joined(separator: " ")
        return CocreaError(status: 422, code: "validation_failed", message: "Revisa los datos: \(summary)", fieldErrors: errors)
    }

    public static let notAuthenticated = CocreaError(
        status: 401, code: "not_authenticated", message: "Inicia sesión para continuar.")

    public static let forbidden = CocreaError(
        status: 403, code: "forbidden", message: "Tu papel en este ejercicio no permite esta acción.")

    public static func notFound(_ what: String) -> CocreaError {
        CocreaError(status: 404, code: "not_found", message: "No encontramos \(what).")
    }

    public static func invalidBody(_ detail: String) -> CocreaError {
        CocreaError(status: 400, code: "invalid_body", message: "No pudimos leer la solicitud: \(detail)")
    }

    public static let requestTimeout = CocreaError(
        status: 408, code: "request_timeout",
        message: "El envío tardó demasiado en llegar. Revisa tu conexión e inténtalo de nuevo.")

    public static let uploadsBusy = CocreaError(
        status: 503, code: "uploads_busy",
        message: "Cocrea está recibiendo muchos archivos en este momento. Vuelve a enviar el tuyo en unos segundos.",
        facts: ["retryAfter": .int(10)])

    public static let databaseUnavailable = CocreaError(
        status: 503, code: "database_unavailable",
        message: "La base de datos no responde en este momento. Nada de esta solicitud se guardó; inténtalo de nuevo en unos segundos.",
        facts: ["retryAfter": .int(5)])

    public static let csrf = CocreaError(
        status: 403, code: "csrf_failed",
        message: "El formulario caducó o no viene de Cocrea. Vuelve a cargar la página e inténtalo de nuevo.")

    public static let tooManyAttempts = CocreaError(
        status: 429, code: "too_many_attempts",
        message: "Demasiados intentos de inicio de sesión. Espera 15 minutos e inténtalo de nuevo.")
}
