import CocreaCore
import CocreaDocuments
import CocreaStore
import CocreaUseCases
import Fluent
import Vapor

/// The actor's personal signing page (/sign/{token}), the public verification pages and the
/// instance's certificate.
struct SigningPages {
    func register(_ pages: RoutesBuilder) {
        pages.secured(.GET, "sign", ":token", policy: .open, use: signingPage)
        pages.secured(.POST, "sign", ":token", "code", policy: .open, use: resendCode)
        pages.secured(.POST, "sign", ":token", policy: .open, use: sign)
        pages.secured(.POST, "sign", ":token", "efirma", policy: .open, body: .collect(maxSize: SigningAPI.eFirmaBodyLimit), use: signWithEFirma)
        pages.secured(.GET, "sign", ":token", "document.pdf", policy: .open) { req, _ in
            let signature = try await SigningOperations.signature(token: req.parameters.get("token") ?? "", on: req.useCases)
            return try await SigningAPI.documentResponse(signature.planVersion, on: req)
        }
        pages.secured(.GET, "verify", policy: .open, use: verifyPage)
        pages.secured(.POST, "verify", policy: .open, body: .collect(maxSize: "21mb"), use: verifyUpload)
        pages.secured(.GET, "verify", ":planVersionID", policy: .open, use: versionPage)
        pages.secured(.GET, "instance", "certificate.pem", policy: .open) { req, _ in
            let response = Response(status: .ok, body: .init(string: req.application.identity.certificatePEM))
            response.headers.replaceOrAdd(name: .contentType, value: "application/x-pem-file")
            return response
        }
    }

    // MARK: /sign/{token}

    struct SignBody: Encodable, Sendable {
        var token: String
        var memberName: String
        var exerciseName: String
        var versionNumber: Int
        var shortCode: String
        var commitments: [String]
        var signedAt: String?
        var locked: Bool
        var codeSentTo: String?
        var codeExpiresAt: String?
        var notice: String?
        /// Whether the instance trusts authorities to check an e.firma against, so it can be offered.
        var efirma: Bool
    }

    /// Opening the link shows the plan and sends the one-time code (unless a fresh one is on its way).
    func signingPage(req: Request, _: Authorized) async throws -> Response {
        let token = req.parameters.get("token") ?? ""
        let signature = try await SigningOperations.signature(token: token, on: req.useCases)
        var code: SigningCodeDTO?
        var errors: [FieldError] = []
        if signature.signedAt == nil, !signature.isLocked, signature.planVersion.sealedAt == nil {
            do { code = try await SigningOperations.sendCode(token: token, on: req.useCases) } catch let error as CocreaError {
                errors = [FieldError(field: "code", message: error.message(req.words))]
            }
        }
        return try await render(token: token, code: code, errors: errors, on: req)
    }

    func resendCode(req: Request, _: Authorized) async throws -> Response {
        let token = req.parameters.get("token") ?? ""
        do {
            let code = try await SigningOperations.sendCode(token: token, on: req.useCases)
            return try await render(token: token, code: code, notice: req.words["signCodeSent"], on: req)
        } catch let error as CocreaError where error.status < 500 && error.code != ErrorCode.signingLinkNotFound.rawValue {
            return try await render(
                token: token, errors: [FieldError(field: "code", message: error.message(req.words))],
                status: HTTPStatus(statusCode: error.status), on: req)
        }
    }

    func sign(req: Request, _: Authorized) async throws -> Response {
        let token = req.parameters.get("token") ?? ""
        let input = (try? req.content.decode(SigningInput.self)) ?? SigningInput(code: nil)
        do {
            let signed = try await SigningOperations.sign(token: token, input: input, from: req.signingClient, on: req.useCases)
            let notice = req.words[signed.sealed ? "signSignedSealed" : "signSigned"]
            return try await render(token: token, notice: notice, on: req)
        } catch let error as CocreaError where error.status < 500 && error.code != ErrorCode.signingLinkNotFound.rawValue {
            return try await render(
                token: token, errors: fieldErrors(error, otherwise: "code", on: req), status: HTTPStatus(statusCode: error.status), on: req)
        }
    }

