import ArgumentParser
import CocreaCore
import CocreaStore
import CocreaUseCases
import CocreaWeb
import Foundation
import Vapor

/// Builds the application the way every command needs it, migrated, and shuts it down afterwards.
/// `exclusive` (what to do instead, in Spanish) makes the command take the SQLite data directory's
/// lock as `serve` does, and refuse while a server holds it.
func withApplication<T>(
    host: String = "127.0.0.1", port: Int = 8080, runOutboxWorker: Bool = false, exclusive: String? = nil,
    _ body: (Application) async throws -> T
) async throws -> T {
    var options = try CocreaOptions.fromEnvironment(host: host, port: port)
    options.runOutboxWorker = runOutboxWorker
    let lock = try exclusive.flatMap { try DataDirectoryLock.acquire(for: options.location, purpose: $0) }
    defer { lock?.release() }
    let app = try await Application.make(Environment(name: "production", arguments: ["cocrea"]))
    do {
        try configure(app, options: options)
        try await StoreSetup.migrate(app)
        let result = try await body(app)
        try await app.asyncShutdown()
        return result
    } catch {
        try? await app.asyncShutdown()
        throw error
    }
}

/// Prints a Spanish message for the errors people cause, and exits non-zero.
func report(_ error: Error) -> ExitCode {
    if let error = error as? CocreaError {
        FileHandle.standardError.write(Data("Error (\(error.code)): \(error.message)\n".utf8))
        for field in error.fieldErrors { FileHandle.standardError.write(Data("  - \(field.message)\n".utf8)) }
        return ExitCode(2)
    }
    FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
    return ExitCode.failure
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Sirve Cocrea por HTTP.")

    @ArgumentParser.Option(name: .long, help: "Dirección en la que escuchar.") var hostname = "127.0.0.1"
    @ArgumentParser.Option(name: .long, help: "Puerto.") var port = 8080
    @ArgumentParser.Flag(name: .long, help: "Carga el ejercicio de demostración si no existe.") var demo = false
    @ArgumentParser.Option(name: .long, help: "Carpeta con Resources/ y Public/ (si no, COCREA_RESOURCES o junto al programa).")
    var resources: String?

    func run() async throws {
        let options: CocreaOptions
        do {
            options = try CocreaOptions.fromEnvironment(host: hostname, port: port, resources: resources)
        } catch { throw report(error) }
        // One server per SQLite data directory, for the life of the process (PostgreSQL takes several).
        let lock: DataDirectoryLock?
        do {
            lock = try DataDirectoryLock.acquire(
                for: options.location, purpose: "No se pueden servir dos procesos sobre la misma base SQLite; usa ese servidor o detenlo antes.")
        } catch { throw report(error) }
        defer { lock?.release() }
        let app = try await Application.make(Environment(name: "production", arguments: ["cocrea", "serve"]))
        do {
            try configure(app, options: options)
            app.http.server.configuration.hostname = hostname
            app.http.server.configuration.port = port
            try await StoreSetup.migrate(app)
            if demo {
                let exercise = try await Demo.load(on: app)
                print(
                    """
                    Ejercicio de demostración: «\(exercise.name)»
                    Entra como \(Demo.administratorEmail) con la contraseña \(Demo.administratorPassword)
                    """)
            }
            print("Cocrea está en \(options.baseURL)")
            try await app.execute()
            try await app.asyncShutdown()
        } catch {
            try? await app.asyncShutdown()
            throw report(error)
        }
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Crea o actualiza las tablas de la base de datos.")

    func run() async throws {
        do {
            // Migrations change tables under a running server: only with the directory to itself.
            try await withApplication(exclusive: "Detén el servidor antes de migrar; al arrancar, el servidor migra la base por sí mismo.") { _ in
                print("Base de datos al día.")
            }
        } catch { throw report(error) }
    }
}

struct LoadDemo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "demo", abstract: "Carga el ejercicio de demostración.")

    func run() async throws {
        do {
            // Loading the demo is a long run of writes a serving process would collide with.
            try await withApplication(exclusive: "Para cargar la demostración con el servidor, arráncalo con `cocrea serve --demo`.") { app in
                let exercise = try await Demo.load(on: app)
                print("Ejercicio de demostración listo: «\(exercise.name)» (\(exercise.id!))")
            }
        } catch { throw report(error) }
    }
}

struct DigestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digest",
        abstract:
            "Encola el resumen semanal de actividades vencidas y próximas (uno por persona y semana; el servidor lo encola solo de lunes 8:00 a miércoles, hora del centro de México)."
    )

    func run() async throws {
        do {
            try await withApplication { app in
                let outcome = try await DigestOperations.sendWeekly(on: app.useCases, at: Date())
                print("Semana \(outcome.week): \(outcome.queued) resúmenes en la bandeja de salida; \(outcome.alreadySent) ya se habían enviado.")
            }
        } catch { throw report(error) }
    }
}

