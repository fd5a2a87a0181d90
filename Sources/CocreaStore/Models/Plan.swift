import CocreaCore
import FluentKit
import Foundation

/// An entry of a national OGP action plan catalogue: a commitment (e.g. MX0064) or an axis (EJE1).
public final class NationalCommitment: Model, @unchecked Sendable {
    public static let schema = "national_commitments"

    @ID public var id: UUID?
    /// The plan it belongs to, e.g. "2016-2018".
    @Field(key: "plan") public var plan: String
    @Field(key: "code") public var code: String
    /// The axis code this commitment belongs to, when its plan is organised by axes.
    @OptionalField(key: "axis") public var axis: String?
    @Field(key: "title") public var title: String
    @Field(key: "source") public var source: String
    /// An axis (eje) of the plan rather than one of its commitments.
    @Field(key: "is_axis") public var isAxis: Bool

    /// Listed here rather than found by reflection, since every read of a plan decodes the national
    /// commitments it aligns with (`ListedFieldsTests` checks the list against reflection).
    public var properties: [any AnyProperty] { [$id, $plan, $code, $axis, $title, $source, $isAxis] }

    public init() {}

    public init(plan: String, code: String, axis: String?, title: String, source: String, isAxis: Bool) {
        self.plan = plan
        self.code = code
        self.axis = axis
        self.title = title
        self.source = source
        self.isAxis = isAxis
    }
}

/// A one-year commitment agreed at the table.
public final class Commitment: Model, @unchecked Sendable {
    public static let schema = "commitments"

    @ID public var id: UUID?
    @Parent(key: "exercise_id") public var exercise: Exercise
    @Field(key: "title") public var title: String
    @Field(key: "problem") public var problem: String
    @Field(key: "description") public var description: String
    @Field(key: "objective") public var objective: String
    @Field(key: "starts_on") public var startsOn: String
    @Field(key: "ends_on") public var endsOn: String
    @Field(key: "lead_institution") public var leadInstitution: String
    @Field(key: "indicator_name") public var indicatorName: String
    @Field(key: "indicator_baseline") public var indicatorBaseline: String
    @Field(key: "indicator_target") public var indicatorTarget: String
    @Field(key: "indicator_means_of_verification") public var indicatorMeansOfVerification: String
    @Enum(key: "category") public var category: CommitmentCategory
    @OptionalParent(key: "national_commitment_id") public var nationalCommitment: NationalCommitment?
    @OptionalParent(key: "dossier_item_id") public var dossierItem: DossierItem?
    /// The OGP values it serves with why, as canonical JSON `[{value, why}]`; nil when none.
    @OptionalField(key: "ogp_values") public var ogpValuesJSON: String?
    /// The 2030 Agenda targets it contributes to, as a JSON array of codes ("16.10"); nil when none.
    @OptionalField(key: "sdg_targets") public var sdgTargetsJSON: String?
    /// How it addresses gender, or why that does not apply.
    @OptionalField(key: "gender_perspective") public var genderPerspective: String?
    /// The co-responsible organisations, as a JSON array of names; nil when none.
    @OptionalField(key: "co_responsible") public var coResponsibleJSON: String?
    /// Assumptions and risks (supuestos).
    @OptionalField(key: "assumptions") public var assumptions: String?
    /// Pesos as a decimal with cents ("1250000.00").
    @OptionalField(key: "budget_amount") public var budgetAmount: String?
    @OptionalField(key: "budget_source") public var budgetSource: String?
    /// The survey results it answers, as canonical JSON `[{surveyId, questionId, option}]`; nil when none.
    @OptionalField(key: "consultation_findings") public var consultationFindingsJSON: String?
    /// The recurring information-request topics it answers, as a JSON array of ids; nil when none.
    @OptionalField(key: "request_topic_ids") public var requestTopicIDsJSON: String?
    /// Raised on every change; an edit carrying an older revision is refused (409).
    @Field(key: "revision") public var revision: Int
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    @Children(for: \.$commitment) public var activities: [Activity]

