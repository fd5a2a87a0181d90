import CocreaCore
import CocreaDocuments
import CocreaStore
import FluentKit
import Foundation

/// An RFC 3161 timestamp a signature carries: the time it states and the authority (its certificate's subject).
package struct VerificationTimestampDTO: Codable, Sendable, Equatable {
    package var time: Date
    package var authority: String

    package init(_ token: TimeStamp.Token) {
        time = token.time
        authority = token.authority
    }
}

package struct VerificationSignerDTO: Codable, Sendable {
    package var name: String
    package var sector: Sector
    package var organization: String
    package var signedAt: Date
    /// How they signed: "efirma", "emailCode" or "paper".
    package var method: String
    /// With an e.firma: the certificate's RFC, issuing authority and serial number (hexadecimal).
    package var rfc: String?
    package var issuer: String?
    package var serial: String?
    /// With an e.firma stamped by the configured TSA: its timestamp, known from the signature kept here.
    package var timestamp: VerificationTimestampDTO?
    /// With an e.firma known here: when its authority's OCSP responder said the certificate was not revoked;
    /// absent when revocation was not checked.
    package var revocationCheckedAt: Date?

    package init(
        name: String, sector: Sector, organization: String, signedAt: Date, method: String, rfc: String? = nil, issuer: String? = nil,
        serial: String? = nil, timestamp: VerificationTimestampDTO? = nil, revocationCheckedAt: Date? = nil
    ) {
        self.name = name
        self.sector = sector
        self.organization = organization
        self.signedAt = signedAt
        self.method = method
        self.rfc = rfc
        self.issuer = issuer
        self.serial = serial
        self.timestamp = timestamp
        self.revocationCheckedAt = revocationCheckedAt
    }
}

package struct VerificationDTO: Codable, Sendable {
    package var authentic: Bool
    package var planVersionId: UUID?
    /// Set when the file is a progress report sealed by this instance rather than a PAL.
    package var progressReportId: UUID?
    package var sha256: String
    package var signers: [VerificationSignerDTO]
    /// The seal's trusted time, when the checked file's seal carries a valid RFC 3161 token.
    package var timestamp: VerificationTimestampDTO?
    /// A checked file's PDF signatures in the order they were made (each actor's e.firma, the seal last);
    /// absent when a fingerprint was looked up.
    package var signatures: [VerificationPDFSignatureDTO]?
    /// What was found, for a person: a text of the catalogue, encoded as `message` in the answer's language.
    package var text: ErrorText

    package init(
        authentic: Bool, planVersionId: UUID? = nil, progressReportId: UUID? = nil, sha256: String, signers: [VerificationSignerDTO],
        timestamp: VerificationTimestampDTO? = nil, text: ErrorText
    ) {
        self.authentic = authentic
        self.planVersionId = planVersionId
        self.progressReportId = progressReportId
        self.sha256 = sha256
        self.signers = signers
        self.timestamp = timestamp
        self.text = text
    }

    package func message(_ words: Words) -> String { text.rendered(words) }

    /// The message in Spanish, the reference language (the command line, the tests).
    package var message: String { message(Catalogue.reference.words) }

    private enum CodingKeys: String, CodingKey { case authentic, planVersionId, progressReportId, sha256, signers, timestamp, signatures, message }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            authentic: try container.decode(Bool.self, forKey: .authentic),
            planVersionId: try container.decodeIfPresent(UUID.self, forKey: .planVersionId),
            progressReportId: try container.decodeIfPresent(UUID.self, forKey: .progressReportId),
            sha256: try container.decode(String.self, forKey: .sha256), signers: try container.decode([VerificationSignerDTO].self, forKey: .signers),
            timestamp: try container.decodeIfPresent(VerificationTimestampDTO.self, forKey: .timestamp),
            text: ErrorText(written: try container.decode(String.self, forKey: .message)))
        signatures = try container.decodeIfPresent([VerificationPDFSignatureDTO].self, forKey: .signatures)
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(authentic, forKey: .authentic)
        try container.encodeIfPresent(planVersionId, forKey: .planVersionId)
        try container.encodeIfPresent(progressReportId, forKey: .progressReportId)
        try container.encode(sha256, forKey: .sha256)
        try container.encode(signers, forKey: .signers)
        try container.encodeIfPresent(timestamp, forKey: .timestamp)
        try container.encodeIfPresent(signatures, forKey: .signatures)
        try container.encode(message(encoder.words), forKey: .message)
    }
}

