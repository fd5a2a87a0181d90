import CocreaConsultation
import CocreaCore
import CocreaStore
import FluentKit
import Foundation
import SQLKit

package struct RequestImportDTO: Codable, Sendable {
    package var id: UUID
    package var state: String
    package var validRows: Int
    package var invalidRows: Int
    package var importedRows: Int
    package var createdAt: Date
    package var appliedAt: Date?

    package init(_ record: RequestImport) throws {
        id = try record.requireID()
        state = record.state
        validRows = record.validRows
        invalidRows = record.invalidRows
        importedRows = record.importedRows
        createdAt = record.createdAt
        appliedAt = record.appliedAt
    }
}

package struct MonthCountDTO: Codable, Sendable {
    package var month: String
    package var count: Int

    package init(month: String, count: Int) {
        self.month = month
        self.count = count
    }
}

package struct RequestExampleDTO: Codable, Sendable {
    package var folio: String
    package var filedOn: String
    package var obligatedBody: String
    package var text: String

    package init(folio: String, filedOn: String, obligatedBody: String, text: String) {
        self.folio = folio
        self.filedOn = filedOn
        self.obligatedBody = obligatedBody
        self.text = text
    }
}

package struct RequestTopicDTO: Codable, Sendable {
    package var id: UUID
    package var label: String
    package var terms: [String]
    package var count: Int
    package var months: [MonthCountDTO]
    package var examples: [RequestExampleDTO]
    package var dossierItemId: UUID?

    package init(id: UUID, label: String, terms: [String], count: Int, months: [MonthCountDTO], examples: [RequestExampleDTO], dossierItemId: UUID? = nil) {
        self.id = id
        self.label = label
        self.terms = terms
        self.count = count
        self.months = months
        self.examples = examples
        self.dossierItemId = dossierItemId
    }
}

package struct RequestTopicsDTO: Codable, Sendable {
    package var requestCount: Int
    package var detectedAt: Date?
    package var topics: [RequestTopicDTO]

    package init(requestCount: Int, detectedAt: Date? = nil, topics: [RequestTopicDTO]) {
        self.requestCount = requestCount
        self.detectedAt = detectedAt
        self.topics = topics
    }
}

package struct TopicDetectionInput: Codable, Sendable {
    package var topicCount: Int?

    package init(topicCount: Int? = nil) {
        self.topicCount = topicCount
    }
}

