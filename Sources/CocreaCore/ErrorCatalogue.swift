import Foundation

/// The catalogue of errors: every error Cocrea answers with is built here, from its `ErrorCode`, the
/// key of its message in the catalogue of texts (`Resources/Locales`: `error.<code>`, or
/// `error.<code>.<variant>` when a code says different things) and the values of its placeholders,
/// so a code, its kind and what a person reads in each language are written once.
extension CocreaError {
    // MARK: Requests and sessions

    /// `errors` are the validator's, each with its own sentence.
    public static func validation(_ errors: [FieldError]) -> CocreaError {
        CocreaError(.validationFailed, nil, ["summary": .texts(errors.map(\.text))], fieldErrors: errors)
    }

    /// The catalogue's text `key`, with `values`, says what could not be read.
    public static func invalidBody(_ key: String, _ values: [String: ErrorText.Value] = [:]) -> CocreaError {
        CocreaError(.invalidBody, nil, ["detail": .texts([ErrorText(key: key, values: values)])])
    }

    /// A value the body holds at `path` (a decoder's coding path) that its field cannot take; the text
    /// `key` names the place as `{path}` («indicator.target», or the body as a whole).
    public static func invalidBody(_ key: String, at path: [any CodingKey], _ values: [String: ErrorText.Value] = [:]) -> CocreaError {
        let joined = path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        return invalidBody(key, values.merging(["path": joined.isEmpty ? .label("bodyWhole") : .text("«\(joined)»")]) { given, _ in given })
    }

    /// A 4xx that Vapor answered itself (the web edge keeps Vapor's status).
    public static let badRequest = CocreaError(.badRequest)

    public static let routeNotFound = CocreaError(.notFound, "route")

    /// The record sought is named by the catalogue in each language («ese ejercicio», «that exercise»).
    public static func notFound(_ sought: Sought) -> CocreaError {
        CocreaError(.notFound, nil, ["what": .label(sought.labelKey)])
    }

    /// `available` are the datasets there are, to name them to whoever asked for another.
    public static func datasetNotFound(available: [String]) -> CocreaError {
        CocreaError(.notFound, "dataset", ["datasets": .text(available.joined(separator: ", "))])
    }

    public static func accountNotFound(email: String) -> CocreaError {
        CocreaError(.notFound, "account", ["email": .text(email)])
    }

    public static func backupSourceNotFound(_ path: String) -> CocreaError {
        CocreaError(.notFound, "backupSource", ["file": .text(path)])
    }

    public static let methodNotAllowed = CocreaError(.methodNotAllowed)

    public static let payloadTooLarge = CocreaError(.payloadTooLarge)

    public static let unsupportedMediaType = CocreaError(.unsupportedMediaType)

    public static let formExpected = CocreaError(.unsupportedMediaType, "form")

    public static let requestTimeout = CocreaError(.requestTimeout)

    public static let uploadsBusy = CocreaError(.uploadsBusy, facts: ["retryAfter": .int(10)])

    public static let databaseUnavailable = CocreaError(.databaseUnavailable, facts: ["retryAfter": .int(5)])

    /// A commit was sent and never answered: whether it was kept cannot be known, so the person checks
    /// before sending it again (a retry could repeat it).
    public static let commitUnanswered = CocreaError(.databaseUnavailable, "commitUnanswered", facts: ["retryAfter": .int(5)])

    public static let internalError = CocreaError(.internalError)

    /// A PDF that could not be made PDF/A-2b, the form public records are kept in, is not delivered in
    /// another; `reason` (the PDF layer's, in Spanish) is for the log, which records a 500 whole.
    public static func documentNotArchival(reason: String) -> CocreaError {
        CocreaError(.internalError, "notArchival", ["reason": .text(reason)])
    }

    public static let notAuthenticated = CocreaError(.notAuthenticated)

    public static let invalidToken = CocreaError(.invalidToken)

    public static let invalidCredentials = CocreaError(.invalidCredentials)

