import CocreaCore
import CocreaUseCases
import Foundation

/// The public exercise's process as its page shows it: the words come from the catalogue, the
/// facts from `PublicExerciseOperations.overview`.
struct PublicProcessView: Encodable, Sendable {
    struct Person: Encodable, Sendable {
        var name, sector, organization: String
    }

    struct Event: Encodable, Sendable {
        var kind, title, dates, place, announced: String
        var changes: [String]
    }

    struct Table: Encodable, Sendable {
        var date, place, stage: String
        var attendance: [String]
    }

    struct Document: Encodable, Sendable {
        var kind, title, body, source: String
        var fileUrl: String?
        var fileLabel: String?
    }

    struct Version: Encodable, Sendable {
        var number: Int
        var frozenAt, sha256, sealed: String
        var conformity: [String]
    }

    var published: String
    var convener: String
    var members: [Person]
    var roadmap: [Event]
    var tables: [Table]
    var documents: [Document]
    var versions: [Version]

    init(_ overview: PublicExerciseDTO, zone: TimeZone, language: Language, words: Words) {
        func day(_ text: String) -> String { LocalDate(text).map(MexicanFormat.numeric) ?? text }
        func span(_ starts: String, _ ends: String) -> String { starts == ends ? day(starts) : "\(day(starts)) – \(day(ends))" }
        func counted(_ sectors: [SectorCount]) -> String {
            sectors.map { "\($0.label): \($0.count)" }.joined(separator: ", ")
        }
        published = overview.publishedAt.map { words["publicPublishedOn", ["date": words.dateTime($0, in: zone)]] } ?? words["publicDraft"]
        convener = "\(overview.convener.label)\(overview.convener.organizations.isEmpty ? "" : ": " + overview.convener.organizations.joined(separator: ", "))"
        members = overview.stl.map { Person(name: $0.name, sector: $0.sectorLabel, organization: $0.organization) }
        roadmap = overview.roadmap.map { event in
            Event(
                kind: event.kind.label(language), title: event.title, dates: span(event.startsOn, event.endsOn), place: event.place,
                announced: MexicanFormat.numeric(event.announcedAt, in: zone),
                changes: event.changes.map { earlier in
                    words[
                        "roadmapBefore",
                        [
                            "dates": span(earlier.startsOn, earlier.endsOn), "place": earlier.place,
                            "date": MexicanFormat.numeric(earlier.announcedAt, in: zone),
                        ]]
                })
        }
        tables = overview.roundtables.map { table in
            Table(
                date: words.dateTime(table.startsAt, in: zone), place: table.place,
                stage: table.cancelled ? words["publicTableCancelled"] : table.stage.label(language),
                attendance: (table.attendance ?? []).map { "\($0.presence.label(language)): \(counted($0.sectors))" })
        }
        documents = overview.documents.map { document in
            Document(
                kind: document.kind.label(language), title: document.title, body: document.body, source: document.source,
                fileUrl: document.file?.url, fileLabel: document.file.map { "\($0.name) (\(MexicanFormat.fileSize($0.size)))" })
        }
        versions = overview.versions.map { version in
            Version(
                number: version.number, frozenAt: MexicanFormat.numeric(version.frozenAt, in: zone), sha256: version.sha256,
                sealed: version.sealedAt.map { MexicanFormat.numeric($0, in: zone) } ?? words["publicNotSealed"],
                conformity: version.conformity.map { "\($0.stance.label(language)): \(counted($0.sectors))" })
        }
    }
}
