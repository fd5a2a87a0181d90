import Vapor

func routes(_ app: Application) throws {
    HealthAndDocs().register(app.routes)
    ExercisesAPI().register(app.routes.grouped("api", "v1"))

    let pages = app.routes.grouped(app.sessions.middleware, PageMiddleware())
    AuthPages().register(pages)
    WorkspacePages().register(pages)
    OutboxPages().register(pages)
}