    public static let linkExpired = CocreaError(.linkExpired)

    public static let tooManyAttempts = CocreaError(.tooManyAttempts)

    public static let csrf = CocreaError(.csrfFailed)

    public static let forbidden = CocreaError(.forbidden)

    /// `kind` is the dossier item's kind and `contributor` the sector that contributes it, as people read them.
    public static func contributionForbidden(kind: String, contributor: String) -> CocreaError {
        CocreaError(.forbidden, "contribution", ["kind": .text(kind), "contributor": .text(contributor)])
    }

    public static let recordingForOthersForbidden = CocreaError(.forbidden, "recordingForOthers")

    public static let metricsForbidden = CocreaError(.metricsForbidden)

    // MARK: Uploaded files

    public static let fileUnnamed = CocreaError(.fileInvalid, "unnamed")

    public static func fileEmpty(_ filename: String) -> CocreaError {
        CocreaError(.fileInvalid, "empty", ["file": .text(filename)])
    }

    public static func fileTooLarge(_ filename: String, bytes: Int, maximumBytes: Int) -> CocreaError {
        CocreaError(
            .fileTooLarge, nil, ["file": .text(filename), "megabytes": .number(bytes / 1_048_576), "maximum": .number(maximumBytes / 1_048_576)])
    }

    public static func fileTypeNotAllowed(_ ext: String) -> CocreaError {
        CocreaError(.fileTypeNotAllowed, nil, ["extension": .text(ext)])
    }

    public static func fileContentMismatch(_ filename: String, ext: String) -> CocreaError {
        CocreaError(.fileContentMismatch, nil, ["file": .text(filename), "extension": .text(ext)])
    }

    public static let csvMissing = CocreaError(.validationFailed, "csvMissing")

    public static func csvUnreadable(_ error: any Error) -> CocreaError {
        CocreaError(.csvInvalid, "unreadable", ["problem": .text("\(error)")])
    }

    public static let csvEmpty = CocreaError(.csvInvalid, "empty")

    public static let csvWithoutRows = CocreaError(.csvInvalid, "withoutRows")

    public static func activitiesCSVColumnsMissing(_ missing: [String]) -> CocreaError {
        CocreaError(.csvInvalid, "activityColumns", ["columns": .text(missing.joined(separator: ", "))])
    }

    public static func csvRowsInvalid(_ problems: [FieldError]) -> CocreaError {
        CocreaError(.csvRowsInvalid, nil, ["rows": .count("error.rowsWithErrors", problems.count)], fieldErrors: problems)
    }

    /// Progress rows naming activities of another exercise: `rows` are each row's line and activity.
    public static func progressRowsForeign(_ rows: [(line: Int, activity: String)]) -> CocreaError {
        CocreaError(
            .csvRowsInvalid, "foreign", ["rows": .count("error.rowsNamingAForeignActivity", rows.count)],
            fieldErrors: rows.map {
                FieldError(field: "fila \($0.line)", "problemRowActivityForeign", ["line": .number($0.line), "activity": .text($0.activity)])
            })
    }

    public static let nationalCatalogueUnreadable = CocreaError(.invalidBody, "nationalCatalogue")

    public static let nationalCatalogueMediaType = CocreaError(.unsupportedMediaType, "nationalCatalogue")

    public static func nationalCatalogueColumnsMissing(_ missing: [String]) -> CocreaError {
        CocreaError(.csvInvalid, "nationalCatalogueColumns", ["columns": .text(missing.joined(separator: ", "))])
    }

    public static func nationalCatalogueInvalid(_ problems: [FieldError]) -> CocreaError {
        CocreaError(.csvInvalid, "nationalCatalogue", fieldErrors: problems)
    }

    // MARK: Workspace and dossier

    public static func memberExists(email: String, exercise: String) -> CocreaError {
        CocreaError(.memberExists, nil, ["email": .text(email), "exercise": .text(exercise)])
    }

    public static let dossierEmpty = CocreaError(.dossierEmpty)

