import Dispatch
import Foundation

/// What a tool said and how it ended.
public struct ToolResult: Sendable {
    public let status: Int32
    public let stdout: Data
    public let stderr: Data

    /// Its standard output as text.
    public var output: String { String(decoding: stdout, as: UTF8.self) }
    /// Its standard output then its standard error, as text: what a failure is explained with.
    public var combined: String { String(decoding: stdout + stderr, as: UTF8.self) }
}

/// The one way tests run an external tool (openssl, pyHanko, poppler, python3, the `cocrea` binary).
///
/// Swift's cooperative pool has one thread per core, two in CI: a test that waited for a tool with
/// `waitUntilExit` or `readDataToEndOfFile` held one of them for the tool's whole run, and two at once
/// stalled every other test's requests past their deadlines. Here each pipe is drained by a thread of
/// its own (so a tool filling one pipe while nobody reads the other cannot hang, and no shared pool
/// waits on it) and the caller is resumed from `terminationHandler`: it suspends, holding no thread.
public enum Tool {
    /// Runs `executable` (a path, or a name looked up in `PATH`) with `arguments` in `directory`, its
    /// environment the test process's with `environment` set over it (a nil value removes a variable).
    public static func run(
        _ executable: String, _ arguments: [String], in directory: URL? = nil, environment: [String: String?] = [:]
    ) async throws -> ToolResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable.contains("/") ? executable : "/usr/bin/env")
        process.arguments = executable.contains("/") ? arguments : [executable] + arguments
        process.currentDirectoryURL = directory
        if !environment.isEmpty {
            var merged = ProcessInfo.processInfo.environment
            for (name, value) in environment { merged[name] = value }
            process.environment = merged
        }
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = stdout
        process.standardError = stderr
        let finished = DispatchGroup()
        finished.enter()
        process.terminationHandler = { _ in finished.leave() }
        try process.run()
        let output = Drained(stdout, in: finished)
        let errors = Drained(stderr, in: finished)
        return await withCheckedContinuation { continuation in
            finished.notify(queue: .global()) {
                continuation.resume(returning: ToolResult(status: process.terminationStatus, stdout: output.data, stderr: errors.data))
            }
        }
    }

    /// The standard output of a tool given `input` as a file of its own, which `FILE` in `arguments`
    /// names: how tests hand a PDF or a ZIP to poppler, qpdf or python3.
    public static func output(_ arguments: [String], input: Data) async throws -> String {
        let path = NSTemporaryDirectory() + "cocrea-\(UUID().uuidString)"
        try input.write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try await run(arguments[0], arguments.dropFirst().map { $0 == "FILE" ? path : $0 }).output
    }
}

/// A pipe read to its end on a thread of its own.
private final class Drained: @unchecked Sendable {
    private let lock = NSLock()
    private var read = Data()

    init(_ pipe: Pipe, in group: DispatchGroup) {
        group.enter()
        Thread { [self] in
            let all = pipe.fileHandleForReading.readDataToEndOfFile()
            lock.withLock { read = all }
            group.leave()
        }.start()
    }

    var data: Data { lock.withLock { read } }
}
