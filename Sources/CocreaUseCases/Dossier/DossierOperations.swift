import CocreaCore
import CocreaMail
import CocreaStore
import FluentKit
import Foundation

/// Sending the dossier to every member, their receipts, and rule D10's status.
package enum DossierOperations {
    /// The SHA-256 of the dossier's content as it stands: any item added or changed gives a new value.
    package static func contentHash(of exerciseID: UUID, on db: Database) async throws -> (hash: String, itemCount: Int) {
        let items = try await DossierItem.query(on: db).filter(\.$exercise.$id == exerciseID).all()
        let fileIDs = items.compactMap { $0.$file.id }
        let files = fileIDs.isEmpty ? [] : try await StoredFile.query(on: db).filter(\.$id ~~ fileIDs).field(\.$id).field(\.$sha256).all()
        let fileHashes = Dictionary(uniqueKeysWithValues: files.map { ($0.id!, $0.sha256) })
        let content = DossierVersioning.canonicalContent(
            items.map { item in
                DossierVersioning.Item(
                    id: item.id!, kind: item.kind, title: item.title, body: item.body, source: item.source,
                    fileSHA256: item.$file.id.flatMap { fileHashes[$0] })
            })
        return (Hashing.sha256Hex(content), items.count)
    }

    package static func readiness(of exercise: Exercise, on ctx: UseCaseContext) async throws -> (DossierReadiness, [Member]) {
        try await readiness(of: exercise, on: ctx.db)
    }

    package static func readiness(of exercise: Exercise, on db: Database) async throws -> (DossierReadiness, [Member]) {
        let exerciseID = try exercise.requireID()
        let members = try await Member.query(on: db).filter(\.$exercise.$id == exerciseID).sort(\.$name).all()
        let latest = try await DossierDistribution.query(on: db).filter(\.$exercise.$id == exerciseID)
            .sort(\.$version, .descending).first()
        var currentVersion: Int?
        if let latest {
            currentVersion = DossierVersioning.currentVersion(
                latest: .init(version: latest.version, contentSHA256: latest.contentSHA256), contentSHA256: try await contentHash(of: exerciseID, on: db).hash)
        }
        let distributions = try await DossierDistribution.query(on: db).filter(\.$exercise.$id == exerciseID).all()
        let versions = Dictionary(uniqueKeysWithValues: distributions.map { ($0.id!, $0.version) })
        let receipts =
            distributions.isEmpty
            ? []
            : try await Receipt.query(on: db)
                .filter(\.$distribution.$id ~~ distributions.map { $0.id! }).filter(\.$receivedAt != nil).all()
        // Each member's latest opened version.
        var latestReceived: [UUID: (version: Int, at: Date)] = [:]
        for receipt in receipts {
            guard let version = versions[receipt.$distribution.id], let at = receipt.receivedAt else { continue }
            if let known = latestReceived[receipt.$member.id], known.version >= version { continue }
            latestReceived[receipt.$member.id] = (version, at)
        }
        let readiness = DossierReadiness(
            currentVersion: currentVersion,
            receipts: members.map { member in
                let received = latestReceived[member.id!]
                return .init(memberID: member.id!, name: member.name, receivedVersion: received?.version, receivedAt: received?.at)
            },
            timeZone: exercise.zone)
        return (readiness, members)
    }

    /// Sends the current dossier: a new version when it changed, else only to members who lack it.
    package static func distribute(_ context: ExerciseContext, on ctx: UseCaseContext) async throws -> DistributionDTO {
        let now = ctx.now
        let exercise = context.exercise
        return try await ctx.writer.write(on: ctx.db, actor: context.actor) { tx, audit in
            let (hash, itemCount) = try await contentHash(of: context.exerciseID, on: tx)
            guard itemCount > 0 else {
                throw CocreaError.dossierEmpty
            }
            let members = try await Member.query(on: tx).filter(\.$exercise.$id == context.exerciseID).all()
            guard !members.isEmpty else {
                throw CocreaError.noMembers
            }
            let latest = try await DossierDistribution.query(on: tx).filter(\.$exercise.$id == context.exerciseID)
                .sort(\.$version, .descending).first()
            let distribution: DossierDistribution
            var recipients = members
            let sent = latest.map { DossierVersioning.Sent(version: $0.version, contentSHA256: $0.contentSHA256) }
            switch DossierVersioning.sending(latest: sent, contentSHA256: hash) {
            case .sameVersion:
                guard let latest else { preconditionFailure("only a version already sent is sent again") }
                distribution = latest
                let already = Set(try await Receipt.query(on: tx).filter(\.$distribution.$id == latest.id!).all().map { $0.$member.id })
                recipients = members.filter { !already.contains($0.id!) }
                guard !recipients.isEmpty else {
                    throw CocreaError.dossierAlreadySent(version: latest.version)
                }
            case .newVersion(let version):
                distribution = DossierDistribution(
                    exerciseID: context.exerciseID, version: version,
                    contentSHA256: hash, itemCount: itemCount, sentByUserID: context.user.id, sentAt: now)
                try await distribution.create(on: tx)
            }
            let titles = try await DossierItem.query(on: tx).filter(\.$exercise.$id == context.exerciseID).sort(\.$createdAt).all()
                .map { "• \($0.kind.label(.es)): \($0.title)" }
            for member in recipients {
                let token = Hashing.randomToken()
                try await Receipt(distributionID: distribution.id!, memberID: member.id!, tokenHash: Hashing.sha256Hex(token)).create(on: tx)
                let message = Messages.dossier(
                    member: member, exercise: exercise, version: distribution.version, items: titles,
                    link: "\(ctx.baseURL)/receipts/\(token)", from: ctx.mailFrom)
                try await Outbox.enqueue(message, kind: "dossier", exerciseID: context.exerciseID, on: tx, now: now)
            }
            try await audit.record(
                "distribute", entity: "dossierDistribution", id: distribution.id, exercise: context.exerciseID,
                before: Optional<String>.none,
                after: ["version": "\(distribution.version)", "sha256": hash, "recipients": recipients.map(\.email).sorted().joined(separator: ",")])
            return DistributionDTO(
                id: distribution.id, version: distribution.version, sha256: hash, itemCount: itemCount,
                sentAt: distribution.sentAt, recipients: recipients.map { $0.id! })
        }
    }

    /// How long a personal link opens the dossier after its version was sent: well past any table;
    /// after that a member signs in to see it, and a leaked link stops being a key.
    package static let receiptLinkLifetime: TimeInterval = 90 * 24 * 60 * 60

    /// The receipt a personal link opens while it is valid; 404 for no such link, 410 for an old one.
    package static func openReceipt(token: String, at now: Date, on db: Database) async throws -> Receipt {
        guard let receipt = try await Receipt.find(token: token, on: db) else {
            throw CocreaError.receiptNotFound
        }
        guard now < receipt.distribution.sentAt.addingTimeInterval(receiptLinkLifetime) else {
            throw CocreaError.receiptExpired
        }
        return receipt
    }

    /// Records that a member opened their personal link (the first time counts).
    package static func receive(token: String, on ctx: UseCaseContext) async throws -> (Receipt, DossierDistribution, Member) {
        let receipt = try await openReceipt(token: token, at: ctx.now, on: ctx.db)
        guard receipt.receivedAt == nil else { return (receipt, receipt.distribution, receipt.member) }
        let now = ctx.now
        let actor = AuditActor(userID: receipt.member.$user.id, label: "\(receipt.member.name) <\(receipt.member.email)>")
        return try await ctx.writer.write(on: ctx.db, actor: actor) { tx, audit in
            guard let fresh = try await Receipt.find(receipt.id, on: tx) else { throw CocreaError.notFound(.receipt) }
            if fresh.receivedAt == nil {
                fresh.receivedAt = now
                try await fresh.save(on: tx)
                try await audit.record(
                    "receive", entity: "receipt", id: fresh.id, exercise: receipt.distribution.$exercise.id,
                    before: Optional<String>.none,
                    after: ["member": receipt.member.email, "version": "\(receipt.distribution.version)"])
            }
            receipt.receivedAt = fresh.receivedAt
            return (receipt, receipt.distribution, receipt.member)
        }
    }

    /// What a member's receipt link shows: the dossier as it stands, and whether a newer version
    /// than the one they received went out since.
    package struct ReceivedDossier: Sendable {
        package var receipt: Receipt
        package var distribution: DossierDistribution
        package var member: Member
        package var exercise: Exercise
        package var outdated: Bool
        package var items: [DossierItem]
        package var fileNames: [UUID: String]
    }

    /// Records the receipt (`receive`) and reads the dossier the link shows.
    package static func receivedDossier(token: String, on ctx: UseCaseContext) async throws -> ReceivedDossier {
        let (receipt, distribution, member) = try await receive(token: token, on: ctx)
        guard let exercise = try await Exercise.find(distribution.$exercise.id, on: ctx.db) else { throw CocreaError.notFound(.exercise) }
        let (readiness, _) = try await readiness(of: exercise, on: ctx.db)
        let items = try await DossierItem.query(on: ctx.db).filter(\.$exercise.$id == exercise.requireID()).sort(\.$createdAt).all()
        let fileIDs = items.compactMap { $0.$file.id }
        let files = fileIDs.isEmpty ? [] : try await StoredFile.query(on: ctx.db).filter(\.$id ~~ fileIDs).field(\.$id).field(\.$name).all()
        return ReceivedDossier(
            receipt: receipt, distribution: distribution, member: member, exercise: exercise,
            outdated: readiness.currentVersion != distribution.version, items: items,
            fileNames: Dictionary(uniqueKeysWithValues: files.map { ($0.id!, $0.name) }))
    }

    /// A file of the dossier a receipt link opens; any other is not found.
    package static func receiptFile(token: String, fileID: UUID?, on ctx: UseCaseContext) async throws -> StoredFile {
        let receipt = try await openReceipt(token: token, at: ctx.now, on: ctx.db)
        guard let fileID,
            try await DossierItem.query(on: ctx.db).filter(\.$exercise.$id == receipt.distribution.$exercise.id)
                .filter(\.$file.$id == fileID).first() != nil,
            let file = try await StoredFile.find(fileID, on: ctx.db)
        else {
            throw CocreaError.notFound(.file)
        }
        return file
    }

    /// One reminder per member who has not opened the current version; none when nobody lacks it.
    package static func remind(_ context: ExerciseContext, on ctx: UseCaseContext) async throws -> [UUID] {
        let (readiness, members) = try await readiness(of: context.exercise, on: ctx.db)
        guard let version = readiness.currentVersion else {
            throw CocreaError.dossierNotSent
        }
        let lacking = Set(readiness.holdingBack.map(\.memberID))
        let recipients = members.filter { lacking.contains($0.id!) }
        guard !recipients.isEmpty else { return [] }
        let now = ctx.now
        let exercise = context.exercise
        try await ctx.writer.write(on: ctx.db, actor: context.actor) { tx, audit in
            let distribution = try await DossierDistribution.query(on: tx).filter(\.$exercise.$id == context.exerciseID)
                .filter(\.$version == version).first()!
            for member in recipients {
                // A fresh link for the reminder; the first one keeps working too.
                let token = Hashing.randomToken()
                if let existing = try await Receipt.query(on: tx).filter(\.$distribution.$id == distribution.id!)
                    .filter(\.$member.$id == member.id!).first()
                {
                    existing.reminderTokenHash = Hashing.sha256Hex(token)
                    try await existing.save(on: tx)
                } else {
                    try await Receipt(distributionID: distribution.id!, memberID: member.id!, tokenHash: Hashing.sha256Hex(token)).create(on: tx)
                }
                let message = Messages.dossierReminder(
                    member: member, exercise: exercise, version: version,
                    link: "\(ctx.baseURL)/receipts/\(token)", from: ctx.mailFrom)
                try await Outbox.enqueue(message, kind: "dossierReminder", exerciseID: context.exerciseID, on: tx, now: now)
            }
            try await audit.record(
                "remind", entity: "dossierDistribution", id: distribution.id, exercise: context.exerciseID,
                before: Optional<String>.none, after: ["recipients": recipients.map(\.email).sorted().joined(separator: ",")])
        }
        return recipients.map { $0.id! }
    }
}

