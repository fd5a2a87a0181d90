import CocreaCore
import Testing

/// What fuzzing found in the pure rules (scripts/fuzz), each kept as the rule it broke.
@Suite struct FuzzFindingsTests {
    /// An address goes as it is into a calendar invitation's ATTENDEE line and an email's To header:
    /// fuzzing the calendar put U+0001 there through an address that passed this check.
    @Test(arguments: ["j\u{1}se@colectivo.org", "jose@colectivo\u{7F}.org", "jose@colectivo.org\u{9B}"])
    func anAddressWithAControlCharacterIsNotAnEmailAddress(address: String) {
        #expect(!EmailAddress.isValid(address))
    }

    @Test func anAddressWithAccentsIsStillAnEmailAddress() {
        #expect(EmailAddress.isValid("josé.núñez@colectivo.org"))
    }
}
