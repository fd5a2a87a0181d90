/// Collects every problem of a form or body at once, so a person fixes them in one go.
public struct Validator: Sendable {
    public private(set) var errors: [FieldError] = []

    public init() {}

    /// A field is one line (a title, a name, a place) unless it says it takes several (a description).
    public enum Lines: Sendable {
        case single, multiple
    }

    /// Trims and returns the text as `PlainText` cleans it, recording an error when it is missing or too long.
    public mutating func required(_ value: String?, field: String, label: String, maxLength: Int = 200, lines: Lines = .single) -> String {
        let text = Self.cleaned(value, lines)
        if text.isEmpty {
            errors.append(FieldError(field: field, message: "Falta \(label)."))
        } else if text.count > maxLength {
            errors.append(FieldError(field: field, message: "\(label.capitalizedFirst) admite hasta \(maxLength) caracteres."))
        }
        return text
    }

    public mutating func optional(_ value: String?, field: String, label: String, maxLength: Int = 2000, lines: Lines = .single) -> String? {
        let text = Self.cleaned(value, lines)
        if text.count > maxLength {
            errors.append(FieldError(field: field, message: "\(label.capitalizedFirst) admite hasta \(maxLength) caracteres."))
        }
        return text.isEmpty ? nil : text
    }

    public mutating func email(_ value: String?, field: String = "email") -> String {
        let text = required(value, field: field, label: "el correo electrónico", maxLength: 254).lowercased()
        if !text.isEmpty && !EmailAddress.isValid(text) {
            errors.append(FieldError(field: field, message: "«\(text)» no parece un correo electrónico válido."))
        }
        return text
    }

    public mutating func choice<E: RawRepresentable & CaseIterable & Labelled>(
        _ value: String?, as type: E.Type, field: String, label: String
    ) -> E? where E.RawValue == String {
        guard let raw = value?.trimmingWhitespace, !raw.isEmpty else {
            errors.append(FieldError(field: field, message: "Falta \(label)."))
            return nil
        }
        guard let parsed = E(rawValue: raw) else {
            let allowed = E.allCases.map { "\($0.rawValue) (\($0.label(.es)))" }.joined(separator: ", ")
            errors.append(FieldError(field: field, message: "«\(raw)» no es un valor válido para \(label); usa uno de: \(allowed)."))
            return nil
        }
        return parsed
    }

    public mutating func timeZone(_ value: String?, field: String = "timeZone") -> String {
        let text = (value ?? "").trimmingWhitespace
        if text.isEmpty { return "America/Mexico_City" }
        if !MexicanTimeZones.isKnown(text) {
            errors.append(
                FieldError(field: field, message: "«\(text)» no es una zona horaria de México reconocida (por ejemplo America/Mexico_City o America/Cancun)."))
        }
        return text
    }

    private static func cleaned(_ value: String?, _ lines: Lines) -> String {
        switch lines {
        case .single: PlainText.singleLine(value ?? "")
        case .multiple: PlainText.multiline(value ?? "").trimmingWhitespace
        }
    }

    public mutating func add(field: String, message: String) {
        errors.append(FieldError(field: field, message: message))
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
