/// What text a person types may carry: one rule for pages, the API and what Cocrea writes from it.
///
/// Line breaks in a single-line field are collapsed to a space rather than refused: a page's
/// `<input>` already drops them, so only a crafted request or text pasted with invisible separators
/// (U+2028 from a PDF, a tab from a spreadsheet) carries them, and in either case the meaning survives
/// as one line while no forged line reaches an email, a PDF or a CSV.
public enum PlainText {
    /// One line: every run of line or paragraph breaks, tabs and other control characters (with the
    /// spaces around them) becomes one space, bidirectional controls are dropped, and the ends are trimmed.
    public static func singleLine(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var gap = String.UnicodeScalarView()
        var gapBreaks = false
        for scalar in text.unicodeScalars where !isBidiControl(scalar) {
            if isBreak(scalar) || scalar.properties.isWhitespace {
                gap.append(scalar)
                gapBreaks = gapBreaks || isBreak(scalar)
                continue
            }
            out.append(contentsOf: gapBreaks ? " ".unicodeScalars : gap)
            gap.removeAll()
            gapBreaks = false
            out.append(scalar)
        }
        return String(out).trimmingWhitespace
    }

    /// Several lines: line breaks and tabs stay; other control characters and bidirectional controls go.
    public static func multiline(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars where !isBidiControl(scalar) {
            if scalar.properties.generalCategory == .control && !"\t\n\r".unicodeScalars.contains(scalar) { continue }
            out.append(scalar)
        }
        return String(out)
    }

    /// A control character (C0, DEL, C1 with U+0085) or a line or paragraph separator (U+2028, U+2029).
    static func isBreak(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .lineSeparator, .paragraphSeparator: true
        default: false
        }
    }

    /// Embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) and the marks U+200E, U+200F and
    /// U+061C: they reorder what follows them, so "Informe" + U+202E + "fdp.exe"
    /// shows as «Informeexe.pdf».
    static func isBidiControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C: true
        default: false
        }
    }
}
