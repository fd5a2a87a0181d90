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

extension FuzzFindingsTests {
    /// MultipartKit ends a header value at a CR, so after `name="t"` + LF + CRLF it reads the next
    /// line as a header name and trapped on its «ó»; the guard, splitting lines on LF, had taken
    /// that CRLF for the end of the headers and let the body through.
    @Test func aHeaderNameAfterALoneLineFeedIsCheckedAsMultipartKitReadsIt() {
        let body = Array("--b\r\nContent-Disposition: form-data; name=\"t\"\n\r\nDiagnóstico: x\r\n\r\nv\r\n--b--\r\n".utf8)
        #expect(!MultipartGuard.partHeaderNamesAreASCII(body, boundary: "b"))
    }

    @Test func aFormAsBrowsersSendItPasses() {
        let body = Array(
            ("--b\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nDiagnóstico participativo\r\n"
                + "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"guía.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\r\n\r\n--b--\r\n")
                .utf8)
        #expect(MultipartGuard.partHeaderNamesAreASCII(body, boundary: "b"))
    }
}
