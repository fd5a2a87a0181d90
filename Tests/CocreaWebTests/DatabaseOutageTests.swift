import CocreaMail
import CocreaStore
import CocreaTestSupport
@testable import CocreaWeb
import Foundation
import Testing
import Vapor
import VaporTesting

/// While the database is down or restarting, a request is answered within a stated bound with a 503
/// and `Retry-After` (something to retry), never a hang or a 500 (something broken).
@Suite struct DatabaseOutageTests {
    @Test func anUnreachablePostgreSQLIsA503WithRetryAfter() async throws {
        // Nothing listens on port 1: every connection attempt is refused, as during a restart.
        let options = CocreaOptions(
            location: .postgres(url: "postgres://cocrea:cocrea@127.0.0.1:1/cocrea", searchPath: nil), baseURL: "http://127.0.0.1:8080",
            mailFrom: MailAddress(email: "stl@cocrea.example", name: "Secretariado Técnico Local"),
            smtp: nil, runOutboxWorker: false, rootDirectory: TestPaths.root, signing: .directory(TestPaths.signingDirectory))
        let app = try await Application.make(.testing)
        app.logger.logLevel = .critical
        do {
            try configure(app, options: options)
            let started = ContinuousClock.now
            for (path, token) in [("/api/v1/exercises", "token-de-prueba"), ("/api/v1/public/exercises/\(UUID())/progress", nil)] {
                let response = try await APIClient(app: app, token: token).send(.GET, path)
                #expect(response.status == .serviceUnavailable, "\(path): \(response.status) \(response.body.string)")
                #expect(response.body.string.contains("database_unavailable"))
                #expect(response.headers.first(name: .retryAfter) == "5")
            }
            let page = try await Browser(app: app).get("/public")
            #expect(page.status == .serviceUnavailable)
            #expect(page.body.string.contains("La base de datos no responde"))
            #expect(ContinuousClock.now - started < .seconds(60), "answered, not hung")
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}
