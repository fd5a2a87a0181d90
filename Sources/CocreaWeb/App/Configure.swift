import CocreaCore
import CocreaDocuments
import CocreaMail
import CocreaStore
import CocreaUseCases
import Fluent
import Leaf
import LeafKit
import Vapor

/// Sets up an application: storage, sessions, views, middleware, routes and the outbox worker.
public func configure(_ app: Application, options: CocreaOptions) throws {
    app.directory = DirectoryConfiguration(workingDirectory: options.rootDirectory.hasSuffix("/") ? options.rootDirectory : options.rootDirectory + "/")
    app.options = options
    try app.loadCatalogue(root: options.rootDirectory)
    SDGCatalogue.install(try SDGCatalogue.load(root: options.rootDirectory))
    let host = URL(string: options.baseURL)?.host ?? "localhost"
    app.storage[IdentityKey.self] = try options.signing.load(commonName: "Cocrea · \(host)")
    if !options.trustRoots.isEmpty { app.storage[TrustKey.self] = try EFirmaTrust(files: options.trustRoots) }
    if let url = options.timestampAuthorityURL {
        // A token whose authority nothing anchors proves no time, so a TSA without its roots is a mistake to stop on.
        guard !options.timestampAuthorityRoots.isEmpty else { throw CocreaError.timestampRootsMissing }
        app.storage[TimestampAuthorityKey.self] = TimestampAuthority(url: url, trust: try TimeStamp.Trust(files: options.timestampAuthorityRoots))
    }
    try StoreSetup.configure(
        app, location: options.location, statementTimeout: options.statementTimeout, waits: options.connectionWaits, now: options.now)
    app.migrations.add(LoadBundledNationalCatalogues(resourcesDirectory: app.directory.resourcesDirectory))
    app.setUpSurveyIntake(rateLimit: options.surveyRateLimit)
    app.setUpPackageFetchClient()

    let writer = app.writer
    app.sessions.use { _ in DatabaseSessions(writer: writer) }
    let secure = options.baseURL.hasPrefix("https://")
    app.sessions.configuration = SessionsConfiguration(cookieName: "cocrea_session") { id in
        HTTPCookies.Value(string: id.string, maxAge: 60 * 60 * 12, path: "/", isSecure: secure, isHTTPOnly: true, sameSite: .lax)
    }

    app.views.use(.leaf)
    app.leaf.cache.isEnabled = app.environment.isRelease
    // Made once: left unset, Leaf builds a new file source, resolving its directories again, for every page.
    let views = app.leaf.configuration.rootDirectory
    app.leaf.sources = .singleSource(NIOLeafFiles(fileio: app.fileio, limits: .default, sandboxDirectory: views, viewDirectory: views))
    app.routes.defaultMaxBodySize = "1mb"
    // An idle keep-alive connection costs memory and a file descriptor; live pages send a heartbeat every 15 s.
    app.http.server.configuration.idleTimeout = .seconds(60)
    // `RequestLogMiddleware` reports every request to `/metrics` instead, with recorders made once per route.
    app.http.server.configuration.reportMetrics = false

    app.storage[UploadSlotsKey.self] = UploadSlots()
    try app.setUpSpoolDirectory(options: options)
    // Outermost first. Each is a future that starts no task of its own on the common path, so a request
    // runs in one task, its handler's (`RequestDeadlineMiddleware`), plus one for a route in a group.
    app.middleware = Middlewares()
    for middleware: any Middleware in [
        RequestLogMiddleware(metrics: RequestMetrics()), SecurityHeadersMiddleware(), ProblemMiddleware(), RequestBodyMiddleware(),
        PublicFilesMiddleware(publicDirectory: app.directory.publicDirectory), RequestDeadlineMiddleware(deadline: options.requestDeadline),
    ] {
        app.middleware.use(middleware)
    }

    try routes(app)

    if case .postgres(let url, _) = options.location, let channel = LiveEvents.channel(for: options.location) {
        app.lifecycle.use(LiveListener(url: url, channel: channel, hub: app.roundtableHub))
    }

    if options.runOutboxWorker, let smtp = options.smtp {
        let worker = OutboxWorker(
            database: { [unowned app] in app.db }, writer: app.writer,
            configuration: .init(transport: SMTPTransport(configuration: smtp), retry: options.retry),
            logger: Logger(label: "cocrea.outbox"), now: options.now)
        app.lifecycle.use(OutboxLifecycle(worker: worker))
    } else if options.runOutboxWorker {
        app.logger.warning("SMTP_URL no está configurado: el correo queda en la bandeja de salida hasta configurarlo.")
    }
    if options.runOutboxWorker && options.sendsWeeklyDigest {
        app.lifecycle.use(DigestScheduler())
    }
    if options.runOutboxWorker {
        app.lifecycle.use(FollowerScheduler())
    }
    if options.runOutboxWorker, let authority = app.storage[TimestampAuthorityKey.self] {
        app.lifecycle.use(TimestampScheduler(authority: authority))
    }
}

struct OptionsKey: StorageKey {
    typealias Value = OptionsBox
}

/// The options behind a reference: every request reads them (`req.now` at least), and a class is
/// found in `Storage` without copying the whole struct out of an `Any`.
final class OptionsBox: Sendable {
    let options: CocreaOptions

    init(_ options: CocreaOptions) {
        self.options = options
    }
}

struct IdentityKey: StorageKey {
    typealias Value = InstanceIdentity
}

/// The authorities e.firma certificates chain to, read once at start-up.
struct TrustKey: StorageKey {
    typealias Value = EFirmaTrust
}

/// The configured TSA with its roots, read once at start-up.
struct TimestampAuthorityKey: StorageKey {
    typealias Value = TimestampAuthority
}

extension Application {
    public var options: CocreaOptions {
        get { optionsBox.options }
        set { storage[OptionsKey.self] = OptionsBox(newValue) }
    }

    fileprivate var optionsBox: OptionsBox {
        guard let box = storage[OptionsKey.self] else { fatalError("configure(_:options:) has not run") }
        return box
    }

    /// The key and certificate that seal this instance's plans.
    var identity: InstanceIdentity {
        guard let identity = storage[IdentityKey.self] else { fatalError("configure(_:options:) has not run") }
        return identity
    }
}

extension Request {
    var options: CocreaOptions { application.options }
    var now: Date { application.optionsBox.options.now() }
}

/// Starts the outbox worker with the server and, on shutdown, lets the mail in flight finish, within
/// `BackgroundLoop.stopBound` seconds (a server that never answers does not hold the shutdown).
struct OutboxLifecycle: LifecycleHandler {
    let worker: OutboxWorker

    func didBootAsync(_ application: Application) async throws {
        await worker.start()
    }

    func shutdownAsync(_ application: Application) async {
        await worker.stop()
    }
}
