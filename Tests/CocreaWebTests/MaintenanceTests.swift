import CocreaCore
import CocreaStore
import CocreaTestSupport
@testable import CocreaWeb
import Fluent
import Foundation
import Testing
import Vapor

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
        await #expect(throws: (any Error).self) { try await Backup.restore(from: bogus, to: target) }
        #expect(!FileManager.default.fileExists(atPath: target), "nothing was put in place")
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
    private func cocrea(_ arguments: [String], dataDirectory: String, resources: String? = nil) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestPaths.root + "/.build/debug/cocrea")
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: dataDirectory)
        var environment = ProcessInfo.processInfo.environment
        environment["COCREA_DATA_DIR"] = dataDirectory
        environment["COCREA_RESOURCES"] = resources
        environment.removeValue(forKey: "DATABASE_URL")
        environment["LOG_LEVEL"] = "error"
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let error = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, output: String(decoding: output, as: UTF8.self),
                   error: String(decoding: error, as: UTF8.self))
    }

    @Test func operatorCreatesAnAdministratorATokenLoadsTheDemoAndVerifiesTheTrail() throws {
        let data = TestPaths.temporaryDirectory("cli")
        let admin = try cocrea(["admin", "create", "--email", "Admin@ITEI.example", "--name", "Mtra. Adriana Velázquez Ruiz",
                                "--password", "una-clave-larga-2026"], dataDirectory: data)
        #expect(admin.status == 0, "\(admin.error)")
        #expect(admin.output.contains("admin@itei.example"))

        let token = try cocrea(["token", "create", "--email", "admin@itei.example"], dataDirectory: data)
        #expect(token.status == 0)
        let lines = token.output.split(separator: "\n")
        #expect(lines.count == 1, "the token alone on standard output")
        #expect((lines.first?.count ?? 0) >= 40)

        let shortPassword = try cocrea(["admin", "create", "--email", "b@itei.example", "--name", "B", "--password", "corta"], dataDirectory: data)
        #expect(shortPassword.status != 0)
        #expect(shortPassword.error.contains("al menos 10 caracteres"))

        #expect(try cocrea(["demo"], dataDirectory: data).status == 0)
        let verified = try cocrea(["audit", "verify"], dataDirectory: data)
        #expect(verified.status == 0)
        #expect(verified.output.contains("Bitácora íntegra"))

        let backup = try cocrea(["backup", data + "/copia.sqlite"], dataDirectory: data)
        #expect(backup.status == 0, "\(backup.error)")
        #expect(FileManager.default.fileExists(atPath: data + "/copia.sqlite"))
    }

    @Test func aWrongResourcesFolderIsNamedInSpanish() throws {
        let data = TestPaths.temporaryDirectory("cli")
        let run = try cocrea(["migrate"], dataDirectory: data, resources: data + "/no-existe")
        #expect(run.status != 0)
        #expect(run.error.contains("No se encontraron los recursos de Cocrea"))
        #expect(run.error.contains(data + "/no-existe"))
    }
}
