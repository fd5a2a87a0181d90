import CocreaCore
import CocreaStore
import FluentKit
import FluentSQL
import Foundation

/// Lists of exercises a page at a time, in name order: a national instance hosts thousands, and no
/// request loads them all. The API walks them with a cursor (keyset on name and id, so an exercise
/// added between two pages neither repeats nor hides one); pages are numbered, 25 each, with a search
/// over the folded name and territory.
package enum ExerciseListing {
    package static let pageSize = 25
    package static let defaultLimit = 50
    package static let maxLimit = 200

    /// Where the next API page starts: the last row's sort key, opaque to clients (base64url JSON).
    package struct Cursor: Codable, Equatable {
        package var name: String
        package var id: UUID

        package var token: String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys  // the same row always gives the same cursor
            return (try? encoder.encode(self))!.base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
        }

        package init(name: String, id: UUID) {
            self.name = name
            self.id = id
        }

        package init?(token: String) {
            var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
            guard token.count <= 2000, let data = Data(base64Encoded: base64),
                let cursor = try? JSONDecoder().decode(Cursor.self, from: data)
            else { return nil }
            self = cursor
        }
    }

    /// An API page's size and start, from `limit` and `cursor`; anything else is a Spanish 422.
    package static func apiParameters(limit: String?, cursor: String?) throws -> (limit: Int, after: Cursor?) {
        var errors: [FieldError] = []
        var size = defaultLimit
        if let limit {
            if let value = Int(limit), (1...maxLimit).contains(value) {
                size = value
            } else {
                errors.append(FieldError(field: "limit", "problemLimit", ["maximum": .number(maxLimit)]))
            }
        }
        var after: Cursor?
        if let cursor {
            after = Cursor(token: cursor)
            if after == nil {
                errors.append(
                    FieldError(field: "cursor", "problemCursor"))
            }
        }
        if !errors.isEmpty { throw CocreaError.validation(errors) }
        return (size, after)
    }

    /// The exercises a person sees: all for an administrator, otherwise those they are a member of.
    private static func visible(to user: User, on db: Database) throws -> QueryBuilder<Exercise> {
        if user.isAdministrator { return Exercise.query(on: db) }
        let id = try user.requireID()
        return Exercise.query(on: db).join(Member.self, on: \Member.$exercise.$id == \Exercise.$id)
            .filter(Member.self, \.$user.$id == id)
    }

    /// One API page and the cursor of the next, nil on the last.
    package static func apiPage(for user: User, limit: Int, after cursor: Cursor?, on ctx: UseCaseContext) async throws -> ([Exercise], next: Cursor?) {
        let query = try visible(to: user, on: ctx.db)
        if let cursor {
            query.group(.or) { or in
                or.filter(\.$name > cursor.name)
                or.group(.and) { $0.filter(\.$name == cursor.name).filter(\.$id > cursor.id) }
            }
        }
        let rows = try await query.sort(\.$name).sort(\.$id).limit(limit + 1).all()
        let page = Array(rows.prefix(limit))
        let next = rows.count > limit ? page.last.map { Cursor(name: $0.name, id: $0.id!) } : nil
        return (page, next)
    }

    /// One numbered page (from 1) of what a query finds, and how many it finds in all.
    package struct Numbered<Row> {
        package var rows: [Row]
        package var page: Int
        package var total: Int

        package var pageCount: Int { max(1, (total + ExerciseListing.pageSize - 1) / ExerciseListing.pageSize) }

        package init(rows: [Row], page: Int, total: Int) {
            self.rows = rows
            self.page = page
            self.total = total
        }
    }

    private static func numbered(_ query: QueryBuilder<Exercise>, search: String?, page: Int) async throws -> Numbered<Exercise> {
        if let pattern = search.flatMap(SearchText.pattern) {
            query.filter(\.$searchKey, .contains(inverse: false, .anywhere), pattern)
        }
        let total = try await query.count()
        let page = max(1, page)
        let rows = try await query.sort(\.$name).sort(\.$id)
            .range(((page - 1) * pageSize)..<(page * pageSize)).all()
        return Numbered(rows: rows, page: page, total: total)
    }

    /// The workspace list: each exercise with the person's role in it (nil for an administrator).
    package static func workspacePage(for user: User, search: String?, page: Int, on ctx: UseCaseContext) async throws -> Numbered<(Exercise, Role?)> {
        let found = try await numbered(visible(to: user, on: ctx.db), search: search, page: page)
        let rows: [(Exercise, Role?)] = try found.rows.map { exercise in
            if user.isAdministrator { return (exercise, nil) }
            return (exercise, try exercise.joined(Member.self).role)
        }
        return Numbered(rows: rows, page: found.page, total: found.total)
    }

    /// The public index: the exercises `PublicationOperations.publiclyVisible` lets anyone see.
    package static func publicPage(search: String?, page: Int, on db: Database) async throws -> Numbered<Exercise> {
        try await numbered(PublicationOperations.publiclyVisible(Exercise.query(on: db)), search: search, page: page)
    }
}
