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
        try await OGPTemplateOperations.document(
            ofVersion: req.parameters.get("planVersionID", as: UUID.self), language: req.language, on: req.useCases
        ).response
    }

    func json(req: Request, _: Authorized) async throws -> OGPTemplate {
        try await OGPTemplateOperations.template(
            ofVersion: req.parameters.get("planVersionID", as: UUID.self), language: req.language, on: req.useCases)
    }
}

extension OGPTemplate: Content {}
