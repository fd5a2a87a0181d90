import Foundation

/// PDF's lexical rules (ISO 32000-1 §7.2–7.3), as far as reading trailers and dictionaries needs.
enum PDFSyntax {
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 || byte == 0x0C || byte == 0x00
    }

    static func isDelimiter(_ byte: UInt8) -> Bool {
        "()<>[]{}/%".utf8.contains(byte)
    }

    /// Skips white space and comments.
    static func skipSpace(_ bytes: [UInt8], _ start: Int) -> Int {
        var position = max(start, 0)
        while position < bytes.count {
            if isWhitespace(bytes[position]) {
                position += 1
            } else if bytes[position] == UInt8(ascii: "%") {
                while position < bytes.count, bytes[position] != 0x0A, bytes[position] != 0x0D { position += 1 }
            } else {
                break
            }
        }
        return position
    }

    static func matches(_ keyword: String, in bytes: [UInt8], at position: Int) -> Bool {
        let word = Array(keyword.utf8)
        guard position >= 0, position + word.count <= bytes.count else { return false }
        return bytes[position..<(position + word.count)].elementsEqual(word)
    }

    static func lastRange(of keyword: String, in bytes: [UInt8]) -> Range<Int>? {
        let word = Array(keyword.utf8)
        var position = bytes.count - word.count
        while position >= 0 {
            if bytes[position] == word[0], matches(keyword, in: bytes, at: position) { return position..<(position + word.count) }
            position -= 1
        }
        return nil
    }

    static func firstRange(of keyword: String, in bytes: [UInt8], from start: Int) -> Range<Int>? {
        let word = Array(keyword.utf8)
        var position = max(start, 0)
        while position + word.count <= bytes.count {
            if bytes[position] == word[0], matches(keyword, in: bytes, at: position) { return position..<(position + word.count) }
            position += 1
        }
        return nil
    }

    /// The most digits a number read from a file may have. Any two such numbers add without
    /// overflowing, so offsets and lengths taken from untrusted files never trap.
    static let maximumDigits = 15

    /// The deepest nesting of arrays and dictionaries read; Cocrea's own PDFs nest three levels.
    static let maximumDepth = 64

    /// A non-negative integer at `position` of at most `maximumDigits` digits, and where it ends.
    static func integer(in bytes: [UInt8], at position: Int) -> (value: Int, end: Int)? {
        guard position >= 0 else { return nil }
        var end = position
        var value = 0
        while end < bytes.count, bytes[end] >= 0x30, bytes[end] <= 0x39 {
            guard end - position < maximumDigits else { return nil }
            value = value * 10 + Int(bytes[end] - 0x30)
            end += 1
        }
        return end > position ? (value, end) : nil
    }

    /// The integers of an array's text (`[0 840 1210 100]`), or nil when any element is not one.
    static func integers(inArray text: [UInt8]) -> [Int]? {
        guard text.first == UInt8(ascii: "["), text.last == UInt8(ascii: "]") else { return nil }
        let elements = text.dropFirst().dropLast().split(whereSeparator: isWhitespace)
        var values: [Int] = []
        for element in elements {
            guard let number = integer(in: Array(element), at: 0), number.end == element.count else { return nil }
            values.append(number.value)
        }
        return values
    }

    /// Where the object that starts at `position` ends: a dictionary, array, string, name, number,
    /// keyword or indirect reference (`12 0 R`).
    static func valueEnd(_ bytes: [UInt8], at position: Int, depth: Int = 0) throws -> Int {
        guard position < bytes.count else { throw PDFSignatureError.malformed("valor truncado") }
        guard depth < maximumDepth else { throw PDFSignatureError.malformed("demasiados niveles anidados") }
        switch bytes[position] {
        case UInt8(ascii: "<") where position + 1 < bytes.count && bytes[position + 1] == UInt8(ascii: "<"):
            var cursor = position + 2
            while true {
                cursor = skipSpace(bytes, cursor)
                guard cursor < bytes.count else { throw PDFSignatureError.malformed("diccionario sin cerrar") }
                if matches(">>", in: bytes, at: cursor) { return cursor + 2 }
                cursor = try valueEnd(bytes, at: cursor, depth: depth + 1)
            }
        case UInt8(ascii: "<"):
            guard let close = bytes[position...].firstIndex(of: UInt8(ascii: ">")) else { throw PDFSignatureError.malformed("cadena hexadecimal sin cerrar") }
            return close + 1
        case UInt8(ascii: "["):
            var cursor = position + 1
            while true {
                cursor = skipSpace(bytes, cursor)
                guard cursor < bytes.count else { throw PDFSignatureError.malformed("arreglo sin cerrar") }
                if bytes[cursor] == UInt8(ascii: "]") { return cursor + 1 }
                cursor = try valueEnd(bytes, at: cursor, depth: depth + 1)
            }
        case UInt8(ascii: "("):
            var depth = 0
            var cursor = position
            while cursor < bytes.count {
                switch bytes[cursor] {
                case UInt8(ascii: "\\"): cursor += 1
                case UInt8(ascii: "("): depth += 1
                case UInt8(ascii: ")"):
                    depth -= 1
                    if depth == 0 { return cursor + 1 }
                default: break
                }
                cursor += 1
            }
            throw PDFSignatureError.malformed("cadena sin cerrar")
        case UInt8(ascii: "/"):
            var cursor = position + 1
            while cursor < bytes.count, !isWhitespace(bytes[cursor]), !isDelimiter(bytes[cursor]) { cursor += 1 }
            return cursor
        default:
            var cursor = position
            while cursor < bytes.count, !isWhitespace(bytes[cursor]), !isDelimiter(bytes[cursor]) { cursor += 1 }
            guard cursor > position else { throw PDFSignatureError.malformed("símbolo inesperado") }
            // `12 0 R` is one value.
            if integer(in: bytes, at: position)?.end == cursor {
                let generationStart = skipSpace(bytes, cursor)
                if let generation = integer(in: bytes, at: generationStart) {
                    let r = skipSpace(bytes, generation.end)
                    if r < bytes.count, bytes[r] == UInt8(ascii: "R"), r + 1 == bytes.count || isWhitespace(bytes[r + 1]) || isDelimiter(bytes[r + 1]) {
                        return r + 1
                    }
                }
            }
            return cursor
        }
    }

    /// A text string as PDF writes Unicode: UTF-16BE with a byte-order mark, in hexadecimal.
    static func textString(_ text: String) -> String {
        "<FEFF" + text.utf16.map { String(format: "%04X", $0) }.joined() + ">"
    }

    /// The text of a string value, literal (`(Firma)`) or hexadecimal (`<FEFF...>`): UTF-16BE after
    /// a byte-order mark, otherwise one byte a character (PDFDocEncoding agrees with Latin-1 on letters).
    static func text(of value: [UInt8]) -> String? {
        guard let first = value.first, value.count >= 2 else { return nil }
        var data = [UInt8]()
        if first == UInt8(ascii: "<"), value.last == UInt8(ascii: ">") {
            let digits = value.dropFirst().dropLast().filter { !isWhitespace($0) }
            var pending: UInt8?
            for digit in digits {
                guard let nibble = hexNibble(digit) else { return nil }
                if let high = pending {
                    data.append(high << 4 | nibble)
                    pending = nil
                } else {
                    pending = nibble
                }
            }
            if let high = pending { data.append(high << 4) }
        } else if first == UInt8(ascii: "("), value.last == UInt8(ascii: ")") {
            data = unescapedLiteral(value.dropFirst().dropLast())
        } else {
            return nil
        }
        if data.starts(with: [0xFE, 0xFF]) {
            let units = stride(from: 2, to: data.count - 1, by: 2).map { UInt16(data[$0]) << 8 | UInt16(data[$0 + 1]) }
            return String(decoding: units, as: UTF16.self)
        }
        return String(data.map { Character(Unicode.Scalar($0)) })
    }

    static func hexNibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x37
        case 0x61...0x66: byte - 0x57
        default: nil
        }
    }

    /// The bytes of a literal string's body, its escapes resolved (ISO 32000-1 §7.3.4.2).
    private static func unescapedLiteral(_ body: ArraySlice<UInt8>) -> [UInt8] {
        var output = [UInt8]()
        var index = body.startIndex
        while index < body.endIndex {
            let byte = body[index]
            index += 1
            guard byte == UInt8(ascii: "\\"), index < body.endIndex else {
                output.append(byte)
                continue
            }
            let escaped = body[index]
            index += 1
            switch escaped {
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case 0x0A, 0x0D:
                if escaped == 0x0D, index < body.endIndex, body[index] == 0x0A { index += 1 }
            case 0x30...0x37:
                var value = Int(escaped - 0x30)
                var digits = 1
                while digits < 3, index < body.endIndex, (0x30...0x37).contains(body[index]) {
                    value = value * 8 + Int(body[index] - 0x30)
                    index += 1
                    digits += 1
                }
                output.append(UInt8(value & 0xFF))
            default: output.append(escaped)
            }
        }
        return output
    }

    /// A real number as PDF writes it: at most three decimals, no exponent.
    static func number(_ value: Double) -> String {
        var text = String(format: "%.3f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text == "-0" ? "0" : text
    }
}

