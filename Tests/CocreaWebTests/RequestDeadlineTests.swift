import CocreaStore
import CocreaTestSupport
import CocreaUseCases
import Fluent
import Foundation
import NIOCore
import SQLKit
import SQLiteNIO
import Testing
import Vapor
import VaporTesting

@testable import CocreaWeb

/// A PostgreSQL that accepts connections but whose queries never finish (a table lock held by another
/// session) gets the request a 503 with `Retry-After` within a stated bound, not a hang, and what the
/// request had started is never saved after its client was told it failed.
@Suite struct RequestDeadlineTests {
    static let problem = #"{"kind": "problem", "title": "Desabasto de insulina en Tlaquepaque", "body": "Tres centros de salud sin insulina desde octubre."}"#

    /// Short enough to test in seconds, long enough that the write after the lock (on a machine running
    /// every other suite at once) is not cut by it too.
    static let deadline = TimeAmount.seconds(10)

    static func code(_ response: TestingHTTPResponse) throws -> String? {
        try (JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])?["code"] as? String
    }

    @Test(.enabled(if: TestDatabase.all.contains(.postgres)))
    func aWriteStuckBehindALockIsAnswered503AtTheDeadlineAndNeverSaved() async throws {
        // The statement timeout is set far beyond the request deadline, so that the deadline is what answers.
        try await withCocrea(
            .postgres,
            adjust: {
                $0.requestDeadline = Self.deadline
                $0.statementTimeout = .seconds(300)
            }
        ) { app in
            let fixture = try await Fixture.make(on: app)
            let api = APIClient(app: app, token: fixture.members["facilitator"]!.token)
            let items = "/api/v1/exercises/\(fixture.exercise.id!)/dossier/items"
            // The write inserts its dossier item, then waits to read the audit chain.
            let lock = try await HeldTableLock.hold("audit_events", on: app)
            let started = ContinuousClock.now
            let stuck = try await api.send(.POST, items, json: Self.problem)
            let waited = ContinuousClock.now - started
            try await lock.release()
            #expect(stuck.status == .serviceUnavailable, "\(stuck.status) \(stuck.body.string)")
            #expect(try Self.code(stuck) == "database_unavailable")
            #expect(stuck.headers.first(name: .retryAfter) == "5")
            #expect(waited < .seconds(40), "answered at its deadline, not when the lock was let go (60 s)")

            // The write left behind keeps its dossier item's row until its transaction ends; once it has, nothing of it remains.
            try await HeldTableLock.hold("dossier_items", on: app).release()
            #expect(try await DossierItem.query(on: app.db).count() == 0)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$entity == "dossierItem").count() == 0)

            let again = try await api.send(.POST, items, json: Self.problem)
            #expect(again.status == .created, "the server is healthy again: \(again.body.string)")
            #expect(try await DossierItem.query(on: app.db).count() == 1)
        }
    }

    @Test func aWriteWaitingForAnotherProcessOnTheSameSQLiteFileIsAnswered503AtTheDeadlineAndNeverSaved() async throws {
        try await withCocrea(.sqlite, adjust: { $0.requestDeadline = Self.deadline }) { app in
            guard case .sqlite(let path) = app.options.location else { return }
            let fixture = try await Fixture.make(on: app)
            let api = APIClient(app: app, token: fixture.members["facilitator"]!.token)
            let items = "/api/v1/exercises/\(fixture.exercise.id!)/dossier/items"
            // An operator's command holding the file's write lock; let go after 60 s at the latest, so that
            // code without a deadline fails this test instead of hanging it.
            let other = try await SQLiteConnection.open(storage: .file(path: path))
            _ = try await other.query("BEGIN IMMEDIATE")
            let fallback = Task {
                try await Task.sleep(for: .seconds(60))
                _ = try? await other.query("ROLLBACK")
            }
            let started = ContinuousClock.now
            let stuck = try await api.send(.POST, items, json: Self.problem)
            let waited = ContinuousClock.now - started
            fallback.cancel()
            _ = try? await other.query("ROLLBACK")
            try await other.close()
            #expect(stuck.status == .serviceUnavailable, "\(stuck.status) \(stuck.body.string)")
            #expect(try Self.code(stuck) == "database_unavailable")
            #expect(stuck.headers.first(name: .retryAfter) == "5")
            #expect(waited < .seconds(40), "answered at its deadline, not when the lock was let go (60 s)")

            // Writes take their turn one at a time: this one runs once the write left behind has ended. Its
            // turn is waited for here, so that the next write's own deadline counts only the next write (in
            // a loaded run the two together passed the 10 s once).
            try await app.writer.serialized {}
            let again = try await api.send(.POST, items, json: Self.problem)
            #expect(again.status == .created, "\(again.body.string)")
            #expect(try await DossierItem.query(on: app.db).count() == 1, "the write answered 503 was not kept")
        }
    }

    @Test(.enabled(if: TestDatabase.all.contains(.postgres)))
    func aStatementStuckBehindALockIsCancelledByPostgreSQLAndRolledBack() async throws {
        // The request deadline stays long: PostgreSQL's own statement timeout answers first.
        try await withCocrea(.postgres, adjust: { $0.statementTimeout = .seconds(3) }) { app in
            let fixture = try await Fixture.make(on: app)
            let api = APIClient(app: app, token: fixture.members["facilitator"]!.token)
            let lock = try await HeldTableLock.hold("audit_events", on: app)
            let started = ContinuousClock.now
            let stuck = try await api.send(.POST, "/api/v1/exercises/\(fixture.exercise.id!)/dossier/items", json: Self.problem)
            let waited = ContinuousClock.now - started
            // Read while the lock is still held: the cancelled transaction is already rolled back.
            let saved = try await DossierItem.query(on: app.db).count()
            try await lock.release()
            #expect(stuck.status == .serviceUnavailable, "\(stuck.status) \(stuck.body.string)")
            #expect(try Self.code(stuck) == "database_unavailable")
            #expect(stuck.headers.first(name: .retryAfter) == "5")
            // The test app's request deadline is 600 s: half of it is a hang, however loaded the machine.
            #expect(waited < .seconds(300), "cancelled by PostgreSQL, not by the request deadline")
            #expect(saved == 0)
        }
    }

    @Test(.enabled(if: TestDatabase.all.contains(.postgres)))
    func aSurveyAnswerWhoseRequestPassedItsDeadlineIsNotKept() async throws {
        try await withCocrea(
            .postgres, surveyRateLimit: 0,
            adjust: {
                $0.requestDeadline = Self.deadline
                $0.statementTimeout = .seconds(300)
            }
        ) { app in
            let setup = try await SurveyFlowTests.survey(app)
            // The intake's group insert waits behind the lock.
            let lock = try await HeldTableLock.hold("survey_responses", on: app)
            let stuck = try await SurveyFlowTests.answer(setup.anyone, setup.surveyID, #"{"p1": "No", "p2": ["Insulina"], "p4": "Centro de Salud Oblatos"}"#)
            try await lock.release()
            #expect(stuck.status == .serviceUnavailable, "\(stuck.status) \(stuck.body.string)")
            #expect(try Self.code(stuck) == "database_unavailable")

            // Once the intake's transaction has ended (the lock can be taken again), the answer is not there.
            try await HeldTableLock.hold("survey_responses", on: app).release()
            #expect(try await SurveyFlowTests.storedResponses(app) == 0)
            let again = try await SurveyFlowTests.answer(setup.anyone, setup.surveyID, #"{"p1": "Sí", "p4": "Centro de Salud Oblatos"}"#)
            #expect(again.status == .created, "\(again.body.string)")
            #expect(try await SurveyFlowTests.storedResponses(app) == 1)
        }
    }
}

/// `LOCK TABLE … IN ACCESS EXCLUSIVE MODE` held in a transaction of another pooled connection, as a
/// stuck session or an operator's long maintenance would, until released (after 60 s at the latest,
/// so that code without a deadline fails its test instead of hanging it).
final class HeldTableLock: Sendable {
    private let letGo: AsyncStream<Void>.Continuation
    private let holder: Task<Void, any Error>

    private init(letGo: AsyncStream<Void>.Continuation, holder: Task<Void, any Error>) {
        self.letGo = letGo
        self.holder = holder
    }

    static func hold(_ table: String, on app: Application) async throws -> HeldTableLock {
        let (released, letGo) = AsyncStream<Void>.makeStream()
        let (locked, signal) = AsyncStream<Void>.makeStream()
        let holder = Task {
            defer { signal.finish() }
            try await app.db.transaction { tx in
                try await (tx as! any SQLDatabase).raw("LOCK TABLE \(ident: table) IN ACCESS EXCLUSIVE MODE").run()
                signal.yield()
                await withTaskGroup(of: Void.self) { group in
                    group.addTask { for await _ in released {} }
                    group.addTask { try? await Task.sleep(for: .seconds(60)) }
                    await group.next()
                    group.cancelAll()
                }
            }
        }
        var iterator = locked.makeAsyncIterator()
        if await iterator.next() == nil { try await holder.value }
        return HeldTableLock(letGo: letGo, holder: holder)
    }

    func release() async throws {
        letGo.finish()
        try await holder.value
    }
}
