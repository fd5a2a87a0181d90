import CocreaCore
import CocreaStore
import Fluent
import Vapor

/// Loads a national plan catalogue, adding new entries and updating the titles of known ones.
enum CatalogueLoader {
    static let bundledPlan = "2016-2018"

    static func bundledCSV(in app: Application) throws -> String {
        let path = app.directory.resourcesDirectory + "data/national-plan-mx-2016-2018.csv"
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CocreaError(status: 500, code: "catalogue_missing", message: "No se encontró el catálogo del plan nacional en \(path).")
        }
        return String(decoding: data, as: UTF8.self)
    }

    @discardableResult
    static func load(plan: String, entries: [NationalCatalogueEntry], actor: AuditActor, on app: Application) async throws -> Int {
        try await app.writer.write(on: app.db, actor: actor) { tx, audit in
            let existing = try await NationalCommitment.query(on: tx).filter(\.$plan == plan).all()
            let byCode = Dictionary(uniqueKeysWithValues: existing.map { ($0.code, $0) })
            var changed = 0
            for entry in entries {
                if let known = byCode[entry.code] {
                    guard known.title != entry.title || known.axis != entry.axis || known.source != entry.source else { continue }
                    known.title = entry.title
                    known.axis = entry.axis
                    known.source = entry.source
                    try await known.save(on: tx)
                } else {
                    try await NationalCommitment(plan: plan, code: entry.code, axis: entry.axis, title: entry.title, source: entry.source).create(on: tx)
                }
                changed += 1
            }
            // Replacing: entries no longer in the file go, unless a commitment still links to them.
            let codes = Set(entries.map(\.code))
            for stale in existing where !codes.contains(stale.code) {
                let linked = try await Commitment.query(on: tx).filter(\.$nationalCommitment.$id == stale.id!).count()
                if linked == 0 {
                    try await stale.delete(on: tx)
                    changed += 1
                }
            }
            if changed > 0 {
                try await audit.record("load", entity: "nationalCatalogue", id: nil, exercise: nil,
                                       before: Optional<String>.none, after: ["plan": plan, "entries": "\(entries.count)"])
            }
            return changed
        }
    }
}
