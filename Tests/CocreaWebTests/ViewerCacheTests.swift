import CocreaStore
import CocreaTestSupport
import FluentKit
import Foundation
import NIOCore
import Testing
import Vapor
import VaporTesting

@testable import CocreaWeb

/// A signed-in read asked again is answered from `ViewerCache` while nothing was written: one query
/// (the stored generation) instead of the session, the membership and the page's own reads; a read
/// asked once costs what it did. Any write,
/// by this process or another, shows at the next read, and an answer goes only to the request it was
/// built for.
@Suite struct ViewerCacheTests {
    @Test(arguments: TestDatabase.all)
    func aPageReadAgainCostsOneQueryUntilSomethingIsWritten(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let fixture = try await Fixture.make(on: app)
            let path = "/exercises/\(fixture.exercise.id!)"
            let facilitator = Browser(app: app)
            #expect(try await facilitator.signIn(email: fixture.members["facilitator"]!.email, password: Fixture.password).status == .seeOther)
            let first = try await facilitator.get(path)
            #expect(first.status == .ok)
            #expect(try await facilitator.get(path).body.string == first.body.string, "kept from the second request on")

            let counter = QueryCounter.install(on: app)
            var again: TestingHTTPResponse?
            let statements = try await counter.statements { again = try await facilitator.get(path) }
            #expect(again?.status == .ok)
            #expect(again?.body.string == first.body.string)
            #expect(statements.count == 1, "\(statements.joined(separator: "\n"))")
            #expect(statements.first?.contains("write_generation") == true)

            try await app.writer.write(on: app.db, actor: .system) { tx, _ in
                let exercise = try #require(try await Exercise.find(fixture.exercise.id, on: tx))
                exercise.name = "Plan de Acción Local de Zapopan 2027"
                try await exercise.save(on: tx)
            }
            #expect(try await facilitator.get(path).body.string.contains("Plan de Acción Local de Zapopan 2027"))
        }
    }

    /// Another `cocrea serve` on the same PostgreSQL, or the command line, raises the stored generation
    /// in its own transaction: this process's counter does not move, and the next read still shows it.
    @Test(arguments: TestDatabase.all)
    func aWriteByAnotherProcessShowsAtTheNextRead(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let fixture = try await Fixture.make(on: app)
            let api = APIClient(app: app, token: fixture.members["institution"]!.token)
            let path = "/api/v1/exercises/\(fixture.exercise.id!)"
            #expect(try await api.send(.GET, path).body.string.contains("Ejercicio local de gobierno abierto Jalisco 2026"))
            #expect(try await api.send(.GET, path).body.string.contains("Ejercicio local de gobierno abierto Jalisco 2026"))

            let counted = app.writer.generation
            try await app.db.transaction { tx in
                let exercise = try #require(try await Exercise.find(fixture.exercise.id, on: tx))
                exercise.name = "Ejercicio local de Guadalajara 2027"
                try await exercise.save(on: tx)
                try await Writer.raiseStoredGeneration(on: tx)
            }
            #expect(app.writer.generation == counted)
            #expect(try await api.send(.GET, path).body.string.contains("Ejercicio local de Guadalajara 2027"))
        }
    }

    /// The answer is kept for the request that got it: another person reading the same address gets
    /// their own, and the cookie of a session signed out since opens nothing.
    @Test(arguments: TestDatabase.all)
    func anAnswerGoesOnlyToItsOwnSignedInViewer(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let fixture = try await Fixture.make(on: app)
            let guarantor = Browser(app: app)
            #expect(try await guarantor.signIn(email: fixture.members["guarantor"]!.email, password: Fixture.password).status == .seeOther)
            for _ in 0..<2 { #expect(try await guarantor.get("/exercises").body.string.contains(fixture.exercise.name)) }

            let outsider = Browser(app: app)
            #expect(try await outsider.signIn(email: fixture.outsider.email, password: Fixture.password).status == .seeOther)
            let outsiders = try await outsider.get("/exercises")
            #expect(outsiders.status == .ok)
            #expect(!outsiders.body.string.contains(fixture.exercise.name))

            // The very request that was answered before, sent again once the session is signed out.
            let kept = try #require(guarantor[cookie: "cocrea_session"])
            #expect(try await guarantor.post("/logout", form: []).status == .seeOther)
            guarantor[cookie: "cocrea_session"] = kept
            #expect(try await guarantor.get("/exercises").status != .ok)
        }
    }

    @Test func theLeastRecentlyReadAnswersGoFirstWhenTheCacheIsFull() {
        let cache = ViewerCache(capacity: 3000, largestAnswer: 1500)
        let now = Date()
        let later = now.addingTimeInterval(60)
        func key(_ name: String) -> Data { Data(name.utf8) }
        func page(_ bytes: Int) -> ByteBuffer { ByteBuffer(repeating: UInt8(ascii: "a"), count: bytes) }
        for name in ["plan", "mesas", "expediente"] { cache.keep([:], page(1000), for: key(name), generation: 7, validUntil: later) }
        #expect(cache.answer(for: key("plan"), generation: 7, now: now, clock: now) != nil)
        cache.keep([:], page(1000), for: key("compromisos"), generation: 7, validUntil: later)

        #expect(cache.storedBytes <= 3000)
        #expect(cache.answer(for: key("plan"), generation: 7, now: now, clock: now) != nil, "read last, kept")
        #expect(cache.answer(for: key("compromisos"), generation: 7, now: now, clock: now) != nil)
        #expect(cache.answer(for: key("mesas"), generation: 7, now: now, clock: now) == nil, "least recently read, gone")
        #expect(cache.answer(for: key("plan"), generation: 8, now: now, clock: now) == nil, "written since")
        #expect(cache.answer(for: key("plan"), generation: 7, now: later, clock: now) == nil, "stood its time")
        cache.keep([:], page(1000), for: key("minuta"), generation: 7, validUntil: later, sessionEnd: now)
        #expect(cache.answer(for: key("minuta"), generation: 7, now: now, clock: now) == nil, "its session has ended")
        cache.keep([:], page(1501), for: key("acta"), generation: 7, validUntil: later)
        #expect(cache.answer(for: key("acta"), generation: 7, now: now, clock: now) == nil, "larger than an answer may be")
    }
}
