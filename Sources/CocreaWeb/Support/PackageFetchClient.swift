import AsyncHTTPClient
import Vapor

/// The HTTP client that fetches OCDS packages for administrators. It follows no redirect, so the
/// address an administrator typed is the only one Cocrea's server reaches.
struct PackageFetchClientKey: StorageKey {
    typealias Value = HTTPClient
}

extension Application {
    var packageFetchClient: HTTPClient {
        guard let client = storage[PackageFetchClientKey.self] else { fatalError("configure(_:options:) has not run") }
        return client
    }

    func setUpPackageFetchClient() {
        let client = HTTPClient(eventLoopGroup: eventLoopGroup, configuration: .init(redirectConfiguration: .disallow))
        storage.set(PackageFetchClientKey.self, to: client) { try $0.syncShutdown() }
    }
}