    public static let noMembers = CocreaError(.noMembers)

    public static func dossierAlreadySent(version: Int) -> CocreaError {
        CocreaError(.dossierAlreadySent, nil, ["version": .number(version)])
    }

    public static let dossierNotSent = CocreaError(.dossierNotSent)

    public static let receiptNotFound = CocreaError(.receiptNotFound)

    public static let receiptExpired = CocreaError(.receiptExpired)

    /// Rule D10 refuses the date: the dossier has changes not sent (no `currentVersion`), or
    /// `holdingBack` lack the current version, or everyone has it and the table is before `earliestValidDate`.
    public static func dossierWindow(
        currentVersion: Int?, holdingBack: [(id: UUID, name: String)], earliestValidDate: LocalDate?
    ) -> CocreaError {
        let facts: [String: Fact] = [
            "holdingBack": .strings(holdingBack.map(\.id.uuidString)),
            "earliestValidDate": earliestValidDate.map { .string($0.description) } ?? .null,
        ]
        guard let currentVersion else { return CocreaError(.dossierWindow, "unsent", facts: facts) }
        if let earliestValidDate { return CocreaError(.dossierWindow, nil, ["date": .date(earliestValidDate)], facts: facts) }
        return CocreaError(
            .dossierWindow, "holdingBack", ["version": .number(currentVersion), "names": .text(holdingBack.map(\.name).joined(separator: ", "))],
            facts: facts)
    }

    // MARK: Roundtables

    public static let roundtableCancelled = CocreaError(.roundtableCancelled)

    /// The table is at `stage`, and `expected` is the one stage it may go on to (none once concluded).
    public static func stageOutOfOrder(stage: RoundtableStage, expected: RoundtableStage?) -> CocreaError {
        guard let expected else { return CocreaError(.stageOutOfOrder, "concluded", ["stage": .label(stage.labelKey)]) }
        return CocreaError(.stageOutOfOrder, nil, ["stage": .label(stage.labelKey), "expected": .label(expected.labelKey)])
    }

    public static let dossierItemToPresentUnknown = CocreaError(
        .validationFailed, "dossierItemToPresent",
        fieldErrors: [FieldError(field: "dossierItemId", "problemDossierItemChoose")])

    public static let roundtableNotInAnalysis = CocreaError(.roundtableNotInAnalysis)

    public static let roundtableNotScheduled = CocreaError(.roundtableNotScheduled)

    public static let roundtableNotInSession = CocreaError(.roundtableNotInSession)

    public static let minutesNotReady = CocreaError(.minutesNotReady)

    // MARK: Plan

    /// `what` names the record with its article («este compromiso»).
    public static func revisionConflict(
        _ what: String, revision: Int, current: some Encodable & Sendable,
        submitted: some Encodable & Sendable
    ) -> CocreaError {
        CocreaError(
            .revisionConflict, nil, ["what": .text(what), "revision": .number(revision)],
            facts: ["current": .value(current), "submitted": .value(submitted)])
    }

    /// `what` names the record with its article, capitalised («Este compromiso»).
    public static func progressReported(_ what: String) -> CocreaError {
        CocreaError(.progressReported, nil, ["what": .text(what)])
    }

    public static func planInvalid(_ problems: [PlanProblem]) -> CocreaError {
        CocreaError(
            .planInvalid, nil, ["summary": .texts(problems.map(\.text))], facts: ["problems": .value(problems)])
    }

    /// Rule R1 alone holds the freeze back: the plan meets Q1–Q3 and A1, but published proposals wait
    /// for their reasoned response (each listed, with every problem as `planInvalid` lists them).
    public static func proposalWithoutResponse(_ unanswered: [UnansweredProposal], problems: [PlanProblem]) -> CocreaError {
        struct Listed: Encodable, Sendable {
            var id: UUID
            var problem: String
        }
        return CocreaError(
            .proposalWithoutResponse, nil, ["summary": .texts(problems.map(\.text))],
            facts: ["proposals": .value(unanswered.map { Listed(id: $0.id, problem: $0.problem) }), "problems": .value(problems)])
    }

