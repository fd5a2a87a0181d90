/// Collects every problem of a form or body at once, so a person fixes them in one go.
public struct Validator: Sendable {
    public private(set) var errors: [FieldError] = []

    public init() {}

    /// A field is one line (a title, a name, a place) unless it says it takes several (a description).
    public enum Lines: Sendable {
        case single, multiple
    }

    /// Trims and returns the text as `PlainText` cleans it, recording an error when it is missing or too long.
    /// `label` names the field in the catalogue, with its article, for the problem's sentence.
    public mutating func required(_ value: String?, field: String, label: FieldLabel, maxLength: Int = 200, lines: Lines = .single) -> String {
        let text = Self.cleaned(value, lines)
        if text.isEmpty {
            missing(field: field, label: label)
        } else if text.count > maxLength {
            tooLong(field: field, label: label, maxLength: maxLength)
        }
        return text
    }

    public mutating func optional(_ value: String?, field: String, label: FieldLabel, maxLength: Int = 2000, lines: Lines = .single) -> String? {
        let text = Self.cleaned(value, lines)
        if text.count > maxLength {
            tooLong(field: field, label: label, maxLength: maxLength)
        }
        return text.isEmpty ? nil : text
    }

    public mutating func email(_ value: String?, field: String = "email") -> String {
        let text = required(value, field: field, label: "fieldEmail", maxLength: 254).lowercased()
        if !text.isEmpty && !EmailAddress.isValid(text) {
            add(field: field, "problemEmailInvalid", ["value": .text(text)])
        }
        return text
    }

    public mutating func choice<E: RawRepresentable & CaseIterable & Labelled>(
        _ value: String?, as type: E.Type, field: String, label: FieldLabel
    ) -> E? where E.RawValue == String {
        guard let raw = value?.trimmingWhitespace, !raw.isEmpty else {
            missing(field: field, label: label)
            return nil
        }
        guard let parsed = E(rawValue: raw) else {
            add(
                field: field, "problemChoiceInvalid",
                ["value": .text(raw), "label": .field(label), "allowed": .choices(E.allCases.map { ($0.rawValue, $0.labelKey) })])
            return nil
        }
        return parsed
    }

    public mutating func timeZone(_ value: String?, field: String = "timeZone") -> String {
        let text = (value ?? "").trimmingWhitespace
        if text.isEmpty { return "America/Mexico_City" }
        if !MexicanTimeZones.isKnown(text) {
            add(field: field, "problemTimeZoneInvalid", ["value": .text(text)])
        }
        return text
    }

    /// The same checks with the label named by its catalogue key («fieldCommitmentTitle»).
    public mutating func required(_ value: String?, field: String, label: String, maxLength: Int = 200, lines: Lines = .single) -> String {
        required(value, field: field, label: FieldLabel(label), maxLength: maxLength, lines: lines)
    }

    public mutating func optional(_ value: String?, field: String, label: String, maxLength: Int = 2000, lines: Lines = .single) -> String? {
        optional(value, field: field, label: FieldLabel(label), maxLength: maxLength, lines: lines)
    }

    public mutating func choice<E: RawRepresentable & CaseIterable & Labelled>(
        _ value: String?, as type: E.Type, field: String, label: String
    ) -> E? where E.RawValue == String {
        choice(value, as: type, field: field, label: FieldLabel(label))
    }

    private static func cleaned(_ value: String?, _ lines: Lines) -> String {
        switch lines {
        case .single: PlainText.singleLine(value ?? "")
        case .multiple: PlainText.multiline(value ?? "").trimmingWhitespace
        }
    }

    /// A problem written whole, outside the catalogue (the same in every language).
    public mutating func add(field: String, message: String) {
        errors.append(FieldError(field: field, message: message))
    }

    /// A problem of the catalogue: its text `key` with `values` in its placeholders.
    public mutating func add(field: String, _ key: String, _ values: [String: ErrorText.Value] = [:]) {
        errors.append(FieldError(field: field, key, values))
    }

    /// «Falta el título del compromiso.»
    public mutating func missing(field: String, label: FieldLabel) {
        add(field: field, "problemMissing", ["label": .field(label)])
    }

    public mutating func tooLong(field: String, label: FieldLabel, maxLength: Int) {
        add(field: field, "problemTooLong", ["label": .openingField(label), "maximum": .number(maxLength)])
    }

    /// Throws a 422 with every problem found, or does nothing when the input is valid.
    public func check() throws(CocreaError) {
        if !errors.isEmpty { throw .validation(errors) }
    }
}

public enum EmailAddress {
    /// A pragmatic check (one @, a dotted domain, no spaces, angle brackets or control characters);
    /// delivery is the real test. An address goes as it is into calendar lines and mail headers.
    public static func isValid(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
            !parts[1].hasPrefix("."), !parts[1].hasSuffix("."), !parts[1].contains("..")
        else { return false }
        return !text.contains(where: { $0.isWhitespace || "<>(),;:\"[]\\".contains($0) }) && !text.unicodeScalars.contains(where: PlainText.isBreak)
    }
}

public enum MexicanTimeZones {
    /// Mexico's IANA zones; the exercise's days are counted in one of these.
    public static let all = [
        "America/Mexico_City", "America/Cancun", "America/Merida", "America/Monterrey", "America/Matamoros",
        "America/Chihuahua", "America/Ciudad_Juarez", "America/Ojinaga", "America/Mazatlan", "America/Bahia_Banderas",
        "America/Hermosillo", "America/Tijuana",
    ]
    public static func isKnown(_ identifier: String) -> Bool { all.contains(identifier) }
}

extension String {
    var trimmingWhitespace: String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }

    var lowercasedFirst: String {
        guard let first else { return self }
        return first.lowercased() + dropFirst()
    }

    var capitalizedFirst: String {
        guard let first else { return self }
        return first.uppercased() + dropFirst()
    }
}
