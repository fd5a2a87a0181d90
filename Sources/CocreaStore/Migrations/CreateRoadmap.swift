import FluentKit
import SQLKit

/// The roadmap announced in advance, and every announcement of each of its events.
struct CreateRoadmap: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(RoadmapEvent.schema)
            .id()
            .field("exercise_id", .uuid, .required, .references(Exercise.schema, "id"))
            .field("kind", .string, .required)
            .field("title", .string, .required)
            .field("starts_on", .string, .required)
            .field("ends_on", .string, .required)
            .field("place", .string, .required)
            .field("position", .int, .required)
            .field("sequence", .int, .required)
            .field("announced_at", .datetime, .required)
            .field("withdrawn_at", .datetime)
            .create()
        try await database.schema(RoadmapAnnouncement.schema)
            .id()
            .field("event_id", .uuid, .required, .references(RoadmapEvent.schema, "id"))
            .field("title", .string, .required)
            .field("starts_on", .string, .required)
            .field("ends_on", .string, .required)
            .field("place", .string, .required)
            .field("withdrawn", .bool, .required)
            .field("announced_at", .datetime, .required)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "roadmap_events_by_exercise_id").on(RoadmapEvent.schema).column("exercise_id").run()
        try await sql.create(index: "roadmap_announcements_by_event_id").on(RoadmapAnnouncement.schema).column("event_id").run()
    }

    func revert(on database: Database) async throws {
        try await database.schema(RoadmapAnnouncement.schema).delete()
        try await database.schema(RoadmapEvent.schema).delete()
    }
}
