import CocreaCore
import Foundation

extension MexicanFormat {
    /// An amount as people in Mexico read it: "$1,234,567.50" for pesos (MXN), "12,500.00 USD" for
    /// another currency, "12,500.00 (sin moneda)" when the publisher did not say.
    public static func money(_ value: Money) -> String? {
        guard let amount = value.amount else { return nil }
        let digits = grouped(amount)
        switch value.currency {
        case "MXN": return digits.hasPrefix("-") ? "-$\(digits.dropFirst())" : "$\(digits)"
        case let currency?: return "\(digits) \(currency)"
        case nil: return "\(digits) (sin moneda)"
        }
    }

    /// "1234567.5" → "1,234,567.50" (rounded to cents, half away from zero).
    private static func grouped(_ amount: Decimal) -> String {
        var value = amount
        var rounded = Decimal()
        NSDecimalRound(&rounded, &value, 2, .plain)
        let text = "\(rounded.magnitude)"
        let parts = text.split(separator: ".", maxSplits: 1)
        let whole = Array(parts[0])
        let cents = parts.count > 1 ? String(parts[1].prefix(2)).padding(toLength: 2, withPad: "0", startingAt: 0) : "00"
        var groups: [String] = []
        var end = whole.count
        while end > 0 {
            groups.insert(String(whole[max(0, end - 3)..<end]), at: 0)
            end -= 3
        }
        return (rounded < 0 ? "-" : "") + groups.joined(separator: ",") + "." + cents
    }
}
