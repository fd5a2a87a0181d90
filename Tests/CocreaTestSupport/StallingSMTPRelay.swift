import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A real TCP server on loopback for mail that gets stuck. In front of an SMTP server (the sink) it
/// relays both ways until a client names `stallOn` — a recipient whose server hangs, say — and then
/// goes silent on that connection, keeping it open, until `release()`. With no upstream it accepts
/// connections and never says a word: an SMTP server that accepts and never answers.
public final class StallingSMTPRelay: @unchecked Sendable {
    public let port: Int
    private let listener: Int32
    private let upstreamPort: Int?
    private let stallOn: String?
    private let condition = NSCondition()
    private var released = false
    private var stopped = false
    private var sockets: [Int32] = []
    private var stalledCount = 0

    /// Connections that went silent so far.
    public var stalled: Int { condition.withLock { stalledCount } }

    public var url: String { "smtp://127.0.0.1:\(port)" }

    /// A server that accepts and never answers.
    public static func silent() throws -> StallingSMTPRelay {
        try StallingSMTPRelay(upstreamPort: nil, stallOn: nil)
    }

    /// A relay to `upstream` that goes silent once a client writes `stallOn` (case-insensitive).
    public static func relay(to upstream: SMTPSink, stallingOn text: String) throws -> StallingSMTPRelay {
        try StallingSMTPRelay(upstreamPort: upstream.port, stallOn: text.lowercased())
    }

    /// The same in front of any TCP server on loopback: a database connection whose statement never
    /// arrives (a half-open connection), say.
    public static func relay(toPort port: Int, stallingOn text: String) throws -> StallingSMTPRelay {
        try StallingSMTPRelay(upstreamPort: port, stallOn: text.lowercased())
    }

    private init(upstreamPort: Int?, stallOn: String?) throws {
        self.upstreamPort = upstreamPort
        self.stallOn = stallOn
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw SMTPSinkError(description: "socket: \(errno)") }
        var address = Self.loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
        }
        guard bound, listen(descriptor, 64) == 0 else {
            close(descriptor)
            throw SMTPSinkError(description: "bind/listen: \(errno)")
        }
        listener = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "stalling-smtp-accept"
        thread.start()
    }

    deinit { stop() }

    /// Lets stalled connections go on: what they were holding is relayed, and so is the rest.
    public func release() {
        condition.withLock {
            released = true
            condition.broadcast()
        }
    }

    /// Closes every connection: a client waiting on one gets a closed connection.
    public func stop() {
        let open: [Int32] = condition.withLock {
            guard !stopped else { return [] }
            stopped = true
            condition.broadcast()
            return sockets + [listener]
        }
        for descriptor in open { shutdown(descriptor, Int32(SHUT_RDWR)) }
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { break }
            guard track(client) else { break }
            guard let upstreamPort else { continue }  // silent: hold it open, read nothing, say nothing
            let server = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = Self.loopback(port: upstreamPort)
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(server, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
            }
            guard connected, track(server) else {
                shutdown(client, Int32(SHUT_RDWR))
                continue
            }
            Thread { [self] in pump(from: client, to: server, watching: true) }.start()
            Thread { [self] in pump(from: server, to: client, watching: false) }.start()
        }
        close(listener)
    }

    private func track(_ descriptor: Int32) -> Bool {
        condition.withLock {
            guard !stopped else {
                close(descriptor)
                return false
            }
            sockets.append(descriptor)
            return true
        }
    }

    /// Copies bytes one way; the client's side is watched for `stallOn`, and from then on nothing
    /// passes either way until `release()` (the other direction has nothing to relay: SMTP waits).
    private func pump(from source: Int32, to destination: Int32, watching: Bool) {
        var buffer = [UInt8](repeating: 0, count: 16_384)
        var seen = ""
        while true {
            let count = read(source, &buffer, buffer.count)
            guard count > 0 else { break }
            if watching, let stallOn, !condition.withLock({ released }) {
                seen = String(seen.suffix(stallOn.count)) + String(decoding: buffer[0..<count], as: UTF8.self).lowercased()
                if seen.contains(stallOn) {
                    condition.withLock {
                        stalledCount += 1
                        while !released && !stopped { condition.wait() }
                    }
                }
            }
            var offset = 0
            while offset < count {
                let written = buffer.withUnsafeBytes { write(destination, $0.baseAddress! + offset, count - offset) }
                guard written > 0 else { return }
                offset += written
            }
        }
        shutdown(destination, Int32(SHUT_WR))
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}
