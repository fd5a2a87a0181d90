import AsyncHTTPClient
import CocreaDocuments
import Foundation
import NIOCore

/// The RFC 3161 time-stamping authority the operator configures (`COCREA_TSA_URL`): asked over HTTP,
/// through the app's outbound client, within a time and size bound, for a token over a signature value.
package struct TimestampAuthority: Sendable {
    package static let environmentVariable = "COCREA_TSA_URL"
    /// A TSA answers in well under a second; one that takes longer is tried again later.
    package static let timeoutSeconds: Int64 = 15

    package let url: String

    package init(url: String) {
        self.url = url
    }

    /// Why no token came: said in the logs, kept with the waiting seal, never shown as a signer's fault.
    package struct Unavailable: Error, CustomStringConvertible {
        package let description: String
    }

    /// A token over `signatureValue`, checked against the request (`TimeStamp.token`).
    package func stamp(_ signatureValue: [UInt8], client: HTTPClient) async throws -> TimeStamp.Token {
        let query = TimeStamp.Request(over: signatureValue)
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: TimeStamp.requestMediaType)
        request.headers.add(name: "Accept", value: TimeStamp.responseMediaType)
        request.headers.add(name: "User-Agent", value: "Cocrea (sello de tiempo)")
        request.body = .bytes(ByteBuffer(bytes: query.der))
        let deadline = NIODeadline.now() + .seconds(Self.timeoutSeconds)
        let body: ByteBuffer
        do {
            let response = try await client.execute(request, deadline: deadline)
            guard response.status == .ok else { throw Unavailable(description: "the TSA answered HTTP \(response.status.code)") }
            body = try await response.body.collect(upTo: TimeStamp.maximumResponseBytes)
        } catch let unavailable as Unavailable {
            throw unavailable
        } catch {
            throw Unavailable(description: "the TSA did not answer: \(error)")
        }
        do {
            return try TimeStamp.token(from: Array(body.readableBytesView), for: query)
        } catch {
            throw Unavailable(description: "the TSA's answer was refused: \(error)")
        }
    }
}