    func signWithEFirma(req: Request, _: Authorized) async throws -> Response {
        let token = req.parameters.get("token") ?? ""
        do {
            let signed = try await SigningOperations.signWithEFirma(
                token: token, input: SigningAPI.EFirmaUpload.input(from: req), from: req.signingClient, on: req.useCases)
            let notice = req.words[signed.sealed ? "signSignedSealed" : "signSignedEFirma"]
            return try await render(token: token, notice: notice, on: req)
        } catch let error as CocreaError where error.status < 500 && error.code != ErrorCode.signingLinkNotFound.rawValue {
            return try await render(
                token: token, errors: fieldErrors(error, otherwise: "certificate", on: req), status: HTTPStatus(statusCode: error.status), on: req)
        }
    }

    /// A refusal as the signing page shows it: every field it names gets its whole message, else `field` does.
    private func fieldErrors(_ error: CocreaError, otherwise field: String, on req: Request) -> [FieldError] {
        error.fieldErrors.isEmpty
            ? [FieldError(field: field, message: error.message(req.words))]
            : error.fieldErrors.map { FieldError(field: $0.field, message: error.message(req.words)) }
    }

    private func render(
        token: String, code: SigningCodeDTO? = nil, notice: String? = nil, errors: [FieldError] = [],
        status: HTTPStatus = .ok, on req: Request
    ) async throws -> Response {
        let signature = try await SigningOperations.signature(token: token, on: req.useCases)
        let version = signature.planVersion
        let zone = try await SigningOperations.zone(of: version, on: req.useCases)
        let content = try JSONDecoder().decode(PlanVersionOperations.Content.self, from: Data(version.content.utf8))
        let expires = code?.expiresAt ?? signature.codeExpiresAt
        let body = SignBody(
            token: token, memberName: signature.member.name, exerciseName: content.exercise.name, versionNumber: version.number,
            shortCode: "PAL v\(version.number) · \(version.sha256.prefix(8).uppercased())",
            commitments: content.commitments.map { "\($0.category.label(req.language)): \($0.title)" },
            signedAt: signature.signedAt.map { req.words.dateTime($0, in: zone) }, locked: signature.isLocked,
            codeSentTo: signature.signedAt == nil && expires != nil ? SigningOperations.masked(signature.member.email) : nil,
            codeExpiresAt: expires.map { req.words.dateTime($0, in: zone) }, notice: notice,
            efirma: req.application.storage[TrustKey.self] != nil)
        return try await Page.render(Templates.sign, title: req.words["signTitle"], body, errors: errors, status: status, on: req)
    }

    // MARK: /verify

    struct VerifyBody: Encodable, Sendable {
        var checked: Bool
        var authentic: Bool
        var message: String
        var sha256: String
        var planVersionId: String?
        /// The sealed PDF of the progress report the file is, to read it whole.
        var progressReportPdf: String?
        var signers: [SignerRow]
        /// The seal's RFC 3161 timestamp, its time and authority, when the checked file carries one.
        var timestamp: String? = nil
        /// An uploaded file's PDF signatures in the order they were made (each e.firma, the seal last).
        var fileSignatures: [FileSignatureRow] = []
    }

    /// One PDF signature of an uploaded file, in words: whose, how, what it covers and whether it holds.
    struct FileSignatureRow: Encodable, Sendable {
        var name, how, covers, intact, after: String
        var timestamp: String?
    }

    struct SignerRow: Encodable, Sendable {
        var name, sector, organization, signedAt: String
        /// How they signed; with an e.firma, the certificate's RFC, serial and issuer.
        var how: String
    }

