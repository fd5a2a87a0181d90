import CocreaStore
import Foundation
import Testing

@Suite struct HashingTests {
    /// The stored hashes of sessions, tokens and files are SHA-256 in lowercase hex; a stored one must
    /// still match after the hex is written another way.
    @Test func sha256IsLowercaseHexOfTheStandardDigest() {
        #expect(Hashing.sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Hashing.sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Hashing.sha256Hex(Data([0x00, 0xff, 0x10])) == "2da45f2cd1f9c8e69a67abf7a6b26c282533d0a7686787a9533265418680d4d2")
    }
}
