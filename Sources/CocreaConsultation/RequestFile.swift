import CocreaCore
import Foundation

/// One access-to-information request (solicitud de acceso a la información) read from a file.
public struct InformationRequestRow: Sendable, Equatable {
    /// The row a spreadsheet shows it on (the header is row 1); a quoted line break in a CSV field
    /// does not start a new row, as in Excel.
    public var line: Int
    public var folio: String
    public var filedOn: LocalDate
    /// "" when the file has no such column.
    public var obligatedBody: String
    public var text: String
    /// Every other column, by its header as written.
    public var extra: [String: String]

    public init(line: Int, folio: String, filedOn: LocalDate, obligatedBody: String, text: String, extra: [String: String] = [:]) {
        self.line = line
        self.folio = folio
        self.filedOn = filedOn
        self.obligatedBody = obligatedBody
        self.text = text
        self.extra = extra
    }
}

/// Why a row was left out, in Spanish, starting "Fila N:".
/// What is wrong with one row: its line and the catalogue's text saying so, written in each reader's language.
public struct RequestFileProblem: Sendable, Equatable {
    public var line: Int
    public var text: ErrorText

    /// The catalogue's text `key`, which names the row as `{line}`, with `values` in its other placeholders.
    public init(line: Int, _ key: String, _ values: [String: ErrorText.Value] = [:]) {
        self.line = line
        self.text = ErrorText(key: key, values: values.merging(["line": .number(line)]) { given, _ in given })
    }

    public func message(_ words: Words) -> String { text.rendered(words) }

    /// The message in Spanish, the reference language (the command line, the tests).
    public var message: String { message(Catalogue.reference.words) }

    public static func == (left: RequestFileProblem, right: RequestFileProblem) -> Bool {
        left.line == right.line && left.message == right.message
    }
}

public struct RequestFileReport: Sendable {
    public enum Format: String, Sendable { case csv, xlsx }

    public var format: Format
    /// "UTF-8" or "Latin-1" for a CSV; nil for a workbook.
    public var encoding: String?
    /// ",", ";", "\t" or "|" for a CSV; nil for a workbook.
    public var delimiter: String?
    /// The headers as written.
    public var columns: [String]
    /// The valid rows, in file order.
    public var rows: [InformationRequestRow]
    /// One or more per row left out, in file order.
    public var problems: [RequestFileProblem]
}

/// Reads the requests a public body downloads from the Plataforma Nacional de Transparencia (or
/// keeps itself) as CSV or XLSX. A file-level problem refuses the whole file; a bad row is reported
/// and left out, so the good rows can still be used.
public enum RequestFile {
    public static let maximumBytes = 64 * 1024 * 1024
    public static let maximumRows = 250_000
    public static let maximumTextLength = 20_000
    /// What a workbook may unpack to: generous for `maximumRows` of long texts, small enough to stop a ZIP bomb.
    static let maximumUnpackedBytes = 256 * 1024 * 1024
    /// A workbook's header reaches column IV at most (the old .xls limit); the Platform's exports use about 20.
    static let maximumColumns = 256
    /// Non-empty cells a workbook may have under its header (and shared strings): 20 columns for every request allowed.
    static let maximumCells = 20 * maximumRows

