import CocreaCore
import CocreaDocuments
import CocreaStore
import FluentKit
import Foundation

/// Trusted time for the e.firma PDF signatures the authority did not stamp while their actor signed
/// (docs/decisions.md §17): the queue dates them in the signing copy once it answers. A signature that is
/// still the copy's newest revision gets its token in place, since nothing after it exists yet; once
/// anything follows, one document timestamp after it all dates every undated signature and what the
/// revisions between filled in. Nothing is appended after the seal: a version whose seal waits is dated
/// when the seal's own request completes, and the seal is made again over it.
extension TimestampOperations {
    /// A revision of a version's signing copy that dates its undated e.firma signatures, made from the
    /// revision `basedOn` outside any transaction (the authority was asked meanwhile).
    struct DatedCopy: Sendable {
        let versionID: UUID
        let basedOn: UUID
        let pdf: Data
        let token: TimeStamp.Token
        /// The signature fields it dates.
        let fields: [String]
        /// Whether the token went into the last signature's own CMS rather than a document timestamp.
        let inPlace: Bool
    }

    /// The signing copy gained a revision while the authority was asked: stamping what it was then would
    /// drop that revision, so the request is tried again soon over the new one.
    struct SigningCopyMoved: Error, CustomStringConvertible {
        var description: String { "la copia en firma cambió mientras se pedía su sello de tiempo; se intentará de nuevo sobre la nueva revisión" }
    }

    /// The dated revision of `versionID`'s signing copy, when it has e.firma signatures without a
    /// timestamp and nothing waits to be appended after them (`whileSealWaits` for the seal's own request).
    static func datingSigningCopy(
        of versionID: UUID, whileSealWaits: Bool = false, with authority: TimestampAuthority, on ctx: UseCaseContext
    ) async throws -> DatedCopy? {
        guard let version = try await PlanVersion.find(versionID, on: ctx.db), version.sealedAt == nil,
            whileSealWaits ? try await sealPending(version, on: ctx.db) : !(try await hasSealRequest(versionID, on: ctx.db)),
            let copyID = version.$signingFile.id, let copy = try await StoredFile.find(copyID, on: ctx.db)
        else { return nil }
        let pdf = copy.data
        let read: (signatures: [PDFEmbeddedSignature], undated: [PDFEmbeddedSignature])
        do {
            read = try await ctx.threadPool.runIfActive {
                let signatures = try PDFSignatures.all(in: pdf)
                return (signatures, PDFDocumentTimestamp.undated(signatures))
            }
        } catch {
            // The reader's bounds are for uploaded files: a copy past them is left to the seal's timestamp
            // rather than holding the seal back for good.
            ctx.logger.error("timestamp.copyUnreadable", metadata: ["planVersion": "\(versionID)", "error": "\(error)"])
            return nil
        }
        let (signatures, undated) = read
        guard let newest = undated.last else { return nil }
        if !whileSealWaits, undated.count == 1, newest.coversWholeFile {
            let token = try await authority.stamp(try TimeStamp.signatureValue(of: Array(newest.cms)), client: ctx.fetchClient, at: ctx.now)
            // A token too large for the signature's own room still fits a document timestamp's.
            do {
                let dated = try await ctx.threadPool.runIfActive { try PDFSeal.addingTimestamp(token, to: newest, in: pdf) }
                return DatedCopy(versionID: versionID, basedOn: copyID, pdf: dated, token: token, fields: [newest.fieldName], inPlace: true)
            } catch is PDFSeal.TimestampDoesNotFit {}
        }
        let number = signatures.filter { $0.subFilter == PDFDocumentTimestamp.subFilter }.count + 1
        let prepared = try await ctx.threadPool.runIfActive { try PDFDocumentTimestamp.preparing(pdf, fieldName: "Sello de tiempo \(number)") }
        let token = try await authority.stamp(sha256: prepared.digest, client: ctx.fetchClient, at: ctx.now)
        return DatedCopy(
            versionID: versionID, basedOn: copyID, pdf: try prepared.embedding(token), token: token, fields: undated.map(\.fieldName), inPlace: false)
    }

    /// Keeps `dated` as the newest revision of the signing copy, under the copy's lock, if it is still
    /// made from the newest one (`SigningCopyMoved` otherwise).
    /// Outside the seal's own request (`forSeal`), nothing is kept once the version has a seal, waiting or
    /// failed: that seal was made over the copy as it was, and its request dates the copy before making it again.
    static func keep(_ dated: DatedCopy, forSeal: Bool = false, on tx: Database, audit: AuditLog, at now: Date) async throws {
        guard let version = try await PlanVersion.find(dated.versionID, on: tx) else { return }
        try await SigningOperations.lockSigningCopy(of: version, on: tx)
        let sealMade = forSeal ? false : try await hasSealRequest(dated.versionID, on: tx)
        guard version.sealedAt == nil, !sealMade else { return }
        guard version.$signingFile.id == dated.basedOn else { throw SigningCopyMoved() }
        try await SigningOperations.keepSigningCopy(dated.pdf, of: version, on: tx)
        try await audit.record(
            "timestampSigningCopy", entity: "planVersion", id: version.id, exercise: version.$exercise.id, before: Optional<String>.none,
            after: [
                "kind": dated.inPlace ? "signatureTimestamp" : "documentTimestamp", "signatures": dated.fields.joined(separator: ", "),
                "time": ISO8601DateFormatter().string(from: dated.token.time), "authority": dated.token.authority,
            ], at: now)
    }

    /// Whether `versionID` has a seal request, open or failed.
    private static func hasSealRequest(_ versionID: UUID, on db: Database) async throws -> Bool {
        try await TimestampOperations.sealRequests(of: versionID, on: db).count() > 0
    }

    /// For the seal's request: when the signing copy has undated e.firma signatures, dates them with a
    /// document timestamp and makes the seal again over that revision, in place of the waiting file, while
    /// this attempt's claim holds. Returns the new sealed file, or nil when the waiting one stands.
    static func resealingOverDatedCopy(
        of versionID: UUID, claim: Claim, with authority: TimestampAuthority, on ctx: UseCaseContext
    ) async throws -> Data? {
        guard let dated = try await datingSigningCopy(of: versionID, whileSealWaits: true, with: authority, on: ctx) else { return nil }
        let now = ctx.now
        let identity = ctx.identity
        let baseURL = ctx.baseURL
        let threadPool = ctx.threadPool
        return try await ctx.writer.write(on: ctx.db, actor: .system) { tx, audit in
            guard let request = try await TimestampRequest.find(claim.id, on: tx), request.completedAt == nil, request.claimedBy == claim.mark,
                let waiting = try await StoredFile.find(request.$unstampedFile.id, on: tx)
            else { return nil }
            try await keep(dated, forSeal: true, on: tx, audit: audit, at: now)
            guard let version = try await PlanVersion.find(versionID, on: tx) else { return nil }
            let pdf = try await SigningOperations.sealedFile(of: version, identity: identity, baseURL: baseURL, now: now, threadPool: threadPool, on: tx)
            waiting.data = pdf
            waiting.size = pdf.count
            waiting.sha256 = Hashing.sha256Hex(pdf)
            try await waiting.save(on: tx)
            try await audit.record(
                "sealAwaitingTimestamp", entity: "planVersion", id: version.id, exercise: version.$exercise.id, before: Optional<String>.none,
                after: ["sha256": waiting.sha256], at: now)
            return pdf
        }
    }
}
