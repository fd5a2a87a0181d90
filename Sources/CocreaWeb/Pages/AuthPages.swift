import CocreaCore
import CocreaStore
import CocreaUseCases
import Vapor

/// Sign-in by password or by a single-use emailed link, and sign-out.
struct AuthPages {
    let plainSignIn = PlainSignInPage()

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

    func form(req: Request, authorized: Authorized) async throws -> Response {
        let next = safeNext(req.url.query == nil ? nil : try? req.query.get(String.self, at: "next"))
        let render = { try await Page.render(Templates.login, title: req.words["signIn"], FormBody(email: "", next: next), on: req) }
        guard authorized.user == nil, req.url.query == nil, !(req.hasSession && req.session.data["csrf"] != nil) else { return try await render() }
        return try await plainSignIn.respond(to: req, render: render)
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

/// `GET /login` asked plainly (no query, nobody signed in) is the same page for every visitor but for
/// the form token. It is rendered once per language with a stand-in token, and each visitor gets a copy
/// with their own token written over the stand-in's bytes: Leaf's serialiser was most of the page's cost.
/// Only a token of the stand-in's length and alphabet (base64url) is written in; any other (a made-up
/// cookie) gets the page rendered, and escaped, as before.
final class PlainSignInPage: @unchecked Sendable {
    private struct Rendered {
        let headers: HTTPHeaders
        let body: ByteBuffer
        /// Where the stand-in token is, from the body's reader index.
        let offsets: [Int]
    }

    private let standIn = Array(Hashing.randomToken().utf8)
    private let lock = NSLock()
    private var pages: [Language: Rendered] = [:]

    func respond(to req: Request, render: () async throws -> Response) async throws -> Response {
        let token = Array(req.csrfToken().utf8)
        guard Self.isPlainToken(token, length: standIn.count) else { return try await render() }
        let language = req.language
        if let page = lock.withLock({ pages[language] }) { return Self.response(page, token: token) }

        // Rendered with the stand-in as this request's form token, which is then set back.
        let own = req.storage[FormCookieKey.self]
        req.storage[FormCookieKey.self] = String(decoding: standIn, as: UTF8.self)
        let rendered: Response
        do {
            rendered = try await render()
            req.storage[FormCookieKey.self] = own
        } catch {
            req.storage[FormCookieKey.self] = own
            throw error
        }
        let offsets = rendered.body.buffer.map { Self.offsets(of: standIn, in: Array($0.readableBytesView)) } ?? []
        guard rendered.status == .ok, let body = rendered.body.buffer, !offsets.isEmpty, rendered.headers[.setCookie].isEmpty else {
            return try await render()
        }
        let page = Rendered(headers: rendered.headers, body: body, offsets: offsets)
        lock.withLock { pages[language] = page }
        return Self.response(page, token: token)
    }

    private static func response(_ page: Rendered, token: [UInt8]) -> Response {
        var body = page.body
        for offset in page.offsets { body.setBytes(token, at: body.readerIndex + offset) }
        return Response(status: .ok, headers: page.headers, body: .init(buffer: body))
    }

    /// Base64url of the stand-in's length: nothing in it needs escaping in HTML.
    static func isPlainToken(_ token: [UInt8], length: Int) -> Bool {
        token.count == length
            && token.allSatisfy { byte in
                (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
            }
    }

    static func offsets(of needle: [UInt8], in bytes: [UInt8]) -> [Int] {
        var offsets: [Int] = []
        var index = 0
        while index + needle.count <= bytes.count {
            if bytes[index] == needle[0], bytes[index..<index + needle.count].elementsEqual(needle) {
                offsets.append(index)
                index += needle.count
            } else {
                index += 1
            }
        }
        return offsets
    }
}
