import CocreaCore
import CocreaStore
import CocreaUseCases
import Vapor

/// Sign-in by password or by a single-use emailed link, and sign-out.
struct AuthPages {
    func register(_ pages: RoutesBuilder) {
        pages.secured(.GET, "login", policy: .open, use: form)
        pages.secured(.POST, "login", policy: .open, use: passwordSignIn)
        pages.secured(.POST, "login", "link", policy: .open, use: requestLink)
        pages.secured(.GET, "login", "link", ":token", policy: .open, use: confirmLink)
        pages.secured(.POST, "login", "link", ":token", policy: .open, use: consumeLink)
        pages.secured(.POST, "logout", policy: .signedIn, use: signOut)
        pages.secured(.GET, "privacidad", policy: .open, use: privacy)
    }

    struct FormBody: Encodable, Sendable {
        var email: String
        var next: String
        var notice: String?
    }

    struct Credentials: Content {
        var email: String?
        var password: String?
        var next: String?
    }

    func form(req: Request, _: Authorized) async throws -> Response {
        let next = safeNext(req.url.query == nil ? nil : try? req.query.get(String.self, at: "next"))
        return try await Page.render(Templates.login, title: req.words["signIn"], FormBody(email: "", next: next), on: req)
    }

    func passwordSignIn(req: Request, _: Authorized) async throws -> Response {
        let credentials = try req.content.decode(Credentials.self)
        do {
            let user = try await AccountOperations.passwordSignIn(
                email: credentials.email, password: credentials.password, from: req.clientAddress, on: req.useCases)
            req.signIn(user)
            return Page.redirect(safeNext(credentials.next))
        } catch let error as CocreaError where error.status == 401 || error.status == 429 {
            let body = FormBody(email: credentials.email ?? "", next: safeNext(credentials.next))
            return try await Page.render(
                Templates.login, title: req.words["signIn"], body,
                errors: [FieldError(field: "password", message: error.message(req.words))],
                status: HTTPStatus(statusCode: error.status), on: req)
        }
    }

    func requestLink(req: Request, _: Authorized) async throws -> Response {
        let credentials = try req.content.decode(Credentials.self)
        do {
            try await AccountOperations.requestMagicLink(
                email: credentials.email, from: req.clientAddress, language: req.language, on: req.useCases)
        } catch let error as CocreaError where error.status == 422 || error.status == 429 {
            return try await Page.render(
                Templates.login, title: req.words["signIn"],
                FormBody(email: credentials.email ?? "", next: "/exercises"),
                errors: error.fieldErrors.isEmpty ? [FieldError(field: "email", message: error.message(req.words))] : error.fieldErrors,
                status: HTTPStatus(statusCode: error.status), on: req)
        }
        return try await Page.render(
            Templates.login, title: req.words["signIn"],
            FormBody(email: "", next: "/exercises", notice: req.words["magicLinkSent"]), on: req)
    }

    struct ConfirmBody: Encodable, Sendable {
        var token: String
    }

    /// Shows a button rather than signing in on GET: mail scanners that open links must not use them up.
    func confirmLink(req: Request, _: Authorized) async throws -> Response {
        let token = req.parameters.get("token") ?? ""
        return try await Page.render(Templates.loginConfirm, title: req.words["signIn"], ConfirmBody(token: token), on: req)
    }

    func consumeLink(req: Request, _: Authorized) async throws -> Response {
        let user = try await AccountOperations.consumeMagicLink(req.parameters.get("token") ?? "", on: req.useCases)
        req.signIn(user)
        return Page.redirect("/exercises")
    }

    func signOut(req: Request, _: Authorized) async throws -> Response {
        req.signOut()
        return Page.redirect("/")
    }

    func privacy(req: Request, _: Authorized) async throws -> Response {
        try await Page.render(Templates.privacy, title: req.words["privacyTitle"], Page.Empty(), on: req)
    }

    /// Only local paths, so a crafted link cannot send a person elsewhere after signing in.
    private func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\"),
            !next.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F })
        else {
            return "/exercises"
        }
        return next
    }
}