    /// The public follow-up's answer before a plan is sealed (it is private work until then).
    public static let notPublic = CocreaError(.notPublic)

    /// A draft's open data (or an exercise's there is none of): the same code, saying what keeps it
    /// private, which is not a plan yet to be signed.
    public static let notYetPublished = CocreaError(.notPublic, "notYetPublished")

    public static let notAMember = CocreaError(.notAMember)

    /// Civil society verifies what others report: nobody verifies their own report.
    public static let ownReportVerification = CocreaError(.ownReportVerification)

    public static let reportAlreadyVerified = CocreaError(.reportAlreadyVerified)

    public static let reportNotObserved = CocreaError(.reportNotObserved)

    /// A final progress report lacks a commitment's rating or its reason, or the lessons learned: `errors` name each.
    public static func finalReportIncomplete(_ errors: [FieldError]) -> CocreaError {
        CocreaError(.finalReportIncomplete, nil, ["summary": .texts(errors.map(\.text))], fieldErrors: errors)
    }

    /// The final progress report closes the plan's follow-up: no report comes after it.
    public static let progressReportsClosed = CocreaError(.progressReportsClosed)

    /// A progress report follows a sealed plan.
    public static let notSealedToReport = CocreaError(.notSealed, "progressReport")

    public static let notPresent = CocreaError(.notPresent)

    public static let conformityClosed = CocreaError(.conformityClosed)

    public static func conformitySuperseded(latest: Int) -> CocreaError {
        CocreaError(.versionSuperseded, "conformity", ["latest": .number(latest)])
    }

    public static let conformityOpen = CocreaError(.conformityOpen)

    // MARK: Signing

    public static func signingSuperseded(latest: Int) -> CocreaError {
        CocreaError(.versionSuperseded, "signing", ["latest": .number(latest)])
    }

    /// The sealed PDF is asked for before every signature is in: there is no such document yet.
    public static let sealedPlanMissing = CocreaError(.notSealed, "pdf", kind: .notFound)

    public static let notSealedToDistribute = CocreaError(.notSealed)

    public static let alreadyDistributed = CocreaError(.alreadyDistributed)

    public static let everyoneSigned = CocreaError(.alreadySigned, "everyone")

    public static let alreadySignedByYou = CocreaError(.alreadySigned)

    public static let alreadySealed = CocreaError(.alreadySealed)

    public static let signedCopyTooLarge = CocreaError(.uploadTooLarge)

    public static let signedCopyMissing = CocreaError(
        .validationFailed, "signedCopyMissing",
        fieldErrors: [FieldError(field: "file", "problemSignedCopyUpload")])

    public static let signedCopyNotPDF = CocreaError(
        .invalidUpload, "notPDF", fieldErrors: [FieldError(field: "file", "problemSignedCopyUpload")])

    public static func signedCopyPagesMissing(pages: Int, planPages: Int) -> CocreaError {
        CocreaError(
            .invalidUpload, nil, ["pages": .count("error.pages", pages), "planPages": .number(planPages)],
            fieldErrors: [FieldError(field: "file", "problemScanPagesMissing")])
    }

    public static let pdfToVerifyMissing = CocreaError(
        .validationFailed, "pdfToVerifyMissing",
        fieldErrors: [FieldError(field: "file", "problemPDFToVerify")])

    /// `problem` is what the PDF reader found, when it says.
    public static func pdfUnreadable(_ problem: ErrorText?) -> CocreaError {
        guard let problem else {
            return CocreaError(.pdfUnreadable, fieldErrors: [FieldError(field: "file", "problemPDFUnreadable")])
        }
        return CocreaError(.pdfUnreadable, "found", ["problem": .texts([problem])], fieldErrors: [FieldError(field: "file", text: problem)])
    }

    public static let sha256Malformed = CocreaError(
        .validationFailed, "sha256", fieldErrors: [FieldError(field: "sha256", "problemSHA256")])

