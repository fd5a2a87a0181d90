import CocreaCore
import CocreaStore
import CocreaTestSupport
import CocreaUseCases
import Fluent
import Foundation
import Testing
import Vapor

@testable import CocreaWeb

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct DemoTests {
    @Test(arguments: TestDatabase.all)
    func demoExerciseHasEveryActorAndTheKickoffDossierAndLoadsOnce(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let first = try await Demo.load(on: app)
            let second = try await Demo.load(on: app)
            #expect(first.id == second.id)
            #expect(try await Exercise.query(on: app.db).count() == 2, "the kickoff exercise and the one ready for its table, once each")
            let members = try await Member.query(on: app.db).filter(\.$exercise.$id == first.id!).all()
            #expect(members.count == 6)
            #expect(members.filter { $0.sector == .civilSociety }.count == 3)
            #expect(members.contains { $0.sector == .guarantor && $0.role == .administrator })
            #expect(members.contains { $0.role == .facilitator })
            #expect(members.filter { $0.sector == .institution }.count == 1)
            let kinds = Set(try await DossierItem.query(on: app.db).filter(\.$exercise.$id == first.id!).all().map(\.kind))
            #expect(kinds.isSuperset(of: [.capacityKit, .problem, .minimumCriterion, .solution, .preliminaryCommitment]))
            #expect(try await AuditVerification.verify(on: app.db).isIntact)

            // The second exercise can open its table today: everyone received the dossier 12 days ago (rule D10).
            let ready = try #require(try await Exercise.query(on: app.db).filter(\.$name == Demo.readyExerciseName).first())
            let (readiness, _) = try await DossierOperations.readiness(of: ready, on: app.db)
            #expect(throws: Never.self) { try readiness.check(startsAt: app.options.now(), timeZone: ready.zone) }
            #expect(try await Roundtable.query(on: app.db).filter(\.$exercise.$id == ready.id!).count() == 1)
        }
    }
}

extension DemoTests {
    @Test(arguments: TestDatabase.all)
    func theDemoUsesTheCatalogueTheInstallationHasAndLoadsNoneOfItsOwn(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let plan = CatalogueLoader.bundledPlan
            let bundled = try CatalogueLoader.bundledEntries(of: plan, resourcesDirectory: app.directory.resourcesDirectory)
            try await Demo.load(on: app)
            let shipped = try await NationalCommitment.query(on: app.db).filter(\.$plan == plan).all()
            #expect(shipped.count == bundled.count, "the migration's catalogue, each entry once")
            #expect(Set(shipped.map(\.code)).count == shipped.count)

            // An administrator replaces the catalogue; loading the demo again does not bring the shipped one back.
            let replaced = try NationalCatalogue.parse(csv: "id,axis,title,source,kind\nC1,,Gasto abierto y obra pública,Plan de Acción 2016-2018,compromiso\n")
            try await CatalogueLoader.load(plan: plan, entries: replaced, actor: .system, on: app)
            let loads = try await AuditEvent.query(on: app.db).filter(\.$action == "load").count()
            try await Demo.load(on: app)
            #expect(try await NationalCommitment.query(on: app.db).filter(\.$plan == plan).all().map(\.title) == ["Gasto abierto y obra pública"])
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "load").count() == loads)
        }
    }
}

@Suite struct BackupTests {
    @Test func backupTakenWhileWritingRestoresToAConsistentCopy() async throws {
        try await withCocrea(.sqlite) { app in
            try await Demo.load(on: app)
            let directory = TestPaths.temporaryDirectory("respaldo")
            let copy = directory + "/respaldo.sqlite"
            // Writes keep coming while the snapshot is taken, as on a serving instance.
            let writes = Task {
                for index in 0..<50 {
                    try await app.writer.write(on: app.db, actor: .system) { _, audit in
                        try await audit.created("note", id: UUID(), exercise: nil, ["n": "\(index)"])
                    }
                }
            }
            try await Backup.backup(to: copy, app: app)
            try await writes.value
            await #expect(throws: CocreaError.self) { try await Backup.backup(to: copy, app: app) }

            let restored = directory + "/restaurada/cocrea.sqlite"
            try FileManager.default.createDirectory(atPath: directory + "/restaurada", withIntermediateDirectories: true)
            try await Backup.restore(from: copy, to: restored)
            try await withRestored(restored) { db in
                let exercises = try await Exercise.query(on: db).filter(\.$name == Demo.exerciseName).count()
                let verification = try await AuditVerification.verify(on: db)
                #expect(exercises == 1)
                #expect(verification.isIntact)
            }
        }
    }

    @Test func restoreRefusesAFileThatIsNotACocreaCopy() async throws {
        let directory = TestPaths.temporaryDirectory("respaldo")
        let bogus = directory + "/no-es-copia.sqlite"
        try Data("esto no es una base de datos".utf8).write(to: URL(fileURLWithPath: bogus))
        let target = directory + "/cocrea.sqlite"
        await #expect(throws: CocreaError.self) { try await Backup.restore(from: bogus, to: target) }
        #expect(!FileManager.default.fileExists(atPath: target), "nothing was put in place")
        #expect(!FileManager.default.fileExists(atPath: target + ".restoring"), "nor left half-way")
    }

