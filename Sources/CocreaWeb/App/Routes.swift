import Vapor

func routes(_ app: Application) throws {
    HealthAndDocs(probe: DatabaseProbe(timeout: app.options.healthProbeTimeout), now: app.options.now).register(app.routes)
    // One cache for the signed-in reads of pages and API, asked before the session is read.
    let viewerCache = ViewerCacheMiddleware(cache: ViewerCache())
    let api = app.routes.grouped("api", "v1").grouped(viewerCache)
    ExercisesAPI().register(api)
    PublicationAPI().register(api)
    DossierAPI().register(api)
    RoundtablesAPI().register(api)
    CommitmentsAPI().register(api)
    PlanNarrativeAPI().register(api)
    SigningAPI().register(api)
    OGPTemplateAPI().register(api)
    CoCreationRecordAPI().register(api)
    LiveAPI().register(api)
    ProgressAPI().register(api)
    ProgressReportsAPI().register(api)
    ProcurementAPI().register(api)
    SurveysAPI().register(api)
    ProposalsAPI().register(api)
    FollowersAPI().register(api)
    InformationRequestsAPI().register(api)
    OpenDataAPI().register(app: app.routes, api: api)

    let pages = app.routes.grouped(viewerCache, app.sessions.middleware, PageMiddleware())
    AuthPages().register(pages)
    WorkspacePages().register(pages)
    OutboxPages().register(pages)
    DossierPages().register(pages)
    PlanPages().register(pages)
    PlanNarrativePages().register(pages)
    VerificationPages().register(pages)
    ProcurementPages().register(pages)
    SigningPages().register(pages)
    ConsolePages().register(pages)
    PublicPages().register(pages)
    SurveyPages().register(pages)
    ProposalPages().register(pages)
    PublicCommitmentPages().register(pages)
    ProgressReportPages().register(pages)
    RequestPages().register(pages)

    for route in app.routes.all where route.method == .GET && ViewerCache.reads.contains(route.path.string) {
        route.cachedPerViewer()
    }
}
