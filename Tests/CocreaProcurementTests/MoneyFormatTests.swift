import CocreaCore
import CocreaProcurement
import Foundation
import Testing

/// Amounts as a reader in Mexico expects them on the public page.
@Suite struct MoneyFormatTests {
    @Test func pesosCarryTheSignThousandsSeparatorsAndCents() {
        #expect(MexicanFormat.money(Money(amount: Decimal(string: "17982340.5"), currency: "MXN")) == "$17,982,340.50")
        #expect(MexicanFormat.money(Money(amount: 850, currency: "MXN")) == "$850.00")
        #expect(MexicanFormat.money(Money(amount: Decimal(string: "1234.567"), currency: "MXN")) == "$1,234.57")
        #expect(MexicanFormat.money(Money(amount: Decimal(string: "-1500.1"), currency: "MXN")) == "-$1,500.10")
        #expect(MexicanFormat.money(Money(amount: Decimal(string: "-0.004"), currency: "MXN")) == "$0.00", "rounds to zero: no sign")
    }

    @Test func anotherCurrencyIsNamedAndAMissingOneSaidSo() {
        #expect(MexicanFormat.money(Money(amount: 125_000, currency: "USD")) == "125,000.00 USD")
        #expect(MexicanFormat.money(Money(amount: 999_999.995, currency: nil)) == "1,000,000.00 (sin moneda)")
        #expect(MexicanFormat.money(Money(amount: nil, currency: "MXN")) == nil)
    }
}
