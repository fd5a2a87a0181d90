import CocreaCore
import CocreaStore
import CocreaUseCases
import Fluent
import Vapor

/// Who may reach a route. Every route is registered with one (see `secured`), so nothing is open
/// by accident, and the authorization test walks them all.
enum RoutePolicy: Sendable, Equatable {
    /// Anyone, with or without an account.
    case open
    case signedIn
    case instanceAdministrator
    /// A member, with this permission, of the exercise named by the `exerciseID` path parameter
    /// (or owning the `roundtableID`, `planVersionID`, `commitmentID`, `activityID`, `updateID` or `packageID` one).
    case exercise(Permission)
    /// Anyone once the plan version named by `planVersionID` is sealed (it is then public, like the
    /// plan's open data); before that, as `.exercise(permission)`.
    case sealedPlanOr(Permission)
}

/// What a route handler knows once the policy let the request through.
struct Authorized: Sendable {
    let user: User?
    let exercise: ExerciseContext?

    func requireUser() throws -> User {
        guard let user else { throw CocreaError.notAuthenticated }
        return user
    }

    func requireExercise() -> ExerciseContext {
        guard let exercise else { preconditionFailure("route policy is not .exercise") }
        return exercise
    }
}

extension RoutePolicy {
    func authorize(_ req: Request) async throws -> Authorized {
        let user = try await req.currentUser()
        switch self {
        case .open:
            return Authorized(user: user, exercise: nil)
        case .signedIn:
            return Authorized(user: try required(user), exercise: nil)
        case .instanceAdministrator:
            let user = try required(user)
            guard user.isAdministrator else { throw CocreaError.forbidden }
            return Authorized(user: user, exercise: nil)
        case .exercise(let permission):
            let user = try required(user)
            guard let id = try await Self.exerciseID(of: req),
                let found = try await Self.exercise(id, withMembershipOf: user.requireID(), on: req.db)
            else { throw CocreaError.notFound(.exercise) }
            let (exercise, member) = found
            let access = Access(isInstanceAdministrator: user.isAdministrator, role: member?.role, sector: member?.sector)
            guard access.allows(permission) else {
                // An outsider learns nothing, not even that the exercise exists.
                throw member == nil && !user.isAdministrator ? CocreaError.notFound(.exercise) : CocreaError.forbidden
            }
            return Authorized(user: user, exercise: ExerciseContext(exercise: exercise, user: user, member: member, access: access))
        case .sealedPlanOr(let permission):
            if let id = req.parameters.get("planVersionID", as: UUID.self), try await PlanVersion.find(id, on: req.db)?.sealedAt != nil {
                return Authorized(user: user, exercise: nil)
            }
            return try await RoutePolicy.exercise(permission).authorize(req)
        }
    }

    /// The exercise and the person's membership of it, in one query (a left join: an administrator
    /// need not be a member).
    private static func exercise(_ id: UUID, withMembershipOf userID: UUID, on db: any Database) async throws -> (Exercise, Member?)? {
        let membership: [DatabaseQuery.Filter] = [
            .field(.extendedPath(["exercise_id"], schema: Member.schema, space: nil), .equal, .extendedPath(["id"], schema: Exercise.schema, space: nil)),
            .value(.extendedPath(["user_id"], schema: Member.schema, space: nil), .equal, .bind(userID)),
        ]
        guard let exercise = try await Exercise.query(on: db).filter(\.$id == id).join(Member.self, membership, method: .left).first() else { return nil }
        // A person who is not a member gets a row of nulls for the membership, which does not decode.
        return (exercise, try? exercise.joined(Member.self))
    }

