import CocreaCore
import FluentKit
import Foundation

/// A progress report as issued at a cut of the roadmap: its frozen content (`PlanProgressReport` as
/// canonical JSON) with that content's SHA-256, and its sealed PDF with the file's own SHA-256, by which
/// `/verify` finds it.
public final class ProgressReportRecord: Model, @unchecked Sendable {
    public static let schema = "progress_reports"

    @ID public var id: UUID?
    @Parent(key: "exercise_id") public var exercise: Exercise
    @Parent(key: "plan_version_id") public var planVersion: PlanVersion
    /// 1 for the exercise's first report, and so on (unique per exercise).
    @Field(key: "number") public var number: Int
    @Enum(key: "kind") public var kind: ProgressReportKind
    @Field(key: "snapshot") public var snapshot: String
    @Field(key: "snapshot_sha256") public var snapshotSHA256: String
    @Parent(key: "file_id") public var file: StoredFile
    @Field(key: "pdf_sha256") public var pdfSHA256: String
    @Field(key: "issued_at") public var issuedAt: Date
    @Field(key: "issued_by") public var issuedBy: String

    public init() {}
}
