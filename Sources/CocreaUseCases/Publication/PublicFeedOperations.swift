import CocreaCore
import CocreaDocuments
import CocreaStore
import FluentKit
import Foundation

/// The public exercise as a calendar to subscribe to and as a news feed. Neither names a person:
/// places, dates, titles and fingerprints only.
package enum PublicFeedOperations {
    package static func calendar(of exercise: Exercise, words: Words, language: Language, on ctx: UseCaseContext) async throws -> PublicCalendar {
        let (db, baseURL) = (ctx.db, ctx.baseURL)
        let exerciseID = try exercise.requireID()
        let page = "\(baseURL)/public/exercises/\(exerciseID.uuidString.lowercased())"
        var events: [PublicCalendar.Event] = []
        for event in try await PublicationOperations.allEvents(of: exerciseID, on: db) {
            let stamp = event.announcements.map(\.announcedAt).max() ?? event.announcedAt
            events.append(
                PublicCalendar.Event(
                    uid: "hoja-de-ruta-\(event.id!.uuidString.lowercased())@cocrea", sequence: event.sequence, stamp: stamp,
                    when: .days(LocalDate(event.startsOn)!, LocalDate(event.endsOn)!), summary: "\(event.title) — \(exercise.name)",
                    description: words["calendarEventDescription", ["kind": event.kind.label(language), "exercise": exercise.name]],
                    location: event.place, url: "\(page)#hoja-de-ruta", cancelled: event.withdrawnAt != nil))
        }
        // A table keeps the UID and SEQUENCE of its emailed invitations, so both describe one event.
        for table in try await Roundtable.query(on: db).filter(\.$exercise.$id == exerciseID).sort(\.$startsAt).all() {
            events.append(
                PublicCalendar.Event(
                    uid: "mesa-\(table.id!.uuidString.lowercased())@cocrea", sequence: table.invitationSequence,
                    stamp: table.updatedAt ?? table.createdAt ?? table.startsAt,
                    when: .instants(table.startsAt, table.startsAt.addingTimeInterval(RoundtableOperations.duration)),
                    summary: words["calendarTableSummary", ["exercise": exercise.name]],
                    description: words["calendarTableDescription", ["exercise": exercise.name]],
                    location: table.place, url: "\(page)#mesas", cancelled: table.cancelledAt != nil))
        }
        return PublicCalendar(name: words["calendarName", ["exercise": exercise.name]], events: events)
    }

    package static func feed(of exercise: Exercise, words: Words, language: Language, on ctx: UseCaseContext) async throws -> AtomFeed {
        let (db, baseURL) = (ctx.db, ctx.baseURL)
        let exerciseID = try exercise.requireID()
        let page = "\(baseURL)/public/exercises/\(exerciseID.uuidString.lowercased())"
        let zone = exercise.zone
        func day(_ text: String) -> String { LocalDate(text).map(MexicanFormat.numeric) ?? text }
        var entries: [AtomFeed.Entry] = []
        if let publishedAt = exercise.publishedAt {
            entries.append(
                .init(
                    id: "\(page)#publicacion", title: words["feedPublished"], summary: words["feedPublishedSummary"],
                    link: page, updated: publishedAt))
        }
        for event in try await PublicationOperations.allEvents(of: exerciseID, on: db) {
            let announcements = event.announcements.sorted { $0.announcedAt < $1.announcedAt }
            for (index, announcement) in announcements.enumerated() {
                let key = announcement.withdrawn ? "feedRoadmapWithdrawn" : index == 0 ? "feedRoadmapAnnounced" : "feedRoadmapChanged"
                let dates =
                    announcement.startsOn == announcement.endsOn ? day(announcement.startsOn) : "\(day(announcement.startsOn)) – \(day(announcement.endsOn))"
                entries.append(
                    .init(
                        id: "\(page)#hoja-de-ruta-\(announcement.id!.uuidString.lowercased())", title: words[key, ["title": announcement.title]],
                        summary: words["feedRoadmapSummary", ["kind": event.kind.label(language), "dates": dates, "place": announcement.place]],
                        link: "\(page)#hoja-de-ruta", updated: announcement.announcedAt))
            }
        }
        for table in try await Roundtable.query(on: db).filter(\.$exercise.$id == exerciseID).all() {
            let id = table.id!.uuidString.lowercased()
            let date = words.dateTime(table.startsAt, in: zone)
            entries.append(
                .init(
                    id: "\(page)#mesa-\(id)", title: words["feedTableScheduled", ["date": date]],
                    summary: words["feedTableSummary", ["place": table.place]], link: "\(page)#mesas",
                    updated: table.createdAt ?? table.startsAt))
            if table.stage == .closed {
                entries.append(
                    .init(
                        id: "\(page)#mesa-\(id)-concluida", title: words["feedTableClosed", ["date": date]],
                        summary: words["feedTableClosedSummary"], link: "\(page)#mesas",
                        updated: table.updatedAt ?? table.startsAt))
            }
        }
        for version in try await PlanVersion.query(on: db).filter(\.$exercise.$id == exerciseID).all() {
            let id = version.id!.uuidString.lowercased()
            entries.append(
                .init(
                    id: "\(page)#version-\(id)", title: words["feedVersionFrozen", ["number": "\(version.number)"]],
                    summary: words["feedFingerprint", ["sha256": version.sha256]], link: "\(page)#versiones",
                    updated: version.frozenAt))
            if let sealedAt = version.sealedAt {
                entries.append(
                    .init(
                        id: "\(page)#version-\(id)-sellada", title: words["feedPlanSealed", ["number": "\(version.number)"]],
                        summary: words["feedFingerprint", ["sha256": version.sealedSHA256 ?? version.sha256]],
                        link: "\(baseURL)/verify/\(id)", updated: sealedAt))
            }
        }
        return AtomFeed(
            id: "\(page)#novedades", title: words["feedTitle", ["exercise": exercise.name]], link: page,
            selfLink: "\(page)/feed.atom", author: words["feedAuthor", ["territory": exercise.territory]],
            language: words["languageTag"], entries: entries)
    }
}
