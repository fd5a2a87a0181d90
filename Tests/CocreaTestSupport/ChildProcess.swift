import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A process the tests start, through `posix_spawnp`.
///
/// Not Foundation's `Process`: in Swift 6.3.1, `Process.run()` lists `/proc/self/fd` to close every
/// descriptor in the child and reads past glibc's buffer when about 1,360 are open, which the parallel
/// suite reaches, and the whole test process dies of a SIGSEGV (swiftlang/swift-corelibs-foundation#5472).
/// Here nothing is listed: every descriptor the tests open for a child is close-on-exec, and the child
/// gets only its three standard ones.
public final class ChildProcess: @unchecked Sendable {
    public let pid: pid_t
    private let lock = NSLock()
    private var status: Int32?
    private var waiters: [CheckedContinuation<Int32, Never>] = []

    public struct SpawnFailed: Error, CustomStringConvertible {
        public let description: String
    }

    /// Starts `executable` (a path, or a name looked up in `PATH`) with `arguments`, in `directory`, its
    /// environment the test process's with `environment` set over it (a nil value removes a variable).
    /// `stdin`, `stdout` and `stderr` are descriptors the child gets as its own; nil is `/dev/null`.
    public init(
        _ executable: String, _ arguments: [String], in directory: String? = nil, environment: [String: String?] = [:],
        stdin: Int32? = nil, stdout: Int32? = nil, stderr: Int32? = nil
    ) throws {
        // GNU env's --chdir: posix_spawn has no portable way to start in another directory.
        let argv = (directory.map { ["env", "--chdir=\($0)", executable] } ?? [executable]) + arguments
        var merged = ProcessInfo.processInfo.environment
        for (name, value) in environment { merged[name] = value }
        let envp = merged.map { "\($0.key)=\($0.value)" }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (descriptor, target, flags) in [(stdin, Int32(0), O_RDONLY), (stdout, 1, O_WRONLY), (stderr, 2, O_WRONLY)] {
            if let descriptor {
                posix_spawn_file_actions_adddup2(&actions, descriptor, target)
            } else {
                posix_spawn_file_actions_addopen(&actions, target, "/dev/null", flags, 0)
            }
        }
        var spawned: pid_t = 0
        let result = Self.spawning.withLock {
            Self.withCStrings(argv) { cArgv in
                Self.withCStrings(envp) { cEnvp in posix_spawnp(&spawned, argv[0], &actions, nil, cArgv, cEnvp) }
            }
        }
        guard result == 0 else { throw SpawnFailed(description: "\(executable): \(String(cString: strerror(result)))") }
        let child = spawned
        pid = child
        // Reaped on a thread of its own, so no shared pool waits on it.
        Thread { [self] in
            var raw: Int32 = 0
            while waitpid(child, &raw, 0) == -1 && errno == EINTR {}
            // Exited: its code; killed by a signal: the signal's number, as Foundation's Process reported it.
            let code = raw & 0x7f == 0 ? (raw >> 8) & 0xff : raw & 0x7f
            let resumed = lock.withLock {
                status = code
                defer { waiters = [] }
                return waiters
            }
            for waiter in resumed { waiter.resume(returning: code) }
        }.start()
    }

    public var isRunning: Bool { lock.withLock { status == nil } }

    /// Its exit code, once it has ended.
    public func exited() async -> Int32 {
        await withCheckedContinuation { continuation in
            let known: Int32? = lock.withLock {
                if let status { return status }
                waiters.append(continuation)
                return nil
            }
            if let known { continuation.resume(returning: known) }
        }
    }

    public func signal(_ signal: Int32) {
        if isRunning { kill(pid, signal) }
    }

    /// A pipe whose two ends are close-on-exec, so that no other child inherits them and a reader sees
    /// its end when the one child it was given to ends. Made under the lock every spawn takes, so none
    /// happens between the pipe's making and its marking (`pipe2` is not visible to Swift here).
    public static func pipe() throws -> (read: Int32, write: Int32) {
        try spawning.withLock {
            var ends: [Int32] = [0, 0]
            guard Glibc.pipe(&ends) == 0 else { throw SpawnFailed(description: "pipe: \(String(cString: strerror(errno)))") }
            for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
            return (ends[0], ends[1])
        }
    }

    private static let spawning = NSLock()

    private static func withCStrings<T>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> T) -> T {
        let copies = strings.map { strdup($0) } + [nil]
        defer { for copy in copies { free(copy) } }
        return copies.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
