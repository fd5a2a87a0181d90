import Vapor

func routes(_ app: Application) throws {
    HealthAndDocs().register(app.routes)
    let api = app.routes.grouped("api", "v1")
    ExercisesAPI().register(api)
    DossierAPI().register(api)
    CommitmentsAPI().register(api)
    SigningAPI().register(api)
    OGPTemplateAPI().register(api)
    LiveAPI().register(api)
    ProgressAPI().register(api)
    SurveysAPI().register(api)
    InformationRequestsAPI().register(api)
    OpenDataAPI().register(app: app.routes, api: api)

    let pages = app.routes.grouped(app.sessions.middleware, PageMiddleware())
    AuthPages().register(pages)
    WorkspacePages().register(pages)
    OutboxPages().register(pages)
    DossierPages().register(pages)
    PlanPages().register(pages)
    SigningPages().register(pages)
    ConsolePages().register(pages)
    PublicPages().register(pages)
    SurveyPages().register(pages)
    RequestPages().register(pages)
}
