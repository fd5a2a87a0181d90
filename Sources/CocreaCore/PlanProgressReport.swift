import Foundation

/// Whether a commitment opened government, as the IRM asks at the end of a plan («¿abrió el gobierno?»):
/// empeoró, no cambió, marginal, significativo, sobresaliente.
public enum OpenedGovernment: String, Codable, Sendable, CaseIterable {
    case worsened, didNotChange, marginal, major, outstanding
}

/// A progress report at a cut of the roadmap (months 6 and 12, say) is interim; the one at its end is
/// final and carries the STL's «¿abrió el gobierno?» rating of every commitment and the lessons learned.
public enum ProgressReportKind: String, Codable, Sendable, CaseIterable {
    case interim, final
}

extension OpenedGovernment: Labelled { public static let vocabulary = "openedGovernment" }
extension ProgressReportKind: Labelled { public static let vocabulary = "progressReportKind" }

/// A progress report of a sealed plan as it was issued: every commitment's completion on the IRM scale
/// with each activity's latest report, its evidence and its verification, frozen at one instant. Its
/// canonical JSON is what the report's SHA-256 covers and what its PDF is rendered from.
///
/// The completion is point 4's rule (`ProgressRollup`): an activity's latest report counts for its
/// progress, except that one at 100 % counts 99 % until civil society verified it; the commitment's
/// progress is the weighted average of its activities. On the IRM scale: no report on any activity is
/// «sin evidencia»; 0 % «no iniciado»; 1–49 % «limitado»; 50–99 % «sustancial»; 100 % «completo», which
/// therefore needs every activity completed and verified.
public struct PlanProgressReport: Codable, Sendable, Equatable {
    /// An evidence file uploaded with a report: its name, its fingerprint and where anyone downloads it.
    public struct EvidenceFile: Codable, Sendable, Equatable {
        public var name: String
        public var sha256: String
        public var url: String

        public init(name: String, sha256: String, url: String) {
            self.name = name
            self.sha256 = sha256
            self.url = url
        }
    }

    /// The latest report on an activity when the progress report was issued.
    public struct LatestReport: Codable, Sendable, Equatable {
        public var status: ActivityStatus
        public var progress: Int
        public var note: String
        public var reportedBy: String
        public var reportedAt: Date
        public var evidenceUrl: String?
        public var evidenceFile: EvidenceFile?
        public var verification: VerificationState
        /// The civil-society member who verified it, and when; nil until verified.
        public var verifiedBy: String?
        public var verifiedAt: Date?

        public init(
            status: ActivityStatus, progress: Int, note: String, reportedBy: String, reportedAt: Date, evidenceUrl: String?,
            evidenceFile: EvidenceFile?, verification: VerificationState, verifiedBy: String?, verifiedAt: Date?
        ) {
            self.status = status
            self.progress = progress
            self.note = note
            self.reportedBy = reportedBy
            self.reportedAt = reportedAt
            self.evidenceUrl = evidenceUrl
            self.evidenceFile = evidenceFile
            self.verification = verification
            self.verifiedBy = verifiedBy
            self.verifiedAt = verifiedAt
        }
    }

    public struct Activity: Codable, Sendable, Equatable {
        public var id: UUID
        public var title: String
        public var responsible: String
        public var dueOn: String
        public var weight: Int
        /// What the roll-up counts of it: its latest progress, 99 while a completion waits for verification.
        public var counted: Int
        public var latest: LatestReport?

        public init(id: UUID, title: String, responsible: String, dueOn: String, weight: Int, latest: LatestReport?) {
            self.id = id
            self.title = title
            self.responsible = responsible
            self.dueOn = dueOn
            self.weight = weight
            self.latest = latest
            counted = latest.map { ProgressRollup.counted(progress: $0.progress, verified: $0.verification == .verified) } ?? 0
        }
    }

    /// The STL's answer to «¿abrió el gobierno?» for one commitment, with its reason.
    public struct Rating: Codable, Sendable, Equatable {
        public var rating: OpenedGovernment
        public var reason: String

        public init(rating: OpenedGovernment, reason: String) {
            self.rating = rating
            self.reason = reason
        }
    }

    public struct Commitment: Codable, Sendable, Equatable {
        public var id: UUID
        public var title: String
        public var leadInstitution: String
        public var progress: Int
        public var completion: Completion
        public var activities: [Activity]
        /// Final reports only.
        public var openedGovernment: Rating?

        /// The commitment with its progress and completion rolled up from its activities (the rule above).
        public init(id: UUID, title: String, leadInstitution: String, activities: [Activity], openedGovernment: Rating? = nil) {
            self.id = id
            self.title = title
            self.leadInstitution = leadInstitution
            self.activities = activities
            self.openedGovernment = openedGovernment
            let rollup = activities.map { ProgressRollup.Activity(progress: $0.counted, reported: $0.latest != nil, weight: $0.weight) }
            progress = ProgressRollup.progress(of: rollup)
            completion = ProgressRollup.completion(of: rollup)
        }
    }

