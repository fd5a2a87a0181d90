import CocreaCore
import CocreaStore
import CocreaTestSupport
import CocreaUseCases
import Fluent
import Foundation
import Testing
import Vapor

@testable import CocreaWeb

extension Fixture {
    /// What the route policy hands a use case when the member `key` acts in the fixture's exercise.
    func context(_ key: String, on app: Application) async throws -> ExerciseContext {
        let email = try #require(members[key]).email
        let user = try #require(try await User.query(on: app.db).filter(\.$email == email).first())
        let member = try #require(
            try await Member.query(on: app.db).filter(\.$exercise.$id == exercise.requireID()).filter(\.$user.$id == user.requireID()).first())
        return ExerciseContext(
            exercise: exercise, user: user, member: member, access: Access(isInstanceAdministrator: false, role: member.role, sector: member.sector))
    }
}

/// Whether `error` is the catalogue's refusal `code`.
func isRefusal(_ error: any Error, _ code: ErrorCode) -> Bool {
    (error as? CocreaError)?.code == code.rawValue
}