    @Test func restoreIsRefusedWhileAnotherProcessHoldsTheDataDirectory() async throws {
        try await withCocrea(.sqlite) { app in
            try await Demo.load(on: app)
            let directory = TestPaths.temporaryDirectory("respaldo")
            let copy = directory + "/respaldo.sqlite"
            try await Backup.backup(to: copy, app: app)

            let data = TestPaths.temporaryDirectory("datos")
            let database = data + "/cocrea.sqlite"
            try await Backup.restore(from: copy, to: database)
            let before = try Data(contentsOf: URL(fileURLWithPath: database))
            let server = try DataDirectoryLock.acquire(directory: data, purpose: "")
            defer { server.release() }

            let refusal = await #expect(throws: CocreaError.self) { try await Backup.restore(from: copy, to: database) }
            #expect(refusal?.code == "data_directory_in_use")
            #expect(refusal?.message.contains("PID \(getpid())") == true, "names the process that holds it")
            #expect(refusal?.message.contains(URL(fileURLWithPath: data).standardizedFileURL.path) == true)
            #expect(try Data(contentsOf: URL(fileURLWithPath: database)) == before)
            #expect(try FileManager.default.contentsOfDirectory(atPath: data).sorted() == ["cocrea.lock", "cocrea.sqlite"])
        }
    }

    private func withRestored(_ path: String, _ body: (Database) async throws -> Void) async throws {
        let app = try await Application.make(.testing)
        app.databases.use(.sqlite(.file(path), sqlLogLevel: nil), as: .sqlite)
        do {
            try await body(app.db)
            try await app.asyncShutdown()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }
}

/// The `cocrea` executable itself, as an operator runs it.
@Suite(.serialized) struct CommandLineTests {
    struct Run {
        var status: Int32
        var output: String
        var error: String
    }

    /// Runs from the data directory, outside the repository: the binary finds its templates and
    /// catalogue beside itself, as an installed one does.
    private func cocrea(_ arguments: [String], dataDirectory: String, resources: String? = nil) async throws -> Run {
        let run = try await Tool.run(
            TestPaths.root + "/.build/debug/cocrea", arguments, in: URL(fileURLWithPath: dataDirectory),
            environment: ["COCREA_DATA_DIR": dataDirectory, "COCREA_RESOURCES": resources, "DATABASE_URL": nil, "LOG_LEVEL": "error"])
        return Run(status: run.status, output: run.output, error: String(decoding: run.stderr, as: UTF8.self))
    }

    @Test func operatorCreatesAnAdministratorATokenLoadsTheDemoAndVerifiesTheTrail() async throws {
        let data = TestPaths.temporaryDirectory("cli")
        let admin = try await cocrea(
            [
                "admin", "create", "--email", "Admin@ITEI.example", "--name", "Mtra. Adriana Velázquez Ruiz",
                "--password", "una-clave-larga-2026",
            ], dataDirectory: data)
        #expect(admin.status == 0, "\(admin.error)")
        #expect(admin.output.contains("admin@itei.example"))

        let token = try await cocrea(["token", "create", "--email", "admin@itei.example"], dataDirectory: data)
        #expect(token.status == 0)
        let lines = token.output.split(separator: "\n")
        #expect(lines.count == 1, "the token alone on standard output")
        #expect((lines.first?.count ?? 0) >= 40)

        let shortPassword = try await cocrea(["admin", "create", "--email", "b@itei.example", "--name", "B", "--password", "corta"], dataDirectory: data)
        #expect(shortPassword.status != 0)
        #expect(shortPassword.error.contains("al menos 10 caracteres"))

        #expect(try await cocrea(["demo"], dataDirectory: data).status == 0)
        let verified = try await cocrea(["audit", "verify"], dataDirectory: data)
        #expect(verified.status == 0)
        #expect(verified.output.contains("Bitácora íntegra"))

        let backup = try await cocrea(["backup", data + "/copia.sqlite"], dataDirectory: data)
        #expect(backup.status == 0, "\(backup.error)")
        #expect(FileManager.default.fileExists(atPath: data + "/copia.sqlite"))
    }

