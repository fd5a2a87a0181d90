import CocreaCore
import CocreaDocuments
import CocreaStore
import CocreaUseCases
import Vapor

/// A plan version in the Open Government Partnership's commitment template: the Word document that
/// officials complete and submit, and the same answers as JSON. Members read any version; once a
/// version is sealed it is public, like the rest of the plan's open data.
struct OGPTemplateAPI {
    func register(_ api: RoutesBuilder) {
        api.secured(.GET, "plan-versions", ":planVersionID", "ogp-template.docx", policy: .sealedPlanOr(.viewWorkspace), use: document)
        api.secured(.GET, "plan-versions", ":planVersionID", "ogp-template.json", policy: .sealedPlanOr(.viewWorkspace), use: json)
    }

    func document(req: Request, _: Authorized) async throws -> Response {
        let version = try await Self.version(req)
        let language = req.language
        let template = try await OGPTemplateOperations.template(of: version, language: language, on: req.db)
        let docx = try await req.application.threadPool.runIfActive { try OGPTemplateDOCX.render(template, language: language) }
        return Download(docx, name: "pal-v\(version.number)-plantilla-aga.docx", type: OGPTemplateDOCX.mediaType).response
    }

    func json(req: Request, _: Authorized) async throws -> OGPTemplate {
        try await OGPTemplateOperations.template(of: try await Self.version(req), language: req.language, on: req.db)
    }

    /// The policy already found the version (sealed, or of the person's exercise); a missing one is a 404.
    private static func version(_ req: Request) async throws -> PlanVersion {
        guard let id = req.parameters.get("planVersionID", as: UUID.self), let version = try await PlanVersion.find(id, on: req.db) else {
            throw CocreaError.notFound(.planVersion)
        }
        return version
    }
}

extension OGPTemplate: Content {}
