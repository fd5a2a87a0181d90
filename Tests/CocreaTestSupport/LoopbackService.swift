import Foundation
import Testing
import Vapor

/// Another party's service on loopback for one test (an OCSP responder, a time-stamping authority),
/// which answers, is down (503), or answers with a page that is not its protocol, as the test sets
/// `mode` while it runs.
public final class LoopbackService: @unchecked Sendable {
    public enum Mode: Sendable { case answering, down, garbage }

    private let lock = NSLock()
    private var _mode: Mode
    private var _url = ""

    public init(mode: Mode = .answering) { _mode = mode }

    public var mode: Mode {
        get { lock.withLock { _mode } }
        set { lock.withLock { _mode = newValue } }
    }

    /// Where it listens while `serving` runs, e.g. `http://127.0.0.1:41234/ocsp`.
    public var url: String { lock.withLock { _url } }

    /// Serves POST `/path` on a free loopback port while `body` runs: answering, with `answer` to the
    /// request's bytes as `mediaType`. Shut down when `body` ends, however it ends.
    public func serving<T>(
        _ path: String, mediaType: String, answer: @escaping @Sendable ([UInt8]) async throws -> [UInt8], during body: () async throws -> T
    ) async throws -> T {
        let app = try await Application.make(.testing)
        app.logger.logLevel = .warning
        app.on(.POST, PathComponent(stringLiteral: path), body: .collect(maxSize: 4096)) { [self] req async throws -> Response in
            switch mode {
            case .down: return Response(status: .serviceUnavailable)
            case .garbage: return Response(status: .ok, body: .init(string: "<html>Servicio en mantenimiento</html>"))
            case .answering:
                let reply = try await answer(Array(req.body.data.map { Data(buffer: $0) } ?? Data()))
                return Response(status: .ok, headers: ["Content-Type": mediaType], body: .init(data: Data(reply)))
            }
        }
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        do {
            let port = try #require(app.http.server.shared.localAddress?.port)
            lock.withLock { _url = "http://127.0.0.1:\(port)/\(path)" }
            let result = try await body()
            await app.server.shutdown()
            try await app.asyncShutdown()
            return result
        } catch {
            await app.server.shutdown()
            try? await app.asyncShutdown()
            throw error
        }
    }
}
