import Foundation

#if canImport(Glibc)
    import Glibc
#endif

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
/// waits on it) and the caller suspends until the child is reaped, holding no thread (`ChildProcess`).
public enum Tool {
    /// Runs `executable` (a path, or a name looked up in `PATH`) with `arguments` in `directory`, its
    /// environment the test process's with `environment` set over it (a nil value removes a variable).
    public static func run(
        _ executable: String, _ arguments: [String], in directory: URL? = nil, environment: [String: String?] = [:]
    ) async throws -> ToolResult {
        let stdout = try ChildProcess.pipe()
        let stderr = try ChildProcess.pipe()
        let child: ChildProcess
        do {
            child = try ChildProcess(
                executable, arguments, in: directory?.path, environment: environment, stdout: stdout.write, stderr: stderr.write)
        } catch {
            for end in [stdout.read, stdout.write, stderr.read, stderr.write] { close(end) }
            throw error
        }
        // The child holds its own copies: the readers see the end of each pipe when it ends.
        close(stdout.write)
        close(stderr.write)
        let output = Drained(stdout.read)
        let errors = Drained(stderr.read)
        let status = await child.exited()
        return ToolResult(status: status, stdout: await output.data(), stderr: await errors.data())
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
    private var read: Data?
    private var waiter: CheckedContinuation<Data, Never>?

    init(_ descriptor: Int32) {
        Thread { [self] in
            let all = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true).readDataToEndOfFile()
            let waiting = lock.withLock {
                read = all
                defer { waiter = nil }
                return waiter
            }
            waiting?.resume(returning: all)
        }.start()
    }

    /// Everything the pipe carried, once it has ended.
    func data() async -> Data {
        await withCheckedContinuation { continuation in
            let known: Data? = lock.withLock {
                if let read { return read }
                waiter = continuation
                return nil
            }
            if let known { continuation.resume(returning: known) }
        }
    }
}
