import CocreaCore
import CocreaStore
import Foundation

/// The exercise a request acts on and who acts, once the route policy let it through.
package struct ExerciseContext: Sendable {
    package let exercise: Exercise
    package let user: User
    package let member: Member?
    package let access: Access

    package var exerciseID: UUID { exercise.id! }

    /// How this person appears in the audit trail.
    package var actor: AuditActor { AuditActor(user) }

    /// How this person is named on what they bring or report: "Name (Organization)" for a member.
    package var byline: String { member.map { "\($0.name) (\($0.organization))" } ?? user.name }

    package init(exercise: Exercise, user: User, member: Member? = nil, access: Access) {
        self.exercise = exercise
        self.user = user
        self.member = member
        self.access = access
    }
}
