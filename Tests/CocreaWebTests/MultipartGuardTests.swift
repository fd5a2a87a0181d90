import CocreaCore
import CocreaTestSupport
import CocreaUseCases
import Foundation
import NIOCore
import Testing
import Vapor
import VaporTesting

@testable import CocreaWeb

/// A multipart body whose part header has a byte outside ASCII used to crash the server (a trap
/// inside MultipartKit); it is refused with a Spanish 400 on every route, and the server lives on.
@Suite struct MultipartGuardTests {
    static func hostile(_ boundary: String) -> ByteBuffer {
        var body = ByteBuffer(string: "--\(boundary)\r\nX")
        body.writeBytes([0xC3, 0x82])
        body.writeString(": y\r\n\r\nv\r\n--\(boundary)--\r\n")
        return body
    }

    @Test func partHeaderWithNonASCIINameIsRefusedOnEveryRoute() async throws {
        try await withCocrea(.sqlite) { app in
            let fixture = try await Fixture.make(on: app)
            let api = APIClient(app: app, token: fixture.members["facilitator"]!.token)
            var headers = HTTPHeaders()
            headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=bnd")
            for path in [
                "/api/v1/verify", "/api/v1/exercises/\(fixture.exercise.id!)/dossier/items", "/api/v1/exercises/\(fixture.exercise.id!)/commitments", "/verify",
            ] {
                let response = try await api.send(.POST, path, headers: headers, body: Self.hostile("bnd"))
                #expect(response.status == .badRequest, "\(path): \(response.status)")
                #expect(response.body.string.contains("invalid_body") || response.body.string.contains("multipart/form-data no es válido"), "\(path)")
            }
            #expect(try await api.send(.GET, "/healthz").status == .ok, "the server is still up")
        }
    }

    /// MultipartKit asserts a non-empty boundary: `boundary=` with nothing after it once crashed the
    /// server from any page form (the CSRF check reads the body) and any multipart API route.
    @Test(arguments: [
        "multipart/form-data; boundary=", "multipart/form-data", "multipart/form-data; boundary=\"\"",
        "multipart/form-data; boundary=" + String(repeating: "a", count: 71),
    ])
    func missingOrEmptyBoundaryIsRefusedOnEveryRoute(_ contentType: String) async throws {
        try await withCocrea(.sqlite) { app in
            let fixture = try await Fixture.make(on: app)
            let api = APIClient(app: app, token: fixture.members["facilitator"]!.token)
            var headers = HTTPHeaders()
            headers.replaceOrAdd(name: .contentType, value: contentType)
            let paths = [
                "/api/v1/verify", "/api/v1/exercises/\(fixture.exercise.id!)/dossier/items", "/verify", "/login",
                "/exercises/\(fixture.exercise.id!)/dossier",
            ]
            for path in paths {
                let response = try await api.send(.POST, path, headers: headers, body: ByteBuffer(string: "--\r\n\r\nv\r\n----\r\n"))
                #expect(response.status == .badRequest, "\(path): \(response.status)")
                #expect(response.body.string.contains("boundary"), "\(path)")
            }
            #expect(try await api.send(.GET, "/healthz").status == .ok, "the server is still up")
        }
    }

    /// A route's body is read no further than that route accepts: a multipart body over 1 MB to a
    /// route of the default 1 MB limit is refused before anything parses it.
    @Test func multipartBodiesAreLimitedByTheirRoute() async throws {
        try await withCocrea(.sqlite) { app in
            let fixture = try await Fixture.make(on: app)
            let api = APIClient(app: app, token: fixture.members["facilitator"]!.token)
            let (headers, body) = MultipartForm.encode(fields: [("title", String(repeating: "x", count: 1_100_000))], file: nil)
            let response = try await api.send(.POST, "/api/v1/exercises/\(fixture.exercise.id!)/commitments", headers: headers, body: body)
            #expect(response.status == .payloadTooLarge)
        }
    }

    @Test func boundariesFollowRFC2046() {
        #expect(MultipartGuard.isValidBoundary("----cocrea5F1A"))
        #expect(MultipartGuard.isValidBoundary("gc0p4Jq0M2Yt08jU534c0p"))
        #expect(!MultipartGuard.isValidBoundary(""))
        #expect(!MultipartGuard.isValidBoundary("termina en espacio "))
        #expect(!MultipartGuard.isValidBoundary("límite"))
        #expect(!MultipartGuard.isValidBoundary(String(repeating: "b", count: 71)))
    }

    @Test func accentedFileNamesInHeaderValuesStillPass() {
        var body = Array(
            "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"guía de co-creación.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\r\n--b--\r\n"
                .utf8)
        #expect(MultipartGuard.partHeaderNamesAreASCII(body, boundary: "b"))
        body = Array("--b\r\nNombre-Ñ: x\r\n\r\nv\r\n--b--\r\n".utf8)
        #expect(!MultipartGuard.partHeaderNamesAreASCII(body, boundary: "b"))
    }
}
