import CocreaCore
import Testing

/// The RFC and the CURP a member may record to sign with e.firma, checked by their official formats.
@Suite struct MexicanIdentifiersTests {
    @Test func anRFCHasThirteenCharactersForANaturalPersonAndTwelveForALegalOne() {
        #expect(MexicanIdentifiers.isRFC("PEGJ800101AB1"))
        #expect(MexicanIdentifiers.isRFC("CTA100512KJ7"))
        #expect(MexicanIdentifiers.isRFC("MUÑO850704T21"))
        #expect(MexicanIdentifiers.isRFC("A&B930214RT5"))
        #expect(!MexicanIdentifiers.isRFC("PEGJ800101AB"), "a natural person's initials with a legal person's length")
        #expect(!MexicanIdentifiers.isRFC("PEGJ801301AB1"), "month 13")
        #expect(!MexicanIdentifiers.isRFC("PEGJ800100AB1"), "day 00")
        #expect(!MexicanIdentifiers.isRFC("PEG1800101AB1"))
        #expect(!MexicanIdentifiers.isRFC("PEGJ800101AB-"))
        #expect(!MexicanIdentifiers.isRFC(""))
    }

    @Test func aCURPHasEighteenCharactersAndItsCheckDigit() {
        #expect(MexicanIdentifiers.isCURP("HEGG560427MVZRRL04"))
        #expect(MexicanIdentifiers.isCURP("PEGJ800101MJCRMN03"))
        #expect(!MexicanIdentifiers.isCURP("PEGJ800101MJCRMN04"), "a wrong check digit")
        #expect(!MexicanIdentifiers.isCURP("PEGJ800101MQQRMN03"), "no state is QQ")
        #expect(!MexicanIdentifiers.isCURP("PEGJ800101ZJCRMN03"), "the sex is H, M or X")
        #expect(!MexicanIdentifiers.isCURP("PEGJ800101MJCRMN0"))
    }

    @Test func theFormTakesThemInAnyCaseAndRefusesMalformedOnesInSpanish() {
        var v = Validator()
        #expect(v.rfc(" pegj800101ab1 ") == "PEGJ800101AB1")
        #expect(v.curp("pegj800101mjcrmn03") == "PEGJ800101MJCRMN03")
        #expect(v.rfc("  ") == nil)
        #expect(v.curp(nil) == nil)
        #expect(v.errors.isEmpty)
        _ = v.rfc("PEGJ8001")
        _ = v.curp("PEGJ800101MJCRMN04")
        #expect(v.errors.map(\.field) == ["rfc", "curp"])
        #expect(v.errors[0].message.contains("no es un RFC válido"))
        #expect(v.errors[1].message.contains("no es una CURP válida"))
    }
}