    public static let signingLinkNotFound = CocreaError(.signingLinkNotFound)

    public static let signingLinkLocked = CocreaError(.signingLinkLocked)

    public static let signingCodeExpired = CocreaError(
        .signingCodeExpired, fieldErrors: [FieldError(field: "code", "problemAskNewCode")])

    public static func signingCodeWrong(remainingAttempts remaining: Int) -> CocreaError {
        CocreaError(
            .signingCodeWrong, nil, ["remaining": .count("error.attemptsLeft", remaining)],
            fieldErrors: [FieldError(field: "code", "problemCodeWrong")],
            facts: ["remainingAttempts": .value(remaining)])
    }

    // MARK: e.firma

    public static let efirmaNotCertificate = CocreaError(
        .efirmaNotCertificate, fieldErrors: [FieldError(field: "certificate", "problemEFirmaNotCertificate")])

    public static let efirmaNotKey = CocreaError(
        .efirmaNotKey, fieldErrors: [FieldError(field: "privateKey", "problemEFirmaNotKey")])

    public static let efirmaPasswordWrong = CocreaError(
        .efirmaPasswordWrong, fieldErrors: [FieldError(field: "password", "problemEFirmaPassword")])

    /// A wrong password counted against the signing link: `remaining` more lock it.
    public static func efirmaPasswordWrong(remainingAttempts remaining: Int) -> CocreaError {
        CocreaError(
            .efirmaPasswordWrong, "remaining", ["remaining": .count("error.attemptsLeft", remaining)],
            fieldErrors: [FieldError(field: "password", "problemEFirmaPassword")],
            facts: ["remainingAttempts": .value(remaining)])
    }

    /// The member has no RFC or CURP in the exercise, so no certificate can be shown to be theirs.
    public static let efirmaHolderUnregistered = CocreaError(
        .efirmaHolderMismatch, "unregistered",
        fieldErrors: [FieldError(field: "certificate", "problemEFirmaHolderUnregistered")])

    public static let efirmaKeyMismatch = CocreaError(
        .efirmaKeyMismatch, fieldErrors: [FieldError(field: "privateKey", "problemEFirmaKeyMismatch")])

    /// The certificate names someone else: `certificateRFC` and `certificateCURP` are the ones it carries.
    public static func efirmaHolderMismatch(certificateRFC: String, certificateCURP: String) -> CocreaError {
        CocreaError(
            .efirmaHolderMismatch, nil,
            ["rfc": .text(certificateRFC.isEmpty ? "—" : certificateRFC), "curp": .text(certificateCURP.isEmpty ? "—" : certificateCURP)],
            fieldErrors: [FieldError(field: "certificate", "problemEFirmaHolderMismatch")])
    }

    public static func efirmaExpired(on instant: Date) -> CocreaError {
        CocreaError(
            .efirmaNotValid, "expired", ["date": .date(mexicanDay(instant))],
            fieldErrors: [FieldError(field: "certificate", "problemEFirmaExpired")])
    }

    public static func efirmaNotYetValid(from instant: Date) -> CocreaError {
        CocreaError(
            .efirmaNotValid, "notYet", ["date": .date(mexicanDay(instant))],
            fieldErrors: [FieldError(field: "certificate", "problemEFirmaNotYetValid")])
    }

    public static let efirmaUntrusted = CocreaError(
        .efirmaUntrusted, fieldErrors: [FieldError(field: "certificate", "problemEFirmaUntrusted")])

    /// The certificate's authority says, through its OCSP responder, that it was revoked on `instant`.
    public static func efirmaRevoked(on instant: Date) -> CocreaError {
        CocreaError(
            .efirmaRevoked, nil, ["date": .date(mexicanDay(instant))],
            fieldErrors: [FieldError(field: "certificate", "problemEFirmaRevoked")])
    }

