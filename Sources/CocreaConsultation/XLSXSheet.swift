import Foundation
import ZIPFoundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The first worksheet of an .xlsx workbook as the texts of its cells: what a spreadsheet shows,
/// without styles or formulas (a formula counts by its cached result).
///
/// What it keeps is bounded by `Limits`, whatever the file says about itself: each part is unpacked
/// counting the bytes as they come, and refused once they pass what its header declares or what is
/// left of the budget; only non-empty cells are kept, and of a data row only those under the header's
/// columns (a cell further right is only noted, as `strayColumn`).
struct XLSXSheet {
    struct Limits {
        /// All the parts read, unpacked, together.
        var unpackedBytes: Int
        /// Rows with content, the header included.
        var rows: Int
        /// The header may reach column `columns` (256: A to IV).
        var columns: Int
        /// Non-empty cells kept, and shared strings.
        var cells: Int
    }

    struct Cell: Equatable {
        /// A is 0.
        var column: Int
        var text: String
    }

    struct Row {
        /// The row number Excel shows (1-based).
        var number: Int
        /// The non-empty cells, in the order the file gives them (left to right in practice).
        var cells: [Cell]
        /// In a data row, the leftmost column right of the header's last one with text in it.
        var strayColumn: Int?
    }

    enum Failure: Error {
        /// Not a ZIP, or a ZIP without a worksheet (a .docx, an .ods…).
        case notAWorkbook
        /// The parts unpack to more than the allowed bytes: a ZIP bomb or far too big a sheet.
        case tooLarge
        /// A part unpacks to more than its header declares: a damaged or forged file.
        case largerThanDeclared
        /// More rows with content than allowed.
        case tooManyRows
        /// The header has text beyond the last allowed column (A is 0).
        case tooManyColumns(row: Int, column: Int)
        /// More non-empty cells, or shared strings, than allowed.
        case tooManyCells
        /// A part that is not well-formed XML.
        case malformed
    }

    /// Only rows with at least one non-empty cell, in sheet order.
    private(set) var rows: [Row] = []

    /// The cells the sheet keeps: what its memory grows with.
    var keptCells: Int { rows.reduce(0) { $0 + $1.cells.count } }

    init(data: Data, limits: Limits) throws(Failure) {
        let archive: Archive
        guard ZIPLayout.isSound(data) else { throw .notAWorkbook }
        do { archive = try Archive(data: data, accessMode: .read) } catch { throw .notAWorkbook }
        var budget = limits.unpackedBytes
        let parts = Self.locateParts(in: archive, budget: &budget)
        guard let sheetPath = parts.sheet else { throw .notAWorkbook }
        // The shared strings' XML is let go before the sheet's is unpacked.
        var sharedStrings: [String] = []
        if let path = parts.sharedStrings, let data = try Self.contents(of: path, in: archive, budget: &budget) {
            sharedStrings = try SharedStringsParser.parse(data, maximumCount: limits.cells)
        }
        guard let sheet = try Self.contents(of: sheetPath, in: archive, budget: &budget) else { throw .notAWorkbook }
        rows = try SheetParser.parse(sheet, sharedStrings: sharedStrings, limits: limits)
    }

    /// The first sheet in the workbook's order and the shared strings, through the workbook's
    /// relationships; files written by hand or by old tools may lack them, hence the usual names.
    private static func locateParts(in archive: Archive, budget: inout Int) -> (sheet: String?, sharedStrings: String?) {
        let fallbackSheet = archive["xl/worksheets/sheet1.xml"] == nil ? nil : "xl/worksheets/sheet1.xml"
        let fallbackStrings = archive["xl/sharedStrings.xml"] == nil ? nil : "xl/sharedStrings.xml"
        guard let workbook = try? contents(of: "xl/workbook.xml", in: archive, budget: &budget),
            let rels = try? contents(of: "xl/_rels/workbook.xml.rels", in: archive, budget: &budget),
            let sheets = try? AttributeCollector.collect("sheet", in: workbook),
            let relationships = try? AttributeCollector.collect("Relationship", in: rels)
        else {
            return (fallbackSheet, fallbackStrings)
        }
        func resolve(_ target: String?) -> String? {
            guard let target else { return nil }
            let path = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
            return archive[path] == nil ? nil : path
        }
        // The relationship id's attribute is namespaced; its prefix is "r" in practice but not by rule.
        let firstID = sheets.first.flatMap { $0.first { $0.key == "id" || $0.key.hasSuffix(":id") }?.value }
        let sheet = resolve(relationships.first { $0["Id"] == firstID }?["Target"])
        let strings = resolve(relationships.first { $0["Type"]?.hasSuffix("/sharedStrings") == true }?["Target"])
        return (sheet ?? fallbackSheet, strings ?? fallbackStrings)
    }

    /// Fed from a stream: given all the bytes at once, libxml2 (behind Foundation's parser on
    /// Linux) refuses parts over 10 MB as a "huge input lookup", and a big sheet passes that.
    /// Elements go by their local names: writers built on Microsoft's Open XML SDK prefix them (`x:row`).
    fileprivate static func parser(_ data: Data) -> XMLParser {
        let parser = XMLParser(stream: InputStream(data: data))
        parser.shouldProcessNamespaces = true
        return parser
    }

