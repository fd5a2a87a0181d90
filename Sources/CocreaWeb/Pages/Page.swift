import CocreaCore
import CocreaStore
import CocreaUseCases
import Vapor

/// Renders a template inside the shared layout, with the words, the person and the CSRF token.
enum Page {
    struct Context<Body: Encodable & Sendable>: Encodable, Sendable {
        var t: TemplateWords
        var lang: String
        /// The other languages to read the page in, each named in itself.
        var languages: [LanguageChoice]
        var user: UserView?
        var csrf: String
        var title: String
        var errors: [FieldError]
        var page: Body
    }

    struct LanguageChoice: Encodable, Sendable {
        var code: String
        var name: String
    }

    struct UserView: Encodable, Sendable {
        var name: String
        var email: String
        var isAdministrator: Bool
    }

    struct Empty: Encodable, Sendable {}

    static func render<Body: Encodable & Sendable>(
        _ template: Template<Body>, title: String, _ body: Body, errors: [FieldError] = [],
        status: HTTPStatus = .ok, forms: Bool = true, personIfReadable: Bool = false, on req: Request
    ) async throws -> Response {
        let language = req.language
        let user = personIfReadable ? (try? await req.currentUser()) ?? nil : try await req.currentUser()
        let context = Context(
            t: req.templateWords, lang: language.rawValue,
            languages: req.application.catalogue.languages.filter { $0 != language }.map {
                LanguageChoice(code: $0.rawValue, name: req.application.catalogue.words($0)["languageName"])
            },
            user: user.map { UserView(name: $0.name, email: $0.email, isAdministrator: $0.isAdministrator) },
            // A page without forms (the public follow-up) needs no CSRF token, so it starts no session
            // for an anonymous reader: no database write per read.
            csrf: req.isPage && (forms || user != nil) ? req.csrfToken() : "", title: title,
            errors: errors.map { $0.written(in: req.words) }, page: body)
        let view = try await req.view.render(template.path, context)
        let response = try await view.encodeResponse(status: status, for: req)
        response.headers.contentType = .html
        if req.url.query != nil, let asked = try? req.query.get(String.self, at: "lang"), Language(rawValue: asked) != nil {
            response.cookies["lang"] = HTTPCookies.Value(string: asked, maxAge: 60 * 60 * 24 * 365, path: "/", isHTTPOnly: true, sameSite: .lax)
        }
        return response
    }

    static func redirect(_ path: String) -> Response {
        Response(status: .seeOther, headers: ["Location": path])
    }

    struct ErrorBody: Encodable, Sendable {
        var code: String
        var message: String
        var status: Int
    }

    static func error(_ problem: CocreaError, on req: Request) async throws -> Response {
        if problem.code == CocreaError.notAuthenticated.code {
            let next = req.url.path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? "/"
            return redirect("/login?next=\(next)")
        }
        // The database being away is often why this page is shown: without the person's name in the
        // header it is still an answer, where a second failure would close the connection without one.
        return try await render(
            Templates.error, title: req.words["errorTitle"],
            ErrorBody(code: problem.code, message: problem.message(req.words), status: problem.status),
            errors: problem.fieldErrors, status: HTTPStatus(statusCode: problem.status),
            personIfReadable: true, on: req)
    }
}