/// Access-to-information requests: files imported whole (or with their invalid rows knowingly skipped),
/// their recurring topics found, and a topic turned into dossier material with its evidence.
package enum RequestOperations {
    /// A file with invalid rows is kept as a pending import: nothing is imported until the person
    /// accepts skipping them (or sends a corrected file).
    package static func importFile(
        named filename: String, bytes: Data, skipInvalid: Bool, in context: ExerciseContext, on ctx: UseCaseContext
    ) async throws -> RequestImport {
        // Reading a large file and finding topics are CPU work: off the event loop, on Vapor's thread pool.
        let report = try await ctx.threadPool.runIfActive { try RequestFile.read(bytes, filename: filename) }
        let known = try await existingFolios(of: context.exerciseID, among: report.rows.map(\.folio), on: ctx.db)
        let problems =
            report.problems
            + report.rows.filter { known.contains($0.folio) }
            .map { RequestFileProblem(line: $0.line, "requestRowFolioImported", ["folio": .text($0.folio)]) }
        let record = RequestImport()
        record.$exercise.id = context.exerciseID
        record.state = "pending"
        record.validRows = report.rows.filter { !known.contains($0.folio) }.count
        record.invalidRows = Set(problems.map(\.line)).count
        record.importedRows = 0
        record.importedBy = context.byline
        record.createdAt = ctx.now
        let stored = StoredFile(
            name: UploadPolicy.sanitize(filename),
            mediaType: report.format == .xlsx
                ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv",
            data: bytes, sha256: Hashing.sha256Hex(bytes))
        guard problems.isEmpty || skipInvalid else {
            try await ctx.writer.write(on: ctx.db, actor: context.actor) { tx, _ in
                try await stored.create(on: tx)
                record.$file.id = try stored.requireID()
                try await record.create(on: tx)
            }
            throw rowsInvalid(problems, valid: record.validRows, importID: try record.requireID())
        }
        return try await apply(report.rows.filter { !known.contains($0.folio) }, record: record, file: stored, in: context, on: ctx)
    }

    /// The person accepted leaving out the invalid rows of a pending import.
    package static func applyPending(_ importID: UUID?, in context: ExerciseContext, on ctx: UseCaseContext) async throws -> RequestImport {
        guard let importID,
            let record = try await RequestImport.query(on: ctx.db).filter(\.$id == importID)
                .filter(\.$exercise.$id == context.exerciseID).with(\.$file).first()
        else {
            throw CocreaError.notFound(.requestImport)
        }
        guard record.state == "pending" else {
            throw CocreaError.importApplied
        }
        let data = record.file.data
        let name = record.file.name
        let report = try await ctx.threadPool.runIfActive { try RequestFile.read(data, filename: name) }
        let known = try await existingFolios(of: context.exerciseID, among: report.rows.map(\.folio), on: ctx.db)
        return try await apply(report.rows.filter { !known.contains($0.folio) }, record: record, file: nil, in: context, on: ctx)
    }

    private static func apply(
        _ rows: [InformationRequestRow], record: RequestImport, file: StoredFile?, in context: ExerciseContext,
        on ctx: UseCaseContext
    ) async throws -> RequestImport {
        guard !rows.isEmpty else {
            throw CocreaError.noValidRequestsLeft
        }
        let now = ctx.now
        let applied = try await ctx.writer.write(on: ctx.db, actor: context.actor) { tx, audit in
            if let file {
                try await file.create(on: tx)
                record.$file.id = try file.requireID()
            }
            record.state = "applied"
            record.importedRows = rows.count
            record.validRows = rows.count
            record.appliedAt = now
            try await record.save(on: tx)
            let importID = try record.requireID()
            for chunk in stride(from: 0, to: rows.count, by: 500).map({ rows[$0..<min($0 + 500, rows.count)] }) {
                try await chunk.map { row in
                    let request = InformationRequest()
                    request.$exercise.id = context.exerciseID
                    request.$requestImport.id = importID
                    request.folio = row.folio
                    request.filedOn = row.filedOn.description
                    request.obligatedBody = row.obligatedBody
                    request.text = row.text
                    request.extraJSON = JSON.canonical(row.extra)
                    return request
                }.create(on: tx)
            }
            try await audit.record(
                "import", entity: "informationRequests", id: importID, exercise: context.exerciseID,
                before: Optional<String>.none, after: try RequestImportDTO(record), at: now)
            try await detectTopics(in: context.exerciseID, topicCount: nil, at: now, on: tx, pool: ctx.threadPool)
            return record
        }
        return applied
    }

    package static func redetect(topicCount: Int?, in context: ExerciseContext, on ctx: UseCaseContext) async throws {
        if let topicCount, !(2...30).contains(topicCount) {
            throw CocreaError.validation([
                FieldError(field: "topicCount", "problemTopicCount")
            ])
        }
        let now = ctx.now
        try await ctx.writer.write(on: ctx.db, actor: context.actor) { tx, audit in
            try await detectTopics(in: context.exerciseID, topicCount: topicCount, at: now, on: tx, pool: ctx.threadPool)
            try await audit.record(
                "detectTopics", entity: "exercise", id: context.exerciseID, exercise: context.exerciseID,
                before: Optional<String>.none, after: ["topicCount": topicCount], at: now)
        }
    }

    /// Finds the topics of every request of the exercise again; topics already taken to the dossier keep
    /// their item, and those a commitment or a frozen version names stay, as its origin.
    private static func detectTopics(in exerciseID: UUID, topicCount: Int?, at now: Date, on tx: Database, pool: NIOThreadPool) async throws {
        let requests = try await InformationRequest.query(on: tx).filter(\.$exercise.$id == exerciseID).sort(\.$folio)
            .field(\.$id).field(\.$text).all()
        let texts = requests.map(\.text)
        let detection = try await pool.runIfActive { TopicModel.detect(texts, topicCount: topicCount) }
        guard let sql = tx as? any SQLDatabase else { return }
        try await sql.update(InformationRequest.schema).set("topic_id", to: SQLLiteral.null)
            .where("exercise_id", .equal, SQLBind(exerciseID)).run()
        let named = Array(try await namedTopics(in: exerciseID, on: tx))
        let unused = RequestTopic.query(on: tx).filter(\.$exercise.$id == exerciseID).filter(\.$dossierItem.$id == nil)
        try await (named.isEmpty ? unused : unused.filter(\.$id !~ named)).delete()
        for (position, finding) in detection.topics.enumerated() {
            let topic = RequestTopic()
            topic.$exercise.id = exerciseID
            topic.label = finding.label
            topic.termsJSON = JSON.canonical(finding.terms)
            topic.size = finding.members.count
            topic.position = position
            topic.detectedAt = now
            try await topic.create(on: tx)
            let ids = finding.members.map { requests[$0].id! }
            for start in stride(from: 0, to: ids.count, by: 500) {
                try await sql.update(InformationRequest.schema).set("topic_id", to: SQLBind(try topic.requireID()))
                    .where("id", .in, Array(ids[start..<min(start + 500, ids.count)])).run()
            }
        }
    }

    /// The topics the exercise's commitments, live or in a frozen version, name as where they came from.
    private static func namedTopics(in exerciseID: UUID, on tx: Database) async throws -> Set<UUID> {
        let live = try await Commitment.query(on: tx).filter(\.$exercise.$id == exerciseID).filter(\.$requestTopicIDsJSON != nil)
            .field(\.$id).field(\.$requestTopicIDsJSON).all()
            .flatMap { commitment in commitment.requestTopicIDsJSON.flatMap { try? JSONDecoder().decode([UUID].self, from: Data($0.utf8)) } ?? [] }
        let frozen = try await PlanVersion.query(on: tx).filter(\.$exercise.$id == exerciseID).all()
            .flatMap { version in (try? PlanVersionOperations.content(of: version))?.commitments.flatMap { $0.requestTopicIds ?? [] } ?? [] }
        return Set(live + frozen)
    }

    package static func topics(of exerciseID: UUID, on ctx: UseCaseContext) async throws -> RequestTopicsDTO {
        let db = ctx.db
        let topics = try await RequestTopic.query(on: db).filter(\.$exercise.$id == exerciseID).filter(\.$size > 0).sort(\.$position).all()
        let requestCount = try await InformationRequest.query(on: db).filter(\.$exercise.$id == exerciseID).count()
        // Counts per topic and month, and each topic's three latest requests: two queries for all topics.
        let sql = db as! any SQLDatabase
        struct MonthRow: Decodable {
            var topic_id: UUID
            var month: String
            var n: Int
        }
        let monthRows = try await sql.raw(
            """
            SELECT topic_id, substr(filed_on, 1, 7) AS month, COUNT(*) AS n FROM information_requests
            WHERE exercise_id = \(bind: exerciseID) AND topic_id IS NOT NULL GROUP BY topic_id, substr(filed_on, 1, 7)
            """
        ).all(decoding: MonthRow.self)
        struct ExampleRow: Decodable {
            var topic_id: UUID
            var folio: String
            var filed_on: String
            var obligated_body: String
            var text: String
        }
        let exampleRows = try await sql.raw(
            """
            SELECT topic_id, folio, filed_on, obligated_body, text FROM (
                SELECT topic_id, folio, filed_on, obligated_body, text,
                       ROW_NUMBER() OVER (PARTITION BY topic_id ORDER BY filed_on DESC, folio) AS rank
                FROM information_requests WHERE exercise_id = \(bind: exerciseID) AND topic_id IS NOT NULL
            ) AS ranked WHERE rank <= 3 ORDER BY filed_on DESC, folio
            """
        ).all(decoding: ExampleRow.self)
        let months = Dictionary(grouping: monthRows, by: \.topic_id)
        let examples = Dictionary(grouping: exampleRows, by: \.topic_id)
        let views = try topics.compactMap { topic -> RequestTopicDTO? in
            let id = try topic.requireID()
            guard let counts = months[id] else { return nil }
            return RequestTopicDTO(
                id: id, label: topic.label,
                terms: (try? JSONDecoder().decode([String].self, from: Data(topic.termsJSON.utf8))) ?? [],
                count: counts.reduce(0) { $0 + $1.n },
                months: counts.map { MonthCountDTO(month: $0.month, count: $0.n) }.sorted { $0.month < $1.month },
                examples: (examples[id] ?? []).map {
                    RequestExampleDTO(folio: $0.folio, filedOn: $0.filed_on, obligatedBody: $0.obligated_body, text: $0.text)
                },
                dossierItemId: topic.$dossierItem.id)
        }
        return RequestTopicsDTO(requestCount: requestCount, detectedAt: topics.first?.detectedAt, topics: views)
    }

    /// A recurring topic becomes dossier material: how many requests, over which months, with examples.
    package static func makeProblem(fromTopic topicID: UUID?, in context: ExerciseContext, on ctx: UseCaseContext) async throws -> DossierItem {
        guard let topicID, let topic = try await RequestTopic.find(topicID, on: ctx.db), topic.$exercise.id == context.exerciseID else {
            throw CocreaError.notFound(.topic)
        }
        guard topic.$dossierItem.id == nil else {
            throw CocreaError.topicInDossier
        }
        let overview = try await topics(of: context.exerciseID, on: ctx)
        guard let view = overview.topics.first(where: { $0.id == topicID }) else { throw CocreaError.notFound(.topic) }
        var lines = [
            "\(view.count) de \(overview.requestCount) solicitudes de acceso a la información del ejercicio tratan este tema (términos principales: \(view.terms.joined(separator: ", ")))."
        ]
        if let first = view.months.first, let last = view.months.last {
            lines.append("Periodo: \(first.month) a \(last.month). Por mes: " + view.months.map { "\($0.month): \($0.count)" }.joined(separator: "; ") + ".")
        }
        lines.append("Ejemplos:")
        lines += view.examples.map { "• Folio \($0.folio) (\($0.filedOn), \($0.obligatedBody)): «\($0.text.prefix(300))»" }
        lines.append("Evidencia: \(ctx.baseURL)/exercises/\(context.exerciseID)/requests#tema-\(topicID)")
        let (item, _) = try await ExerciseOperations.addDossierItem(
            .init(
                kind: .informationRequests, title: String("Solicitudes recurrentes: \(view.label)".prefix(200)), body: lines.joined(separator: "\n"),
                source: "Solicitudes de acceso a la información importadas (\(view.count) de \(overview.requestCount))"),
            upload: nil, to: context, on: ctx)
        try await ctx.writer.write(on: ctx.db, actor: context.actor) { tx, _ in
            topic.$dossierItem.id = try item.requireID()
            try await topic.save(on: tx)
        }
        return item
    }

    private static func existingFolios(of exerciseID: UUID, among folios: [String], on db: Database) async throws -> Set<String> {
        var found = Set<String>()
        for start in stride(from: 0, to: folios.count, by: 500) {
            let chunk = Array(folios[start..<min(start + 500, folios.count)])
            found.formUnion(
                try await InformationRequest.query(on: db).filter(\.$exercise.$id == exerciseID).filter(\.$folio ~~ chunk)
                    .field(\.$folio).all().map(\.folio))
        }
        return found
    }

    package static func rowsInvalid(_ problems: [RequestFileProblem], valid: Int, importID: UUID) -> CocreaError {
        CocreaError.requestRowsInvalid(problems.map { (line: $0.line, text: $0.text) }, valid: valid, importID: importID)
    }
}