struct FollowersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "followers",
        abstract:
            "Encola ya el correo del día a quienes siguen compromisos con avances nuevos (uno al día por compromiso, nunca vacío; el servidor lo hace cada diez minutos)."
    )

    func run() async throws {
        do {
            try await withApplication { app in
                let outcome = try await FollowerOperations.sendDaily(on: app.useCases, at: Date())
                print(
                    "\(outcome.queued) correos de seguimiento en la bandeja de salida; \(outcome.waiting) compromisos ya tuvieron su correo de hoy; \(outcome.expired) correos sin confirmar borrados."
                )
            }
        } catch { throw report(error) }
    }
}

struct TimestampsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "timestamps", abstract: "Sellos de tiempo (RFC 3161).", subcommands: [Retry.self])

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Vuelve a pedir los sellos de tiempo que fallaron sin remedio (rechazados por la autoridad o que no cabían en el PDF), una vez corregida la causa."
        )

        func run() async throws {
            do {
                try await withApplication { app in
                    let reopened = try await TimestampOperations.retryFailed(on: app.useCases)
                    print("\(reopened) sellos de tiempo fallidos vuelven a la cola; el servidor los pedirá en unos segundos.")
                }
            } catch { throw report(error) }
        }
    }
}

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "backup", abstract: "Copia la base SQLite en caliente a un archivo.")

    @ArgumentParser.Argument(help: "Archivo de destino (no debe existir).") var file: String

    func run() async throws {
        do {
            try await withApplication { app in
                try await Backup.backup(to: file, app: app)
                print("Copia de seguridad escrita en \(file)")
            }
        } catch { throw report(error) }
    }
}

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore", abstract: "Restaura una copia SQLite y guarda la base anterior con fecha (detén el servidor antes).")

    @ArgumentParser.Argument(help: "Copia hecha con `cocrea backup`.") var file: String

    func run() async throws {
        guard case .sqlite(let path) = StoreLocation.fromEnvironment() else {
            throw report(CocreaError.restoreUnsupported)
        }
        do {
            let previous = try await Backup.restore(from: file, to: path)
            print("Base de datos restaurada desde \(file)")
            if let previous {
                print("La base anterior quedó en \(previous); bórrala cuando ya no la necesites.")
            }
        } catch { throw report(error) }
    }
}

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "Bitácora.", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revisa que la cadena de la bitácora esté íntegra.")

        func run() async throws {
            let verification = try await withApplication { app in try await AuditVerification.verify(on: app.db) }
            if verification.isIntact {
                print("Bitácora íntegra: \(verification.eventCount) eventos.")
            } else {
                print("La bitácora fue alterada (\(verification.eventCount) eventos revisados):")
                for problem in verification.problems { print("  - \(problem)") }
                throw ExitCode(1)
            }
        }
    }
}

struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Dice si un PDF es un Plan de Acción Local sellado por esta instancia, sin servidor ni base de datos.")

    @ArgumentParser.Argument(help: "El PDF a verificar.") var file: String
    @ArgumentParser.Option(help: "Certificado PEM de la instancia (por omisión, el de $COCREA_DATA_DIR/signing).") var certificate: String?

    func run() async throws {
        let certificatePath = certificate ?? SigningIdentitySource.fromEnvironment().certificatePath
        guard let pem = try? String(contentsOfFile: certificatePath, encoding: .utf8) else {
            FileHandle.standardError.write(Data("Error: no se puede leer el certificado «\(certificatePath)».\n".utf8))
            throw ExitCode(2)
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            FileHandle.standardError.write(Data("Error: no se puede leer «\(file)».\n".utf8))
            throw ExitCode(2)
        }
        let (report, authentic) = try await VerificationOperations.offlineReport(file: data, certificatePEM: pem)
        print(report)
        if !authentic { throw ExitCode(1) }
    }
}

struct AdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "admin", abstract: "Administración de la instancia.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Crea (o promueve) una persona administradora de la instancia.")

        @ArgumentParser.Option(help: "Correo electrónico.") var email: String
        @ArgumentParser.Option(help: "Nombre.") var name: String
        @ArgumentParser.Option(help: "Contraseña (opcional: sin ella entra por enlace de correo).") var password: String?

        func run() async throws {
            do {
                try await withApplication { app in
                    let user = try await AccountOperations.createAdministrator(email: email, name: name, password: password, on: app.useCases)
                    print("Administración: \(user.name) <\(user.email)>")
                }
            } catch { throw report(error) }
        }
    }
}

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "token", abstract: "Tokens de la API.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Crea un token de la API e imprime solo el token.")

        @ArgumentParser.Option(help: "Correo de la cuenta.") var email: String
        @ArgumentParser.Option(help: "Para qué es el token.") var name = "cli"

        func run() async throws {
            do {
                let token = try await withApplication { app in try await AccountOperations.createToken(email: email, name: name, on: app.useCases) }
                print(token)
            } catch { throw report(error) }
        }
    }
}
