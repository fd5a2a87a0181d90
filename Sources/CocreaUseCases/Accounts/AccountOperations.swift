import CocreaCore
import CocreaMail
import CocreaStore
import FluentKit
import Foundation

package enum AccountOperations {
    package static let magicLinkMinutes = 20
    package static let failureWindow: TimeInterval = 15 * 60
    package static let failuresPerAccount = 5
    package static let failuresPerClient = 30
    /// Failures for one account from every address together: an attacker with many addresses gets
    /// no more tries at a password than one with two.
    package static let failuresPerAccountFromAnywhere = 10
    package static let linksPerAccount = 3

    /// Verified against when the account does not exist or has no password, so that every failed
    /// sign-in costs the same Bcrypt time and timing does not tell which accounts exist.
    /// A bcrypt hash at the cost real passwords are hashed with (12), of a text nobody is told.
    private static let standInHash = "$2b$12$sg0lo2WZnlH8eMfWYzAUpeehzU49SCNMmA.zj/f7X9ZroJBLVWmVu"

    /// Refuses a sign-in attempt when this client failed too often lately, for this email or any, or
    /// when this email failed too often from anywhere.
    package static func throttle(client: String, email: String, on ctx: UseCaseContext) async throws {
        let since = ctx.now.addingTimeInterval(-failureWindow)
        let failures = LoginAttempt.query(on: ctx.db).filter(\.$succeeded == false).filter(\.$attemptedAt >= since)
        let forAccount = try await failures.copy().filter(\.$key == "\(client)|\(email)").count()
        let forClient = try await failures.copy().filter(\.$key, .contains(inverse: false, .prefix), "\(client)|").count()
        let fromAnywhere = try await failures.copy().filter(\.$key, .contains(inverse: false, .suffix), "|\(email)").count()
        if forAccount >= failuresPerAccount || forClient >= failuresPerClient || fromAnywhere >= failuresPerAccountFromAnywhere {
            throw CocreaError.tooManyAttempts
        }
    }

    package static func recordAttempt(client: String, email: String, succeeded: Bool, on ctx: UseCaseContext) async throws {
        let attempt = LoginAttempt(key: "\(client)|\(email)", succeeded: succeeded, attemptedAt: ctx.now)
        try await ctx.writer.write(on: ctx.db, actor: .system, touchesPublicPages: false) { tx, audit in
            try await attempt.create(on: tx)
            if succeeded {
                try await audit.record(
                    "signIn", entity: "user", id: nil, exercise: nil, before: Optional<String>.none,
                    after: ["email": email, "method": "password"])
            }
        }
    }

    package static func passwordSignIn(email rawEmail: String?, password: String?, from client: String, on ctx: UseCaseContext) async throws -> User {
        let email = (rawEmail ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        try await throttle(client: client, email: email, on: ctx)
        let user = try await User.query(on: ctx.db).filter(\.$email == email).first()
        let hash = user?.passwordHash ?? standInHash
        let passwords = ctx.passwords
        let matches = (try? await ctx.threadPool.runIfActive { try passwords.verify(password ?? "", hash) }) ?? false
        let valid = matches && user?.passwordHash != nil && password?.isEmpty == false
        try await recordAttempt(client: client, email: email, succeeded: valid, on: ctx)
        guard valid, let user else {
            throw CocreaError.invalidCredentials
        }
        return user
    }

    /// Emails a single-use link when the address belongs to an account, in the language of the page it
    /// was asked from; says the same either way.
    package static func requestMagicLink(
        email rawEmail: String?, from client: String, language: Language = .es, on ctx: UseCaseContext
    ) async throws {
        var v = Validator()
        let email = v.email(rawEmail)
        try v.check()
        try await throttle(client: client, email: email, on: ctx)
        // At most three links per address asked for in the window, whether an account has it or not (a
        // limit only real accounts met would tell them apart): enough for a lost email, too few to flood an inbox.
        let now = ctx.now
        let requestKey = "link|\(email)"
        let recent = try await LoginAttempt.query(on: ctx.db).filter(\.$key == requestKey)
            .filter(\.$attemptedAt >= now.addingTimeInterval(-failureWindow)).count()
        guard recent < linksPerAccount else { throw CocreaError.tooManyAttempts }
        let user = try await User.query(on: ctx.db).filter(\.$email == email).first()
        let token = Hashing.randomToken()
        try await ctx.writer.write(on: ctx.db, actor: .system, touchesPublicPages: false) { tx, _ in
            try await LoginAttempt(key: requestKey, succeeded: true, attemptedAt: now).create(on: tx)
            guard let user else { return }
            let login = LoginToken(
                userID: try user.requireID(), tokenHash: Hashing.sha256Hex(token),
                expiresAt: now.addingTimeInterval(TimeInterval(magicLinkMinutes * 60)))
            try await login.create(on: tx)
            let message = Messages.magicLink(
                user: user, link: "\(ctx.baseURL)/login/link/\(token)",
                from: ctx.mailFrom, validMinutes: magicLinkMinutes, language: language)
            try await Outbox.enqueue(message, kind: "magicLink", exerciseID: nil, on: tx, now: now)
        }
    }

    /// Consumes a magic link: valid, unexpired and unused, exactly once.
    package static func consumeMagicLink(_ token: String, on ctx: UseCaseContext) async throws -> User {
        let hash = Hashing.sha256Hex(token)
        let now = ctx.now
        return try await ctx.writer.write(on: ctx.db, actor: .system, touchesPublicPages: false) { tx, audit in
            guard let login = try await LoginToken.query(on: tx).filter(\.$tokenHash == hash).with(\.$user).first(),
                login.usedAt == nil, login.expiresAt > now
            else {
                throw CocreaError.linkExpired
            }
            login.usedAt = now
            try await login.save(on: tx)
            try await audit.record(
                "signIn", entity: "user", id: login.user.id, exercise: nil, before: Optional<String>.none,
                after: ["email": login.user.email, "method": "magicLink"])
            return login.user
        }
    }

    package static func createAdministrator(email: String, name: String, password: String?, on ctx: UseCaseContext) async throws -> User {
        var v = Validator()
        let email = v.email(email)
        let name = v.required(name, field: "name", label: "fieldName")
        if let password, password.count < 10 {
            v.add(field: "password", "problemPasswordShort")
        }
        try v.check()
        let passwords = ctx.passwords
        let hash: String? = if let password { try await ctx.threadPool.runIfActive { try passwords.hash(password) } } else { nil }
        return try await ctx.writer.write(on: ctx.db, actor: .system) { tx, audit in
            if let existing = try await User.query(on: tx).filter(\.$email == email).first() {
                existing.isAdministrator = true
                existing.name = name
                if let hash { existing.passwordHash = hash }
                try await existing.save(on: tx)
                try await audit.record(
                    "promote", entity: "user", id: existing.id, exercise: nil,
                    before: Optional<String>.none, after: ["email": email, "isAdministrator": "true"])
                return existing
            }
            let user = User(email: email, name: name, passwordHash: hash, isAdministrator: true)
            try await user.create(on: tx)
            try await audit.created("user", id: user.id, exercise: nil, ["email": email, "name": name, "isAdministrator": "true"])
            return user
        }
    }

    /// Creates an API token and returns the secret, shown once; only its hash is kept.
    package static func createToken(email: String, name: String, on ctx: UseCaseContext) async throws -> String {
        guard let user = try await User.query(on: ctx.db).filter(\.$email == email.lowercased()).first() else {
            throw CocreaError.accountNotFound(email: email)
        }
        let secret = Hashing.randomToken()
        try await ctx.writer.write(on: ctx.db, actor: .system, touchesPublicPages: false) { tx, audit in
            let token = APIToken(userID: try user.requireID(), name: name, tokenHash: Hashing.sha256Hex(secret))
            try await token.create(on: tx)
            try await audit.created("apiToken", id: token.id, exercise: nil, ["user": user.email, "name": name])
        }
        return secret
    }
}