    private static func contents(of path: String, in archive: Archive, budget: inout Int) throws(Failure) -> Data? {
        guard let entry = archive[path] else { return nil }
        guard entry.uncompressedSize <= UInt64(max(budget, 0)) else { throw .tooLarge }
        // The declared size can lie: count what actually comes out and stop as soon as it passes.
        let declared = Int(entry.uncompressedSize)
        var data = Data()
        do {
            _ = try archive.extract(entry) { chunk in
                guard data.count + chunk.count <= declared else { throw Failure.largerThanDeclared }
                data.append(chunk)
            }
        } catch Failure.largerThanDeclared {
            throw .largerThanDeclared
        } catch {
            throw .notAWorkbook
        }
        budget -= data.count
        // Foundation's XMLParser on Linux traps on an element name that is not UTF-8, and crashes on a
        // processing instruction without data (`<?a?>`): both found by fuzzing. A workbook part has
        // no processing instruction but its XML declaration, and no document type (Open XML forbids
        // one; its entities are how an XML file makes its parser expand it without end).
        guard isUTF8(data), !hasProcessingInstruction(data), data.range(of: Data("<!DOCTYPE".utf8)) == nil else { throw .malformed }
        return data
    }

    /// Whether `<?` appears anywhere but as the XML declaration at the start of the part.
    static func hasProcessingInstruction(_ data: Data) -> Bool {
        data.withUnsafeBytes { bytes in
            let space: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0D]
            var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
            while start < bytes.count, space.contains(bytes[start]) { start += 1 }
            var index = 0
            while index + 1 < bytes.count {
                if bytes[index] == UInt8(ascii: "<"), bytes[index + 1] == UInt8(ascii: "?") {
                    let declaration =
                        index == start && bytes[index...].starts(with: Array("<?xml".utf8))
                        && index + 5 < bytes.count && space.contains(bytes[index + 5])
                    if !declaration { return true }
                }
                index += 1
            }
            return false
        }
    }

    private static func isUTF8(_ data: Data) -> Bool {
        data.withUnsafeBytes { bytes in
            var iterator = bytes.makeIterator()
            var parser = Unicode.UTF8.ForwardParser()
            while true {
                switch parser.parseScalar(from: &iterator) {
                case .valid: continue
                case .emptyInput: return true
                case .error: return false
                }
            }
        }
    }
}

/// Collects the attributes of every element with one name (a workbook's `sheet`, a relationship).
private final class AttributeCollector: NSObject, XMLParserDelegate {
    private let name: String
    private var found: [[String: String]] = []

    private init(name: String) { self.name = name }

    static func collect(_ name: String, in data: Data) throws(XLSXSheet.Failure) -> [[String: String]] {
        let collector = AttributeCollector(name: name)
        let parser = XLSXSheet.parser(data)
        parser.delegate = collector
        guard parser.parse() else { throw .malformed }
        return collector.found
    }

    func parser(
        _ parser: XMLParser, didStartElement element: String, namespaceURI: String?,
        qualifiedName: String?, attributes: [String: String] = [:]
    ) {
        if element == name { found.append(attributes) }
    }
}

/// `xl/sharedStrings.xml`: the texts cells of type `s` point to by index. A string is either one
/// `<t>` or rich-text runs (`<r><t>`) to join; `<rPh>` holds phonetic readings, not shown text.
private final class SharedStringsParser: NSObject, XMLParserDelegate {
    private var strings: [String] = []
    private var current = ""
    private var inText = false
    private var inPhonetic = false

    private let maximumCount: Int
    private var tooMany = false

    private init(maximumCount: Int) { self.maximumCount = maximumCount }

    /// Their total size is bounded by the part's; their count by `maximumCount` (an empty `<si/>`
    /// takes 5 bytes of XML but a whole string in memory).
    static func parse(_ data: Data, maximumCount: Int) throws(XLSXSheet.Failure) -> [String] {
        let delegate = SharedStringsParser(maximumCount: maximumCount)
        let parser = XLSXSheet.parser(data)
        parser.delegate = delegate
        let parsed = parser.parse()
        if delegate.tooMany { throw .tooManyCells }
        guard parsed else { throw .malformed }
        return delegate.strings
    }

    func parser(
        _ parser: XMLParser, didStartElement element: String, namespaceURI: String?,
        qualifiedName: String?, attributes: [String: String] = [:]
    ) {
        switch element {
        case "si": current = ""
        case "rPh": inPhonetic = true
        case "t": inText = !inPhonetic
        default: break
        }
    }

