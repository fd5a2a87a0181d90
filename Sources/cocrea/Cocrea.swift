import ArgumentParser
import CocreaStore
import CocreaUseCases
import CocreaWeb
import Foundation
import Logging
import Vapor

@main
struct Cocrea: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cocrea",
        abstract: "Co-creación y seguimiento de Planes de Acción Local de gobierno abierto.",
        subcommands: [
            Serve.self, Migrate.self, LoadDemo.self, DigestCommand.self, FollowersCommand.self, BackupCommand.self, RestoreCommand.self,
            AuditCommand.self, VerifyCommand.self, AdminCommand.self, TokenCommand.self, BenchCommand.self, TimestampsCommand.self,
        ])

    static func main() async {
        let level = Logger.Level(rawValue: ProcessInfo.processInfo.environment["LOG_LEVEL"] ?? "info") ?? .info
        LoggingSystem.bootstrap { JSONLogHandler(label: $0, level: level) }
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
