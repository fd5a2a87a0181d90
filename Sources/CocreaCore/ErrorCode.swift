/// Every error code Cocrea answers with, defined once. The raw value is the stable `code` a program
/// reads; `kind` is what kind of refusal it is (the web edge answers each kind with its HTTP status).
/// The messages are in `ErrorCatalogue.swift`; the OpenAPI document enumerates, per operation, the codes it can return
/// (`ErrorCatalogueTests` holds the three in agreement).
public enum ErrorCode: String, CaseIterable, Sendable {
    // Requests and sessions
    case invalidBody = "invalid_body"
    /// Any other 4xx Vapor answered itself (the web edge keeps its status).
    case badRequest = "bad_request"
    case methodNotAllowed = "method_not_allowed"
    case requestTimeout = "request_timeout"
    case payloadTooLarge = "payload_too_large"
    case unsupportedMediaType = "unsupported_media_type"
    case validationFailed = "validation_failed"
    case notAuthenticated = "not_authenticated"
    case invalidToken = "invalid_token"
    case invalidCredentials = "invalid_credentials"
    case linkExpired = "link_expired"
    case tooManyAttempts = "too_many_attempts"
    case csrfFailed = "csrf_failed"
    case forbidden
    case notFound = "not_found"
    case uploadsBusy = "uploads_busy"
    case databaseUnavailable = "database_unavailable"
    case internalError = "internal_error"
    case metricsForbidden = "metrics_forbidden"

    // Uploaded files
    case fileInvalid = "file_invalid"
    case fileTooLarge = "file_too_large"
    case fileTypeNotAllowed = "file_type_not_allowed"
    case fileContentMismatch = "file_content_mismatch"
    case csvInvalid = "csv_invalid"
    case csvRowsInvalid = "csv_rows_invalid"

    // Workspace and dossier
    case memberExists = "member_exists"
    case dossierEmpty = "dossier_empty"
    case noMembers = "no_members"
    case dossierAlreadySent = "dossier_already_sent"
    case dossierNotSent = "dossier_not_sent"
    case receiptNotFound = "receipt_not_found"
    case receiptExpired = "receipt_expired"
    case dossierWindow = "dossier_window"

    // Roundtables
    case roundtableCancelled = "roundtable_cancelled"
    case stageOutOfOrder = "stage_out_of_order"
    case roundtableNotInAnalysis = "roundtable_not_in_analysis"
    case roundtableNotScheduled = "roundtable_not_scheduled"
    case roundtableNotInSession = "roundtable_not_in_session"
    case minutesNotReady = "minutes_not_ready"

    // Plan
    case revisionConflict = "revision_conflict"
    case progressReported = "progress_reported"
    case ownReportVerification = "own_report_verification"
    case reportAlreadyVerified = "report_already_verified"
    case reportNotObserved = "report_not_observed"
    case finalReportIncomplete = "final_report_incomplete"
    case progressReportsClosed = "progress_reports_closed"
    case planInvalid = "plan_invalid"
    case notPublic = "not_public"
    case notAMember = "not_a_member"
    case notPresent = "not_present"
    case conformityClosed = "conformity_closed"
    case conformityOpen = "conformity_open"
    case versionSuperseded = "version_superseded"

    // Signing
    case notSealed = "not_sealed"
    case alreadyDistributed = "already_distributed"
    case alreadySigned = "already_signed"
    case alreadySealed = "already_sealed"
    case uploadTooLarge = "upload_too_large"
    case invalidUpload = "invalid_upload"
    case pdfUnreadable = "pdf_unreadable"
    case signingLinkNotFound = "signing_link_not_found"
    case signingLinkLocked = "signing_link_locked"
    case signingCodeExpired = "signing_code_expired"
    case signingCodeWrong = "signing_code_wrong"
    case efirmaNotCertificate = "efirma_not_certificate"
    case efirmaNotKey = "efirma_not_key"
    case efirmaPasswordWrong = "efirma_password_wrong"
    case efirmaKeyMismatch = "efirma_key_mismatch"
    case efirmaHolderMismatch = "efirma_holder_mismatch"
    case efirmaNotValid = "efirma_not_valid"
    case efirmaUntrusted = "efirma_untrusted"
    case efirmaRevoked = "efirma_revoked"
    case efirmaIsCSD = "efirma_is_csd"
    case efirmaOCSPUnavailable = "efirma_ocsp_unavailable"

    // Consultation
    case surveyNotPublished = "survey_not_published"
    case surveyNotDraft = "survey_not_draft"
    case surveyClosed = "survey_closed"
    case suspectedAutomation = "suspected_automation"
    case rateLimited = "rate_limited"
    case duplicateResponse = "duplicate_response"
    case noAnswers = "no_answers"
    case requestFileInvalid = "request_file_invalid"
    case requestRowsInvalid = "request_rows_invalid"
    case importApplied = "import_applied"
    case topicInDossier = "topic_in_dossier"
    case consultationClosed = "consultation_closed"
    case proposalNotPublished = "proposal_not_published"
    case proposalWithoutResponse = "proposal_without_response"

