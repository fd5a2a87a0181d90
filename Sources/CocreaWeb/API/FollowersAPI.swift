import CocreaCore
import CocreaUseCases
import Vapor

extension FollowInput: Content {}
extension FollowRequestDTO: Content {}
extension FollowerDTO: Content {}
extension PublicCommitmentReadDTO: Content {}

/// A commitment read by anyone with its origin, and followed by email without an account: the
/// request, the confirmation of the double opt-in and the unsubscription, each by the link's token.
struct FollowersAPI {
    func register(_ api: RoutesBuilder) {
        api.secured(.GET, "public", "commitments", ":commitmentID", policy: .open, use: read)
        api.secured(.POST, "public", "commitments", ":commitmentID", "followers", policy: .open, use: follow)
        api.secured(.POST, "public", "followers", ":token", "confirmation", policy: .open, use: confirm)
        api.secured(.DELETE, "public", "followers", ":token", policy: .open, use: unsubscribe)
    }

    func read(req: Request, _: Authorized) async throws -> PublicCommitmentReadDTO {
        try await PublicCommitmentOperations.read(req.parameters.get("commitmentID", as: UUID.self), on: req.useCases)
    }

    /// 202: the confirmation mail is on its way (or nothing was needed; the answer does not say which).
    func follow(req: Request, _: Authorized) async throws -> Response {
        let receipt = try await FollowerOperations.follow(
            try req.content.decode(FollowInput.self), commitment: req.parameters.get("commitmentID", as: UUID.self), client: req.clientAddress,
            on: req.useCases)
        return try await receipt.encodeResponse(status: .accepted, for: req)
    }

    func confirm(req: Request, _: Authorized) async throws -> FollowerDTO {
        try await FollowerOperations.confirm(req.parameters.get("token") ?? "", on: req.useCases)
    }

    func unsubscribe(req: Request, _: Authorized) async throws -> HTTPStatus {
        _ = try await FollowerOperations.unsubscribe(req.parameters.get("token") ?? "", on: req.useCases)
        return .noContent
    }
}
