import CStemmer

/// Snowball's Spanish stemmer (Debian's libstemmer) on accent-folded words, so "información" and
/// "informacion" — people often type without accents — share a stem.
///
/// Stems are cached by word: a corpus of requests repeats a few thousand words millions of times.
/// Not thread-safe, like the Snowball instance it wraps: one per task.
public final class SpanishStemmer {
    private let stemmer: OpaquePointer
    private var cache: [String: String] = [:]

    public init() {
        // Fails only for an unknown algorithm or encoding, or without memory.
        guard let stemmer = sb_stemmer_new("spanish", "UTF_8") else { fatalError("libstemmer has no Spanish UTF-8 stemmer") }
        self.stemmer = stemmer
    }

    deinit { sb_stemmer_delete(stemmer) }

    /// The stem of a word, folded first (accents off, lowercase).
    public func stem(_ word: String) -> String {
        if let stem = cache[word] { return stem }
        var input = Array(SpanishText.fold(word).utf8)
        // Snowball removes "-ación", "-ución" and "-ión" only with their accent, and their plurals
        // ("-aciones") carry none: a folded "contratacion" would keep a stem of its own, apart from
        // "contrataciones". Folded words end in an unaccented "ion" only where the accent was lost.
        if input.count > 3 && input.suffix(3) == Array("ion".utf8) {
            input.replaceSubrange(input.count - 2..<input.count, with: Array("ón".utf8))
        }
        let stem = input.withUnsafeBufferPointer { buffer -> String in
            let result = sb_stemmer_stem(stemmer, buffer.baseAddress, Int32(buffer.count))
            return String(decoding: UnsafeBufferPointer(start: result, count: Int(sb_stemmer_length(stemmer))), as: UTF8.self)
        }
        cache[word] = stem
        return stem
    }

    /// The stems of the terms of `text` (see `SpanishText.terms`), in order.
    public func stems(in text: String) -> [String] {
        SpanishText.terms(in: text).map(stem)
    }
}
