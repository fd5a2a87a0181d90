import Foundation

/// The reverse proxies whose `X-Forwarded-For` header is believed (`COCREA_TRUSTED_PROXIES`).
/// Anyone can send the header, so it names the client only when the peer that sent it is one of
/// ours; otherwise the peer itself is the client.
public struct TrustedProxies: Sendable, Equatable {
    /// One address or network, e.g. `10.0.0.0/8`, `127.0.0.1`, `::1`, `fd00::/8`.
    public struct Network: Sendable, Equatable {
        let bytes: [UInt8]
        let prefixLength: Int

        public init?(_ text: String) {
            let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "/", omittingEmptySubsequences: false)
            guard (1...2).contains(parts.count), let bytes = TrustedProxies.addressBytes(String(parts[0])) else { return nil }
            let maximum = bytes.count * 8
            if parts.count == 2 {
                guard let length = Int(parts[1]), (0...maximum).contains(length) else { return nil }
                prefixLength = length
            } else {
                prefixLength = maximum
            }
            self.bytes = bytes
        }

        func contains(_ address: [UInt8]) -> Bool {
            guard address.count == bytes.count else { return false }
            var remaining = prefixLength
            for (a, b) in zip(address, bytes) where remaining > 0 {
                let bits = min(8, remaining)
                let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
                if a & mask != b & mask { return false }
                remaining -= bits
            }
            return true
        }
    }

    public let networks: [Network]

    /// This machine: 127.0.0.0/8 and ::1.
    public static let loopback = TrustedProxies(networks: [Network("127.0.0.0/8")!, Network("::1")!])

    public init(networks: [Network] = []) {
        self.networks = networks
    }

    /// Reads a comma-separated list; names every entry that is not an address or network.
    public static func parse(_ text: String) throws -> TrustedProxies {
        var networks: [Network] = []
        var invalid: [String] = []
        for entry in text.split(separator: ",") {
            let trimmed = entry.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            if let network = Network(trimmed) { networks.append(network) } else { invalid.append(trimmed) }
        }
        guard invalid.isEmpty else {
            throw CocreaError.trustedProxiesInvalid(invalid)
        }
        return TrustedProxies(networks: networks)
    }

    public func trusts(_ address: String) -> Bool {
        guard let bytes = Self.addressBytes(address) else { return false }
        return networks.contains { $0.contains(bytes) }
    }

    /// The client behind `peer`: the right-most `X-Forwarded-For` address that is not one of our
    /// proxies, when `peer` is one of them; `peer` itself otherwise. Addresses further left were
    /// written by whoever sent the request and prove nothing.
    public func client(peer: String, forwardedFor headers: [String]) -> String {
        guard trusts(peer) else { return peer }
        let hops = headers.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        for hop in hops.reversed() {
            guard Self.addressBytes(hop) != nil else { return peer }
            if !trusts(hop) { return hop }
        }
        return hops.first ?? peer
    }

    /// An IPv4 or IPv6 address as bytes; IPv4-mapped IPv6 addresses (`::ffff:10.0.0.1`) as IPv4.
    static func addressBytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF { return Array(bytes[12...]) }
        return bytes
    }
}
