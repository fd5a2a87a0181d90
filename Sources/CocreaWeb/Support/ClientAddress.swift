import CocreaCore
import CocreaUseCases
import Vapor

extension Request {
    /// The address of the person making the request, the one place it is read: the peer, or what a
    /// trusted proxy (`COCREA_TRUSTED_PROXIES`) says in `X-Forwarded-For`. Keys the limits (sign-in,
    /// survey answers) and is kept with a signature; never published.
    var clientIPAddress: String? {
        guard let peer = remoteAddress?.ipAddress else { return nil }
        return options.trustedProxies.client(peer: peer, forwardedFor: headers[.xForwardedFor])
    }

    /// `clientIPAddress`, as the key of a limit.
    var clientAddress: String { clientIPAddress ?? "desconocido" }

    /// What a signature keeps of the client that made it.
    var signingClient: SigningClient { SigningClient(ipAddress: clientIPAddress, userAgent: headers.first(name: .userAgent)) }

    /// Whether the request came straight from this machine, through no proxy: a proxy on the same
    /// machine forwards the internet's requests, with an `X-Forwarded-For` or `Forwarded` header.
    var comesDirectlyFromThisMachine: Bool {
        guard headers[.xForwardedFor].isEmpty, headers[.forwarded].isEmpty, let peer = remoteAddress?.ipAddress else { return false }
        return TrustedProxies.loopback.trusts(peer)
    }
}
