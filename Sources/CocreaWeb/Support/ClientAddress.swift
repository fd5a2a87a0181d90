import CocreaCore
import Vapor

extension Request {
    /// The address of the person making the request, the one place it is read: the peer, or what a
    /// trusted proxy (`COCREA_TRUSTED_PROXIES`) says in `X-Forwarded-For`. Used only as the key of
    /// limits (sign-in, survey answers), never shown or published.
    var clientAddress: String {
        let peer = remoteAddress?.ipAddress ?? "desconocido"
        return options.trustedProxies.client(peer: peer, forwardedFor: headers[.xForwardedFor])
    }

    /// Whether the request came straight from this machine, through no proxy: a proxy on the same
    /// machine forwards the internet's requests, with an `X-Forwarded-For` or `Forwarded` header.
    var comesDirectlyFromThisMachine: Bool {
        guard headers[.xForwardedFor].isEmpty, headers[.forwarded].isEmpty, let peer = remoteAddress?.ipAddress else { return false }
        return TrustedProxies.loopback.trusts(peer)
    }
}