    // Procurement
    case notProcurementCommitment = "not_procurement_commitment"
    case procurementPackageExists = "procurement_package_exists"
    case urlFetchForbidden = "url_fetch_forbidden"
    case ocdsFetchFailed = "ocds_fetch_failed"
    case ocdsNotJSON = "ocds_not_json"
    case ocdsNotReleasePackage = "ocds_not_release_package"
    case ocdsTooManyReleases = "ocds_too_many_releases"
    case ocdsInvalid = "ocds_invalid"

    // Administration and the command line
    case deliveryNotRetryable = "delivery_not_retryable"
    case invalidConfiguration = "invalid_configuration"
    case resourcesMissing = "resources_missing"
    case catalogueMissing = "catalogue_missing"
    case dataDirectoryUnwritable = "data_directory_unwritable"
    case dataDirectoryInUse = "data_directory_in_use"
    case backupUnsupported = "backup_unsupported"
    case backupExists = "backup_exists"
    case backupCorrupt = "backup_corrupt"
    case backupNotCocrea = "backup_not_cocrea"
    case restoreUnsupported = "restore_unsupported"
    case restoreFailed = "restore_failed"
    case noSealedPlan = "no_sealed_plan"

    /// The kind of refusal the code is. Two codes also take another kind, set by their catalogue
    /// entry: `not_sealed` is not found when the sealed PDF is asked for, and `request_file_invalid`
    /// is too large when the file is.
    public var kind: CocreaError.Kind {
        switch self {
        case .invalidBody, .badRequest, .invalidConfiguration, .backupUnsupported, .restoreUnsupported:
            .unreadable
        case .notAuthenticated, .invalidToken, .invalidCredentials:
            .unauthenticated
        case .forbidden, .csrfFailed, .metricsForbidden, .notAMember, .notPresent, .urlFetchForbidden, .ownReportVerification:
            .forbidden
        case .notFound, .receiptNotFound, .notPublic, .signingLinkNotFound:
            .notFound
        case .methodNotAllowed:
            .methodNotAllowed
        case .requestTimeout:
            .tooSlow
        case .memberExists, .dossierAlreadySent, .dossierNotSent, .roundtableCancelled, .stageOutOfOrder,
            .roundtableNotInAnalysis, .roundtableNotScheduled, .roundtableNotInSession, .minutesNotReady,
            .revisionConflict, .progressReported, .reportAlreadyVerified, .reportNotObserved, .progressReportsClosed, .conformityClosed,
            .conformityOpen, .versionSuperseded,
            .notSealed, .alreadyDistributed, .alreadySigned, .alreadySealed, .surveyNotPublished, .surveyNotDraft,
            .surveyClosed, .duplicateResponse, .noAnswers, .importApplied, .topicInDossier,
            .procurementPackageExists, .deliveryNotRetryable, .dataDirectoryInUse, .backupExists, .noSealedPlan,
            .consultationClosed, .proposalNotPublished, .proposalWithoutResponse:
            .conflict
        case .linkExpired, .receiptExpired:
            .expired
        case .payloadTooLarge, .fileTooLarge, .uploadTooLarge, .ocdsTooManyReleases:
            .tooLarge
        case .unsupportedMediaType, .fileTypeNotAllowed, .fileContentMismatch, .ocdsNotJSON:
            .unsupportedType
        case .validationFailed, .fileInvalid, .csvInvalid, .csvRowsInvalid, .dossierEmpty, .noMembers, .dossierWindow,
            .planInvalid, .finalReportIncomplete, .invalidUpload, .pdfUnreadable, .signingCodeExpired, .signingCodeWrong, .suspectedAutomation,
            .requestFileInvalid, .requestRowsInvalid, .notProcurementCommitment, .ocdsFetchFailed,
            .ocdsNotReleasePackage, .ocdsInvalid, .backupCorrupt, .backupNotCocrea, .efirmaNotCertificate, .efirmaNotKey,
            .efirmaPasswordWrong, .efirmaKeyMismatch, .efirmaHolderMismatch, .efirmaNotValid, .efirmaUntrusted,
            .efirmaRevoked, .efirmaIsCSD:
            .invalid
        case .signingLinkLocked:
            .locked
        case .tooManyAttempts, .rateLimited:
            .rateLimited
        case .internalError, .resourcesMissing, .catalogueMissing, .dataDirectoryUnwritable, .restoreFailed:
            .failure
        case .uploadsBusy, .databaseUnavailable, .efirmaOCSPUnavailable:
            .unavailable
        }
    }
}
