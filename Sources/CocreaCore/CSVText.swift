/// CSV as RFC 4180 writes it (CRLF, a field quoted only when it must be), for every export.
public enum CSVText {
    /// Writes the table. Every text cell goes through `neutralised`; a column listed in `numeric`
    /// (numbers Cocrea computes, such as a progress percentage) keeps a value that is a plain number.
    public static func write(header: [String], rows: [[String]], numeric: Set<Int> = []) -> String {
        write(rows: [header]) + write(rows: rows, numeric: numeric)
    }

    /// The lines alone, each ended by CRLF (none for no rows): for a table written a part at a time.
    public static func write(rows: [[String]], numeric: Set<Int> = []) -> String {
        func field(_ value: String) -> String {
            value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : value
        }
        func cell(_ value: String, column: Int) -> String {
            numeric.contains(column) && Double(value) != nil ? value : neutralised(value)
        }
        return rows.map { $0.enumerated().map { field(cell($1, column: $0)) }.joined(separator: ",") + "\r\n" }.joined()
    }

    /// A spreadsheet opening the file runs a cell that starts with `=`, `+`, `-`, `@`, a tab or a
    /// carriage return as a formula (`=HYPERLINK(…)` from a public survey answer, say). As OWASP
    /// recommends, such a cell gets an apostrophe in front, which shows it as text. A cell that
    /// already starts with an apostrophe before one of them gets one more, so `restored` undoes it exactly.
    public static func neutralised(_ value: String) -> String {
        needsApostrophe(value.unicodeScalars) ? "'" + value : value
    }

    /// The value `neutralised` was given: for a CSV that Cocrea wrote and a person brings back.
    public static func restored(_ value: String) -> String {
        let rest = value.unicodeScalars.dropFirst()
        return value.unicodeScalars.first == "'" && needsApostrophe(rest) ? String(Substring(rest)) : value
    }

    // Scalars, not characters: "\r\n" is one character in Swift.
    private static func needsApostrophe<S: Sequence<Unicode.Scalar>>(_ scalars: S) -> Bool {
        guard let first = scalars.first(where: { $0 != "'" }) else { return false }
        return "=+-@\t\r".unicodeScalars.contains(first)
    }
}
