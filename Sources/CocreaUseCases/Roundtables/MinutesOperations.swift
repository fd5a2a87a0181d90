import CocreaCore
import CocreaDocuments
import CocreaStore
import FluentKit
import Foundation

/// The minutes (relatoría) of a table: attendance, stage times, every intervention, the agreements
/// and the conformity record. Made and stored when the table closes; shown as a page and a PDF.
package enum MinutesOperations {
    /// The page passes the reader's `language` and `words`; the stored PDF keeps the Spanish record.
    package static func document(
        of table: Roundtable, exercise: Exercise, language: Language = .es, words: Words? = nil, on ctx: UseCaseContext
    ) async throws -> MinutesDocument {
        try await document(of: table, exercise: exercise, language: language, words: words, on: ctx.db)
    }

    package static func document(
        of table: Roundtable, exercise: Exercise, language: Language = .es, words: Words? = nil,
        on db: Database
    ) async throws -> MinutesDocument {
        let zone = exercise.zone
        let tableID = try table.requireID()
        let members = try await Member.query(on: db).filter(\.$exercise.$id == exercise.requireID()).sort(\.$createdAt).all()
        let names = Dictionary(uniqueKeysWithValues: members.map { ($0.id!, $0.name) })
        let attendance = Dictionary(
            try await Attendance.query(on: db).filter(\.$roundtable.$id == tableID).all().map { ($0.$member.id, $0) },
            uniquingKeysWith: { first, _ in first })
        let stages = try await RoundtableEvent.query(on: db).filter(\.$roundtable.$id == tableID).filter(\.$kind == "stage").sort(\.$sequence).all()
            .compactMap { event -> String? in
                guard let payload = try? JSONDecoder().decode(LiveEvent.self, from: Data(event.payload.utf8)) else { return nil }
                return "\(payload.stage?.label(language) ?? payload.stageLabel ?? ""): \(MexicanFormat.numeric(event.occurredAt, in: zone))"
            }
        let items = Dictionary(
            try await DossierItem.query(on: db).filter(\.$exercise.$id == exercise.requireID()).all().map { ($0.id!, $0.title) },
            uniquingKeysWith: { first, _ in first })
        let interventions = try await Intervention.query(on: db).filter(\.$roundtable.$id == tableID).sort(\.$createdAt).all().map { intervention in
            MinutesDocument.Entry(
                at: intervention.createdAt.map { LiveEvents.time($0, in: zone) } ?? "", who: names[intervention.$member.id] ?? "",
                kind: intervention.kind.label(language), item: intervention.$dossierItem.id.flatMap { items[$0] } ?? "—",
                text: intervention.text)
        }
        let agreements = try await CommitmentOperations.list(exercise.requireID(), on: db)
            .sorted { ($0.category.rawValue, $0.title) < ($1.category.rawValue, $1.title) }
            .map { "\($0.category.label(language)) — \($0.title)" }
        var conformity: [MinutesDocument.Entry] = []
        if let version = try await PlanVersion.query(on: db).filter(\.$exercise.$id == exercise.requireID()).sort(\.$number, .descending).first() {
            conformity = try await Conformity.query(on: db).filter(\.$planVersion.$id == version.requireID()).sort(\.$statedAt).all().map {
                MinutesDocument.Entry(
                    at: MexicanFormat.numeric($0.statedAt, in: zone), who: names[$0.$member.id] ?? "", kind: $0.stance.label(language),
                    item: "", text: $0.reason ?? "")
            }
        }
        return MinutesDocument(
            exerciseName: exercise.name, territory: exercise.territory,
            date: words?.dateTime(table.startsAt, in: zone) ?? MexicanFormat.dateTime(table.startsAt, in: zone), place: table.place,
            attendees: members.map { member in
                let record = attendance[member.id!]
                var presence = record?.presence.label(language) ?? words?["consoleNoRecord"] ?? "Sin registro"
                if let representedBy = record?.representedBy {
                    presence = words?["consoleRepresentedByName", ["presence": presence, "name": representedBy]] ?? "\(presence) por \(representedBy)"
                }
                return .init(name: member.name, sector: member.sector.label(language), organization: member.organization, presence: presence)
            },
            stages: stages, interventions: interventions, agreements: agreements, conformity: conformity)
    }

    /// Renders the minutes and keeps them with the table (inside the closing transaction).
    /// The minutes stored when the table closed (the record as it was then).
    package static func storedPDF(of table: Roundtable, on ctx: UseCaseContext) async throws -> Download {
        guard let fileID = table.$minutesFile.id, let file = try await StoredFile.find(fileID, on: ctx.db) else {
            throw CocreaError.minutesNotReady
        }
        return Download(file.data, name: file.name, type: "application/pdf")
    }

    package static func store(_ table: Roundtable, exercise: Exercise, on tx: Database) async throws {
        let pdf = try MinutesPDF.render(await document(of: table, exercise: exercise, on: tx))
        let file = StoredFile(name: "relatoria-mesa.pdf", mediaType: "application/pdf", data: pdf, sha256: Hashing.sha256Hex(pdf))
        try await file.create(on: tx)
        table.$minutesFile.id = file.id
        try await table.save(on: tx)
    }
}
