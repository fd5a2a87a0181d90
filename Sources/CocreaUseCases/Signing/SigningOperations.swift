import CocreaCore
import CocreaDocuments
import CocreaMail
import CocreaStore
import FluentKit
import Foundation
import NIOPosix

package struct SignatureStatusDTO: Codable, Sendable {
    package var memberId: UUID
    package var name: String
    package var sector: Sector
    package var organization: String
    package var requested: Bool
    package var method: String?
    package var signedAt: Date?
    package var locked: Bool

    package init(
        memberId: UUID, name: String, sector: Sector, organization: String, requested: Bool, method: String? = nil, signedAt: Date? = nil, locked: Bool
    ) {
        self.memberId = memberId
        self.name = name
        self.sector = sector
        self.organization = organization
        self.requested = requested
        self.method = method
        self.signedAt = signedAt
        self.locked = locked
    }
}

package struct SigningStatusDTO: Codable, Sendable {
    package var planVersionId: UUID
    package var requestedAt: Date?
    package var sealed: Bool
    package var sealedAt: Date?
    package var sealedSha256: String?
    /// Everyone signed but the PAL is not sealed: its seal waits for its trusted timestamp (`COCREA_TSA_URL`);
    /// without a TSA the last signature seals it in the same transaction, so this is never seen.
    package var sealPending: Bool
    /// Set when a timestamp of this version failed for good: the seal waits for the operator (`cocrea timestamps retry`).
    package var timestampFailure: TimestampFailureDTO?
    package var signatures: [SignatureStatusDTO]

    package init(
        planVersionId: UUID, requestedAt: Date? = nil, sealed: Bool, sealedAt: Date? = nil, sealedSha256: String? = nil, signatures: [SignatureStatusDTO]
    ) {
        self.planVersionId = planVersionId
        self.requestedAt = requestedAt
        self.sealed = sealed
        self.sealedAt = sealedAt
        self.sealedSha256 = sealedSha256
        self.sealPending = !sealed && !signatures.isEmpty && signatures.allSatisfy { $0.signedAt != nil }
        self.signatures = signatures
    }
}

package struct SigningCodeDTO: Codable, Sendable {
    /// The address the code went to, partly hidden ("a•••@itei.org.mx").
    package var sentTo: String
    package var expiresAt: Date

    package init(sentTo: String, expiresAt: Date) {
        self.sentTo = sentTo
        self.expiresAt = expiresAt
    }
}

package struct SigningInput: Codable, Sendable {
    package var code: String?

    package init(code: String? = nil) {
        self.code = code
    }
}

package struct SignedDTO: Codable, Sendable {
    package var memberId: UUID
    package var signedAt: Date
    /// True when this was the last signature and the PAL is now sealed.
    package var sealed: Bool

    package init(memberId: UUID, signedAt: Date, sealed: Bool) {
        self.memberId = memberId
        self.signedAt = signedAt
        self.sealed = sealed
    }
}

