import CocreaCore
import CocreaMail
import CocreaStore
import FluentKit
import Foundation

/// The workspace's changes, shared by the pages and the API. Each runs in one writer transaction
/// with its audit event and, where people must hear of it, its mail in the outbox.
package enum ExerciseOperations {
    package static func create(_ input: ExerciseInput.Valid, by actor: AuditActor, on ctx: UseCaseContext) async throws -> Exercise {
        try await ctx.writer.write(on: ctx.db, actor: actor) { tx, audit in
            let exercise = Exercise(
                name: input.name, territory: input.territory, timeZone: input.timeZone,
                nationalPlan: input.nationalPlan, sectorLabels: input.sectorLabels)
            try await exercise.create(on: tx)
            try await audit.created("exercise", id: exercise.id, exercise: exercise.id, ExerciseDTO(exercise))
            return exercise
        }
    }

    /// Adds a member, creating their account when the email is new, and emails them an invitation.
    package static func invite(_ input: MemberInput.Valid, to context: ExerciseContext, on ctx: UseCaseContext) async throws -> Member {
        let exercise = context.exercise
        let now = ctx.now
        return try await ctx.writer.write(on: ctx.db, actor: context.actor) { tx, audit in
            if try await Member.query(on: tx).filter(\.$exercise.$id == exercise.id!).filter(\.$email == input.email).first() != nil {
                throw CocreaError.memberExists(email: input.email, exercise: exercise.name)
            }
            let user: User
            if let existing = try await User.query(on: tx).filter(\.$email == input.email).first() {
                user = existing
            } else {
                user = User(email: input.email, name: input.name)
                try await user.create(on: tx)
                try await audit.created("user", id: user.id, exercise: nil, ["email": user.email, "name": user.name])
            }
            let member = Member(
                exerciseID: exercise.id!, userID: try user.requireID(), name: input.name, email: input.email,
                sector: input.sector, organization: input.organization, role: input.role, rfc: input.rfc, curp: input.curp)
            try await member.create(on: tx)
            try await audit.created("member", id: member.id, exercise: exercise.id, MemberDTO(member))
            let message = Messages.invitation(member: member, exercise: exercise, from: ctx.mailFrom, baseURL: ctx.baseURL)
            try await Outbox.enqueue(message, kind: "invitation", exerciseID: exercise.id, on: tx, now: now)
            return member
        }
    }

    /// Records the RFC and CURP a member's e.firma names them by (or clears them), audited.
    package static func updateIdentifiers(
        _ input: MemberIdentifiersInput.Valid, of memberID: UUID, in context: ExerciseContext, on ctx: UseCaseContext
    ) async throws -> Member {
        try await ctx.writer.write(on: ctx.db, actor: context.actor) { tx, audit in
            guard let member = try await Member.find(memberID, on: tx), member.$exercise.id == context.exerciseID else {
                throw CocreaError.notFound(.member)
            }
            let before = MemberDTO(member)
            if let rfc = input.rfc { member.rfc = rfc }
            if let curp = input.curp { member.curp = curp }
            try await member.save(on: tx)
            let after = MemberDTO(member)
            try await audit.record("update", entity: "member", id: member.id, exercise: context.exerciseID, before: before, after: after)
            return member
        }
    }

    package struct Upload {
        package var filename: String
        package var bytes: [UInt8]

        package init(filename: String, bytes: [UInt8]) {
            self.filename = filename
            self.bytes = bytes
        }
    }

    package static func addDossierItem(
        _ input: DossierItemInput.Valid, upload: Upload?, to context: ExerciseContext, on ctx: UseCaseContext
    ) async throws -> (DossierItem, StoredFile?) {
        guard context.access.mayContribute(input.kind) else {
            let sector = input.kind.contributingSector
            throw CocreaError.contributionForbidden(kind: input.kind.label(.es), contributor: context.exercise.label(for: sector).lowercased())
        }
        let accepted = try upload.map { try UploadPolicy.check(filename: $0.filename, bytes: $0.bytes) }
        let now = ctx.now
        return try await ctx.writer.write(on: ctx.db, actor: context.actor) { tx, audit in
            var file: StoredFile?
            if let upload, let accepted {
                let data = Data(upload.bytes)
                let stored = StoredFile(name: accepted.filename, mediaType: accepted.mediaType, data: data, sha256: Hashing.sha256Hex(data))
                try await stored.create(on: tx)
                file = stored
            }
            let item = DossierItem(
                exerciseID: context.exerciseID, kind: input.kind, title: input.title, body: input.body,
                source: input.source, contributedByMemberID: context.member?.id,
                contributedBy: context.byline, fileID: file?.id, createdAt: now,
                visibility: input.visibility)
            try await item.create(on: tx)
            try await audit.created(
                "dossierItem", id: item.id, exercise: context.exerciseID,
                DossierItemDTO(item, file: file, late: false))
            return (item, file)
        }
    }

    /// The exercise's members in name order.
    package static func members(of exerciseID: UUID, on ctx: UseCaseContext) async throws -> [Member] {
        try await Member.query(on: ctx.db).filter(\.$exercise.$id == exerciseID).sort(\.$name).all()
    }

    /// The exercise's dossier items, oldest first, with their files; each is late when added after the latest distribution.
    package static func dossierItems(of exerciseID: UUID, on ctx: UseCaseContext) async throws -> [(item: DossierItem, late: Bool)] {
        let items = try await DossierItem.query(on: ctx.db).filter(\.$exercise.$id == exerciseID).with(\.$file).sort(\.$createdAt).all()
        let lastDistribution = try await latestDistributionDate(of: exerciseID, on: ctx.db)
        return items.map { item in (item, lastDistribution.map { (item.createdAt ?? .distantPast) > $0 } ?? false) }
    }

    /// A file attached to one of the exercise's dossier items; any other is not found.
    package static func dossierFile(_ fileID: UUID?, of exerciseID: UUID, on ctx: UseCaseContext) async throws -> StoredFile {
        guard let fileID,
            let item = try await DossierItem.query(on: ctx.db).filter(\.$exercise.$id == exerciseID).filter(\.$file.$id == fileID).first(),
            let file = try await StoredFile.find(item.$file.id, on: ctx.db)
        else {
            throw CocreaError.notFound(.exerciseFile)
        }
        return file
    }

    /// Items added after the latest distribution are late: they need a new distribution (rule D10).
    package static func latestDistributionDate(of exerciseID: UUID, on db: Database) async throws -> Date? {
        try await DossierDistribution.query(on: db).filter(\.$exercise.$id == exerciseID)
            .sort(\.$sentAt, .descending).first()?.sentAt
    }
}