    /// A Certificado de Sello Digital: the SAT issues it on the same roots, for invoices only.
    public static let efirmaIsCSD = CocreaError(
        .efirmaIsCSD, fieldErrors: [FieldError(field: "certificate", "problemEFirmaIsCSD")])

    /// The revocation check is required (`COCREA_OCSP_REQUIRED`) and the responder did not answer, or
    /// answered what cannot be trusted: the signer did nothing wrong and may try again shortly.
    public static let efirmaOCSPUnavailable = CocreaError(.efirmaOCSPUnavailable, facts: ["retryAfter": .int(60)])

    /// OpenSSL could not make the signature with a key and certificate it had accepted.
    public static let efirmaSigningFailed = CocreaError(.internalError)

    private static func mexicanDay(_ instant: Date) -> LocalDate {
        LocalDate(date: instant, in: TimeZone(identifier: "America/Mexico_City")!)!
    }

    // MARK: Consultation

    public static let surveyNotPublished = CocreaError(.surveyNotPublished)

    public static let surveyNotDraft = CocreaError(.surveyNotDraft)

    public static let surveyClosed = CocreaError(.surveyClosed)

    public static let suspectedAutomation = CocreaError(.suspectedAutomation)

    public static func rateLimited(retryAfter seconds: Int) -> CocreaError {
        CocreaError(.rateLimited, nil, ["seconds": .number(seconds)], facts: ["retryAfter": .int(seconds)])
    }

    public static let duplicateResponse = CocreaError(.duplicateResponse)

    // MARK: Citizen proposals

    /// Proposals are received only while a consultation window of the roadmap is open.
    public static func consultationClosed(exercise: String, next: RoadmapEntry?, last: RoadmapEntry?) -> CocreaError {
        let facts: [String: Fact] = ["opensOn": next.map { .string($0.startsOn.description) } ?? .null]
        if let next {
            return CocreaError(
                .consultationClosed, "next",
                ["exercise": .text(exercise), "opens": .text(MexicanFormat.numeric(next.startsOn)), "closes": .text(MexicanFormat.numeric(next.endsOn))],
                facts: facts)
        }
        if let last {
            return CocreaError(
                .consultationClosed, "last", ["exercise": .text(exercise), "closed": .text(MexicanFormat.numeric(last.endsOn))], facts: facts)
        }
        return CocreaError(.consultationClosed, nil, ["exercise": .text(exercise)], facts: facts)
    }

    public static let proposalSuspectedAutomation = CocreaError(.suspectedAutomation, "proposal")

    public static func proposalRateLimited(retryAfter seconds: Int) -> CocreaError {
        CocreaError(.rateLimited, "proposal", ["seconds": .number(seconds)], facts: ["retryAfter": .int(seconds)])
    }

    public static let duplicateProposal = CocreaError(.duplicateResponse, "proposal")

    public static let proposalNotPublished = CocreaError(.proposalNotPublished)

    // MARK: Following a commitment

    /// A commitment that does not exist or whose exercise the public cannot see yet.
    public static let publicCommitmentNotFound = CocreaError(.notFound, "publicCommitment")

    /// A confirmation or unsubscribe link that never existed, was already used or whose address was deleted.
    public static let followLinkNotFound = CocreaError(.notFound, "followLink")

    /// A confirmation link past `FollowerRules.confirmationLifetime`.
    public static let followLinkExpired = CocreaError(.linkExpired, "follow")

    public static let noAnswers = CocreaError(.noAnswers)

    /// `explanation` is the file reader's account of what is wrong with the file; `.tooLarge` when it is.
    public static func requestFileInvalid(_ explanation: ErrorText, kind: Kind = .invalid, facts: [String: Fact] = [:]) -> CocreaError {
        CocreaError(.requestFileInvalid, nil, ["explanation": .texts([explanation])], kind: kind, facts: facts)
    }

    public static let noValidRequestsLeft = CocreaError(.requestFileInvalid, "noneValid")