/// Rule S1: every actor initials every page and signs at the foot. The facilitator requests the
/// signatures; each actor signs through a personal link and a one-time code sent to their email (or
/// the facilitator uploads the copy signed by hand); the last signature seals the PAL.
package enum SigningOperations {
    // MARK: Facilitator

    package static func request(_ version: PlanVersion, in context: ExerciseContext, on ctx: UseCaseContext) async throws -> SigningStatusDTO {
        let now = ctx.now
        let exercise = context.exercise
        return try await ctx.writer.write(on: ctx.db, actor: context.actor) { tx, audit in
            let fresh = try await signable(version, on: tx)
            let members = try await Member.query(on: tx).filter(\.$exercise.$id == context.exerciseID).all()
            let existing = try await Signature.query(on: tx).filter(\.$planVersion.$id == fresh.requireID()).all()
            let document = "PAL v\(fresh.number) · \(fresh.sha256.prefix(8).uppercased())"
            var recipients: [String] = []
            for member in members {
                let signature = existing.first { $0.$member.id == member.id } ?? Signature()
                guard signature.signedAt == nil else { continue }
                // A new request gives a new link: the old one stops working and a locked link opens again.
                let token = Hashing.randomToken()
                signature.$planVersion.id = try fresh.requireID()
                signature.$member.id = try member.requireID()
                signature.method = "electronic"
                signature.tokenHash = Hashing.sha256Hex(token)
                signature.codeHash = nil
                signature.codeExpiresAt = nil
                signature.failedAttempts = 0
                try await signature.save(on: tx)
                let message = Messages.signatureRequest(
                    member: member, exercise: exercise, versionNumber: fresh.number, shortCode: document,
                    link: "\(ctx.baseURL)/sign/\(token)", from: ctx.mailFrom)
                try await Outbox.enqueue(message, kind: "signatureRequest", exerciseID: context.exerciseID, on: tx, now: now)
                recipients.append(member.name)
            }
            guard !recipients.isEmpty else {
                throw CocreaError.everyoneSigned
            }
            fresh.signaturesRequestedAt = now
            try await fresh.save(on: tx)
            try await audit.record(
                "requestSignatures", entity: "planVersion", id: fresh.id, exercise: context.exerciseID,
                before: Optional<String>.none, after: ["recipients": recipients.joined(separator: ", ")], at: now)
            return try await status(of: fresh, on: tx)
        }
    }

    /// The copy signed by hand and scanned, bound to this version by the file's SHA-256: the actors the
    /// facilitator names signed on paper (never one whose link is locked: five wrong codes stand until a
    /// new request). The PAL is sealed once every member has signed, by code or on paper.
    package static func paperCopy(
        _ version: PlanVersion, file: Data, signedBy: [String], in context: ExerciseContext, on ctx: UseCaseContext
    ) async throws -> SigningStatusDTO {
        guard file.count <= UploadPolicy.maximumBytes else {
            throw CocreaError.signedCopyTooLarge
        }
        let pages = try await ctx.threadPool.runIfActive { try? PDFPageCount.pages(in: file) }
        guard let pages else {
            throw CocreaError.signedCopyNotPDF
        }
        let document = try await PlanDocumentOperations.document(of: version, baseURL: ctx.baseURL, on: ctx.db)
        let planPages = try await ctx.threadPool.runIfActive { try PDFPageCount.pages(in: PlanPDF.render(document)) }
        guard pages >= planPages else {
            throw CocreaError.signedCopyPagesMissing(pages: pages, planPages: planPages)
        }
        var v = CocreaCore.Validator()
        let ids = signedBy.compactMap { raw -> UUID? in
            guard let id = UUID(uuidString: raw.trimmingCharacters(in: .whitespaces)) else {
                v.add(field: "signedBy", "problemMemberIdInvalid", ["value": .text(String(raw.prefix(40)))])
                return nil
            }
            return id
        }
        if signedBy.isEmpty { v.add(field: "signedBy", "problemSignersMissing") }
        try v.check()
        let now = ctx.now
        let identity = ctx.identity
        let baseURL = ctx.baseURL
        let awaitsTimestamp = ctx.timestampAuthority != nil
        let threadPool = ctx.threadPool
        return try await ctx.writer.write(on: ctx.db, actor: context.actor) { tx, audit in
            let fresh = try await signable(version, on: tx)
            let members = Dictionary(
                uniqueKeysWithValues: try await Member.query(on: tx).filter(\.$exercise.$id == context.exerciseID).all().map { ($0.id!, $0) })
            let existing = try await Signature.query(on: tx).filter(\.$planVersion.$id == fresh.requireID()).all()
            var problems = CocreaCore.Validator()
            for id in Set(ids) {
                guard let member = members[id] else {
                    problems.add(field: "signedBy", "problemSignerForeign", ["id": .text(id.uuidString.lowercased())])
                    continue
                }
                if existing.first(where: { $0.$member.id == id })?.isLocked == true {
                    problems.add(field: "signedBy", "problemSignerLocked", ["name": .text(member.name)])
                }
            }
            try problems.check()
            let sha256 = Hashing.sha256Hex(file)
            let stored = StoredFile(name: "pal-v\(fresh.number)-firmado-a-mano.pdf", mediaType: "application/pdf", data: file, sha256: sha256)
            try await stored.create(on: tx)
            fresh.$paperFile.id = stored.id
            try await fresh.save(on: tx)
            var signers: [String] = []
            var marked: Set<UUID> = []
            for id in Set(ids) {
                let signature = existing.first { $0.$member.id == id } ?? Signature()
                guard signature.signedAt == nil, let member = members[id] else { continue }
                signature.$planVersion.id = try fresh.requireID()
                signature.$member.id = id
                signature.method = "paper"
                signature.tokenHash = signature.id == nil ? Hashing.sha256Hex(Hashing.randomToken()) : signature.tokenHash
                signature.codeHash = nil
                signature.failedAttempts = signature.id == nil ? 0 : signature.failedAttempts
                signature.signedAt = now
                try await signature.save(on: tx)
                signers.append(member.name)
                marked.insert(try signature.requireID())
            }
            try await markSigningCopy(of: fresh, marking: marked, baseURL: baseURL, threadPool: threadPool, on: tx)
            try await audit.record(
                "uploadPaperCopy", entity: "planVersion", id: fresh.id, exercise: context.exerciseID, before: Optional<String>.none,
                after: ["file": stored.name, "sha256": sha256, "signers": signers.sorted().joined(separator: ", ")], at: now)
            if try await everyoneSigned(fresh, on: tx) {
                try await seal(
                    fresh, identity: identity, baseURL: baseURL, now: now, awaitsTimestamp: awaitsTimestamp, threadPool: threadPool, on: tx, audit: audit)
            }
            return try await status(of: fresh, on: tx)
        }
    }

    package static func status(of version: PlanVersion, on ctx: UseCaseContext) async throws -> SigningStatusDTO {
        try await status(of: version, on: ctx.db)
    }

    /// The sealed PAL is public: anyone holding a copy can compare it with this one.
    package static func sealedPDF(_ id: UUID?, on ctx: UseCaseContext) async throws -> Download {
        guard let id, let version = try await PlanVersion.find(id, on: ctx.db) else { throw CocreaError.notFound(.planVersion) }
        guard let fileID = version.$sealedFile.id, let file = try await StoredFile.find(fileID, on: ctx.db) else {
            throw CocreaError.sealedPlanMissing
        }
        return Download(file.data, name: file.name, type: "application/pdf")
    }

    /// On a database or a write's transaction: `request` and `sign` answer with it from inside theirs.
    package static func status(of version: PlanVersion, on db: Database) async throws -> SigningStatusDTO {
        let members = try await Member.query(on: db).filter(\.$exercise.$id == version.$exercise.id).sort(\.$createdAt).all()
        let signatures = try await Signature.query(on: db).filter(\.$planVersion.$id == version.requireID()).all()
        var status = SigningStatusDTO(
            planVersionId: try version.requireID(), requestedAt: version.signaturesRequestedAt, sealed: version.sealedAt != nil,
            sealedAt: version.sealedAt, sealedSha256: version.sealedSHA256,
            signatures: members.map { member in
                let signature = signatures.first { $0.$member.id == member.id }
                return SignatureStatusDTO(
                    memberId: member.id!, name: member.name, sector: member.sector, organization: member.organization,
                    requested: signature != nil, method: signature?.signedAt == nil ? nil : signature?.method,
                    signedAt: signature?.signedAt, locked: signature?.isLocked ?? false)
            })
        if version.sealedAt == nil { status.timestampFailure = try await TimestampOperations.failure(of: try version.requireID(), on: db) }
        return status
    }

    // MARK: The actor, through their personal link

    package static func signature(token: String, on ctx: UseCaseContext) async throws -> Signature {
        try await signature(token: token, on: ctx.db)
    }

    /// The time zone of the version's exercise, which the signing page shows dates in.
    package static func zone(of version: PlanVersion, on ctx: UseCaseContext) async throws -> TimeZone {
        try await Exercise.find(version.$exercise.id, on: ctx.db)?.zone ?? TimeZone(identifier: "America/Mexico_City")!
    }

    package static func signature(token: String, on db: Database) async throws -> Signature {
        guard !token.isEmpty, let signature = try await Signature.find(token: token, on: db) else {
            throw CocreaError.signingLinkNotFound
        }
        return signature
    }

    /// Emails a one-time code unless a fresh one was just sent; returns where it went and until when it works.
    @discardableResult
    package static func sendCode(token: String, on ctx: UseCaseContext) async throws -> SigningCodeDTO {
        let signature = try await signature(token: token, on: ctx.db)
        try checkOpen(signature)
        let now = ctx.now
        let member = signature.member
        if let expires = signature.codeExpiresAt, !SigningCode.sendsANewCode(lastExpiresAt: expires, now: now) {
            return SigningCodeDTO(sentTo: masked(member.email), expiresAt: expires)
        }
        guard let exercise = try await Exercise.find(member.$exercise.id, on: ctx.db) else { throw CocreaError.notFound(.exercise) }
        let code = String(format: "%06d", Int.random(in: 0...999_999))
        let expires = SigningCode.expiry(sentAt: now)
        try await ctx.writer.write(on: ctx.db, actor: actor(of: member)) { tx, audit in
            guard let fresh = try await Signature.find(signature.id, on: tx) else { throw CocreaError.notFound(.signature) }
            try checkOpen(fresh)
            fresh.codeHash = codeHash(code, for: fresh)
            fresh.codeExpiresAt = expires
            try await fresh.save(on: tx)
            let message = Messages.signingCode(member: member, exercise: exercise, code: code, validMinutes: Int(SigningCode.lifetime / 60), from: ctx.mailFrom)
            try await Outbox.enqueue(message, kind: "signingCode", exerciseID: exercise.id, on: tx, now: now)
            try await audit.record(
                "sendSigningCode", entity: "signature", id: fresh.id, exercise: exercise.id,
                before: Optional<String>.none, after: ["member": member.name], at: now)
        }
        return SigningCodeDTO(sentTo: masked(member.email), expiresAt: expires)
    }

    /// The code right: initials on every page and signature at the foot, in one action; the last
    /// signature seals the PAL. The code wrong: counted (five lock the link), and said.
    package static func sign(token: String, input: SigningInput, from client: SigningClient, on ctx: UseCaseContext) async throws -> SignedDTO {
        var v = CocreaCore.Validator()
        let code = v.required(input.code, field: "code", label: "fieldCode", maxLength: 12).filter { !$0.isWhitespace }
        if !code.isEmpty, code.count != 6 || !code.allSatisfy({ $0.isASCII && $0.isNumber }) {
            v.add(field: "code", "problemSigningCodeShape")
        }
        try v.check()
        let signature = try await signature(token: token, on: ctx.db)
        let member = signature.member
        let now = ctx.now
        let identity = ctx.identity
        let baseURL = ctx.baseURL
        let awaitsTimestamp = ctx.timestampAuthority != nil
        let threadPool = ctx.threadPool
        let ip = client.ipAddress
        let userAgent = client.userAgent.map { String($0.prefix(500)) }

        // A wrong code is counted (and kept) before it is answered, so the refusal leaves the transaction as a value.
        enum Outcome { case signed(SignedDTO), refused(CocreaError) }
        let outcome: Outcome = try await ctx.writer.write(on: ctx.db, actor: actor(of: member)) { tx, audit in
            guard let fresh = try await Signature.find(signature.id, on: tx) else { throw CocreaError.notFound(.signature) }
            try checkOpen(fresh)
            let attempt: SigningCode.Attempt
            do throws(CocreaError) {
                attempt = try SigningCode.attempt(
                    matches: fresh.codeHash == codeHash(code, for: fresh), expiresAt: fresh.codeHash == nil ? nil : fresh.codeExpiresAt,
                    wrongCodes: fresh.failedAttempts, now: now)
            } catch {
                return .refused(error)
            }
            if case .wrong(let wrongCodes, let remaining) = attempt {
                fresh.failedAttempts = wrongCodes
                try await fresh.save(on: tx)
                try await audit.record(
                    "failSigningCode", entity: "signature", id: fresh.id, exercise: member.$exercise.id,
                    before: Optional<String>.none, after: ["failedAttempts": fresh.failedAttempts], at: now)
                return .refused(SigningCode.refusal(remaining: remaining))
            }
            guard let version = try await PlanVersion.find(fresh.$planVersion.id, on: tx) else { throw CocreaError.notFound(.planVersion) }
            guard version.sealedAt == nil else { throw CocreaError.alreadySealed }
            fresh.signedAt = now
            fresh.method = "electronic"
            fresh.codeHash = nil
            fresh.codeExpiresAt = nil
            fresh.ipAddress = ip
            fresh.userAgent = userAgent
            try await fresh.save(on: tx)
            try await markSigningCopy(of: version, marking: [try fresh.requireID()], baseURL: baseURL, threadPool: threadPool, on: tx)
            try await audit.record(
                "sign", entity: "signature", id: fresh.id, exercise: member.$exercise.id,
                before: Optional<String>.none, after: ["member": member.name, "method": "electronic"], at: now)
            if try await everyoneSigned(version, on: tx) {
                try await seal(
                    version, identity: identity, baseURL: baseURL, now: now, awaitsTimestamp: awaitsTimestamp, threadPool: threadPool, on: tx, audit: audit)
            }
            return .signed(SignedDTO(memberId: member.id!, signedAt: now, sealed: version.sealedAt != nil))
        }
        switch outcome {
        case .signed(let signed): return signed
        case .refused(let refusal): throw refusal
        }
    }

    // MARK: Sealing

    /// Rule S1: no requested signature pending and every member signed, by code or on paper.
    static func everyoneSigned(_ version: PlanVersion, on tx: Database) async throws -> Bool {
        let pending = try await Signature.query(on: tx).filter(\.$planVersion.$id == version.requireID()).filter(\.$signedAt == nil).count()
        let members = try await Member.query(on: tx).filter(\.$exercise.$id == version.$exercise.id).count()
        let signed = try await Signature.query(on: tx).filter(\.$planVersion.$id == version.requireID()).filter(\.$signedAt != nil).count()
        return pending == 0 && signed >= members
    }

    /// Fills the signing copy's sealing line and log, signs its newest revision with the instance's key
    /// (the last signature of the file) and keeps it with the version. With a TSA configured (`awaitsTimestamp`) the
    /// signed file waits in the timestamp queue instead, and the version is sealed once it is stamped.
    static func seal(
        _ version: PlanVersion, identity: InstanceIdentity, baseURL: String, now: Date, awaitsTimestamp: Bool = false, threadPool: NIOThreadPool,
        on tx: Database, audit: AuditLog
    ) async throws {
        if awaitsTimestamp, try await TimestampOperations.sealPending(version, on: tx) { return }
        let pdf = try await sealedFile(of: version, identity: identity, baseURL: baseURL, now: now, threadPool: threadPool, on: tx)
        guard awaitsTimestamp else {
            return try await keepSealed(pdf, of: version, at: now, timestamp: nil, recordedAt: now, on: tx, audit: audit)
        }
        let unstamped = StoredFile(
            name: "pal-v\(version.number)-sellado.pdf", mediaType: "application/pdf", data: pdf, sha256: Hashing.sha256Hex(pdf))
        try await unstamped.create(on: tx)
        try await TimestampRequest(planVersionID: version.requireID(), unstampedFileID: unstamped.requireID(), now: now).create(on: tx)
        try await audit.record(
            "sealAwaitingTimestamp", entity: "planVersion", id: version.id, exercise: version.$exercise.id,
            before: Optional<String>.none, after: ["sha256": unstamped.sha256], at: now)
    }

    /// The signing copy's newest revision with its sealing line and log filled, its e.firma signatures'
    /// validation data, and the instance's seal over it all, at `now`.
    static func sealedFile(
        of version: PlanVersion, identity: InstanceIdentity, baseURL: String, now: Date, threadPool: NIOThreadPool, on tx: Database
    ) async throws -> Data {
        let zone = try await Exercise.find(version.$exercise.id, on: tx)?.zone ?? TimeZone(identifier: "America/Mexico_City")!
        let signatureIDs = try await Signature.query(on: tx).filter(\.$planVersion.$id == version.requireID()).all().compactMap(\.id)
        let events = try await AuditEvent.query(on: tx)
            .group(.or) { $0.filter(\.$entityID == version.id).filter(\.$entityID ~~ signatureIDs) }
            .sort(\.$sequence).all()
        let certificate = PlanDocument.Certificate(
            sealedAt: MexicanFormat.numeric(now, in: zone),
            events: events.compactMap { event in
                eventLine(event).map { "\(MexicanFormat.numeric(event.occurredAt, in: zone)) · \($0)" }
            })
        let document = try await PlanDocumentOperations.document(of: version, baseURL: baseURL, on: tx, certificate: certificate)
        let manifest = SealManifest(
            planVersionId: try version.requireID(), exercise: document.exerciseName, versionNumber: version.number,
            versionSha256: version.sha256, sealedAt: now,
            signers: try await signers(of: version, on: tx))
        let copy = try await sealingCopy(
            of: version, shortCode: document.shortCode, certificate: certificate, baseURL: baseURL, threadPool: threadPool, on: tx)
        return try PDFSeal.apply(
            to: try await withValidationData(copy, of: version, on: tx), identity: identity, manifest: Data(JSON.canonical(manifest).utf8),
            signingTime: now, signerName: identity.commonName,
            reason: "Plan de Acción Local \(document.shortCode) firmado por todas las personas integrantes")
    }

    /// The sealed file becomes the version's, sealed at `instant` (the TSA's time when it was stamped);
    /// the audit trail records it when it happened (`recordedAt`, the server's clock, as every event).
    static func keepSealed(
        _ pdf: Data, of version: PlanVersion, at instant: Date, timestamp: TimeStamp.Token?, recordedAt: Date, on tx: Database, audit: AuditLog
    ) async throws {
        let sha256 = Hashing.sha256Hex(pdf)
        let stored = StoredFile(name: "pal-v\(version.number)-sellado.pdf", mediaType: "application/pdf", data: pdf, sha256: sha256)
        try await stored.create(on: tx)
        version.$sealedFile.id = stored.id
        version.sealedSHA256 = sha256
        version.sealedAt = instant
        try await version.save(on: tx)
        var facts = ["sha256": sha256]
        if let timestamp {
            facts["timestampTime"] = ISO8601DateFormatter().string(from: timestamp.time)
            facts["timestampAuthority"] = timestamp.authority
        }
        try await audit.record(
            "seal", entity: "planVersion", id: version.id, exercise: version.$exercise.id, before: Optional<String>.none, after: facts, at: recordedAt)
    }

    package static func signers(of version: PlanVersion, on db: Database) async throws -> [SealManifest.Signer] {
        let signatures = try await Signature.query(on: db).filter(\.$planVersion.$id == version.requireID())
            .filter(\.$signedAt != nil).with(\.$member).all()
        return signatures.sorted { ($0.signedAt!, $0.member.name) < ($1.signedAt!, $1.member.name) }.map {
            SealManifest.Signer(
                name: $0.member.name, sector: $0.member.sector, organization: $0.member.organization,
                signedAt: $0.signedAt!, method: $0.method, rfc: $0.certificateRFC, issuer: $0.certificateIssuer, serial: $0.certificateSerial)
        }
    }

    /// A line of the certificate page; events that say nothing to a reader (wrong codes) are left out.
    private static func eventLine(_ event: AuditEvent) -> String? {
        let who = event.actor.components(separatedBy: " <").first ?? event.actor
        switch event.action {
        case "requestSignatures": return "Solicitud de firmas enviada por \(who)"
        case "sendSigningCode": return "Código de un solo uso enviado por correo a \(who)"
        case "sign":
            let facts = event.after.flatMap { try? JSONDecoder().decode([String: String].self, from: Data($0.utf8)) } ?? [:]
            guard facts["method"] == "efirma" else { return "Firma electrónica de \(who)" }
            return
                "Firma electrónica avanzada (e.firma) de \(who), RFC \(facts["rfc"] ?? "—"), certificado \(facts["serial"] ?? "—") emitido por \(facts["issuer"] ?? "—")"
        case "uploadPaperCopy":
            let facts = event.after.flatMap { try? JSONDecoder().decode([String: String].self, from: Data($0.utf8)) } ?? [:]
            return "Copia firmada a mano cargada por \(who)" + (facts["sha256"].map { " (SHA-256 \($0))" } ?? "")
                + (facts["signers"].map { $0.isEmpty ? "" : "; firmaron en papel: \($0)" } ?? "")
        default: return nil
        }
    }

    // MARK: Helpers

    private static func signable(_ version: PlanVersion, on tx: Database) async throws -> PlanVersion {
        guard let fresh = try await PlanVersion.find(version.id, on: tx) else { throw CocreaError.notFound(.planVersion) }
        guard fresh.sealedAt == nil else { throw CocreaError.alreadySealed }
        let latest = try await PlanVersion.query(on: tx).filter(\.$exercise.$id == fresh.$exercise.id).sort(\.$number, .descending).first()
        guard latest?.id == fresh.id else {
            throw CocreaError.signingSuperseded(latest: latest?.number ?? 0)
        }
        guard fresh.conformityClosedAt != nil else {
            throw CocreaError.conformityOpen
        }
        return fresh
    }

    static func checkOpen(_ signature: Signature) throws {
        if signature.signedAt != nil {
            throw CocreaError.alreadySignedByYou
        }
        if signature.isLocked { throw CocreaError.signingLinkLocked }
    }

    private static func codeHash(_ code: String, for signature: Signature) -> String {
        Hashing.sha256Hex("\(signature.tokenHash):\(code)")
    }

    static func actor(of member: Member) -> AuditActor {
        AuditActor(userID: member.$user.id, label: "\(member.name) <\(member.email)>")
    }

    package static func masked(_ email: String) -> String {
        guard let at = email.firstIndex(of: "@"), let first = email.first else { return email }
        return "\(first)•••\(email[at...])"
    }
}

