import CocreaCore
import FluentKit
import Foundation

/// A public-consultation survey of the institution (encuesta); its questions are kept as JSON because
/// they are read and written whole, and answers refer to them by their stable ids.
public final class Survey: Model, @unchecked Sendable {
    public static let schema = "surveys"

    @ID public var id: UUID?
    @Parent(key: "exercise_id") public var exercise: Exercise
    @Field(key: "title") public var title: String
    @Field(key: "description") public var description: String
    @Field(key: "questions") public var questionsJSON: String
    @Field(key: "status") public var status: String
    @Field(key: "created_by") public var createdBy: String
    @OptionalField(key: "published_at") public var publishedAt: Date?
    @OptionalField(key: "closed_at") public var closedAt: Date?
    @Field(key: "revision") public var revision: Int
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}
}

/// One anonymous answer to a survey: no account, no address, no device identifier is kept.
public final class SurveyResponse: Model, @unchecked Sendable {
    public static let schema = "survey_responses"

    @ID public var id: UUID?
    @Parent(key: "survey_id") public var survey: Survey
    @Field(key: "answers") public var answersJSON: String
    /// `web` (the public page or the API) or `kiosk` (a tablet at a service window).
    @Field(key: "channel") public var channel: String
    @Field(key: "received_at") public var receivedAt: Date

    public init() {}

    public init(id: UUID = UUID(), surveyID: UUID, answersJSON: String, channel: String, receivedAt: Date) {
        self.id = id
        self.$survey.id = surveyID
        self.answersJSON = answersJSON
        self.channel = channel
        self.receivedAt = receivedAt
    }
}

/// One imported file of access-to-information requests; kept while the person decides to skip its
/// invalid rows, so that the upload need not be repeated.
public final class RequestImport: Model, @unchecked Sendable {
    public static let schema = "request_imports"

    @ID public var id: UUID?
    @Parent(key: "exercise_id") public var exercise: Exercise
    @Parent(key: "file_id") public var file: StoredFile
    /// `pending` (has invalid rows, waits for a decision) or `applied`.
    @Field(key: "state") public var state: String
    @Field(key: "valid_rows") public var validRows: Int
    @Field(key: "invalid_rows") public var invalidRows: Int
    @Field(key: "imported_rows") public var importedRows: Int
    @Field(key: "imported_by") public var importedBy: String
    @Field(key: "created_at") public var createdAt: Date
    @OptionalField(key: "applied_at") public var appliedAt: Date?

    public init() {}
}

/// A solicitud de acceso a la información, as the national platform exported it.
public final class InformationRequest: Model, @unchecked Sendable {
    public static let schema = "information_requests"

    @ID public var id: UUID?
    @Parent(key: "exercise_id") public var exercise: Exercise
    @Parent(key: "import_id") public var requestImport: RequestImport
    @Field(key: "folio") public var folio: String
    @Field(key: "filed_on") public var filedOn: String
    @Field(key: "obligated_body") public var obligatedBody: String
    @Field(key: "text") public var text: String
    /// The file's other columns, as JSON keyed by their headers.
    @Field(key: "extra") public var extraJSON: String
    @OptionalParent(key: "topic_id") public var topic: RequestTopic?

    public init() {}
}

/// A recurring topic found in an exercise's requests, named by its top terms.
public final class RequestTopic: Model, @unchecked Sendable {
    public static let schema = "request_topics"

    @ID public var id: UUID?
    @Parent(key: "exercise_id") public var exercise: Exercise
    @Field(key: "label") public var label: String
    @Field(key: "terms") public var termsJSON: String
    @Field(key: "size") public var size: Int
    @Field(key: "position") public var position: Int
    @Field(key: "detected_at") public var detectedAt: Date
    /// The dossier item made from this topic, once the institution turned it into a problem.
    @OptionalParent(key: "dossier_item_id") public var dossierItem: DossierItem?

    public init() {}
}
