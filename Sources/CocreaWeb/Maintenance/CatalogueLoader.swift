import CocreaCore
import CocreaStore
import CocreaUseCases
import Fluent
import Vapor

/// Loads a national plan catalogue, adding new entries and updating the titles of known ones.
enum CatalogueLoader {
    /// The plan of the seed's exercise and the demo.
    static let bundledPlan = "2016-2018"

    /// Mexico's national plans as Cocrea ships them (Resources/data, each row with its source).
    static let bundledPlans = ["2016-2018", "2019-2021"]

    static func bundledEntries(of plan: String, resourcesDirectory: String) throws -> [NationalCatalogueEntry] {
        let path = resourcesDirectory + "data/national-plan-mx-\(plan).csv"
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CocreaError.catalogueMissing(path)
        }
        return try NationalCatalogue.parse(csv: String(decoding: data, as: UTF8.self))
    }

    @discardableResult
    static func load(plan: String, entries: [NationalCatalogueEntry], actor: AuditActor, on app: Application) async throws -> Int {
        try await app.writer.write(on: app.db, actor: actor) { tx, audit in
            let existing = try await NationalCommitment.query(on: tx).filter(\.$plan == plan).all()
            let byCode = Dictionary(uniqueKeysWithValues: existing.map { ($0.code, $0) })
            var changed = 0
            for entry in entries {
                if let known = byCode[entry.code] {
                    guard
                        known.title != entry.title || known.axis != entry.axis || known.source != entry.source
                            || known.isAxis != entry.isAxis
                    else { continue }
                    known.title = entry.title
                    known.axis = entry.axis
                    known.source = entry.source
                    known.isAxis = entry.isAxis
                    try await known.save(on: tx)
                } else {
                    try await NationalCommitment(entry, plan: plan).create(on: tx)
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
                try await audit.record(
                    "load", entity: "nationalCatalogue", id: nil, exercise: nil,
                    before: Optional<String>.none, after: ["plan": plan, "entries": "\(entries.count)"])
            }
            return changed
        }
    }
}

/// A new installation knows Mexico's national plans, so that rule Q2 can be met before an administrator
/// uploads anything. A plan that already has entries (loaded or replaced by an administrator) is left alone.
struct LoadBundledNationalCatalogues: AsyncMigration {
    let resourcesDirectory: String

    func prepare(on database: Database) async throws {
        for plan in CatalogueLoader.bundledPlans where try await NationalCommitment.query(on: database).filter(\.$plan == plan).count() == 0 {
            for entry in try CatalogueLoader.bundledEntries(of: plan, resourcesDirectory: resourcesDirectory) {
                try await NationalCommitment(entry, plan: plan).create(on: database)
            }
        }
    }

    /// Reference data, not schema: it stays unless an administrator replaces it.
    func revert(on database: Database) async throws {}
}

extension NationalCommitment {
    convenience init(_ entry: NationalCatalogueEntry, plan: String) {
        self.init(plan: plan, code: entry.code, axis: entry.axis, title: entry.title, source: entry.source, isAxis: entry.isAxis)
    }
}