    /// The exercise a route acts on: named in the path, or the one its roundtable belongs to.
    private static func exerciseID(of req: Request) async throws -> UUID? {
        if let id = req.parameters.get("exerciseID", as: UUID.self) { return id }
        if let id = req.parameters.get("roundtableID", as: UUID.self) {
            return try await Roundtable.find(id, on: req.db)?.$exercise.id
        }
        if let id = req.parameters.get("planVersionID", as: UUID.self) {
            return try await PlanVersion.find(id, on: req.db)?.$exercise.id
        }
        if let id = req.parameters.get("commitmentID", as: UUID.self) {
            return try await Commitment.find(id, on: req.db)?.$exercise.id
        }
        if let id = req.parameters.get("surveyID", as: UUID.self) {
            return try await Survey.find(id, on: req.db)?.$exercise.id
        }
        if let id = req.parameters.get("proposalID", as: UUID.self) {
            return try await Proposal.find(id, on: req.db)?.$exercise.id
        }
        if let id = req.parameters.get("topicID", as: UUID.self) {
            return try await RequestTopic.find(id, on: req.db)?.$exercise.id
        }
        if let id = req.parameters.get("importID", as: UUID.self) {
            return try await RequestImport.find(id, on: req.db)?.$exercise.id
        }
        if let id = req.parameters.get("packageID", as: UUID.self),
            let package = try await ProcurementPackage.query(on: req.db).filter(\.$id == id).with(\.$commitment).first()
        {
            return package.commitment.$exercise.id
        }
        if let id = req.parameters.get("updateID", as: UUID.self),
            let update = try await ActivityUpdate.query(on: req.db).filter(\.$id == id).with(\.$activity, { $0.with(\.$commitment) }).first()
        {
            return update.activity.commitment.$exercise.id
        }
        if let id = req.parameters.get("activityID", as: UUID.self),
            let activity = try await Activity.query(on: req.db).filter(\.$id == id).with(\.$commitment).first()
        {
            return activity.commitment.$exercise.id
        }
        return nil
    }

    private func required(_ user: User?) throws -> User {
        guard let user else { throw CocreaError.notAuthenticated }
        return user
    }
}

struct RoutePolicyKey: Hashable, Sendable {}

/// How a page form proves it was sent from Cocrea's own page.
enum CSRFCheck: Sendable {
    /// The session's synchroniser token (every signed-in form).
    case token
    /// The browser's `Origin` or `Sec-Fetch-Site` header: for anonymous forms (survey answers), which
    /// start no session, so there is no token to hold and no account to act for.
    case sameOrigin
}

extension RoutesBuilder {
    /// Registers a route whose handler runs only after its policy (and, on pages, the CSRF check) passed.
    @discardableResult
    func secured<Output: AsyncResponseEncodable>(
        _ method: HTTPMethod, _ path: PathComponent..., policy: RoutePolicy,
        body: HTTPBodyStreamStrategy = .collect, csrf: CSRFCheck = .token,
        use handler: @escaping @Sendable (Request, Authorized) async throws -> Output
    ) -> Route {
        secured(method, path, policy: policy, body: body, csrf: csrf, use: handler)
    }

    @discardableResult
    func secured<Output: AsyncResponseEncodable>(
        _ method: HTTPMethod, _ path: [PathComponent], policy: RoutePolicy,
        body: HTTPBodyStreamStrategy = .collect, csrf: CSRFCheck = .token,
        use handler: @escaping @Sendable (Request, Authorized) async throws -> Output
    ) -> Route {
        let route = on(method, path, body: body) { req async throws -> Response in
            if method != .GET && method != .HEAD && !req.isAPI {
                switch csrf {
                case .token: try req.verifyCSRF()
                case .sameOrigin: try req.verifySameOrigin()
                }
            }
            let authorized = try await policy.authorize(req)
            return try await handler(req, authorized).encodeResponse(for: req)
        }
        route.userInfo[RoutePolicyKey()] = policy
        if case .collect(let maximum?) = body { route.userInfo[MaximumBodyKey()] = maximum.value }
        return route
    }
}

struct MaximumBodyKey: Hashable, Sendable {}

extension Route {
    var policy: RoutePolicy? { userInfo[RoutePolicyKey()] as? RoutePolicy }

    /// The body size the route collects, when it sets its own (uploads); others take the default.
    var maximumBodyBytes: Int? { userInfo[MaximumBodyKey()] as? Int }
}
