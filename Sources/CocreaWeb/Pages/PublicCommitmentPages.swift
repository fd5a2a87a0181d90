import CocreaCore
import CocreaStore
import CocreaUseCases
import Vapor

/// «Origen del compromiso» as pages show it: one line per source, in the reader's language.
struct OriginView: Encodable, Sendable {
    var lines: [String]
    var empty: Bool
}

extension OriginView {
    init(_ origin: CommitmentOriginDTO?, words: Words, zone: TimeZone) {
        lines = origin?.lines(words, in: zone) ?? []
        empty = lines.isEmpty
    }
}

/// A commitment's public page, with its origin and a form to follow it by email (no account, no
/// JavaScript), and the pages of the links the follow mails carry: confirm, and stop following.
struct PublicCommitmentPages {
    func register(_ pages: RoutesBuilder) {
        pages.secured(.GET, "public", "commitments", ":commitmentID", policy: .open, use: page)
        pages.secured(.POST, "public", "commitments", ":commitmentID", "followers", policy: .open, csrf: .sameOrigin, use: follow)
        pages.secured(.GET, "public", "followers", ":token", "confirm", policy: .open, use: confirmation)
        pages.secured(.POST, "public", "followers", ":token", "confirm", policy: .open, csrf: .sameOrigin, use: confirm)
        pages.secured(.GET, "public", "followers", ":token", "unsubscribe", policy: .open, use: subscription)
        pages.secured(.POST, "public", "followers", ":token", "unsubscribe", policy: .open, csrf: .sameOrigin, use: unsubscribe)
    }

    struct CommitmentBody: Encodable, Sendable {
        var exerciseName: String
        var exerciseURL: String
        var category: String
        var objective: String
        var progress: String
        var origin: OriginView
        var action: String
        var email: String
        var honeypot: String
        var jsonURL: String
    }

    struct ThanksBody: Encodable, Sendable {
        var commitmentURL: String
        var confirmBy: String
    }

    struct LinkBody: Encodable, Sendable {
        var heading: String
        var question: String
        var button: String
        var action: String
        var done: Bool
        var doneText: String
        var commitmentURL: String
    }

    func page(req: Request, _: Authorized) async throws -> Response {
        try await Self.render(req, email: "", errors: [])
    }

    static func render(_ req: Request, email: String, errors: [FieldError], status: HTTPStatus = .ok) async throws -> Response {
        let (read, zone) = try await PublicCommitmentOperations.readWithZone(req.parameters.get("commitmentID", as: UUID.self), on: req.useCases)
        let words = req.words
        let id = read.id.uuidString.lowercased()
        let progress =
            read.progress.map { words["commitmentProgressLine", ["progress": "\($0)", "completion": read.completion.map { words[$0.labelKey] } ?? ""]] }
            ?? words["commitmentNotSealed"]
        let body = CommitmentBody(
            exerciseName: read.exerciseName, exerciseURL: "/public/exercises/\(read.exerciseId.uuidString.lowercased())",
            category: words[read.category.labelKey], objective: read.objective ?? "", progress: progress,
            origin: OriginView(read.origin, words: words, zone: zone), action: "/public/commitments/\(id)/followers", email: email,
            honeypot: FollowerOperations.honeypotField, jsonURL: "/api/v1/public/commitments/\(id)")
        // No session and no CSRF token: following leaves nothing behind in the browser.
        return try await Page.render(Templates.publicCommitment, title: read.title, body, errors: errors, status: status, forms: false, on: req)
    }

    func follow(req: Request, _: Authorized) async throws -> Response {
        var form = try FormFields.parse(req)
        let honeypot = form.removeValue(forKey: FollowerOperations.honeypotField)?.first
        let input = FollowInput(email: form["email"]?.first, website: honeypot)
        let receipt: FollowRequestDTO
        do {
            receipt = try await FollowerOperations.follow(
                input, commitment: req.parameters.get("commitmentID", as: UUID.self), client: req.clientAddress, on: req.useCases)
        } catch let error as CocreaError where error.kind != .notFound && error.status < 500 {
            let errors = error.fieldErrors.isEmpty ? [FieldError(field: "email", message: error.message(req.words))] : error.fieldErrors
            return try await Self.render(req, email: input.email ?? "", errors: errors, status: HTTPStatus(statusCode: error.status))
        }
        let zone = try await PublicCommitmentOperations.zone(of: receipt.commitmentId, on: req.useCases)
        return try await Page.render(
            Templates.followThanks, title: req.words["followThanks"],
            ThanksBody(
                commitmentURL: "/public/commitments/\(receipt.commitmentId.uuidString.lowercased())",
                confirmBy: req.words["followThanksBody", ["date": MexicanFormat.numeric(receipt.confirmBy, in: zone)]]),
            forms: false, on: req)
    }

    /// Opening a link only shows a button: a mail scanner following links changes nothing.
    func confirmation(req: Request, _: Authorized) async throws -> Response {
        let token = req.parameters.get("token") ?? ""
        return try await confirmPage(req, token: token, follower: try await FollowerOperations.pending(token, on: req.useCases), done: false)
    }

    func confirm(req: Request, _: Authorized) async throws -> Response {
        let token = req.parameters.get("token") ?? ""
        return try await confirmPage(req, token: token, follower: try await FollowerOperations.confirm(token, on: req.useCases), done: true)
    }

    func subscription(req: Request, _: Authorized) async throws -> Response {
        let token = req.parameters.get("token") ?? ""
        return try await unsubscribePage(req, token: token, follower: try await FollowerOperations.subscription(token, on: req.useCases), done: false)
    }

    func unsubscribe(req: Request, _: Authorized) async throws -> Response {
        let token = req.parameters.get("token") ?? ""
        return try await unsubscribePage(req, token: token, follower: try await FollowerOperations.unsubscribe(token, on: req.useCases), done: true)
    }

    private func confirmPage(_ req: Request, token: String, follower: FollowerDTO, done: Bool) async throws -> Response {
        let words = req.words
        return try await Page.render(
            Templates.followLink, title: words["followConfirmTitle"],
            LinkBody(
                heading: words["followConfirmTitle"], question: words["followConfirmQuestion", ["commitment": follower.commitmentTitle]],
                button: words["followConfirmButton"], action: "/public/followers/\(token)/confirm", done: done, doneText: words["followConfirmed"],
                commitmentURL: "/public/commitments/\(follower.commitmentId.uuidString.lowercased())"),
            forms: false, on: req)
    }

    private func unsubscribePage(_ req: Request, token: String, follower: FollowerDTO, done: Bool) async throws -> Response {
        let words = req.words
        return try await Page.render(
            Templates.followLink, title: words["unfollowTitle"],
            LinkBody(
                heading: words["unfollowTitle"], question: words["unfollowQuestion", ["commitment": follower.commitmentTitle]],
                button: words["unfollowButton"], action: "/public/followers/\(token)/unsubscribe", done: done, doneText: words["unfollowDone"],
                commitmentURL: "/public/commitments/\(follower.commitmentId.uuidString.lowercased())"),
            forms: false, on: req)
    }
}