    /// `problems` are each invalid row's line and what is wrong with it.
    public static func requestRowsInvalid(_ problems: [(line: Int, text: ErrorText)], valid: Int, importID: UUID) -> CocreaError {
        let lines = Set(problems.map(\.line)).count
        return CocreaError(
            .requestRowsInvalid, nil, ["invalid": .count("error.rowsWithProblems", lines), "valid": .count("error.rowsValid", valid)],
            fieldErrors: problems.prefix(500).map { FieldError(field: "fila \($0.line)", text: $0.text) },
            facts: ["importId": .string(importID.uuidString), "validRows": .int(valid), "invalidRows": .int(lines)])
    }

    public static let importApplied = CocreaError(.importApplied)

    public static let topicInDossier = CocreaError(.topicInDossier)

    // MARK: Procurement

    public static func notProcurementCommitment(_ title: String) -> CocreaError {
        CocreaError(.notProcurementCommitment, nil, ["title": .text(title)])
    }

    /// `existingName` and `existingID` are those of the package already attached, when it is still there.
    public static func procurementPackageExists(sha256: String, existingName: String?, existingID: UUID?) -> CocreaError {
        let facts: [String: Fact] = ["packageId": existingID.map { .string($0.uuidString) } ?? .null, "sha256": .string(sha256)]
        guard let existingName else { return CocreaError(.procurementPackageExists, facts: facts) }
        return CocreaError(.procurementPackageExists, "named", ["name": .text(existingName)], facts: facts)
    }

    public static let procurementPackageMediaType = CocreaError(.unsupportedMediaType, "procurementPackage")

    public static let urlFetchForbidden = CocreaError(.urlFetchForbidden)

    /// `reason` is the fetch client's account of what failed.
    /// `reason` is the catalogue's text saying why, with `values`.
    public static func ocdsFetchFailed(_ url: String, reason: String, _ values: [String: ErrorText.Value] = [:]) -> CocreaError {
        CocreaError(.ocdsFetchFailed, nil, ["url": .text(url), "reason": .texts([ErrorText(key: reason, values: values)])])
    }

    public static func ocdsFetchedTooLarge(_ url: String, maximumBytes: Int) -> CocreaError {
        CocreaError(.fileTooLarge, "fetched", ["url": .text(url), "maximum": .number(maximumBytes / 1_048_576)])
    }

    public static func ocdsFileTooLarge(_ name: String, bytes: Int, maximumBytes: Int) -> CocreaError {
        CocreaError(
            .fileTooLarge, "ocds", ["file": .text(name), "megabytes": .number(bytes / 1_048_576), "maximum": .number(maximumBytes / 1_048_576)])
    }

    public static func ocdsNotJSON(_ name: String) -> CocreaError {
        CocreaError(.ocdsNotJSON, nil, ["file": .text(name)])
    }

    public static func ocdsLooseReleases(_ name: String) -> CocreaError {
        CocreaError(.ocdsNotReleasePackage, "looseReleases", ["file": .text(name)])
    }

    public static func ocdsNotAnObject(_ name: String) -> CocreaError {
        CocreaError(.ocdsNotReleasePackage, nil, ["file": .text(name)])
    }

    public static func ocdsRecordPackage(_ name: String) -> CocreaError {
        CocreaError(.ocdsNotReleasePackage, "recordPackage", ["file": .text(name)])
    }

    public static func ocdsLooseRelease(_ name: String) -> CocreaError {
        CocreaError(.ocdsNotReleasePackage, "looseRelease", ["file": .text(name)])
    }

    public static func ocdsTooManyReleases(_ name: String, count: Int, maximum: Int) -> CocreaError {
        CocreaError(.ocdsTooManyReleases, nil, ["file": .text(name), "count": .number(count), "maximum": .number(maximum)])
    }

    public static func ocdsInvalid(_ name: String, problems: [FieldError]) -> CocreaError {
        CocreaError(.ocdsInvalid, nil, ["file": .text(name), "problems": .count("error.problems", problems.count)], fieldErrors: problems)
    }

    // MARK: Administration and the command line

