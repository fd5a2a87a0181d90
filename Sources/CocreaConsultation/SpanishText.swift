/// Spanish words the way topic detection compares them: lowercase, accents folded (ñ kept apart from
/// n: "año" is not "ano"), split on anything that is not a letter — so numbers, punctuation and
/// symbols never form words — without words shorter than three letters or stop words.
///
/// The scanner works on UTF-8 bytes because a request file has millions of words: a `String` or a
/// `Character` per word would cost more than the clustering.
public enum SpanishText {
    /// Longer runs of letters are addresses, hashes or pasted garbage, not words.
    static let maximumWordBytes = 48

    /// Every word of `text`, lowercased, with its accents.
    public static func words(in text: String) -> [String] {
        var words: [String] = []
        forEachWord(in: text) { word, _ in words.append(String(decoding: word, as: UTF8.self)) }
        return words
    }

    /// The words of `text` that can say what it is about: folded, three letters or more, no stop words.
    public static func terms(in text: String) -> [String] {
        words(in: text).compactMap(term)
    }

    /// `word` lowercased with á é í ó ú ü (and the rarer à, â, ä, ç…) folded to plain letters; ñ stays.
    public static func fold(_ word: String) -> String {
        String(decoding: fold(Array(word.lowercased().utf8)).bytes, as: UTF8.self)
    }

    public static func isStopWord(_ word: String) -> Bool {
        stopWords.contains(fold(word))
    }

    /// The folded form of a lowercased word, or nil when it is too short or a stop word.
    static func term(_ word: String) -> String? {
        let folded = fold(Array(word.utf8))
        guard folded.letters >= 3 else { return nil }
        let term = String(decoding: folded.bytes, as: UTF8.self)
        return stopWords.contains(term) ? nil : term
    }

    static let stopWords: Set<String> = Set(SpanishStopWords.all.map(fold))

    static func forEachWord(in text: String, _ body: (UnsafeBufferPointer<UInt8>, _ letters: Int) -> Void) {
        var text = text
        text.withUTF8 { forEachWord(in: $0, body) }
    }

    /// Calls `body` with each word (lowercased UTF-8, accents kept) and its number of letters.
    /// Letters are ASCII and Latin-1 letters; combining accents (text in decomposed form) are dropped,
    /// except the tilde over an n, which makes ñ.
    static func forEachWord(in text: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>, _ letters: Int) -> Void) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maximumWordBytes) { word in
            var length = 0
            var letters = 0
            var tooLong = false
            func flush() {
                if letters > 0 && !tooLong { body(UnsafeBufferPointer(rebasing: word[..<length]), letters) }
                length = 0
                letters = 0
                tooLong = false
            }
            func append(_ first: UInt8, _ second: UInt8? = nil) {
                let size = second == nil ? 1 : 2
                guard length + size <= maximumWordBytes else {
                    tooLong = true
                    return
                }
                word[length] = first
                if let second { word[length + 1] = second }
                length += size
                letters += 1
            }
            var index = 0
            let end = text.count
            while index < end {
                let byte = text[index]
                switch byte {
                case 0x61...0x7A:
                    append(byte)
                    index += 1
                case 0x41...0x5A:
                    append(byte | 0x20)
                    index += 1
                case 0xC3 where index + 1 < end:
                    let next = text[index + 1]
                    if next == 0x97 || next == 0xB7 {
                        flush()
                    }  // × and ÷
                    else {
                        append(0xC3, next < 0x9F ? next + 0x20 : next)
                    }  // À–Þ lowercase to à–þ
                    index += 2
                case 0xCC...0xCD where index + 1 < end && letters > 0 && isCombiningMark(byte, text[index + 1]):
                    if byte == 0xCC && text[index + 1] == 0x83 && word[length - 1] == 0x6E && length + 1 <= maximumWordBytes {
                        word[length - 1] = 0xC3
                        word[length] = 0xB1
                        length += 1
                    }
                    index += 2
                default:
                    flush()
                    index += 1
                }
            }
            flush()
        }
    }

    /// U+0300–U+036F, the combining diacritical marks.
    private static func isCombiningMark(_ lead: UInt8, _ next: UInt8) -> Bool {
        lead == 0xCC ? (0x80...0xBF).contains(next) : (0x80...0xAF).contains(next)
    }

    /// Folds the accents of a lowercased word (output of `forEachWord`); returns the bytes and the
    /// number of letters.
    static func fold(_ word: [UInt8]) -> (bytes: [UInt8], letters: Int) {
        var folded: [UInt8] = []
        folded.reserveCapacity(word.count)
        var letters = 0
        var index = 0
        while index < word.count {
            letters += 1
            guard word[index] == 0xC3, index + 1 < word.count else {
                folded.append(word[index])
                index += 1
                continue
            }
            if let plain = plainLetter(word[index + 1]) { folded.append(plain) } else { folded.append(contentsOf: word[index...index + 1]) }
            index += 2
        }
        return (folded, letters)
    }

    /// The plain letter of a lowercase Latin-1 letter after its 0xC3 lead byte; nil for ñ and the
    /// letters with no plain form (æ, ð, ø, þ, ß).
    private static func plainLetter(_ second: UInt8) -> UInt8? {
        switch second {
        case 0xA0...0xA5: return UInt8(ascii: "a")
        case 0xA7: return UInt8(ascii: "c")
        case 0xA8...0xAB: return UInt8(ascii: "e")
        case 0xAC...0xAF: return UInt8(ascii: "i")
        case 0xB2...0xB6: return UInt8(ascii: "o")
        case 0xB9...0xBC: return UInt8(ascii: "u")
        case 0xBD, 0xBF: return UInt8(ascii: "y")
        default: return nil
        }
    }
}
