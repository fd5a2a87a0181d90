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

            // The answer is kept from its second request and stands 5 s, and any write ends it, the test
            // app's own outbox recording the fixture's invitations among them: on a loaded machine the
            // reads are asked again until one comes with nothing written since the one before it (a
            // cache that never answers still fails).
            let counter = QueryCounter.install(on: app)
            var kept = first
            var again: TestingHTTPResponse?
            var statements: [String] = []
            for _ in 0..<20 {
                kept = try await facilitator.get(path)
                statements = try await counter.statements { again = try await facilitator.get(path) }
                if statements.count == 1 { break }
            }
            #expect(again?.status == .ok)
            #expect(again?.body.string == kept.body.string)
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
        func isServed(_ name: String, generation: Int64 = 7, now: Date, clock: Date) -> Bool {
            if case .serve = cache.step(for: key(name), generation: generation, now: now, clock: clock) { return true }
            cache.finishRebuild(of: key(name), keeping: nil)
            return false
        }
        for name in ["plan", "mesas", "expediente"] { cache.keep([:], page(1000), for: key(name), generation: 7, validUntil: later) }
        #expect(isServed("plan", now: now, clock: now))
        cache.keep([:], page(1000), for: key("compromisos"), generation: 7, validUntil: later)

        #expect(cache.storedBytes <= 3000)
        #expect(isServed("plan", now: now, clock: now), "read last, kept")
        #expect(isServed("compromisos", now: now, clock: now))
        #expect(!isServed("mesas", now: now, clock: now), "least recently read, gone")
        #expect(!isServed("plan", generation: 8, now: now, clock: now), "written since")
        #expect(!isServed("plan", now: later, clock: now), "stood its time")
        cache.keep([:], page(1000), for: key("minuta"), generation: 7, validUntil: later, sessionEnd: now)
        #expect(!isServed("minuta", now: now, clock: now), "its session has ended")
        cache.keep([:], page(1501), for: key("acta"), generation: 7, validUntil: later)
        #expect(!isServed("acta", now: now, clock: now), "larger than an answer may be")
    }

    /// One request rebuilds an answer at a time: an answer that only aged is served meanwhile; after a
    /// write the others wait for the rebuild instead of all building the page at once.
    @Test func oneRequestRebuildsAnAnswerWhileTheOthersGetTheAgedOneOrWaitForIt() async {
        let cache = ViewerCache()
        let now = Date()
        let later = now.addingTimeInterval(10)
        let key = Data("plan de Zapopan".utf8)
        func kept(_ text: String, generation: Int64) -> ViewerCache.Kept {
            ViewerCache.Kept(
                headers: [:], body: ByteBuffer(string: text), generation: generation, validUntil: later.addingTimeInterval(60), sessionEnd: .distantFuture)
        }
        cache.keep([:], ByteBuffer(string: "versión 1"), for: key, generation: 7, validUntil: now)

        guard case .rebuild = cache.step(for: key, generation: 7, now: later, clock: now) else {
            Issue.record("the first to find it aged rebuilds it")
            return
        }
        guard case .serve(let aged) = cache.step(for: key, generation: 7, now: later, clock: now) else {
            Issue.record("the others get the aged answer")
            return
        }
        #expect(aged.body.string == "versión 1")
        guard case .buildAlone = cache.step(for: key, generation: 8, now: later, clock: now) else {
            Issue.record("a rebuild of before the write is no answer")
            return
        }
        cache.finishRebuild(of: key, keeping: kept("versión 2", generation: 7))

        guard case .rebuild = cache.step(for: key, generation: 8, now: later, clock: now) else {
            Issue.record("written since: one rebuilds")
            return
        }
        guard case .wait = cache.step(for: key, generation: 8, now: later, clock: now) else {
            Issue.record("the others wait for it")
            return
        }
        async let waited = cache.waitForRebuild(of: key, generation: 8)
        cache.finishRebuild(of: key, keeping: kept("versión 3", generation: 8))
        #expect(await waited?.body.string == "versión 3")
    }
}
