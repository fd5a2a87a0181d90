import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ZIPFoundation

/// The first worksheet of an .xlsx workbook as the texts of its cells: what a spreadsheet shows,
/// without styles or formulas (a formula counts by its cached result).
struct XLSXSheet {
    struct Row {
        /// The row number Excel shows (1-based).
        var number: Int
        /// By column, A first; a cell the file leaves out is "".
        var cells: [String]
    }

    enum Failure: Error {
        /// Not a ZIP, or a ZIP without a worksheet (a .docx, an .ods…).
        case notAWorkbook
        /// The parts unpack to more than the allowed bytes: a ZIP bomb or far too big a sheet.
        case tooLarge
        /// More rows with content than the caller allows.
        case tooManyRows
        /// A part that is not well-formed XML.
        case malformed
    }

    /// Only rows with at least one non-empty cell, in sheet order.
    private(set) var rows: [Row] = []

    init(data: Data, maximumUnpackedBytes: Int, maximumRows: Int) throws(Failure) {
        let archive: Archive
        do { archive = try Archive(data: data, accessMode: .read) } catch { throw .notAWorkbook }
        var budget = maximumUnpackedBytes
        let parts = Self.locateParts(in: archive, budget: &budget)
        guard let sheetPath = parts.sheet, let sheet = try Self.contents(of: sheetPath, in: archive, budget: &budget) else {
            throw .notAWorkbook
        }
        var sharedStrings: [String] = []
        if let path = parts.sharedStrings, let data = try Self.contents(of: path, in: archive, budget: &budget) {
            sharedStrings = try SharedStringsParser.parse(data)
        }
        rows = try SheetParser.parse(sheet, sharedStrings: sharedStrings, maximumRows: maximumRows)
    }

    /// The first sheet in the workbook's order and the shared strings, through the workbook's
    /// relationships; files written by hand or by old tools may lack them, hence the usual names.
    private static func locateParts(in archive: Archive, budget: inout Int) -> (sheet: String?, sharedStrings: String?) {
        let fallbackSheet = archive["xl/worksheets/sheet1.xml"] == nil ? nil : "xl/worksheets/sheet1.xml"
        let fallbackStrings = archive["xl/sharedStrings.xml"] == nil ? nil : "xl/sharedStrings.xml"
        guard let workbook = try? contents(of: "xl/workbook.xml", in: archive, budget: &budget),
              let rels = try? contents(of: "xl/_rels/workbook.xml.rels", in: archive, budget: &budget),
              let sheets = try? AttributeCollector.collect("sheet", in: workbook),
              let relationships = try? AttributeCollector.collect("Relationship", in: rels) else {
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
        var data = Data()
        var remaining = budget
        do {
            // The declared size can lie; count what actually comes out.
            _ = try archive.extract(entry) { chunk in
                remaining -= chunk.count
                guard remaining >= 0 else { throw Failure.tooLarge }
                data.append(chunk)
            }
        } catch Failure.tooLarge {
            throw .tooLarge
        } catch {
            throw .notAWorkbook
        }
        budget = remaining
        return data
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

    func parser(_ parser: XMLParser, didStartElement element: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
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

    static func parse(_ data: Data) throws(XLSXSheet.Failure) -> [String] {
        let delegate = SharedStringsParser()
        let parser = XLSXSheet.parser(data)
        parser.delegate = delegate
        guard parser.parse() else { throw .malformed }
        return delegate.strings
    }

    func parser(_ parser: XMLParser, didStartElement element: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        switch element {
        case "si": current = ""
        case "rPh": inPhonetic = true
        case "t": inText = !inPhonetic
        default: break
        }
    }

    func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {
        switch element {
        case "si": strings.append(current)
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
    private let maximumRows: Int
    private var rows: [XLSXSheet.Row] = []
    private var rowNumber = 0
    private var cells: [String] = []
    private var column = 0
    private var cellType = "n"
    private var value = ""
    private var inCell = false
    private var inPhonetic = false
    private var collecting = false
    private var tooManyRows = false

    private init(sharedStrings: [String], maximumRows: Int) {
        self.sharedStrings = sharedStrings
        self.maximumRows = maximumRows
    }

    static func parse(_ data: Data, sharedStrings: [String], maximumRows: Int) throws(XLSXSheet.Failure) -> [XLSXSheet.Row] {
        let delegate = SheetParser(sharedStrings: sharedStrings, maximumRows: maximumRows)
        let parser = XLSXSheet.parser(data)
        parser.delegate = delegate
        let parsed = parser.parse()
        if delegate.tooManyRows { throw .tooManyRows }
        guard parsed else { throw .malformed }
        return delegate.rows
    }

    func parser(_ parser: XMLParser, didStartElement element: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        switch element {
        case "row":
            rowNumber = attributes["r"].flatMap { Int($0) } ?? rowNumber + 1
            cells = []
        case "c":
            column = attributes["r"].flatMap(Self.columnIndex) ?? cells.count
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
        switch element {
        case "v", "t": collecting = false
        case "rPh": inPhonetic = false
        case "c":
            inCell = false
            let text = cellText()
            guard !text.isEmpty else { return }
            if cells.count <= column { cells.append(contentsOf: repeatElement("", count: column + 1 - cells.count)) }
            cells[column] = text
        case "row":
            guard !cells.isEmpty else { return }
            guard rows.count < maximumRows else {
                tooManyRows = true
                parser.abortParsing()
                return
            }
            rows.append(XLSXSheet.Row(number: rowNumber, cells: cells))
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
        default: value // inlineStr, str (a formula's text), e (an error such as #N/A), d (an ISO date)
        }
    }

    /// Writers may store a whole number as `45366.0` or `1.40254624000123E+14` (a folio); show it
    /// as Excel does, whole, when it fits exactly in a Double.
    private static func plainNumber(_ text: String) -> String {
        guard text.contains(where: { $0 == "." || $0 == "E" || $0 == "e" }), let number = Double(text),
              number == number.rounded(), abs(number) < 9_007_199_254_740_992 else { return text }
        return String(Int64(number))
    }

    /// "C5" → 2, "AA12" → 26.
    private static func columnIndex(_ reference: String) -> Int? {
        var index = 0
        var letters = 0
        for byte in reference.utf8 {
            guard (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) else { break }
            index = index * 26 + Int(byte - UInt8(ascii: "A")) + 1
            letters += 1
        }
        return (1...3).contains(letters) ? index - 1 : nil
    }
}
