import AsyncHTTPClient
import CocreaDocuments
import Foundation
import NIOCore

/// How an e.firma's revocation is checked: by the OCSP responder its certificate names (or the one the
/// operator sets in `COCREA_OCSP_URL`), asked through the app's outbound client within a time and size
/// bound. With `COCREA_OCSP_REQUIRED=true` no e.firma is accepted while its revocation cannot be checked;
/// otherwise the signature is made and recorded as not checked.
package struct OCSPPolicy: Sendable {
    package static let requiredVariable = "COCREA_OCSP_REQUIRED"
    package static let urlVariable = "COCREA_OCSP_URL"
    /// A responder answers in well under a second; the signer is waiting.
    package static let timeoutSeconds: Int64 = 10

    package var required: Bool
    /// Overrides the certificate's own responder address.
    package var url: String?

    package init(required: Bool = false, url: String? = nil) {
        self.required = required
        self.url = url
    }

    /// The responder's DER answer to `query`, unread; throws `EFirmaRevocation.Unusable` when none came.
    package func ask(_ query: EFirmaRevocation.Query, at url: String, client: HTTPClient) async throws -> [UInt8] {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: EFirmaRevocation.requestMediaType)
        request.headers.add(name: "Accept", value: EFirmaRevocation.responseMediaType)
        request.headers.add(name: "User-Agent", value: "Cocrea (revocación de e.firma)")
        request.body = .bytes(ByteBuffer(bytes: query.der))
        do {
            let response = try await client.execute(request, deadline: .now() + .seconds(Self.timeoutSeconds))
            guard response.status == .ok else { throw EFirmaRevocation.Unusable("the responder answered HTTP \(response.status.code)") }
            return Array(try await response.body.collect(upTo: EFirmaRevocation.maximumResponseBytes).readableBytesView)
        } catch let unusable as EFirmaRevocation.Unusable {
            throw unusable
        } catch {
            throw EFirmaRevocation.Unusable("the responder did not answer: \(error)")
        }
    }
}
