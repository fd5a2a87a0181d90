import CocreaConsultation
import CocreaCore
import CocreaStore
import CocreaUseCases
import Fluent
import Vapor

struct FindingInput: Content {
    var questionId: String?
}

/// Consultation surveys through the API: the institution builds, publishes and reads them; anyone answers.
struct SurveysAPI {
    func register(_ api: RoutesBuilder) {
        api.secured(.POST, "exercises", ":exerciseID", "surveys", policy: .exercise(.consult), use: create)
        api.secured(.GET, "exercises", ":exerciseID", "surveys", policy: .exercise(.viewWorkspace), use: list)
        api.secured(.GET, "public", "surveys", policy: .open, use: published)
        api.secured(.GET, "surveys", ":surveyID", policy: .open, use: show)
        api.secured(.PUT, "surveys", ":surveyID", policy: .exercise(.consult), use: update)
        api.secured(.POST, "surveys", ":surveyID", "publish", policy: .exercise(.consult), use: publish)
        api.secured(.POST, "surveys", ":surveyID", "close", policy: .exercise(.consult), use: close)
        api.secured(.POST, "surveys", ":surveyID", "responses", policy: .open, use: answer)
        api.secured(.GET, "surveys", ":surveyID", "responses", policy: .exercise(.viewWorkspace), use: responses)
        api.secured(.GET, "surveys", ":surveyID", "results", policy: .exercise(.viewWorkspace), use: results)
        api.secured(.POST, "surveys", ":surveyID", "findings", policy: .exercise(.consult), use: finding)
    }

    func create(req: Request, authorized: Authorized) async throws -> Response {
        let survey = try await SurveyOperations.create(try req.content.decode(SurveyInput.self), in: authorized.requireExercise(), on: req.useCases)
        return try await SurveyDTO(survey).encodeResponse(status: .created, for: req)
    }

    func list(req: Request, authorized: Authorized) async throws -> [SurveyDTO] {
        try await SurveyOperations.list(of: authorized.requireExercise().exerciseID, on: req.useCases).map(SurveyDTO.init)
    }

    func published(req: Request, _: Authorized) async throws -> [SurveyDTO] {
        try await SurveyOperations.published(on: req.useCases).map(SurveyDTO.init)
    }

    func show(req: Request, _: Authorized) async throws -> SurveyDTO {
        try SurveyDTO(try await SurveyOperations.publicSurvey(req.parameters.get("surveyID", as: UUID.self), on: req.useCases))
    }

    func update(req: Request, authorized: Authorized) async throws -> SurveyDTO {
        let context = authorized.requireExercise()
        let survey = try await SurveyOperations.find(req.parameters.get("surveyID", as: UUID.self), in: context, on: req.useCases)
        return try SurveyDTO(try await SurveyOperations.update(survey, with: try req.content.decode(SurveyInput.self), in: context, on: req.useCases))
    }

    func publish(req: Request, authorized: Authorized) async throws -> SurveyDTO {
        let context = authorized.requireExercise()
        return try SurveyDTO(
            try await SurveyOperations.publish(
                try await SurveyOperations.find(req.parameters.get("surveyID", as: UUID.self), in: context, on: req.useCases), in: context, on: req.useCases))
    }

    func close(req: Request, authorized: Authorized) async throws -> SurveyDTO {
        let context = authorized.requireExercise()
        return try SurveyDTO(
            try await SurveyOperations.close(
                try await SurveyOperations.find(req.parameters.get("surveyID", as: UUID.self), in: context, on: req.useCases), in: context, on: req.useCases))
    }

    func answer(req: Request, _: Authorized) async throws -> Response {
        let input = try req.content.decode(SurveyResponseInput.self)
        let channel = input.channel ?? "web"
        guard channel == "web" || channel == "kiosk" else {
            throw CocreaError.validation([FieldError(field: "channel", "problemChannel")])
        }
        let receipt = try await SurveyOperations.submit(
            (input.answers ?? [:]).mapValues(\.values), honeypot: input.website,
            kiosk: channel == "kiosk", client: req.clientAddress, to: req.parameters.get("surveyID", as: UUID.self), on: req.useCases)
        return try await receipt.encodeResponse(status: .created, for: req)
    }

    func responses(req: Request, authorized: Authorized) async throws -> Response {
        let survey = try await SurveyOperations.find(req.parameters.get("surveyID", as: UUID.self), in: authorized.requireExercise(), on: req.useCases)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let response = Response(status: .ok, body: .init(buffer: try await SurveyOperations.json(of: survey, with: encoder, on: req.useCases)))
        response.headers.contentType = .json
        return response
    }

    func results(req: Request, authorized: Authorized) async throws -> SurveyResults {
        try await SurveyOperations.results(
            of: try await SurveyOperations.find(req.parameters.get("surveyID", as: UUID.self), in: authorized.requireExercise(), on: req.useCases),
            on: req.useCases)
    }

    func finding(req: Request, authorized: Authorized) async throws -> Response {
        let context = authorized.requireExercise()
        let survey = try await SurveyOperations.find(req.parameters.get("surveyID", as: UUID.self), in: context, on: req.useCases)
        let item = try await SurveyOperations.makeFinding(
            from: survey, question: try req.content.decode(FindingInput.self).questionId,
            in: context, on: req.useCases)
        return try await DossierItemDTO(item, file: nil, late: false).encodeResponse(status: .created, for: req)
    }
}

extension SurveyResults: Content {}
extension AnswerValue: Content {}
