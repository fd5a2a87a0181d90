import CocreaCore
import CocreaStore
import CocreaUseCases
import Fluent
import SQLKit
import Vapor

/// `/healthz` (the database answers), `/metrics` (see `CocreaMetrics`) and the OpenAPI document the
/// project writes by hand.
struct HealthAndDocs {
    func register(_ routes: RoutesBuilder) {
        CocreaMetrics.bootstrap()
        routes.secured(.GET, "healthz", policy: .open, use: health)
        // Open to the route policy; `CocreaMetrics.mayRead` decides who reads it.
        routes.secured(.GET, "metrics", policy: .open, use: metrics)
        routes.grouped("api", "v1").secured(.GET, "openapi.json", policy: .open, use: openAPI)
    }

    func health(req: Request, _: Authorized) async throws -> Response {
        guard let sql = req.db as? any SQLDatabase else { throw Abort(.internalServerError) }
        try await sql.raw("SELECT 1").run()
        return Response(status: .ok, headers: ["Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"], body: "ok\n")
    }

    func metrics(req: Request, _: Authorized) async throws -> Response {
        guard CocreaMetrics.mayRead(req) else { throw CocreaError.metricsForbidden }
        let text = try await CocreaMetrics.scrape(on: req.db)
        return Response(
            status: .ok, headers: ["Content-Type": "text/plain; version=0.0.4; charset=utf-8", "Cache-Control": "no-store"],
            body: .init(string: text))
    }

    func openAPI(req: Request, _: Authorized) async throws -> Response {
        let path = req.application.directory.resourcesDirectory + "openapi.json"
        guard let data = FileManager.default.contents(atPath: path) else { throw Abort(.internalServerError) }
        return Response(status: .ok, headers: ["Content-Type": "application/json"], body: .init(data: data))
    }
}
