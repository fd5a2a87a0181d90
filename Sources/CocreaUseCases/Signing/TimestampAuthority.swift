import AsyncHTTPClient
import CocreaDocuments
import Foundation
import NIOCore

/// The RFC 3161 time-stamping authority the operator configures (`COCREA_TSA_URL`, its roots in
/// `COCREA_TSA_CA`): asked over HTTP, through the app's outbound client, within a time and size bound,
/// for a token over a signature value or a digest.
package struct TimestampAuthority: Sendable {
    package static let environmentVariable = "COCREA_TSA_URL"
    /// A TSA answers in well under a second; one that takes longer is tried again later.
    package static let timeoutSeconds: Int64 = 15
    /// The bound for an e.firma's stamp, asked inside the signing transaction: every other write waits
    /// meanwhile, and an unstamped actor's signature is dated later by the queue (`datingSigningCopy`).
    package static let inlineTimeoutSeconds: Int64 = 3

    package let url: String
    package let trust: TimeStamp.Trust

    package init(url: String, trust: TimeStamp.Trust) {
        self.url = url
        self.trust = trust
    }

    /// Why no token came this time: said in the logs, kept with the waiting seal, never shown as a signer's fault.
    package struct Unavailable: Error, CustomStringConvertible {
        package let description: String
    }

    /// The authority rejected the request for good: asking again would be rejected the same way.
    package struct Rejected: Error, CustomStringConvertible {
        package let description: String
    }

    /// A token over `signatureValue`, checked against the request, the authority's roots and `now`
    /// (`TimeStamp.token`).
    package func stamp(
        _ signatureValue: [UInt8], client: HTTPClient, at now: Date, timeoutSeconds: Int64 = Self.timeoutSeconds
    ) async throws -> TimeStamp.Token {
        try await ask(TimeStamp.Request(over: signatureValue), client: client, at: now, timeoutSeconds: timeoutSeconds)
    }

    /// A token over bytes already hashed (a document timestamp's byte range, `PDFDocumentTimestamp`),
    /// checked as above.
    package func stamp(sha256 digest: [UInt8], client: HTTPClient, at now: Date) async throws -> TimeStamp.Token {
        try await ask(TimeStamp.Request(sha256: digest), client: client, at: now, timeoutSeconds: Self.timeoutSeconds)
    }

    private func ask(_ query: TimeStamp.Request, client: HTTPClient, at now: Date, timeoutSeconds: Int64) async throws -> TimeStamp.Token {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: TimeStamp.requestMediaType)
        request.headers.add(name: "Accept", value: TimeStamp.responseMediaType)
        request.headers.add(name: "User-Agent", value: "Cocrea (sello de tiempo)")
        request.body = .bytes(ByteBuffer(bytes: query.der))
        let deadline = NIODeadline.now() + .seconds(timeoutSeconds)
        let body: ByteBuffer
        do {
            let response = try await client.execute(request, deadline: deadline)
            guard response.status == .ok else {
                throw Unavailable(description: "la autoridad de sellado de tiempo respondió HTTP \(response.status.code)")
            }
            body = try await response.body.collect(upTo: TimeStamp.maximumResponseBytes)
        } catch let unavailable as Unavailable {
            throw unavailable
        } catch {
            throw Unavailable(description: "la autoridad de sellado de tiempo no respondió: \(error)")
        }
        do {
            return try TimeStamp.token(from: Array(body.readableBytesView), for: query, trusting: trust, at: now)
        } catch {
            if case .refused(_, definitive: true) = error { throw Rejected(description: "\(error)") }
            throw Unavailable(description: "\(error)")
        }
    }
}
