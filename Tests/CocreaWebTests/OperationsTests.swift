import CocreaCore
import CocreaStore
import CocreaTestSupport
import CocreaUseCases
import Foundation
import NIOCore
import Testing
import Vapor
import VaporTesting

@testable import CocreaWeb

@Suite struct ResourceLocationTests {
    /// A folder laid out as `scripts/install` lays it: the binary in bin/, the resources in share/cocrea.
    private func installedTree() throws -> String {
        let prefix = TestPaths.temporaryDirectory("prefix")
        let data = prefix + "/share/cocrea/Resources/data"
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        try "code,title\n".write(toFile: data + "/national-plan-mx-2016-2018.csv", atomically: true, encoding: .utf8)
        return prefix
    }

    @Test func anInstalledBinaryFindsItsResourcesFromAnyWorkingDirectory() throws {
        let prefix = try installedTree()
        let found = try ResourceLocation.resolve(given: nil, executable: prefix + "/bin/cocrea", workingDirectory: "/tmp")
        #expect(found == prefix + "/share/cocrea")
    }

    @Test func aDevelopmentBuildFindsTheCheckoutAboveIt() throws {
        let found = try ResourceLocation.resolve(
            given: nil, executable: TestPaths.root + "/.build/x86_64-unknown-linux-gnu/debug/cocrea",
            workingDirectory: "/tmp")
        #expect(found == URL(fileURLWithPath: TestPaths.root).standardizedFileURL.path)
    }

    @Test func aGivenFolderIsTheOnlyPlaceLookedAtAndIsNamedWhenWrong() throws {
        let prefix = try installedTree()
        #expect {
            try ResourceLocation.resolve(given: "recursos", executable: prefix + "/bin/cocrea", workingDirectory: "/srv/cocrea")
        } throws: { error in
            let message = (error as? CocreaError)?.message ?? ""
            return message.contains("Se buscó en: /srv/cocrea/recursos.") && message.contains("COCREA_RESOURCES")
        }
    }

    @Test func everyPlaceLookedAtIsNamedWhenNoneHasTheResources() throws {
        let empty = TestPaths.temporaryDirectory("empty")
        #expect {
            try ResourceLocation.resolve(given: nil, executable: empty + "/bin/cocrea", workingDirectory: empty + "/trabajo")
        } throws: { error in
            let message = (error as? CocreaError)?.message ?? ""
            return message.contains(empty + "/share/cocrea") && message.contains(empty + "/bin") && message.contains(empty + "/trabajo")
        }
    }
}

@Suite struct ClientAddressTests {
    private func address(peer: String, forwardedFor: String?, trusting proxies: String, in app: Application) throws -> String {
        var options = app.options
        options.trustedProxies = try TrustedProxies.parse(proxies)
        app.options = options
        var headers = HTTPHeaders()
        if let forwardedFor { headers.add(name: .xForwardedFor, value: forwardedFor) }
        let req = Request(
            application: app, method: .POST, url: "/login", headers: headers,
            remoteAddress: try SocketAddress(ipAddress: peer, port: 51000), on: app.eventLoopGroup.next())
        return req.clientAddress
    }

    @Test func aSpoofedForwardedHeaderFromAnUntrustedPeerIsIgnored() async throws {
        try await withCocrea(.sqlite) { app in
            let noProxies = try address(peer: "203.0.113.7", forwardedFor: "198.51.100.1", trusting: "", in: app)
            #expect(noProxies == "203.0.113.7")
            let otherProxies = try address(peer: "203.0.113.7", forwardedFor: "198.51.100.1", trusting: "10.0.0.0/8", in: app)
            #expect(otherProxies == "203.0.113.7")
        }
    }

    @Test func aTrustedProxysForwardedHeaderNamesTheClient() async throws {
        try await withCocrea(.sqlite) { app in
            let client = try address(peer: "10.0.0.2", forwardedFor: "1.1.1.1, 198.51.100.1", trusting: "10.0.0.0/8", in: app)
            #expect(client == "198.51.100.1")
        }
    }
}

@Suite struct MetricsTests {
    private let loopback = Application.Method.running(hostname: "127.0.0.1", port: 0)

    @Test func requestsAreCountedByRoutePatternAndTheOutboxIsReported() async throws {
        try await withCocrea(.sqlite) { app in
            let exercise = UUID()
            try await app.testing(method: loopback).test(.GET, "/healthz") { #expect($0.status == .ok) }
            try await app.testing(method: loopback).test(.GET, "/api/v1/exercises/\(exercise)") { _ in }
            try await app.testing(method: loopback).test(.GET, "/metrics") { response in
                #expect(response.status == .ok)
                let text = response.body.string
                #expect(text.contains(#"http_requests_total{method="GET",path="/healthz",status="200"}"#))
                #expect(text.contains(#"path="/api/v1/exercises/:exerciseID""#))
                #expect(!text.contains(exercise.uuidString), "never the raw path")
                #expect(text.contains("http_request_duration_seconds_bucket"))
                #expect(text.contains(#"cocrea_outbox_messages{state="pending"} 0"#))
                #expect(text.contains(#"cocrea_outbox_messages{state="failed"} 0"#))
                #expect(text.contains("cocrea_signatures_signed 0"))
                #expect(text.contains("cocrea_plan_versions_sealed 0"))
            }
        }
    }

    @Test func metricsAreNotServedThroughAProxyOrFromAfar() async throws {
        try await withCocrea(.sqlite) { app in
            // A reverse proxy on this machine forwards the internet's requests.
            try await app.testing(method: loopback).test(.GET, "/metrics", headers: ["X-Forwarded-For": "198.51.100.1"]) {
                #expect($0.status == .forbidden)
                #expect($0.body.string.contains("Las métricas solo se leen desde esta máquina"))
            }
            // In memory there is no peer address: as from another machine.
            try await app.testing().test(.GET, "/metrics") { #expect($0.status == .forbidden) }
        }
    }

    @Test func aConfiguredTokenLetsAScraperReadFromAnywhere() async throws {
        try await withCocrea(.sqlite) { app in
            var options = app.options
            options.metricsToken = "token-de-prometheus-2026"
            app.options = options
            try await app.testing().test(.GET, "/metrics", headers: ["Authorization": "Bearer token-de-prometheus-2026"]) {
                #expect($0.status == .ok)
            }
            try await app.testing().test(.GET, "/metrics", headers: ["Authorization": "Bearer otro"]) { #expect($0.status == .forbidden) }
            try await app.testing(method: loopback).test(.GET, "/metrics") {
                #expect($0.status == .forbidden, "with a token, loopback alone is not enough")
            }
        }
    }
}
