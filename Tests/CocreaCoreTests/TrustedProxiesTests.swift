import CocreaCore
import Testing

@Suite struct TrustedProxiesTests {
    let proxies = try! TrustedProxies.parse("10.0.0.0/8, 127.0.0.1, fd00::/8")

    @Test func aForwardedHeaderFromAnUntrustedPeerIsIgnored() {
        #expect(proxies.client(peer: "203.0.113.7", forwardedFor: ["198.51.100.1"]) == "203.0.113.7")
    }

    @Test func theRightMostAddressThatIsNotOurProxyIsTheClient() {
        // The client wrote "1.2.3.4" itself; our two proxies appended the real address and each other.
        let client = proxies.client(peer: "127.0.0.1", forwardedFor: ["1.2.3.4, 198.51.100.20", "10.1.2.3"])
        #expect(client == "198.51.100.20")
    }

    @Test func aTrustedPeerWithoutTheHeaderIsItselfTheClient() {
        #expect(proxies.client(peer: "10.0.0.5", forwardedFor: []) == "10.0.0.5")
    }

    @Test func networksMatchByPrefixInBothFamilies() throws {
        #expect(proxies.trusts("10.255.0.1"))
        #expect(!proxies.trusts("11.0.0.1"))
        #expect(proxies.trusts("fd12:3456::1"))
        #expect(!proxies.trusts("fe80::1"))
        #expect(proxies.trusts("::ffff:127.0.0.1"))
        #expect(!proxies.trusts("desconocido"))
        #expect(try TrustedProxies.parse("192.168.1.0/25").trusts("192.168.1.127"))
        #expect(try !TrustedProxies.parse("192.168.1.0/25").trusts("192.168.1.128"))
    }

    @Test func noProxiesAreTrustedByDefault() {
        #expect(TrustedProxies().client(peer: "127.0.0.1", forwardedFor: ["198.51.100.1"]) == "127.0.0.1")
    }

    @Test func aMistypedEntryIsNamedInSpanish() {
        #expect {
            try TrustedProxies.parse("10.0.0.0/8, proxy.interno, 10.0.0.0/33")
        } throws: { error in
            let message = (error as? CocreaError)?.message ?? ""
            return message.contains("proxy.interno") && message.contains("10.0.0.0/33")
        }
    }
}
