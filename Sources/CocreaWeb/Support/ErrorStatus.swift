import CocreaCore

/// The one place an error's kind becomes an HTTP status. Pages and the API answer with it; the
/// command line never sees one.
extension CocreaError.Kind {
    var status: Int {
        switch self {
        case .unreadable: 400
        case .unauthenticated: 401
        case .forbidden: 403
        case .notFound: 404
        case .methodNotAllowed: 405
        case .tooSlow: 408
        case .conflict: 409
        case .expired: 410
        case .tooLarge: 413
        case .unsupportedType: 415
        case .invalid: 422
        case .locked: 423
        case .rateLimited: 429
        case .failure: 500
        case .unavailable: 503
        }
    }
}

extension CocreaError {
    var status: Int { kind.status }
}

extension ErrorCode {
    var status: Int { kind.status }
}
