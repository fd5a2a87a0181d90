import CocreaCore
import Testing

struct SearchTextTests {
    @Test func searchIgnoresCaseAndAccents() {
        #expect(SearchText.fold("San Pedro Tlaquepaque, Jalisco") == "san pedro tlaquepaque, jalisco")
        #expect(SearchText.fold("Santiago de Querétaro") == "santiago de queretaro")
        #expect(SearchText.fold("  ZAPOPAN\tJalisco ") == "zapopan jalisco")
        #expect(SearchText.fold("Peñón de los Baños") == "penon de los banos")
    }

    @Test func wildcardsInAQueryAreLiteralNothing() {
        #expect(SearchText.pattern("OAXACA") == "oaxaca")
        #expect(SearchText.pattern("100%_") == "100")
        #expect(SearchText.pattern(" % ") == nil)
    }
}