    /// `state` is the delivery's state as people read it.
    public static func deliveryNotRetryable(state: String) -> CocreaError {
        CocreaError(.deliveryNotRetryable, nil, ["state": .text(state)])
    }

    public static func trustedProxiesInvalid(_ invalid: [String]) -> CocreaError {
        CocreaError(.invalidConfiguration, "trustedProxies", ["values": .text(invalid.joined(separator: ", "))])
    }

    /// `COCREA_OCSP_REQUIRED` is neither `true` nor `false`.
    public static func ocspRequiredInvalid(_ value: String) -> CocreaError {
        CocreaError(.invalidConfiguration, "ocspRequired", ["value": .text(value)])
    }

    /// `COCREA_TRUST_ROOTS` names no readable PEM file with a self-signed certificate.
    public static let trustRootsUnreadable = CocreaError(.invalidConfiguration, "trustRoots")

    /// `COCREA_TSA_CA` names no readable PEM file with a self-signed certificate.
    public static let timestampRootsUnreadable = CocreaError(.invalidConfiguration, "timestampRoots")

    /// `COCREA_TSA_URL` without `COCREA_TSA_CA`: no token could be trusted, so none would ever complete a seal.
    public static let timestampRootsMissing = CocreaError(.invalidConfiguration, "timestampRootsMissing")

    public static func resourcesMissing(searched places: [String]) -> CocreaError {
        CocreaError(.resourcesMissing, nil, ["places": .text(places.joined(separator: ", "))])
    }

    public static func catalogueMissing(_ path: String) -> CocreaError {
        CocreaError(.catalogueMissing, nil, ["path": .text(path)])
    }

    /// `reason` is the system's own (strerror).
    public static func dataDirectoryUnwritable(_ path: String, reason: String) -> CocreaError {
        CocreaError(.dataDirectoryUnwritable, nil, ["path": .text(path), "reason": .text(reason)])
    }

    /// `purpose` says, in a sentence, why only one process may hold the folder.
    public static func dataDirectoryInUse(_ directory: String, holder pid: Int32?, purpose: String) -> CocreaError {
        let facts: [String: Fact] = ["directory": .string(directory), "pid": pid.map { .int(Int($0)) } ?? .null]
        guard let pid else { return CocreaError(.dataDirectoryInUse, nil, ["directory": .text(directory), "purpose": .text(purpose)], facts: facts) }
        return CocreaError(
            .dataDirectoryInUse, "pid", ["directory": .text(directory), "pid": .number(Int(pid)), "purpose": .text(purpose)], facts: facts)
    }

    public static let backupUnsupported = CocreaError(.backupUnsupported)

    public static func backupExists(_ destination: String) -> CocreaError {
        CocreaError(.backupExists, nil, ["destination": .text(destination)])
    }

    public static func backupUnreadable(_ source: String) -> CocreaError {
        CocreaError(.backupCorrupt, "unreadable", ["source": .text(source)])
    }

    public static let backupFailsIntegrityCheck = CocreaError(.backupCorrupt)

    public static let backupNotCocrea = CocreaError(.backupNotCocrea)

    public static let restoreUnsupported = CocreaError(.restoreUnsupported)

    /// `reason` is the system's own (strerror).
    public static func restoreFailed(_ databasePath: String, reason: String) -> CocreaError {
        CocreaError(.restoreFailed, nil, ["path": .text(databasePath), "reason": .text(reason)])
    }

    public static let noSealedPlan = CocreaError(.noSealedPlan)
}

/// What a 404 says was not found, with its article: the catalogue's `notFound_<case>` in each language.
public enum Sought: String, Sendable, CaseIterable, Labelled {
    public static let vocabulary = "notFound"

    case exercise, file, exerciseFile, sealedPlan, mail, commitment, procurementPackage, document, evidence, planVersion
    case dataset, activity, survey, requestImport, topic, roundtable, signature, receipt, proposal, proposalConfirmation
    case member, progressReport
}
