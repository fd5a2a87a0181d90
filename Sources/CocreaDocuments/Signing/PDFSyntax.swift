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
}

/// A dictionary's keys and the raw text of their values, read without interpreting them further.
struct PDFDictionary {
    static let empty = PDFDictionary()

    /// Where the dictionary's `<<` starts and where its `>>` ends, in the bytes it was read from.
    let start: Int
    let end: Int
    let text: [UInt8]
    private var values: [String: [UInt8]] = [:]

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

    /// The dictionary's text with `entries` added before its closing `>>`.
    func adding(_ entries: String) -> String {
        String(decoding: text.dropLast(2), as: UTF8.self) + "\n" + entries + "\n>>"
    }
}