    /// Listed here rather than found by reflection, since every read of a plan decodes its commitments row
    /// by row (`ListedFieldsTests` checks the list against reflection).
    public var properties: [any AnyProperty] {
        [
            $id, $exercise, $title, $problem, $description, $objective, $startsOn, $endsOn, $leadInstitution, $indicatorName,
            $indicatorBaseline, $indicatorTarget, $indicatorMeansOfVerification, $category, $nationalCommitment, $dossierItem,
            $ogpValuesJSON, $sdgTargetsJSON, $genderPerspective, $coResponsibleJSON, $assumptions, $budgetAmount, $budgetSource,
            $consultationFindingsJSON, $requestTopicIDsJSON, $revision, $createdAt, $updatedAt, $activities,
        ]
    }

    public init() {}
}

public final class Activity: Model, @unchecked Sendable {
    public static let schema = "activities"

    @ID public var id: UUID?
    @Parent(key: "commitment_id") public var commitment: Commitment
    @Field(key: "title") public var title: String
    @Field(key: "responsible") public var responsible: String
    @Field(key: "responsible_institution") public var responsibleInstitution: String
    @Field(key: "due_on") public var dueOn: String
    /// YYYY-MM-DD, on or before `dueOn`.
    @OptionalField(key: "starts_on") public var startsOn: String?
    /// Its product (producto entregable).
    @OptionalField(key: "deliverable") public var deliverable: String?
    @OptionalField(key: "means_of_verification") public var meansOfVerification: String?
    @Field(key: "status") public var status: String
    /// 0–100.
    @Field(key: "progress") public var progress: Int
    /// How much of its commitment this activity is, as agreed at the table (1 each: a plain average).
    @Field(key: "weight") public var weight: Int
    @Field(key: "revision") public var revision: Int
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    /// Listed here rather than found by reflection, since every read of a plan decodes its activities row by
    /// row (`ListedFieldsTests` checks the list against reflection).
    public var properties: [any AnyProperty] {
        [
            $id, $commitment, $title, $responsible, $responsibleInstitution, $dueOn, $startsOn, $deliverable, $meansOfVerification,
            $status, $progress, $weight, $revision, $createdAt, $updatedAt,
        ]
    }

    public init() {}
}

/// A frozen reading of the plan: its canonical content and that content's SHA-256.
public final class PlanVersion: Model, @unchecked Sendable {
    public static let schema = "plan_versions"

    @ID public var id: UUID?
    @Parent(key: "exercise_id") public var exercise: Exercise
    @Field(key: "number") public var number: Int
    @Field(key: "content") public var content: String
    @Field(key: "sha256") public var sha256: String
    @Field(key: "frozen_at") public var frozenAt: Date
    @OptionalField(key: "conformity_closed_at") public var conformityClosedAt: Date?
    @OptionalField(key: "signatures_requested_at") public var signaturesRequestedAt: Date?
    /// The copy signed by hand and scanned, when the actors signed on paper.
    @OptionalParent(key: "paper_file_id") public var paperFile: StoredFile?
    /// The sealed PAL: every signature applied and the instance's PDF signature over the file.
    @OptionalParent(key: "sealed_file_id") public var sealedFile: StoredFile?
    @OptionalField(key: "sealed_sha256") public var sealedSHA256: String?
    @OptionalField(key: "sealed_at") public var sealedAt: Date?
    /// The newest revision of the signing copy: rendered once at the first signature, each signature
    /// and the seal an incremental update of the one before.
    @OptionalParent(key: "signing_file_id") public var signingFile: StoredFile?

    public init() {}
}

/// One statement of conformity; every change is a new row, the latest per member counts.
public final class Conformity: Model, @unchecked Sendable {
    public static let schema = "conformities"

    @ID public var id: UUID?
    @Parent(key: "plan_version_id") public var planVersion: PlanVersion
    @Parent(key: "member_id") public var member: Member
    @Enum(key: "stance") public var stance: Stance
    @OptionalField(key: "reason") public var reason: String?
    @Field(key: "stated_at") public var statedAt: Date

    public init() {}
}

