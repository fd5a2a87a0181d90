import CocreaTestSupport
import CocreaUseCases
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor

@testable import CocreaWeb

/// Reading pages signed in costs no database write: Vapor saves the session after every request that
/// looked at it, and Cocrea skips the save when nothing in it changed. PostgreSQL shows it: every
/// UPDATE gives the row a new `xmin`.
@Suite struct SessionWriteTests {
    @Test(.enabled(if: TestDatabase.all.contains(.postgres)))
    func readingPagesSignedInLeavesTheSessionRowAlone() async throws {
        try await withCocrea(.postgres) { app in
            let fixture = try await Fixture.make(on: app)
            let browser = Browser(app: app)
            #expect(try await browser.signIn(email: fixture.members["facilitator"]!.email, password: Fixture.password).status == .seeOther)
            try await browser.get("/exercises")
            let sql = app.db as! any SQLDatabase
            func rowVersions() async throws -> [String] {
                try await sql.raw("SELECT id::text || ':' || xmin::text AS v FROM web_sessions ORDER BY id").all()
                    .map { try $0.decode(column: "v", as: String.self) }
            }
            let signedIn = try await rowVersions()
            #expect(signedIn.count == 1)

            for path in ["/exercises", "/exercises/\(fixture.exercise.id!)", "/exercises/\(fixture.exercise.id!)/dossier", "/exercises"] {
                #expect(try await browser.get(path).status == .ok, "\(path)")
            }
            #expect(try await rowVersions() == signedIn, "pages read signed in did not rewrite the session")

            // A change is still written: signing in again replaces the session with a new one.
            #expect(try await browser.signIn(email: fixture.members["facilitator"]!.email, password: Fixture.password).status == .seeOther)
            #expect(try await rowVersions() != signedIn)
        }
    }
}
