import AsyncHTTPClient
import CocreaCore
import CocreaDocuments
import CocreaStore
import FluentKit
import Foundation
import Logging
import NIOPosix
import SQLKit

/// The signing copy (docs/decisions.md §17): the PAL is rendered once, with read-only fields where the
/// signatures will show, and every signature and the seal append one incremental update to its newest
/// revision, so each PDF signature covers everything before it and stays intact after the next.
extension SigningOperations {
    /// The newest revision of `version`'s signing copy and the field values that `marking` (signatures
    /// just made in this transaction) put in it. A copy rendered now (the first signature, or a version
    /// whose signatures came before signing copies) also gets the values of every signature made before.
    static func signingCopy(
        of version: PlanVersion, marking marked: Set<UUID>, baseURL: String, threadPool: NIOThreadPool, on tx: Database
    ) async throws -> (pdf: Data, values: [String: String]) {
        try await lockSigningCopy(of: version, on: tx)
        let pdf: Data
        let rendered: Bool
        if let id = version.$signingFile.id, let stored = try await StoredFile.find(id, on: tx) {
            pdf = stored.data
            rendered = false
        } else {
            let document = try await PlanDocumentOperations.document(of: version, baseURL: baseURL, on: tx)
            pdf = try await threadPool.runIfActive {
                let (drawn, fields) = try PlanPDF.renderSigningCopy(document)
                return try PDFForm.addingFields(
                    fields.map { PDFFieldBox(name: $0.name, page: $0.page, x: $0.x, y: $0.y, width: $0.width, height: $0.height) }, to: drawn)
            }
            rendered = true
        }
        let zone = try await Exercise.find(version.$exercise.id, on: tx)?.zone ?? TimeZone(identifier: "America/Mexico_City")!
        let signatures = try await Signature.query(on: tx).filter(\.$planVersion.$id == version.requireID()).filter(\.$signedAt != nil)
            .with(\.$member).all()
        let pages = try PDFPageCount.pages(in: pdf)
        var values: [String: String] = [:]
        for signature in signatures where rendered || signature.id.map(marked.contains) == true {
            let key = PlanDocumentOperations.fieldKey(of: signature.$member.id)
            // A member who joined after the copy was laid out has no boxes in it; their signature still counts.
            guard PlanPDF.hasField(PlanPDF.FieldName.signature(key), in: pdf) else { continue }
            values.merge(fieldValues(of: signature, key: key, pages: pages, zone: zone)) { $1 }
        }
        return (pdf, values)
    }

    /// On PostgreSQL, writes run side by side: two actors signing at once would both build on the same
    /// revision and the later save would drop the other's signature. The version's row is locked until
    /// this transaction ends, and its newest revision read again once the lock is held (sealed meanwhile:
    /// refused, as before the lock).
    static func lockSigningCopy(of version: PlanVersion, on tx: Database) async throws {
        guard let sql = tx as? any SQLDatabase, sql.dialect.name == "postgresql" else { return }
        struct Row: Decodable {
            let signing_file_id: UUID?
            let sealed_at: Date?
        }
        let row = try await sql.raw("SELECT signing_file_id, sealed_at FROM plan_versions WHERE id = \(bind: try version.requireID()) FOR UPDATE")
            .first(decoding: Row.self)
        guard row?.sealed_at == nil else { throw CocreaError.alreadySealed }
        version.$signingFile.id = row?.signing_file_id
    }

    /// Keeps `pdf` as the newest revision of the signing copy; the revision before is contained in it.
    static func keepSigningCopy(_ pdf: Data, of version: PlanVersion, on tx: Database) async throws {
        let stored = StoredFile(
            name: "pal-v\(version.number)-en-firma.pdf", mediaType: "application/pdf", data: pdf, sha256: Hashing.sha256Hex(pdf))
        try await stored.create(on: tx)
        let previous = version.$signingFile.id
        version.$signingFile.id = stored.id
        try await version.save(on: tx)
        if let previous { try await StoredFile.query(on: tx).filter(\.$id == previous).delete() }
    }

    /// Fills the fields of the signatures just made (`marking`) in a new revision of the signing copy.
    static func markSigningCopy(
        of version: PlanVersion, marking marked: Set<UUID>, baseURL: String, threadPool: NIOThreadPool, on tx: Database
    ) async throws {
        let (pdf, values) = try await signingCopy(of: version, marking: marked, baseURL: baseURL, threadPool: threadPool, on: tx)
        guard !values.isEmpty else { return }
        try await keepSigningCopy(try await threadPool.runIfActive { try PDFForm.filling(values, in: pdf) }, of: version, on: tx)
    }

    /// What one signature shows: the actor's initials and time in their box on every page, the line at
    /// the foot, and their row of the certificate page (with an e.firma, its certificate).
    private static func fieldValues(of signature: Signature, key: String, pages: Int, zone: TimeZone) -> [String: String] {
        guard let signedAt = signature.signedAt else { return [:] }
        let words = Language.es.words
        let time = MexicanFormat.numeric(signedAt, in: zone)
        let line = words["pdfPlanSignedAt", ["signedAt": time, "method": PlanDocumentOperations.methodLabel(signature.method, rfc: signature.certificateRFC)]]
        var row = line
        if signature.method == "efirma", let serial = signature.certificateSerial, let issuer = signature.certificateIssuer {
            row += "\n" + words["pdfPlanEFirmaCertificate", ["serial": serial, "issuer": issuer]]
        }
        var values = [PlanPDF.FieldName.signature(key): line, PlanPDF.FieldName.certificateRow(key): row]
        let initials = "\(PlanDocument.initials(of: signature.member.name))\n\(time)"
        for page in 1...max(pages, 1) { values[PlanPDF.FieldName.initials(key, page: page)] = initials }
        return values
    }

    /// The signing copy as the seal signs it: its newest revision with the certificate page's sealing
    /// line (the server's time; the trusted time is the timestamp's) and log filled in.
    static func sealingCopy(
        of version: PlanVersion, shortCode: String, certificate: PlanDocument.Certificate, baseURL: String, threadPool: NIOThreadPool, on tx: Database
    ) async throws -> Data {
        let (pdf, marks) = try await signingCopy(of: version, marking: [], baseURL: baseURL, threadPool: threadPool, on: tx)
        var values = marks
        values[PlanPDF.FieldName.sealing] = Language.es.words["pdfPlanSealedServerTime", ["shortCode": shortCode, "sealedAt": certificate.sealedAt]]
        values[PlanPDF.FieldName.log] = certificate.events.joined(separator: "\n")
        let filled = values
        return try await threadPool.runIfActive { try PDFForm.filling(filled, in: pdf) }
    }
}

extension SigningOperations {
    /// `pdf` with a timestamp on its last signature when the authority answers within its bound, and as
    /// it is otherwise: the signature's timestamp request then dates it in the signing copy once the
    /// authority answers (`TimestampOperations.datingSigningCopy`).
    static func stampingLastSignature(
        _ pdf: Data, by authority: TimestampAuthority?, client: HTTPClient, at now: Date, logger: Logger
    ) async -> Data {
        guard let authority else { return pdf }
        do {
            let token = try await authority.stamp(
                try PDFSeal.signatureValue(in: pdf), client: client, at: now, timeoutSeconds: TimestampAuthority.inlineTimeoutSeconds)
            return try PDFSeal.addingTimestamp(token, to: pdf)
        } catch {
            logger.warning("efirma.timestampDeferred", metadata: ["error": "\(error)"])
            return pdf
        }
    }
}
