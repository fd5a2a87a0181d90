import Vapor

/// Vapor's defaults (one event loop per core, its default middleware) and two routes answering what
/// Cocrea's `/healthz` answers, without the database round trip, one from a synchronous handler and one
/// from an async handler: `hello-vapor serve --port N`.
@main
enum Entrypoint {
    static func main() async throws {
        var environment = try Environment.detect()
        try LoggingSystem.bootstrap(from: &environment)
        let app = try await Application.make(environment)
        app.get("healthz") { _ in
            Response(status: .ok, headers: ["Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"], body: "ok\n")
        }
        // The same answer from an async handler, as Vapor's own template writes routes: Vapor runs it in a task.
        app.get("healthz", "async") { _ async in
            Response(status: .ok, headers: ["Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"], body: "ok\n")
        }
        do {
            try await app.execute()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}
