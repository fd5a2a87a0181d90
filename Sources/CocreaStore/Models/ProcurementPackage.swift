import CocreaCore
import FluentKit
import Foundation

/// An OCDS release package attached to a procurement commitment (contrataciones abiertas): its bytes
/// as received, so anyone can check the published data against its SHA-256, and what Cocrea read
/// from it. The bytes live in this row rather than in `StoredFile`, so that deleting the package or
/// its commitment leaves nothing behind.
public final class ProcurementPackage: Model, @unchecked Sendable {
    public static let schema = "procurement_packages"

    @ID public var id: UUID?
    @Parent(key: "commitment_id") public var commitment: Commitment
    @Field(key: "name") public var name: String
    @Field(key: "size") public var size: Int
    @Field(key: "sha256") public var sha256: String
    @Field(key: "data") public var data: Data
    /// The address the administrator had Cocrea fetch it from; nil when it was uploaded.
    @OptionalField(key: "source_url") public var sourceURL: String?
    @Field(key: "uri") public var uri: String
    @Field(key: "publisher") public var publisher: String
    @Field(key: "published_date") public var publishedDate: Date
    @Field(key: "release_count") public var releaseCount: Int
    /// The releases as `CocreaProcurement.Release.encode` writes them: the public page compiles the
    /// commitment's processes from these, across all of its packages, without re-reading the bytes.
    @Field(key: "releases") public var releases: String
    @OptionalParent(key: "added_by_user_id") public var addedByUser: User?
    @Field(key: "added_by") public var addedBy: String
    @Field(key: "added_at") public var addedAt: Date

    public init() {}
}