/// A dictionary's keys and the raw text of their values, read without interpreting them further.
struct PDFDictionary {
    static let empty = PDFDictionary()

    /// Where the dictionary's `<<` starts and where its `>>` ends, in the bytes it was read from.
    let start: Int
    let end: Int
    let text: [UInt8]
    private var values: [String: [UInt8]] = [:]
    /// The keys in the order the file writes them, so a rewritten dictionary reads like the original.
    private var keys: [String] = []

    private init() {
        start = 0
        end = 0
        text = Array("<<>>".utf8)
    }

    init(_ bytes: [UInt8], at position: Int) throws {
        guard PDFSyntax.matches("<<", in: bytes, at: position) else { throw PDFSignatureError.malformed("se esperaba un diccionario") }
        start = position
        end = try PDFSyntax.valueEnd(bytes, at: position)
        text = Array(bytes[start..<end])
        var cursor = position + 2
        while true {
            cursor = PDFSyntax.skipSpace(bytes, cursor)
            if PDFSyntax.matches(">>", in: bytes, at: cursor) { break }
            let keyEnd = try PDFSyntax.valueEnd(bytes, at: cursor)
            guard bytes[cursor] == UInt8(ascii: "/") else { throw PDFSignatureError.malformed("clave de diccionario inválida") }
            let key = String(decoding: bytes[(cursor + 1)..<keyEnd], as: UTF8.self)
            let valueStart = PDFSyntax.skipSpace(bytes, keyEnd)
            let valueEnd = try PDFSyntax.valueEnd(bytes, at: valueStart)
            if values[key] == nil { keys.append(key) }
            values[key] = Array(bytes[valueStart..<valueEnd])
            cursor = valueEnd
        }
    }