    /// Throws `CocreaError` (`request_file_invalid`) for a file that cannot be read as a whole.
    public static func read(_ data: Data, filename: String?) throws -> RequestFileReport {
        guard data.count <= maximumBytes else {
            throw refusal(
                "requestFileTooHeavy", ["megabytes": .text(megabytes(data.count)), "maximum": .text(megabytes(maximumBytes))],
                kind: .tooLarge, facts: ["maximumBytes": .int(maximumBytes)])
        }
        // The content decides the format; a name may say .xls for a CSV, or .csv for a workbook.
        if data.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return try readWorkbook(data, filename: filename) }
        try refuseOtherFormats(data, filename: filename)
        return try readCSV(data)
    }

    // MARK: Formats

    private static func refuseOtherFormats(_ data: Data, filename: String?) throws {
        let named = subject(filename)
        if data.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) {
            throw refusal("requestFileXLS", named)
        }
        if data.starts(with: Array("%PDF".utf8)) {
            throw refusal("requestFilePDF", named)
        }
        if data.starts(with: [0xFF, 0xFE]) || data.starts(with: [0xFE, 0xFF]) {
            throw refusal("requestFileUTF16", named)
        }
        if data.prefix(8_192).contains(0) {
            throw refusal("requestFileBinary", named)
        }
        // Some systems export a web page (an HTML table) named .xls.
        if data.drop(while: { $0 == 0xEF || $0 == 0xBB || $0 == 0xBF || $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 })
            .first == UInt8(ascii: "<")
        {
            throw refusal("requestFileMarkup", named)
        }
    }

    private static func readWorkbook(_ data: Data, filename: String?) throws -> RequestFileReport {
        let sheet: XLSXSheet
        do {
            // One more row than allowed requests: the header.
            sheet = try XLSXSheet(
                data: data,
                limits: .init(
                    unpackedBytes: maximumUnpackedBytes, rows: maximumRows + 1,
                    columns: maximumColumns, cells: maximumCells))
        } catch .tooManyRows {
            throw tooManyRows
        } catch .tooLarge {
            throw refusal(
                "requestFileUnpackedTooLarge", ["maximum": .text(megabytes(maximumUnpackedBytes))],
                kind: .tooLarge, facts: ["maximumBytes": .int(maximumUnpackedBytes)])
        } catch .largerThanDeclared {
            throw refusal("requestFileLargerThanDeclared")
        } catch .tooManyColumns(let row, let column) {
            throw refusal(
                "requestFileHeaderTooWide",
                [
                    "row": .number(row), "column": .text(columnLetters(column)), "last": .text(columnLetters(maximumColumns - 1)),
                    "maximum": .number(maximumColumns),
                ],
                facts: ["maximumColumns": .int(maximumColumns)])
        } catch .tooManyCells {
            throw refusal(
                "requestFileTooManyCells", ["maximum": .text(grouped(maximumCells))],
                kind: .tooLarge, facts: ["maximumCells": .int(maximumCells)])
        } catch .malformed {
            throw refusal("requestFileSheetUnreadable")
        } catch {
            throw refusal("requestFileZIP", subject(filename))
        }
        guard let header = sheet.rows.first else { throw noRequests }
        var headers = Array(repeating: "", count: (header.cells.map(\.column).max() ?? -1) + 1)
        for cell in header.cells { headers[cell.column] = trimmed(cell.text) }
        while headers.last?.isEmpty == true { headers.removeLast() }
        let columns = try recognise(headers)
        var checker = RequestRowChecker(columns: columns, serialDates: true)
        var rows: [InformationRequestRow] = []
        var problems: [RequestFileProblem] = []
        var requests = 0
        for row in sheet.rows.dropFirst() {
            var cells = Array(repeating: "", count: headers.count)
            // A workbook has no field count to get wrong, but a value can sit under no header.
            var stray = row.strayColumn
            for cell in row.cells {
                if cell.column < headers.count {
                    cells[cell.column] = cell.text
                } else if !isBlank(cell.text) {
                    stray = min(stray ?? cell.column, cell.column)
                }
            }
            guard stray != nil || !cells.allSatisfy(isBlank) else { continue }
            requests += 1
            if let stray {
                problems.append(RequestFileProblem(line: row.number, "requestRowStrayColumn", ["column": .text(columnLetters(stray))]))
                continue
            }
            if let request = checker.check(line: row.number, cells: cells, problems: &problems) { rows.append(request) }
        }
        guard requests > 0 else { throw noRequests }
        return RequestFileReport(format: .xlsx, encoding: nil, delimiter: nil, columns: headers, rows: rows, problems: problems)
    }

    private static func readCSV(_ data: Data) throws -> RequestFileReport {
        let (text, encoding) = decode(data)
        let delimiter = detectDelimiter(text)
        var records = CSVRecords(bytes: text, delimiter: delimiter)
        var header: CSVRecords.Record?
        while let record = records.next() {
            if record.unclosedQuote { throw unclosedQuote(record.row) }
            if !record.fields.allSatisfy(isBlank) {
                header = record
                break
            }
        }
        guard let header else { throw noRequests }
        guard !header.tooManyFields else {
            throw refusal(
                "requestFileHeaderTooManyFields", ["row": .number(header.row), "maximum": .number(maximumColumns)],
                facts: ["maximumColumns": .int(maximumColumns)])
        }
        let headers = header.fields.map(trimmed)
        var checker = RequestRowChecker(columns: try recognise(headers), serialDates: false)
        var rows: [InformationRequestRow] = []
        var problems: [RequestFileProblem] = []
        var requests = 0
        let separator: ErrorText.Value = delimiter == UInt8(ascii: "\t") ? .label("requestFileTabs") : .text("«\(Character(Unicode.Scalar(delimiter)))»")
        while let record = records.next() {
            if record.unclosedQuote { throw unclosedQuote(record.row) }
            if record.fields.allSatisfy(isBlank) { continue }
            requests += 1
            guard requests <= maximumRows else { throw tooManyRows }
            let line = record.row
            if record.textAfterClosingQuote {
                problems.append(RequestFileProblem(line: line, "requestRowTextAfterQuote"))
            } else if record.tooManyFields || record.fields.count != headers.count {
                let fields: ErrorText.Value =
                    record.tooManyFields ? .count("requestRowMoreFieldsThan", maximumColumns) : .count("requestRowFields", record.fields.count)
                problems.append(
                    RequestFileProblem(line: line, "requestRowFieldCount", ["fields": fields, "headers": .number(headers.count), "separator": separator]))
            } else if let request = checker.check(line: line, cells: record.fields, problems: &problems) {
                rows.append(request)
            }
        }
        guard requests > 0 else { throw noRequests }
        return RequestFileReport(
            format: .csv, encoding: encoding, delimiter: String(Character(Unicode.Scalar(delimiter))),
            columns: headers, rows: rows, problems: problems)
    }

    private static func recognise(_ headers: [String]) throws -> RequestFileColumns {
        let columns = RequestFileColumns(headers: headers)
        let missing = columns.missing
        guard missing.isEmpty else {
            let found = headers.filter { !$0.isEmpty }
            let listed: ErrorText.Value = found.isEmpty ? .label("requestFileNoHeaders") : .text(found.map { "«\($0)»" }.joined(separator: ", "))
            throw refusal(
                "requestFileColumnsMissing", ["missing": .text(missing.map(\.spanishName).joined(separator: ", ")), "found": listed],
                facts: ["missingColumns": .strings(missing.map(\.spanishName)), "foundColumns": .strings(found)])
        }
        return columns
    }

    // MARK: CSV text

    /// The bytes as UTF-8 without a byte-order mark. What is not valid UTF-8 is read as Windows-1252,
    /// the Latin-1 that Excel on Windows writes (it differs only in 0x80–0x9F, control codes in
    /// ISO-8859-1 that no text uses).
    static func decode(_ data: Data) -> (bytes: [UInt8], encoding: String) {
        let hasMark = data.starts(with: [0xEF, 0xBB, 0xBF])
        let bytes = [UInt8](hasMark ? data.dropFirst(3) : data)
        if isUTF8(bytes) { return (bytes, "UTF-8") }
        // A file that says it is UTF-8 is taken at its word, with broken sequences replaced.
        if hasMark { return (Array(String(decoding: bytes, as: UTF8.self).utf8), "UTF-8") }
        var utf8: [UInt8] = []
        utf8.reserveCapacity(bytes.count + bytes.count / 8)
        for byte in bytes {
            let scalar = byte < 0x80 ? UInt32(byte) : byte < 0xA0 ? windows1252[Int(byte - 0x80)] : UInt32(byte)
            if scalar < 0x80 {
                utf8.append(UInt8(scalar))
            } else if scalar < 0x800 {
                utf8.append(UInt8(0xC0 | scalar >> 6))
                utf8.append(UInt8(0x80 | scalar & 0x3F))
            } else {
                utf8.append(UInt8(0xE0 | scalar >> 12))
                utf8.append(UInt8(0x80 | scalar >> 6 & 0x3F))
                utf8.append(UInt8(0x80 | scalar & 0x3F))
            }
        }
        return (utf8, "Latin-1")
    }

    /// Windows-1252's 0x80–0x9F; its five unassigned bytes keep their Latin-1 control codes.
    private static let windows1252: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
        0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ]

    /// ASCII bytes are passed over one by one; the decoder only sees the rest, scalar by scalar.
    private static func isUTF8(_ bytes: [UInt8]) -> Bool {
        var index = 0
        while index < bytes.count {
            if bytes[index] < 0x80 {
                index += 1
                continue
            }
            var iterator = bytes[index...].makeIterator()
            var decoder = UTF8()
            guard case .scalarValue(let scalar) = decoder.decode(&iterator) else { return false }
            index += UTF8.width(scalar)
        }
        return true
    }

    /// The delimiter whose header names the most known columns, then splits the next rows into as
    /// many fields as the header, then makes the most columns. Quotes are respected throughout.
    static func detectDelimiter(_ bytes: [UInt8]) -> UInt8 {
        var best: (score: (Int, Int, Int), delimiter: UInt8)?
        for delimiter in [",", ";", "\t", "|"].map({ UInt8(ascii: $0) }) {
            var records = CSVRecords(bytes: bytes, delimiter: delimiter)
            var sample: [[String]] = []
            while sample.count < 20, let record = records.next(), !record.unclosedQuote {
                if !record.fields.allSatisfy(isBlank) { sample.append(record.fields) }
            }
            guard let header = sample.first else { continue }
            let score = (
                RequestFileColumns(headers: header.map(trimmed)).recognised,
                sample.dropFirst().filter { $0.count == header.count }.count, header.count
            )
            if best.map({ score > $0.score }) ?? true { best = (score, delimiter) }
        }
        return best?.delimiter ?? UInt8(ascii: ",")
    }

    // MARK: Errors and small helpers

    /// The refusal of the whole file, said by the catalogue's text `key` with `values`.
    private static func refusal(
        _ key: String, _ values: [String: ErrorText.Value] = [:], kind: CocreaError.Kind = .invalid, facts: [String: CocreaError.Fact] = [:]
    ) -> CocreaError {
        CocreaError.requestFileInvalid(ErrorText(key: key, values: values), kind: kind, facts: facts)
    }

    /// The file by its name, or as «the file» when it came without one; and how to save it again.
    private static func subject(_ filename: String?) -> [String: ErrorText.Value] {
        ["subject": filename.map { .text("«\($0)»") } ?? .label("requestFileSubject"), "saveAs": .label("requestFileSaveAs")]
    }

    private static var noRequests: CocreaError { refusal("requestFileEmpty") }

    private static var tooManyRows: CocreaError {
        refusal(
            "requestFileTooManyRows", ["maximum": .text(grouped(maximumRows))],
            facts: ["maximumRows": .int(maximumRows)])
    }

    private static func unclosedQuote(_ row: Int) -> CocreaError {
        refusal(
            "requestFileUnclosedQuote", ["row": .number(row)],
            facts: ["line": .int(row)])
    }

    private static func megabytes(_ bytes: Int) -> String {
        let tenths = (bytes * 10 + 1_048_575) / 1_048_576
        return tenths % 10 == 0 ? "\(tenths / 10)" : "\(tenths / 10).\(tenths % 10)"
    }

    /// 250000 → "250,000", as numbers are written in Mexico.
    static func grouped(_ number: Int) -> String {
        var digits = String(number)
        var index = digits.endIndex
        while digits.distance(from: digits.startIndex, to: index) > 3 {
            index = digits.index(index, offsetBy: -3)
            digits.insert(",", at: index)
        }
        return digits
    }

    /// 0 → "A", 27 → "AB".
    private static func columnLetters(_ index: Int) -> String {
        var letters = ""
        var rest = index + 1
        while rest > 0 {
            letters.insert(Character(Unicode.Scalar(UInt8(ascii: "A") + UInt8((rest - 1) % 26))), at: letters.startIndex)
            rest = (rest - 1) / 26
        }
        return letters
    }

    static func isBlank(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy(isSpace)
    }

    /// Without surrounding spaces (Excel's no-break space too); most cells have none to cut.
    static func trimmed(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.first, let last = scalars.last, isSpace(first) || isSpace(last) else { return text }
        guard let start = scalars.firstIndex(where: { !isSpace($0) }), let end = scalars.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(scalars[start...end])
    }

    /// Unicode's white space, answered without its property tables for ASCII, which almost every cell is.
    private static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII ? scalar == " " || (0x09...0x0D).contains(scalar.value) : scalar.properties.isWhitespace
    }
}