    func verifyPage(req: Request, _: Authorized) async throws -> Response {
        guard let sha256 = req.query[String.self, at: "sha256"], !sha256.isEmpty else {
            return try await Page.render(Templates.verify, title: req.words["verifyTitle"], verifyBody(nil, on: req), on: req)
        }
        do {
            let result = try await VerificationOperations.verify(sha256: sha256.trimmingCharacters(in: .whitespaces), on: req.useCases)
            return try await Page.render(
                Templates.verify, title: req.words["verifyTitle"], verifyBody(result, on: req), on: req)
        } catch let error as CocreaError where error.status == 422 {
            return try await Page.render(
                Templates.verify, title: req.words["verifyTitle"], verifyBody(nil, on: req),
                errors: error.fieldErrors, status: .unprocessableEntity, on: req)
        }
    }

    func verifyUpload(req: Request, _: Authorized) async throws -> Response {
        guard let file = (try? req.content.decode(SigningAPI.PaperCopyForm.self))?.file, file.data.readableBytes > 0 else {
            return try await Page.render(
                Templates.verify, title: req.words["verifyTitle"], verifyBody(nil, on: req),
                errors: [FieldError(field: "file", message: req.words["verifyChooseFile"])],
                status: .unprocessableEntity, on: req)
        }
        do {
            let result = try await VerificationOperations.verify(file: Data(file.data.readableBytesView), on: req.useCases)
            return try await Page.render(
                Templates.verify, title: req.words["verifyTitle"], verifyBody(result, fileSize: file.data.readableBytes, on: req), on: req)
        } catch let error as CocreaError where error.code == ErrorCode.pdfUnreadable.rawValue {
            return try await Page.render(
                Templates.verify, title: req.words["verifyTitle"], verifyBody(nil, on: req),
                errors: error.fieldErrors, status: .unprocessableEntity, on: req)
        }
    }

    struct VersionBody: Encodable, Sendable {
        var id: String
        var exerciseName: String
        var territory: String
        var versionNumber: Int
        var sha256: String
        var frozenAt: String
        var sealed: Bool
        var sealedAt: String?
        var sealedSha256: String?
        /// `sealedAt` is the time-stamping authority's, not the server's.
        var sealedByAuthority = false
        var signers: [SignerRow]
    }

    /// Where the QR code on every page of the PAL leads.
    func versionPage(req: Request, _: Authorized) async throws -> Response {
        let (version, exercise, signers) = try await VerificationOperations.sealedVersion(
            req.parameters.get("planVersionID", as: UUID.self), on: req.useCases)
        let body = VersionBody(
            id: try version.requireID().uuidString.lowercased(), exerciseName: exercise.name, territory: exercise.territory, versionNumber: version.number,
            sha256: version.sha256, frozenAt: req.words.dateTime(version.frozenAt, in: exercise.zone), sealed: version.sealedAt != nil,
            sealedAt: version.sealedAt.map { req.words.dateTime($0, in: exercise.zone) }, sealedSha256: version.sealedSHA256,
            sealedByAuthority: try await TimestampOperations.sealStamped(version, on: req.useCases.db),
            signers: signers.map {
                row(
                    $0.name, $0.sector, $0.organization, $0.signedAt, how: how($0.method, rfc: $0.rfc, issuer: $0.issuer, serial: $0.serial, on: req),
                    in: exercise.zone, on: req)
            })
        return try await Page.render(Templates.planVersion, title: req.words["versionPageTitle", ["number": "\(version.number)"]], body, on: req)
    }