package struct DistributionDTO: Codable, Sendable {
    package var id: UUID?
    package var version: Int
    package var sha256: String
    package var itemCount: Int
    package var sentAt: Date
    package var recipients: [UUID]

    package init(id: UUID? = nil, version: Int, sha256: String, itemCount: Int, sentAt: Date, recipients: [UUID]) {
        self.id = id
        self.version = version
        self.sha256 = sha256
        self.itemCount = itemCount
        self.sentAt = sentAt
        self.recipients = recipients
    }
}

package struct DossierStatusDTO: Codable, Sendable {
    package struct MemberStatus: Codable, Sendable {
        package var memberId: UUID
        package var name: String
        package var receivedVersion: Int?
        package var receivedAt: Date?
        package var current: Bool

        package init(memberId: UUID, name: String, receivedVersion: Int? = nil, receivedAt: Date? = nil, current: Bool) {
            self.memberId = memberId
            self.name = name
            self.receivedVersion = receivedVersion
            self.receivedAt = receivedAt
            self.current = current
        }
    }

    package var currentVersion: Int?
    package var earliestValidDate: LocalDate?
    package var holdingBack: [UUID]
    package var members: [MemberStatus]

    package enum CodingKeys: String, CodingKey {
        case currentVersion, earliestValidDate, holdingBack, members
    }

    /// `currentVersion` and `earliestValidDate` are always present, null when there is none.
    package func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(currentVersion, forKey: .currentVersion)
        try container.encode(earliestValidDate, forKey: .earliestValidDate)
        try container.encode(holdingBack, forKey: .holdingBack)
        try container.encode(members, forKey: .members)
    }

    package init(_ readiness: DossierReadiness) {
        currentVersion = readiness.currentVersion
        earliestValidDate = readiness.earliestValidDate
        holdingBack = readiness.holdingBack.map(\.memberID)
        members = readiness.members.map {
            MemberStatus(
                memberId: $0.receipt.memberID, name: $0.receipt.name, receivedVersion: $0.receipt.receivedVersion,
                receivedAt: $0.receipt.receivedAt, current: $0.current)
        }
    }
}