/// One actor's initials on every page and signature at the foot of one plan version (rule S1).
public final class Signature: Model, @unchecked Sendable {
    public static let schema = "signatures"

    @ID public var id: UUID?
    @Parent(key: "plan_version_id") public var planVersion: PlanVersion
    @Parent(key: "member_id") public var member: Member
    /// "electronic" (one-time code by email), "efirma" (the actor's SAT e.firma) or "paper" (scanned copy signed by hand).
    @Field(key: "method") public var method: String
    @Field(key: "token_hash") public var tokenHash: String
    @OptionalField(key: "code_hash") public var codeHash: String?
    @OptionalField(key: "code_expires_at") public var codeExpiresAt: Date?
    @Field(key: "failed_attempts") public var failedAttempts: Int
    @OptionalField(key: "signed_at") public var signedAt: Date?
    /// Kept private, never published.
    @OptionalField(key: "ip_address") public var ipAddress: String?
    @OptionalField(key: "user_agent") public var userAgent: String?
    /// With an e.firma: the certificate's RFC, issuing authority and serial number (hexadecimal), and the
    /// detached CMS it made over the version's canonical content.
    @OptionalField(key: "certificate_rfc") public var certificateRFC: String?
    @OptionalField(key: "certificate_issuer") public var certificateIssuer: String?
    @OptionalField(key: "certificate_serial") public var certificateSerial: String?
    @OptionalField(key: "efirma_cms") public var efirmaCMS: Data?
    /// With an e.firma: its certificate then the chain up to the trusted root, DER one after another.
    @OptionalField(key: "efirma_certificates") public var efirmaCertificates: Data?
    /// The OCSP response (DER) that said the certificate was not revoked, and when the responder made it;
    /// both nil when revocation could not be checked (`COCREA_OCSP_REQUIRED` off).
    @OptionalField(key: "efirma_ocsp") public var efirmaOCSP: Data?
    @OptionalField(key: "revocation_checked_at") public var revocationCheckedAt: Date?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    /// Five wrong codes lock the link (`SigningCode`); a new request from the facilitator opens a new one.
    public var isLocked: Bool { SigningCode.isLocked(wrongCodes: failedAttempts) }

    public static func find(token: String, on db: Database) async throws -> Signature? {
        try await Signature.query(on: db).filter(\.$tokenHash == Hashing.sha256Hex(token))
            .with(\.$member).with(\.$planVersion).first()
    }
}

/// The sealed PAL sent to one member (rule: the facilitator emails it to every actor), at most once
/// per version and member; its delivery tells whether it arrived.
public final class PlanDistribution: Model, @unchecked Sendable {
    public static let schema = "plan_distributions"

    @ID public var id: UUID?
    @Parent(key: "plan_version_id") public var planVersion: PlanVersion
    @Parent(key: "member_id") public var member: Member
    @Parent(key: "delivery_id") public var delivery: Delivery
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(planVersionID: UUID, memberID: UUID, deliveryID: UUID) {
        self.$planVersion.id = planVersionID
        self.$member.id = memberID
        self.$delivery.id = deliveryID
    }
}

/// One report on an activity's progress: its public history, oldest first.
public final class ActivityUpdate: Model, @unchecked Sendable {
    public static let schema = "activity_updates"

    @ID public var id: UUID?
    @Parent(key: "activity_id") public var activity: Activity
    @Field(key: "status") public var status: String
    @Field(key: "progress") public var progress: Int
    @Field(key: "note") public var note: String
    /// A link to the evidence (a document, a dataset, a publication).
    @OptionalField(key: "evidence_url") public var evidenceURL: String?
    /// Evidence uploaded as a file (a report, a photo of a session, a dataset).
    @OptionalParent(key: "evidence_file_id") public var evidenceFile: StoredFile?
    @Field(key: "reported_by") public var reportedBy: String
    @Field(key: "reported_at") public var reportedAt: Date
    /// The account that sent the report (nil before reports remembered it): it may not verify it.
    @OptionalField(key: "reporter_user_id") public var reporterUserID: UUID?

    public init() {}
}
