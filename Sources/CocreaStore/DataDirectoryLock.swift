import CocreaCore
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive advisory lock (`flock`) on `cocrea.lock` in a SQLite data directory, held by
/// `cocrea serve` for its whole life and by the commands that must not run beside it (restore,
/// migrate, demo). Two writers on one SQLite file refuse each other's write upgrades ("database is
/// locked"), so the second one is stopped at the door. The kernel releases the lock when the process
/// ends in any way, SIGKILL included, so a crashed server never blocks the next start.
public final class DataDirectoryLock: @unchecked Sendable {
    public static let fileName = "cocrea.lock"

    public let directory: String
    private var descriptor: Int32

    /// Takes the lock on `directory` (created if missing), or throws `data_directory_in_use` naming
    /// the directory and the process that holds it. `purpose` ends the message: what to do instead.
    public static func acquire(directory: String, purpose: String) throws -> DataDirectoryLock {
        let directory = directory.isEmpty ? "." : directory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = (directory as NSString).appendingPathComponent(fileName)
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw CocreaError.dataDirectoryUnwritable(path, reason: String(cString: strerror(errno)))
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = readHolder(descriptor)
            close(descriptor)
            throw CocreaError.dataDirectoryInUse(absolute(directory), holder: holder, purpose: purpose)
        }
        // The holder's PID, for the message of whoever comes next and for the operator.
        let pid = Data("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = pid.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, pid.count, 0) }
        return DataDirectoryLock(directory: directory, descriptor: descriptor)
    }

    /// The lock for a store location: SQLite's data directory; none for PostgreSQL, where several
    /// processes on one database is a supported setup.
    public static func acquire(for location: StoreLocation, purpose: String) throws -> DataDirectoryLock? {
        guard case .sqlite(let path) = location else { return nil }
        return try acquire(directory: (path as NSString).deletingLastPathComponent, purpose: purpose)
    }

    private init(directory: String, descriptor: Int32) {
        self.directory = directory
        self.descriptor = descriptor
    }

    /// Releases the lock before the process ends (closing the file releases a `flock`).
    public func release() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }

    private static func readHolder(_ descriptor: Int32) -> pid_t? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        let text = String(decoding: buffer[0..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return pid_t(text)
    }

    private static func absolute(_ directory: String) -> String {
        URL(fileURLWithPath: directory).standardizedFileURL.path
    }
}