/// The seal's manifest: embedded in the sealed PDF (and covered by its signature), so a verifier
/// with no database can say which version it is and who signed it.
package struct SealManifest: Codable, Sendable {
    package struct Signer: Codable, Sendable {
        package var name: String
        package var sector: Sector
        package var organization: String
        package var signedAt: Date
        /// As stored: "electronic" (emailed code), "efirma" or "paper".
        package var method: String
        /// With an e.firma: the certificate's RFC, issuing authority and serial number (absent from older seals).
        package var rfc: String?
        package var issuer: String?
        package var serial: String?

        package init(
            name: String, sector: Sector, organization: String, signedAt: Date, method: String, rfc: String? = nil, issuer: String? = nil,
            serial: String? = nil
        ) {
            self.name = name
            self.sector = sector
            self.organization = organization
            self.signedAt = signedAt
            self.method = method
            self.rfc = rfc
            self.issuer = issuer
            self.serial = serial
        }
    }

    package var planVersionId: UUID
    package var exercise: String
    package var versionNumber: Int
    package var versionSha256: String
    package var sealedAt: Date
    package var signers: [Signer]

    package init(planVersionId: UUID, exercise: String, versionNumber: Int, versionSha256: String, sealedAt: Date, signers: [Signer]) {
        self.planVersionId = planVersionId
        self.exercise = exercise
        self.versionNumber = versionNumber
        self.versionSha256 = versionSha256
        self.sealedAt = sealedAt
        self.signers = signers
    }
}

/// Where a signature came from, kept with it as evidence: the client's address and its user agent.
package struct SigningClient: Sendable {
    package var ipAddress: String?
    package var userAgent: String?

    package init(ipAddress: String?, userAgent: String?) {
        self.ipAddress = ipAddress
        self.userAgent = userAgent
    }
}