    public var kind: ProgressReportKind
    /// 1 for an exercise's first report, and so on.
    public var number: Int
    public var exerciseId: UUID
    public var exercise: String
    public var territory: String
    /// The sealed version the report follows, and the SHA-256 of its content.
    public var planVersionId: UUID
    public var planVersionNumber: Int
    public var planSha256: String
    public var issuedAt: Date
    public var issuedBy: String
    /// The plan's progress: the plain average of its commitments'.
    public var progress: Int
    public var commitments: [Commitment]
    /// Final reports only.
    public var lessonsLearned: String?

    public init(
        kind: ProgressReportKind, number: Int, exerciseId: UUID, exercise: String, territory: String, planVersionId: UUID, planVersionNumber: Int,
        planSha256: String, issuedAt: Date, issuedBy: String, commitments: [Commitment], lessonsLearned: String?
    ) {
        self.kind = kind
        self.number = number
        self.exerciseId = exerciseId
        self.exercise = exercise
        self.territory = territory
        self.planVersionId = planVersionId
        self.planVersionNumber = planVersionNumber
        self.planSha256 = planSha256
        self.issuedAt = issuedAt
        self.issuedBy = issuedBy
        self.commitments = commitments
        self.lessonsLearned = lessonsLearned
        progress = commitments.isEmpty ? 0 : commitments.reduce(0) { $0 + $1.progress } / commitments.count
    }

    /// How many commitments stand at each level of the IRM scale, every level listed.
    public var completionCounts: [(completion: Completion, count: Int)] {
        Completion.allCases.map { level in (level, commitments.count { $0.completion == level }) }
    }
}

/// What the facilitation asks to issue: the kind, and for a final report a rating with its reason for
/// every commitment and the lessons learned.
public enum ProgressReportRequest {
    /// One commitment's rating as sent: raw values, checked here.
    public struct RatingInput: Sendable {
        public var commitmentId: String?
        public var rating: String?
        public var reason: String?

        public init(commitmentId: String?, rating: String?, reason: String?) {
            self.commitmentId = commitmentId
            self.rating = rating
            self.reason = reason
        }
    }

    public struct Checked: Sendable, Equatable {
        public var kind: ProgressReportKind
        public var ratings: [UUID: PlanProgressReport.Rating]
        public var lessonsLearned: String?
    }

    /// The request, against the sealed plan's commitments (id and title, in order). Unreadable values
    /// (an unknown kind or rating, a commitment not in the plan, a rating on an interim report, a text too
    /// long) are `validation_failed`; a final report missing a rating, a reason or the lessons learned is
    /// `final_report_incomplete`, naming each commitment that lacks one.
    public static func check(
        kind: String?, ratings: [RatingInput], lessonsLearned: String?, commitments: [(id: UUID, title: String)]
    ) throws(CocreaError) -> Checked {
        var v = Validator()
        let kind = v.choice(kind, as: ProgressReportKind.self, field: "kind", label: "fieldProgressReportKind")
        let lessons = v.optional(lessonsLearned, field: "lessonsLearned", label: "fieldLessonsLearned", maxLength: 10_000, lines: .multiple)
        let known = Set(commitments.map(\.id))
        var checked: [UUID: PlanProgressReport.Rating] = [:]
        var partial: [UUID: (rating: OpenedGovernment?, reason: String?)] = [:]
        for (index, input) in ratings.enumerated() {
            let field = "ratings[\(index)]"
            let rating = input.rating?.trimmingWhitespace ?? ""
            let reason = v.optional(input.reason, field: "\(field).reason", label: "fieldRatingReason", maxLength: 4000, lines: .multiple)
            // An untouched row of the page's form says nothing.
            if rating.isEmpty && reason == nil { continue }
            guard let id = input.commitmentId.flatMap({ UUID(uuidString: $0.trimmingWhitespace) }), known.contains(id) else {
                v.add(field: "\(field).commitmentId", "problemRatingCommitment", ["value": .text(input.commitmentId ?? "")])
                continue
            }
            let parsed = rating.isEmpty ? nil : v.choice(rating, as: OpenedGovernment.self, field: "\(field).rating", label: "fieldOpenedGovernment")
            partial[id] = (parsed, reason)
        }
        if kind == .interim && (!partial.isEmpty || lessons != nil) {
            v.add(field: "ratings", "problemRatingOnInterim")
        }
        try v.check()
        guard let kind else { throw CocreaError.validation(v.errors) }
        guard kind == .final else { return Checked(kind: kind, ratings: [:], lessonsLearned: nil) }
        var missing = Validator()
        for commitment in commitments {
            let given = partial[commitment.id]
            if let rating = given?.rating, let reason = given?.reason {
                checked[commitment.id] = PlanProgressReport.Rating(rating: rating, reason: reason)
            } else if given?.rating == nil {
                missing.add(field: "ratings.\(commitment.id.uuidString.lowercased())", "problemRatingMissing", ["commitment": .text(commitment.title)])
            } else {
                missing.add(
                    field: "ratings.\(commitment.id.uuidString.lowercased()).reason", "problemRatingReasonMissing", ["commitment": .text(commitment.title)])
            }
        }
        if lessons == nil { missing.add(field: "lessonsLearned", "problemLessonsMissing") }
        guard missing.errors.isEmpty else { throw CocreaError.finalReportIncomplete(missing.errors) }
        return Checked(kind: kind, ratings: checked, lessonsLearned: lessons)
    }
}