/// Whether a file is a sealed PAL or progress report of this instance: by its embedded PDF signature (the
/// file itself, whose manifest says which it is) or by its SHA-256 (looked up among the sealed versions and
/// the issued reports).
package enum VerificationOperations {
    /// Checks a file against this instance's certificate.
    package static func verify(file: Data, on ctx: UseCaseContext) async throws -> VerificationDTO {
        let result = await PDFSeal.verify(file, trusting: ctx.identity.certificate)
        guard result.readable else {
            throw CocreaError.pdfUnreadable(result.problem)
        }
        if result.authentic, let manifestData = result.manifest,
            let report = try? JSONDecoder.iso8601.decode(ProgressReportManifest.self, from: manifestData)
        {
            return VerificationDTO(
                authentic: true, planVersionId: nil, progressReportId: report.progressReportId, sha256: result.sha256, signers: [],
                text: text(for: report))
        }
        let sealName = ctx.identity.commonName
        let threadPool = ctx.threadPool
        // Off the event loop: each signature is checked over the bytes it covers.
        func signatures(sealIntact: Bool, sealTimestamp: VerificationTimestampDTO?) async throws -> [VerificationPDFSignatureDTO] {
            try await threadPool.runIfActive { pdfSignatures(in: file, sealName: sealName, sealIntact: sealIntact, sealTimestamp: sealTimestamp) }
        }
        guard result.authentic, let manifestData = result.manifest,
            let manifest = try? JSONDecoder.iso8601.decode(SealManifest.self, from: manifestData)
        else {
            var refused = VerificationDTO(
                authentic: false, planVersionId: nil, sha256: result.sha256, signers: [],
                text: result.problem ?? ErrorText(key: "problemSealMissing"))
            refused.signatures = try await signatures(sealIntact: false, sealTimestamp: nil)
            return refused
        }
        let stamps = try await efirmaTimestamps(of: manifest.planVersionId, on: ctx.db)
        let revocations = try await efirmaRevocations(of: manifest.planVersionId, on: ctx.db)
        // The token sits in the CMS's unsigned attributes, which the seal does not cover: anyone could put
        // their own authority's token into a genuine copy. Only the file this instance sealed, with the
        // token its configured authority gave it, has a time worth naming.
        let issued = try await PlanVersion.find(manifest.planVersionId, on: ctx.db)?.sealedSHA256 == result.sha256
        let sealTimestamp = issued ? result.timestamp.map(VerificationTimestampDTO.init) : nil
        var verified = VerificationDTO(
            authentic: true, planVersionId: manifest.planVersionId, sha256: result.sha256,
            signers: manifest.signers.map { signer($0, stamps: stamps, revocations: revocations) },
            timestamp: sealTimestamp, text: text(for: manifest))
        verified.signatures = try await signatures(sealIntact: true, sealTimestamp: sealTimestamp)
        return verified
    }

    /// The timestamps of a version's e.firma signatures as kept here, by certificate serial; the sealed
    /// file does not carry their CMS.
    private static func efirmaTimestamps(of planVersionID: UUID, on db: Database) async throws -> [String: VerificationTimestampDTO] {
        let signatures = try await Signature.query(on: db).filter(\.$planVersion.$id == planVersionID).filter(\.$method == "efirma").all()
        var stamps: [String: VerificationTimestampDTO] = [:]
        for signature in signatures {
            if let serial = signature.certificateSerial, let cms = signature.efirmaCMS, let token = TimeStamp.stamp(in: Array(cms)) {
                stamps[serial] = VerificationTimestampDTO(token)
            }
        }
        return stamps
    }

    /// When each of a version's e.firma certificates was found not revoked by OCSP, by serial.
    private static func efirmaRevocations(of planVersionID: UUID, on db: Database) async throws -> [String: Date] {
        let signatures = try await Signature.query(on: db).filter(\.$planVersion.$id == planVersionID).filter(\.$method == "efirma").all()
        var checked: [String: Date] = [:]
        for signature in signatures {
            if let serial = signature.certificateSerial, let instant = signature.revocationCheckedAt { checked[serial] = instant }
        }
        return checked
    }

    /// The plan version a verification named, with its exercise; none when either is gone.
    package static func version(_ id: UUID, on ctx: UseCaseContext) async throws -> (version: PlanVersion, exercise: Exercise)? {
        guard let version = try await PlanVersion.find(id, on: ctx.db), let exercise = try await Exercise.find(version.$exercise.id, on: ctx.db) else {
            return nil
        }
        return (version, exercise)
    }

    /// A sealed version as the page its QR code leads to shows it. Only a sealed version is public: an
    /// unsigned one would tell anyone the exercise behind an id.
    package static func sealedVersion(_ id: UUID?, on ctx: UseCaseContext) async throws -> (PlanVersion, Exercise, signers: [SealManifest.Signer]) {
        guard let id, let version = try await PlanVersion.find(id, on: ctx.db), version.sealedAt != nil,
            let exercise = try await Exercise.find(version.$exercise.id, on: ctx.db)
        else {
            throw CocreaError.notFound(.sealedPlan)
        }
        return (version, exercise, try await SigningOperations.signers(of: version, on: ctx.db))
    }

    /// Looks a SHA-256 up among the issued progress reports and the sealed versions.
    package static func verify(sha256: String, on ctx: UseCaseContext) async throws -> VerificationDTO {
        let db = ctx.db
        let hash = sha256.lowercased()
        guard hash.count == 64, hash.allSatisfy(\.isHexDigit) else {
            throw CocreaError.sha256Malformed
        }
        if let report = try await ProgressReportOperations.sealed(sha256: hash, on: db) {
            return VerificationDTO(
                authentic: true, planVersionId: nil, progressReportId: report.id, sha256: hash, signers: [],
                text: text(
                    for: ProgressReportManifest(
                        progressReportId: report.id, exercise: report.report.exercise, kind: report.kind, number: report.number,
                        issuedAt: report.issuedAt, planVersionId: report.report.planVersionId, reportSha256: report.sha256)))
        }
        guard let version = try await PlanVersion.query(on: db).filter(\.$sealedSHA256 == hash).first(),
            let exercise = try await Exercise.find(version.$exercise.id, on: db)
        else {
            return VerificationDTO(
                authentic: false, planVersionId: nil, sha256: hash, signers: [],
                text: ErrorText(key: "verifyUnknownHash"))
        }
        let signers = try await SigningOperations.signers(of: version, on: db)
        let stamps = try await efirmaTimestamps(of: version.requireID(), on: db)
        let revocations = try await efirmaRevocations(of: version.requireID(), on: db)
        let manifest = SealManifest(
            planVersionId: try version.requireID(), exercise: exercise.name, versionNumber: version.number,
            versionSha256: version.sha256, sealedAt: version.sealedAt ?? version.frozenAt, signers: signers)
        return VerificationDTO(
            authentic: true, planVersionId: manifest.planVersionId, sha256: hash, signers: signers.map { signer($0, stamps: stamps, revocations: revocations) },
            text: text(for: manifest))
    }

    private static func text(for report: ProgressReportManifest) -> ErrorText {
        ErrorText(
            key: "progressReportVerified",
            values: [
                "number": .number(report.number), "exercise": .text(report.exercise),
                "issuedAt": .text(MexicanFormat.numeric(report.issuedAt, in: TimeZone(identifier: "America/Mexico_City")!)),
            ])
    }

    private static func signer(
        _ signer: SealManifest.Signer, stamps: [String: VerificationTimestampDTO], revocations: [String: Date]
    ) -> VerificationSignerDTO {
        VerificationSignerDTO(
            name: signer.name, sector: signer.sector, organization: signer.organization, signedAt: signer.signedAt,
            method: signer.method == "electronic" ? "emailCode" : signer.method, rfc: signer.rfc, issuer: signer.issuer, serial: signer.serial,
            timestamp: signer.serial.flatMap { stamps[$0] }, revocationCheckedAt: signer.serial.flatMap { revocations[$0] })
    }

    private static func text(for manifest: SealManifest) -> ErrorText {
        ErrorText(
            key: "verifyAuthentic" + (manifest.signers.count == 1 ? "One" : "Other"),
            values: ["exercise": .text(manifest.exercise), "version": .number(manifest.versionNumber), "count": .number(manifest.signers.count)])
    }

    /// `cocrea verify`: checks a file with no server and no database; returns the report and whether it is authentic.
    package static func offlineReport(file: Data, certificatePEM: String) async throws -> (report: String, authentic: Bool) {
        let certificate = try InstanceIdentity.certificate(pem: certificatePEM)
        let result = await PDFSeal.verify(file, trusting: certificate)
        let spanish = Catalogue.reference.words
        if result.authentic, let data = result.manifest, let report = try? JSONDecoder.iso8601.decode(ProgressReportManifest.self, from: data) {
            return (
                "AUTÉNTICO — \(text(for: report).rendered(spanish))\nSHA-256 del archivo: \(result.sha256)\nSHA-256 del contenido del informe: \(report.reportSha256)",
                true
            )
        }
        guard result.authentic, let data = result.manifest, let manifest = try? JSONDecoder.iso8601.decode(SealManifest.self, from: data) else {
            let lines = [
                "NO AUTÉNTICO — \((result.problem ?? ErrorText(key: "problemSealMissing")).rendered(spanish))", "SHA-256 del archivo: \(result.sha256)",
            ]
            return ((lines + signatureLines(pdfSignatures(in: file, sealName: "Cocrea", sealIntact: false, sealTimestamp: nil))).joined(separator: "\n"), false)
        }
        var lines = [
            "AUTÉNTICO — \(text(for: manifest).rendered(spanish))",
            "SHA-256 del archivo: \(result.sha256)",
            "Versión \(manifest.versionNumber) (\(manifest.planVersionId.uuidString.lowercased())), SHA-256 del contenido: \(manifest.versionSha256)",
        ]
        if let timestamp = result.timestamp {
            // Offline there is no sealed file to compare with, and the token is not covered by the seal.
            lines.append(
                "Sello de tiempo (sin comprobar; no lo cubre la firma): \(ISO8601DateFormatter().string(from: timestamp.time)), autoridad \(timestamp.authority)"
            )
        }
        lines.append("Firmas:")
        for signer in manifest.signers {
            lines.append(
                "  • \(signer.name) — \(signer.sector.label(.es)), \(signer.organization) — \(ISO8601DateFormatter().string(from: signer.signedAt)) (\(PlanDocumentOperations.methodLabel(signer.method, rfc: signer.rfc)))"
            )
            if let serial = signer.serial, let issuer = signer.issuer {
                lines.append("    certificado \(serial), emitido por \(issuer)")
            }
        }
        lines += signatureLines(pdfSignatures(in: file, sealName: "Cocrea", sealIntact: true, sealTimestamp: nil))
        return (lines.joined(separator: "\n"), true)
    }

    /// The file's PDF signatures as `cocrea verify` lists them, one line each, in the order they were made.
    private static func signatureLines(_ signatures: [VerificationPDFSignatureDTO]) -> [String] {
        guard !signatures.isEmpty else { return [] }
        return ["Firmas PDF del archivo:"]
            + signatures.map { signature in
                let who =
                    signature.method == "seal"
                    ? "sello de la instancia"
                    : signature.method == "documentTimestamp"
                        ? "sello de tiempo del documento (RFC 3161, sobre todo lo anterior)"
                        : signature.name.isEmpty
                            ? "e.firma sin identificar (el archivo no es uno que esta instancia selló)"
                            : "e.firma de \(signature.name), RFC \(signature.rfc ?? "—"), certificado \(signature.serial ?? "—")"
                let state = signature.intact ? "íntegra" : "NO ÍNTEGRA"
                let after = signature.modifiedAfter ? "; el archivo sigue después (firmas o datos posteriores)" : "; nada se agregó después"
                let whose =
                    switch signature.timestampSource {
                    case "signature": " propio"
                    case "documentTimestamp": " del documento que la cubre"
                    case "seal": " del sello, que la cubre"
                    default: ""
                    }
                let time = signature.timestamp.map { "; sello de tiempo\(whose) \(ISO8601DateFormatter().string(from: $0.time)), \($0.authority)" } ?? ""
                return "  • \(who) — \(state), cubre hasta el byte \(signature.coversUpTo)\(after)\(time)"
            }
    }
}

extension JSONDecoder {
    package static var iso8601: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
