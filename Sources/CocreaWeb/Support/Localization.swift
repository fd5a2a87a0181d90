import CocreaCore
import Leaf
import LeafKit
import NIOConcurrencyHelpers
import Vapor

extension Application {
    /// Reads the catalogue at start-up; an incomplete one stops the start with the keys at fault. It
    /// becomes the process's too, which labels, mail and PDFs read through their `Language`.
    func loadCatalogue(root: String) throws {
        let catalogue = try Catalogue.load(directory: URL(fileURLWithPath: root).appendingPathComponent("Resources/Locales"))
        Catalogue.install(catalogue)
        TemplateWords.install(catalogue)
    }

    /// The catalogue read at start-up, kept by the process rather than in the application's storage,
    /// which Vapor empties at shutdown while a request may still be running.
    var catalogue: Catalogue { Catalogue.shipped }
}

extension Request {
    /// The words of the interface in the language of this request.
    var words: Words { application.catalogue.words(language) }

    /// `?lang=` (remembered in a cookie), else the cookie, else Accept-Language; Spanish by default.
    /// Worked out once per request: a page asks for its words many times.
    var language: Language {
        if let chosen = storage[LanguageKey.self] { return chosen }
        let chosen = chosenLanguage
        storage[LanguageKey.self] = chosen
        return chosen
    }

    private var chosenLanguage: Language {
        // Decoding the query costs more than the rest of this: only when there is one.
        if url.query != nil, let query = try? query.get(String.self, at: "lang"), let language = Language(rawValue: query) { return language }
        if let cookie = cookies["lang"]?.string, let language = Language(rawValue: cookie) { return language }
        return Self.preferred(headers.first(name: .acceptLanguage) ?? "", among: application.catalogue) ?? .es
    }

    /// The language of the catalogue a browser's Accept-Language prefers: the highest weight first,
    /// in the order given on a tie, matched by its primary subtag (`es-MX` is `es`). Only the first
    /// 32 entries count, so a crafted header costs little.
    static func preferred(_ header: String, among catalogue: Catalogue) -> Language? {
        let ranked = header.split(separator: ",", maxSplits: 32).prefix(32).enumerated().compactMap { position, entry -> (Double, Int, Language)? in
            let parts = entry.split(separator: ";")
            let tag = parts.first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
            let weight =
                parts.dropFirst().lazy.compactMap { parameter -> Double? in
                    let pair = parameter.trimmingCharacters(in: .whitespaces)
                    return pair.hasPrefix("q=") ? Double(pair.dropFirst(2)) : nil
                }.first ?? 1
            guard weight > 0, weight <= 1, let primary = tag.split(separator: "-").first, let language = catalogue.language(String(primary)) else { return nil }
            return (weight, position, language)
        }
        return ranked.min { (-$0.0, $0.1) < (-$1.0, $1.1) }?.2
    }
}

private struct LanguageKey: StorageKey {
    typealias Value = Language
}

/// The words of one language as templates read them (`t.key`). Leaf turns each value of a page's
/// context into a `LeafData` at every render; the catalogue's texts (about 1,500 per language) are
/// turned once, when the catalogue is read, and handed to Leaf as they are.
struct TemplateWords: Encodable, LeafDataRepresentable, Sendable {
    let table: [String: String]
    let leafData: LeafData

    init(_ table: [String: String]) {
        self.table = table
        leafData = .dictionary(table.mapValues { .string($0) })
    }

    func encode(to encoder: any Encoder) throws {
        try table.encode(to: encoder)
    }

    private static let converted = NIOLockedValueBox([Language: TemplateWords]())

    /// Converts every language of the catalogue the process now speaks.
    static func install(_ catalogue: Catalogue) {
        let all = Dictionary(uniqueKeysWithValues: catalogue.languages.map { ($0, TemplateWords(catalogue.words($0).table)) })
        converted.withLockedValue { $0 = all }
    }

    static func of(_ language: Language, in catalogue: Catalogue) -> TemplateWords {
        if let words = converted.withLockedValue({ $0[language] }) { return words }
        let words = TemplateWords(catalogue.words(language).table)
        converted.withLockedValue { $0[language] = words }
        return words
    }
}

extension Request {
    /// The words of this request's language, ready for a template.
    var templateWords: TemplateWords { TemplateWords.of(language, in: application.catalogue) }
}