/// RFC 4180 records read from UTF-8 bytes without building strings character by character. Rows
/// are numbered as a spreadsheet shows them, blank ones included. CR, LF and CRLF all end a row;
/// inside quotes they become LF. A quote inside an unquoted field is kept as written (as Excel
/// reads it); text after a closing quote is kept too but flagged, since quoting went wrong there.
struct CSVRecords {
    struct Record {
        var row: Int
        var fields: [String]
        var textAfterClosingQuote = false
        /// A quoted field ran to the end of the file: the rest of the file is in it.
        var unclosedQuote = false
        /// The row had more than `maximumFields` fields; the rest were not kept.
        var tooManyFields = false
    }

    private let bytes: [UInt8]
    private let delimiter: UInt8
    private var position = 0
    private var row = 0
    /// Rows tend to have as many fields as the one before; reserving them saves regrowing the array.
    private var lastWidth = 0

    /// A row of delimiters alone would otherwise take a string per byte.
    private let maximumFields: Int

    init(bytes: [UInt8], delimiter: UInt8, maximumFields: Int = RequestFile.maximumColumns) {
        self.bytes = bytes
        self.delimiter = delimiter
        self.maximumFields = maximumFields
    }

    mutating func next() -> Record? {
        guard position < bytes.count else { return nil }
        row += 1
        var record = Record(row: row, fields: [])
        record.fields.reserveCapacity(lastWidth)
        let (quote, cr, lf) = (UInt8(ascii: "\""), UInt8(ascii: "\r"), UInt8(ascii: "\n"))
        let end = bytes.count
        var i = position
        func endsField(_ byte: UInt8) -> Bool { byte == delimiter || byte == lf || byte == cr }
        let maximumFields = maximumFields
        func keep(_ field: @autoclosure () -> String) {
            if record.fields.count < maximumFields { record.fields.append(field()) } else { record.tooManyFields = true }
        }
        while true {
            if i < end, bytes[i] == quote {
                // Copy only when the field has doubled quotes or line breaks to rewrite.
                var unescaped: [UInt8] = []
                i += 1
                var segment = i
                var closed = false
                while i < end {
                    let byte = bytes[i]
                    if byte == quote {
                        if i + 1 < end, bytes[i + 1] == quote {
                            unescaped.append(contentsOf: bytes[segment...i])
                            i += 2
                            segment = i
                            continue
                        }
                        closed = true
                        break
                    }
                    if byte == cr {
                        unescaped.append(contentsOf: bytes[segment..<i])
                        unescaped.append(lf)
                        i += i + 1 < end && bytes[i + 1] == lf ? 2 : 1
                        segment = i
                        continue
                    }
                    i += 1
                }
                guard closed else {
                    record.unclosedQuote = true
                    position = end
                    return record
                }
                let closing = i
                i += 1
                let tail = i
                while i < end, !endsField(bytes[i]) { i += 1 }
                if tail == i, unescaped.isEmpty {
                    keep(String(decoding: bytes[segment..<closing], as: UTF8.self))
                } else {
                    record.textAfterClosingQuote = record.textAfterClosingQuote || tail < i
                    unescaped.append(contentsOf: bytes[segment..<closing])
                    unescaped.append(contentsOf: bytes[tail..<i])
                    keep(String(decoding: unescaped, as: UTF8.self))
                }
            } else {
                let start = i
                while i < end, !endsField(bytes[i]) { i += 1 }
                keep(String(decoding: bytes[start..<i], as: UTF8.self))
            }
            if i < end, bytes[i] == delimiter {
                i += 1
                continue
            }
            if i < end { i += bytes[i] == cr && i + 1 < end && bytes[i + 1] == lf ? 2 : 1 }
            break
        }
        position = i
        lastWidth = record.fields.count
        return record
    }
}