    func has(_ key: String) -> Bool { values[key] != nil }

    func raw(_ key: String) -> String? { values[key].map { String(decoding: $0, as: UTF8.self) } }

    func integer(_ key: String) -> Int? {
        guard let value = values[key], let number = PDFSyntax.integer(in: value, at: 0), number.end == value.count else { return nil }
        return number.value
    }

    func name(_ key: String) -> String? {
        guard let value = raw(key), value.hasPrefix("/") else { return nil }
        return String(value.dropFirst())
    }

    /// The object number of an indirect reference (`12 0 R`).
    func reference(_ key: String) -> Int? {
        guard let value = values[key], value.last == UInt8(ascii: "R") else { return nil }
        return PDFSyntax.integer(in: value, at: 0)?.value
    }

    /// The integers of an array value (`/W [1 4 2]`), empty when it is not an array of integers.
    func integers(_ key: String) -> [Int] {
        values[key].flatMap(PDFSyntax.integers(inArray:)) ?? []
    }

    /// The object numbers of the values that are indirect references, as a font or XObject
    /// resource dictionary names its objects.
    var referencedObjects: [Int] { values.keys.sorted().compactMap(reference) }

    /// The object numbers of an array of references (`[3 0 R 7 0 R]`).
    func references(_ key: String) -> [Int] {
        guard let value = raw(key), value.hasPrefix("[") else { return [] }
        let tokens = value.dropFirst().dropLast().split(whereSeparator: \.isWhitespace)
        return stride(from: 0, to: tokens.count - 2, by: 3).compactMap {
            tokens[$0 + 2] == "R" ? PDFSyntax.integer(in: Array(tokens[$0].utf8), at: 0)?.value : nil
        }
    }

    func dictionary(_ key: String) -> PDFDictionary? {
        guard let value = values[key] else { return nil }
        return try? PDFDictionary(value, at: 0)
    }

    /// The keys, in the order the file writes them.
    var keyNames: [String] { keys }

    /// The raw text of a value (a string's delimiters included).
    func bytes(_ key: String) -> [UInt8]? { values[key] }

    /// The dictionary's text with each of `entries` (key without slash, value as PDF text) set:
    /// replacing a key's value where the key exists, added at the end otherwise.
    func setting(_ entries: [(key: String, value: String)]) -> String {
        var text = "<<"
        var remaining = entries
        for key in keys {
            let value: String
            if let index = remaining.firstIndex(where: { $0.key == key }) {
                value = remaining.remove(at: index).value
            } else {
                value = raw(key) ?? ""
            }
            text += "\n/\(key) \(value)"
        }
        for entry in remaining { text += "\n/\(entry.key) \(entry.value)" }
        return text + "\n>>"
    }

    /// The dictionary's text with `entries` added before its closing `>>`.
    func adding(_ entries: String) -> String {
        String(decoding: text.dropLast(2), as: UTF8.self) + "\n" + entries + "\n>>"
    }
}
