import CocreaCore
import CocreaProcurement
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
    /// The releases as `CocreaProcurement.Release.encode` writes them: when a package is added or
    /// removed, the commitment's processes are compiled again from these, across all of its packages,
    /// without re-reading the bytes.
    @Field(key: "releases") public var releases: String
    /// This package's own processes, compiled when it was attached (`ContractingProcess.encode`): the
    /// plan page counts them and lists what each leaves out.
    @Field(key: "processes") public var processes: String
    @OptionalParent(key: "added_by_user_id") public var addedByUser: User?
    @Field(key: "added_by") public var addedBy: String
    @Field(key: "added_at") public var addedAt: Date

    public init() {}
}

/// The contracting processes of a procurement commitment compiled across all of its packages (one
/// process per `ocid`, later releases winning), written in the transaction that adds or removes a
/// package, so the public follow-up reads them instead of compiling on every visit.
public final class ProcurementCompilation: Model, @unchecked Sendable {
    public static let schema = "procurement_compilations"

    @ID public var id: UUID?
    @Parent(key: "commitment_id") public var commitment: Commitment
    /// `ContractingProcess.encode` of the compiled processes.
    @Field(key: "processes") public var processes: String
    @Field(key: "compiled_at") public var compiledAt: Date

    public init() {}

    /// Replaces the commitment's compiled processes.
    public static func record(_ processes: String, for commitmentID: UUID, at now: Date, on database: Database) async throws {
        try await ProcurementCompilation.query(on: database).filter(\.$commitment.$id == commitmentID).delete()
        let compilation = ProcurementCompilation()
        compilation.$commitment.id = commitmentID
        compilation.processes = processes
        compilation.compiledAt = now
        try await compilation.create(on: database)
    }

    /// The releases of the commitment's packages in the order they are compiled, oldest package first:
    /// within a process, a later package's release wins a tie of dates.
    public static func storedReleases(of commitmentID: UUID, on database: Database) async throws -> [String] {
        try await ProcurementPackage.query(on: database).filter(\.$commitment.$id == commitmentID)
            .field(\.$id).field(\.$releases).sort(\.$addedAt).sort(\.$id).all().map(\.releases)
    }

    /// Stored releases (`Release.encode`) compiled into the stored form of their processes.
    public static func compile(_ stored: [String]) throws -> String {
        ContractingProcess.encode(ContractingProcess.compile(try stored.flatMap(Release.decode)))
    }

    /// Compiles every stored package and every commitment that has packages, as the migration that
    /// introduced compiling at write does for packages stored before it.
    package static func compileEveryPackage(on database: Database, at now: Date) async throws {
        let packages = try await ProcurementPackage.query(on: database).field(\.$id).field(\.$commitment.$id).field(\.$releases).all()
        for package in packages {
            try await ProcurementPackage.query(on: database).filter(\.$id == package.requireID())
                .set(\.$processes, to: compile([package.releases])).update()
        }
        for commitmentID in Set(packages.map(\.$commitment.id)) {
            try await record(compile(storedReleases(of: commitmentID, on: database)), for: commitmentID, at: now, on: database)
        }
    }
}
