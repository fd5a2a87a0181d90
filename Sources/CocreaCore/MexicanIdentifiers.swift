/// The SAT's RFC and RENAPO's CURP, as their official formats define them: what an e.firma
/// certificate names its holder by, and what a member may record to sign with one.
public enum MexicanIdentifiers {
    /// The letters of both identifiers; the RFC also takes «&» and «Ñ» in its initials.
    static let letters = Set("ABCDEFGHIJKLMNÑOPQRSTUVWXYZ")
    static let digits = Set("0123456789")

    /// Upper case, without surrounding spaces, as the SAT and RENAPO print them.
    public static func normalised(_ text: String) -> String {
        text.trimmingWhitespace.uppercased()
    }

    /// An RFC: a natural person's has 13 characters (4 letters), a legal person's 12 (3 letters); then
    /// the date of birth or incorporation (YYMMDD) and a three-character homoclave.
    public static func isRFC(_ text: String) -> Bool {
        let characters = Array(text)
        guard characters.count == 12 || characters.count == 13 else { return false }
        let initials = characters.count - 9
        guard characters[..<initials].allSatisfy({ letters.contains($0) || $0 == "&" }) else { return false }
        guard isDate(characters[initials..<(initials + 6)]) else { return false }
        return characters[(initials + 6)...].allSatisfy { letters.contains($0) || digits.contains($0) }
    }

    /// A CURP: 18 characters (initials, date of birth, sex, state of birth, inner consonants, a
    /// homonym differentiator) whose last digit checks the other 17.
    public static func isCURP(_ text: String) -> Bool {
        let characters = Array(text)
        guard characters.count == 18, characters[0..<4].allSatisfy(letters.contains), isDate(characters[4..<10]),
            "HMX".contains(characters[10]), states.contains(String(characters[11..<13])),
            characters[13..<16].allSatisfy(letters.contains),
            letters.contains(characters[16]) || digits.contains(characters[16]),
            let check = characters[17].wholeNumberValue
        else { return false }
        return check == curpCheckDigit(characters[0..<17])
    }

    /// RENAPO's check digit: each character's value in «0–9 A–N Ñ O–Z», weighted 18 down to 2.
    static func curpCheckDigit(_ characters: ArraySlice<Character>) -> Int? {
        let alphabet = Array("0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ")
        var sum = 0
        for (offset, character) in characters.enumerated() {
            guard let value = alphabet.firstIndex(of: character) else { return nil }
            sum += value * (18 - offset)
        }
        return (10 - sum % 10) % 10
    }

    /// The states of birth (and NE, born abroad).
    static let states: Set<String> = [
        "AS", "BC", "BS", "CC", "CL", "CM", "CS", "CH", "DF", "DG", "GT", "GR", "HG", "JC", "MC", "MN", "MS", "NT", "NL", "OC", "PL",
        "QT", "QR", "SP", "SL", "SR", "TC", "TS", "TL", "VZ", "YN", "ZS", "NE",
    ]

    /// YYMMDD with a month 01–12 and a day 01–31.
    static func isDate(_ characters: ArraySlice<Character>) -> Bool {
        guard characters.allSatisfy(digits.contains) else { return false }
        let numbers = characters.compactMap(\.wholeNumberValue)
        let month = numbers[2] * 10 + numbers[3]
        let day = numbers[4] * 10 + numbers[5]
        return (1...12).contains(month) && (1...31).contains(day)
    }
}

extension Validator {
    /// An optional RFC, upper-cased; a malformed one is a problem of the form.
    public mutating func rfc(_ value: String?, field: String = "rfc") -> String? {
        let text = MexicanIdentifiers.normalised(value ?? "")
        if text.isEmpty { return nil }
        if !MexicanIdentifiers.isRFC(text) { add(field: field, "problemRFCInvalid", ["value": .text(text)]) }
        return text
    }

    /// An optional CURP, upper-cased; a malformed one, or one whose check digit is wrong, is a problem of the form.
    public mutating func curp(_ value: String?, field: String = "curp") -> String? {
        let text = MexicanIdentifiers.normalised(value ?? "")
        if text.isEmpty { return nil }
        if !MexicanIdentifiers.isCURP(text) { add(field: field, "problemCURPInvalid", ["value": .text(text)]) }
        return text
    }
}