    func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {
        switch element {
        case "si":
            guard strings.count < maximumCount else {
                tooMany = true
                parser.abortParsing()
                return
            }
            strings.append(current)
        case "rPh": inPhonetic = false
        case "t": inText = false
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inText { current += string }
    }
}

/// A worksheet's `<sheetData>`: rows (`r` is the row number) of cells (`r` is the reference, such
/// as C5; a file may leave out empty cells and rows, or the references themselves).
private final class SheetParser: NSObject, XMLParserDelegate {
    private let sharedStrings: [String]
    private let limits: XLSXSheet.Limits
    private var rows: [XLSXSheet.Row] = []
    private var rowNumber = 0
    private var cells: [XLSXSheet.Cell] = []
    private var strayColumn: Int?
    /// The header's columns, once it is read: a data row keeps only the cells under them.
    private var width: Int?
    private var keptCells = 0
    private var column = -1
    private var cellType = "n"
    private var value = ""
    private var inCell = false
    private var inPhonetic = false
    private var collecting = false
    private var failure: XLSXSheet.Failure?

    private init(sharedStrings: [String], limits: XLSXSheet.Limits) {
        self.sharedStrings = sharedStrings
        self.limits = limits
    }

    static func parse(_ data: Data, sharedStrings: [String], limits: XLSXSheet.Limits) throws(XLSXSheet.Failure) -> [XLSXSheet.Row] {
        let delegate = SheetParser(sharedStrings: sharedStrings, limits: limits)
        let parser = XLSXSheet.parser(data)
        parser.delegate = delegate
        let parsed = parser.parse()
        if let failure = delegate.failure { throw failure }
        guard parsed else { throw .malformed }
        return delegate.rows
    }

    private func fail(_ failure: XLSXSheet.Failure, _ parser: XMLParser) {
        self.failure = failure
        parser.abortParsing()
    }

    func parser(
        _ parser: XMLParser, didStartElement element: String, namespaceURI: String?,
        qualifiedName: String?, attributes: [String: String] = [:]
    ) {
        switch element {
        case "row":
            // Past Excel's last row a number is no reference (and the next row's would overflow).
            rowNumber = attributes["r"].flatMap { Int($0) }.flatMap { (1...1_048_576).contains($0) ? $0 : nil } ?? rowNumber + 1
            cells = []
            strayColumn = nil
            column = -1
        case "c":
            // A cell without a reference follows the one before it.
            column = attributes["r"].flatMap(Self.columnIndex) ?? column + 1
            cellType = attributes["t"] ?? "n"
            value = ""
            inCell = true
        // An inline string's text sits in `<is><t>` (rich text: `<is><r><t>`, phonetic readings in
        // `<rPh>` left out); any other cell's in `<v>`. A formula's `<f>` is ignored.
        case "v", "t": collecting = inCell && !inPhonetic
        case "rPh": inPhonetic = true
        default: break
        }
    }

    func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {
        guard failure == nil else { return }
        switch element {
        case "v", "t": collecting = false
        case "rPh": inPhonetic = false
        case "c":
            inCell = false
            let text = cellText()
            guard !text.isEmpty else { return }
            if let width, column >= width {
                if !text.allSatisfy(\.isWhitespace) { strayColumn = min(strayColumn ?? column, column) }
                return
            }
            guard column < limits.columns else { return fail(.tooManyColumns(row: rowNumber, column: column), parser) }
            guard keptCells < limits.cells else { return fail(.tooManyCells, parser) }
            keptCells += 1
            cells.append(XLSXSheet.Cell(column: column, text: text))
        case "row":
            guard !cells.isEmpty || strayColumn != nil else { return }
            guard rows.count < limits.rows else { return fail(.tooManyRows, parser) }
            if width == nil { width = (cells.map(\.column).max() ?? -1) + 1 }
            rows.append(XLSXSheet.Row(number: rowNumber, cells: cells, strayColumn: strayColumn))
            cells = []
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if collecting { value += string }
    }

    private func cellText() -> String {
        switch cellType {
        case "s": Int(value).flatMap { sharedStrings.indices.contains($0) ? sharedStrings[$0] : nil } ?? ""
        case "b": value == "1" ? "VERDADERO" : value == "0" ? "FALSO" : value
        case "n": Self.plainNumber(value)
        default: value  // inlineStr, str (a formula's text), e (an error such as #N/A), d (an ISO date)
        }
    }

    /// Writers may store a whole number as `45366.0` or `1.40254624000123E+14` (a folio); show it
    /// as Excel does, whole, when it fits exactly in a Double.
    private static func plainNumber(_ text: String) -> String {
        guard text.contains(where: { $0 == "." || $0 == "E" || $0 == "e" }), let number = Double(text),
            number == number.rounded(), abs(number) < 9_007_199_254_740_992
        else { return text }
        return String(Int64(number))
    }

    /// "C5" → 2, "AA12" → 26.
    private static func columnIndex(_ reference: String) -> Int? {
        var index = 0
        var letters = 0
        for byte in reference.utf8 {
            guard (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) else { break }
            letters += 1
            // Excel's last column is XFD: more letters are no reference, and would overflow an Int.
            guard letters <= 3 else { return nil }
            index = index * 26 + Int(byte - UInt8(ascii: "A")) + 1
        }
        return letters > 0 ? index - 1 : nil
    }
}