    /// The result in the reader's language: an authentic plan is named from this instance's records.
    private func verifyBody(_ result: VerificationDTO?, fileSize: Int = 0, on req: Request) async throws -> VerifyBody {
        guard let result else {
            return VerifyBody(
                checked: false, authentic: false, message: "", sha256: "", planVersionId: nil, progressReportPdf: nil, signers: [])
        }
        var zone = TimeZone(identifier: "America/Mexico_City")!
        var message = result.message(req.words)
        if let id = result.planVersionId, let found = try await VerificationOperations.version(id, on: req.useCases) {
            zone = found.exercise.zone
            if result.authentic {
                message = req.words.count(
                    "verifyAuthentic", result.signers.count, ["exercise": found.exercise.name, "version": "\(found.version.number)"])
            }
        }
        return VerifyBody(
            checked: true, authentic: result.authentic, message: message, sha256: result.sha256,
            planVersionId: result.planVersionId?.uuidString.lowercased(), progressReportPdf: result.progressReportId.map(ProgressReportOperations.pdfPath),
            signers: result.signers.map {
                var said = how($0.method, rfc: $0.rfc, issuer: $0.issuer, serial: $0.serial, on: req)
                if let stamp = $0.timestamp {
                    said += " " + req.words["verifySignerTimestamp", ["time": req.words.dateTime(stamp.time, in: zone), "authority": stamp.authority]]
                }
                if $0.method == "efirma" {
                    said +=
                        " "
                        + ($0.revocationCheckedAt.map { req.words["verifySignerRevocationChecked", ["time": req.words.dateTime($0, in: zone)]] }
                            ?? req.words["verifySignerRevocationUnchecked"])
                }
                return row($0.name, $0.sector, $0.organization, $0.signedAt, how: said, in: zone, on: req)
            },
            timestamp: result.timestamp.map {
                req.words["verifySealTimestamp", ["time": req.words.dateTime($0.time, in: zone), "authority": $0.authority]]
            },
            fileSignatures: (result.signatures ?? []).map { fileSignatureRow($0, fileSize: fileSize, in: zone, on: req) })
    }

    private func fileSignatureRow(_ signature: VerificationPDFSignatureDTO, fileSize: Int, in zone: TimeZone, on req: Request) -> FileSignatureRow {
        let words = req.words
        let seal = signature.method == "seal"
        let documentTimestamp = signature.method == "documentTimestamp"
        // An e.firma's time may be its own token's or that of a later one covering it: the row says which.
        let timestampKey =
            switch signature.timestampSource {
            case "signature": "verifyFileSignatureTimestampOwn"
            case "documentTimestamp": "verifyFileSignatureTimestampDocument"
            case "seal": "verifyFileSignatureTimestampSeal"
            default: "verifyFileSignatureTimestamp"
            }
        return FileSignatureRow(
            name: seal
                ? words["verifyFileSignatureSeal", ["name": signature.name]]
                : documentTimestamp
                    ? words["verifyFileSignatureDocumentTimestamp"]
                    : signature.name.isEmpty ? words["verifyFileSignatureUnidentified"] : signature.name,
            how: seal
                ? words["verifyFileSignatureSealHow"]
                : documentTimestamp
                    ? words["verifyFileSignatureDocumentTimestampHow"]
                    : how(signature.method, rfc: signature.rfc, issuer: signature.issuer, serial: signature.serial, on: req),
            covers: words["verifyFileSignatureCovers", ["bytes": "\(signature.coversUpTo)", "total": "\(fileSize)"]],
            intact: words[signature.intact ? "verifyFileSignatureIntact" : "verifyFileSignatureBroken"],
            after: words[signature.modifiedAfter ? "verifyFileSignatureModifiedAfter" : "verifyFileSignatureNothingAfter"],
            timestamp: signature.timestamp.map {
                words[timestampKey, ["time": words.dateTime($0.time, in: zone), "authority": $0.authority]]
            })
    }

    private func row(
        _ name: String, _ sector: Sector, _ organization: String, _ signedAt: Date, how: String, in zone: TimeZone, on req: Request
    ) -> SignerRow {
        SignerRow(
            name: name, sector: sector.label(req.language), organization: organization, signedAt: req.words.dateTime(signedAt, in: zone), how: how)
    }

    /// `method` as stored ("electronic") or as verification names it ("emailCode").
    private func how(_ method: String, rfc: String?, issuer: String?, serial: String?, on req: Request) -> String {
        switch method {
        case "efirma": req.words["signedWithEFirma", ["rfc": rfc ?? "—", "serial": serial ?? "—", "issuer": issuer ?? "—"]]
        case "paper": req.words["signedOnPaper"]
        default: req.words["signedWithCode"]
        }
    }
}
