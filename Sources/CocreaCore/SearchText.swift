import Foundation

/// How a list search compares text: without case or accents, so «tlaquepaque» finds «Tlaquepaque»
/// and «queretaro» finds «Querétaro». SQLite and PostgreSQL disagree on both (SQLite's LIKE folds
/// ASCII case only; PostgreSQL needs `unaccent`), so Cocrea stores the folded text beside the name
/// and compares that with a plain LIKE.
public enum SearchText {
    /// Lower case, no diacritics (ñ becomes n), single spaces; the form stored and searched.
    public static func fold(_ text: String) -> String {
        PlainText.singleLine(text)
            .folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: Locale(identifier: "es_MX"))
            .lowercased()
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// What a search for `query` looks for inside the stored form: folded, without LIKE's wildcards
    /// (`%`, `_`, `\`), so a typed percent sign matches nothing special; nil when nothing is left.
    public static func pattern(_ query: String) -> String? {
        let folded = fold(query).filter { !"%_\\".contains($0) }
        return folded.isEmpty ? nil : folded
    }
}