    /// A server killed after a change leaves that change in `cocrea.sqlite-wal`: restoring over such a
    /// directory must keep the previous database whole under a dated name, leave no WAL of it beside
    /// the restored one, and the server must then serve the data as it was at the backup.
    @Test func restoreOverALiveDatabaseKeepsThePreviousOneAndServesTheBackup() async throws {
        let data = TestPaths.temporaryDirectory("cli")
        let copy = TestPaths.temporaryDirectory("respaldo") + "/copia.sqlite"
        let newcomer = "paula.ortega@itei.example"
        #expect(try await cocrea(["demo"], dataDirectory: data).status == 0)
        #expect(try await cocrea(["backup", copy], dataDirectory: data).status == 0)

        let live = try await ServedCocrea(dataDirectory: data)
        let added = try await cocrea(
            [
                "admin", "create", "--email", newcomer, "--name", "Lic. Paula Ortega Díaz",
                "--password", "una-clave-larga-2026",
            ], dataDirectory: data)
        #expect(added.status == 0, "\(added.error)")
        live.kill()
        try await live.exited()
        #expect(FileManager.default.fileExists(atPath: data + "/cocrea.sqlite-wal"), "the change is still in the WAL")

        let restore = try await cocrea(["restore", copy], dataDirectory: data)
        #expect(restore.status == 0, "\(restore.error)")
        let files = try FileManager.default.contentsOfDirectory(atPath: data)
        let kept = try #require(files.first { $0.hasPrefix("cocrea-antes-de-restaurar-") && $0.hasSuffix(".sqlite") })
        #expect(restore.output.contains(data + "/" + kept))
        #expect(!files.contains("cocrea.sqlite-wal"), "no WAL of the previous database beside the restored one")
        #expect(!files.contains("cocrea.sqlite.restoring"))
        #expect(try await userEmails(in: data + "/" + kept).contains(newcomer), "the previous database is whole")

        let served = try await ServedCocrea(dataDirectory: data)
        defer { served.kill() }
        #expect(
            try await cocrea(["token", "create", "--email", newcomer], dataDirectory: data).status != 0,
            "the account made after the backup is gone")
        let token = try await cocrea(["token", "create", "--email", Demo.administratorEmail], dataDirectory: data)
        #expect(token.status == 0, "\(token.error)")
        let exercises = try await served.get("/api/v1/exercises", token: token.output.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(exercises.status == .ok)
        #expect(exercises.body.contains(Demo.exerciseName))

        // While it serves, a restore may not touch the directory (a second server neither: Tests/faults).
        let refused = try await cocrea(["restore", copy], dataDirectory: data)
        #expect(refused.status != 0)
        #expect(refused.error.contains("está en uso por otro proceso de Cocrea (PID \(served.pid))"), "\(refused.error)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: data).filter { $0.hasPrefix("cocrea-antes-de-restaurar-") } == [kept])
        #expect(try await served.get("/healthz").status == .ok)
    }

    private func userEmails(in path: String) async throws -> [String] {
        let app = try await Application.make(.testing)
        app.databases.use(.sqlite(.file(path), sqlLogLevel: nil), as: .sqlite)
        do {
            let emails = try await User.query(on: app.db).all().map(\.email)
            try await app.asyncShutdown()
            return emails
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    /// `cocrea serve` on a free loopback port, answering `/healthz`.
    final class ServedCocrea {
        let process: ChildProcess
        let port: Int

        init(dataDirectory: String) async throws {
            port = try freePort()
            process = try ChildProcess(
                TestPaths.root + "/.build/debug/cocrea", ["serve", "--hostname", "127.0.0.1", "--port", "\(port)"], in: dataDirectory,
                environment: [
                    "COCREA_DATA_DIR": dataDirectory, "COCREA_BASE_URL": "http://127.0.0.1:\(port)", "DATABASE_URL": nil, "SMTP_URL": nil,
                    "LOG_LEVEL": "error",
                ])
            let deadline = Date().addingTimeInterval(120)
            while Date() < deadline {
                if process.isRunning == false { throw CocreaError(kind: .failure, code: "serve_exited", message: "cocrea serve terminó") }
                if let health = try? await HTTPClient.shared.get(url: "http://127.0.0.1:\(port)/healthz").get(), health.status == .ok { return }
                try await Task.sleep(for: .milliseconds(300))
            }
            kill()
            throw CocreaError(kind: .failure, code: "serve_timeout", message: "cocrea serve no respondió /healthz")
        }

        var pid: Int32 { process.pid }

        func get(_ path: String, token: String? = nil) async throws -> (status: HTTPResponseStatus, body: String) {
            var request = try HTTPClient.Request(url: "http://127.0.0.1:\(port)\(path)")
            if let token { request.headers.bearerAuthorization = BearerAuthorization(token: token) }
            let response = try await HTTPClient.shared.execute(request: request).get()
            return (response.status, response.body.map { String(buffer: $0) } ?? "")
        }

        /// SIGKILL, as a crash or an impatient operator would stop it.
        func kill() {
            process.signal(SIGKILL)
        }

        /// Once the killed process is gone, and with it its hold on the data directory.
        func exited() async throws {
            _ = await process.exited()
        }
    }

    @Test func aWrongResourcesFolderIsNamedInSpanish() async throws {
        let data = TestPaths.temporaryDirectory("cli")
        let run = try await cocrea(["migrate"], dataDirectory: data, resources: data + "/no-existe")
        #expect(run.status != 0)
        #expect(run.error.contains("No se encontraron los recursos de Cocrea"))
        #expect(run.error.contains(data + "/no-existe"))
    }
}

/// A loopback port nothing listens on (the kernel picks it; the socket is closed at once).
private func freePort() throws -> Int {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
    }
    guard bound else { throw CocreaError(kind: .failure, code: "no_port", message: "sin puerto libre") }
    return Int(UInt16(bigEndian: address.sin_port))
}
