import CocreaCore
import CocreaStore
import CocreaUseCases
import Fluent
import Vapor

/// Finds the person behind a request: a bearer token under /api, the session cookie on pages.
extension Request {
    func currentUser() async throws -> User? {
        if let cached = storage[CurrentUserKey.self] { return cached.user }
        // Without a credential there is nobody to look for, and nothing worth remembering (a session is
        // found only from its cookie; one started by this request is signed in by `signIn`).
        guard headers.contains(name: isAPI ? .authorization : .cookie) else { return nil }
        let user = isAPI ? try await userFromBearer() : try await userFromSession()
        storage[CurrentUserKey.self] = CurrentUserBox(user: user)
        return user
    }

    /// The person this request acts for, once `currentUser()` has found them.
    var signedInUser: User? { storage[CurrentUserKey.self]?.user }

    /// The person was read with the session (`DatabaseSessions`), in the same join.
    private func userFromSession() async throws -> User? {
        guard hasSession, let id = WebSession.signedInUserID(session.data) else { return nil }
        if let user = storage[SessionUserKey.self], user.id == id { return user }
        return try await User.find(id, on: db)
    }

    /// The token and its person in one join.
    private func userFromBearer() async throws -> User? {
        guard let bearer = headers.bearerAuthorization else { return nil }
        let hash = Hashing.sha256Hex(bearer.token)
        guard let token = try await APIToken.query(on: db).filter(\.$tokenHash == hash).join(User.self, on: \APIToken.$user.$id == \User.$id).first()
        else {
            throw CocreaError.invalidToken
        }
        return try token.joined(User.self)
    }

    /// Signs the person in on this browser, with a fresh CSRF token.
    func signIn(_ user: User) {
        // A new session id at every sign-in: an id planted before it (session fixation) opens nothing.
        if let planted = session.id {
            storage[ReplacedSessionKey.self] = planted
            session.id = nil
        }
        session.data["userID"] = user.id?.uuidString
        session.data["csrf"] = Hashing.randomToken()
        storage[CurrentUserKey.self] = CurrentUserBox(user: user)
    }

    func signOut() {
        session.destroy()
        storage[CurrentUserKey.self] = CurrentUserBox(user: nil)
    }
}

private struct CurrentUserBox: Sendable {
    let user: User?
}

private struct CurrentUserKey: StorageKey {
    typealias Value = CurrentUserBox
}
