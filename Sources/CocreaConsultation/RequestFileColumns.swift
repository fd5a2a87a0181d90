import CocreaCore
import Foundation

/// Which column of a request file holds each field, found by its header. Public bodies export from
/// the Plataforma Nacional de Transparencia, from their own systems or by hand, so each field has
/// several spellings; headers are compared folded (no accents, case, spaces, underscores or punctuation).
struct RequestFileColumns {
    enum Field: Int, CaseIterable {
        case folio, filedOn, obligatedBody, text

        /// Accepted headers, most specific first: when two columns match, the earlier spelling wins
        /// ("Descripción de la solicitud" over "Solicitud"), the other goes to `extra`.
        var spellings: [String] {
            switch self {
            case .folio: ["Folio de la solicitud", "FOLIO_SOLICITUD", "No. de folio", "Número de folio", "Folio"]
            case .filedOn:
                [
                    "Fecha de solicitud", "FECHA_SOLICITUD", "Fecha de la solicitud", "Fecha de presentación",
                    "Fecha de recepción", "Fecha",
                ]
            case .obligatedBody: ["Nombre del sujeto obligado", "Sujeto obligado", "SUJETO_OBLIGADO", "Dependencia", "Institución"]
            case .text:
                [
                    "Descripción de la solicitud", "DESCRIPCION_SOLICITUD", "Texto de la solicitud", "Solicitud",
                    "Descripción", "Pregunta",
                ]
            }
        }

        /// How the error for a missing column names it.
        var spanishName: String {
            switch self {
            case .folio: "folio"
            case .filedOn: "fecha de solicitud"
            case .obligatedBody: "sujeto obligado"
            case .text: "descripción de la solicitud"
            }
        }

        var isRequired: Bool { self != .obligatedBody }
    }

    /// By field: rows look their cells up here, which an array does faster than a dictionary.
    private var columnOfField: [Int?] = Array(repeating: nil, count: Field.allCases.count)
    /// Every column that is not one of the fields, with the key its values take in `extra`.
    private(set) var extra: [(index: Int, key: String)] = []

    init(headers: [String]) {
        let folded = headers.map(Self.fold)
        for field in Field.allCases {
            let ranks = field.spellings.map(Self.fold)
            let best = folded.indices
                .compactMap { column in ranks.firstIndex(of: folded[column]).map { (column: column, rank: $0) } }
                .min { ($0.rank, $0.column) < ($1.rank, $1.column) }
            columnOfField[field.rawValue] = best?.column
        }
        let taken = Set(columnOfField.compactMap { $0 })
        var keys = Set<String>()
        for (column, header) in headers.enumerated() where !taken.contains(column) {
            // An empty or repeated header still needs a key of its own, or its values would be lost.
            var key = header.isEmpty ? "Columna \(column + 1)" : header
            if keys.contains(key) { key = "\(key) (columna \(column + 1))" }
            keys.insert(key)
            extra.append((column, key))
        }
    }

    subscript(field: Field) -> Int? { columnOfField[field.rawValue] }

    var missing: [Field] { Field.allCases.filter { $0.isRequired && self[$0] == nil } }

    /// How many fields the headers name: what tells a good delimiter from a wrong one.
    var recognised: Int { columnOfField.count(where: { $0 != nil }) }

    /// "FECHA_SOLICITUD", "FechaSolicitud" and "Fecha solicitud" are one header; so are
    /// "DESCRIPCIONSOLICITUD" (INAI's open data) and "Descripción_Solicitud".
    static func fold(_ header: String) -> String {
        let plain = header.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        return String(String.UnicodeScalarView(plain.unicodeScalars.filter { $0.properties.isAlphabetic || $0.properties.numericType != nil }))
    }
}

/// The dates a request file writes: `2024-03-15`, `15/03/2024`, `5/3/2024`, `15-03-2024`, each with
/// an optional time (`10:22` or `10:22:05`) that is dropped; in a workbook also Excel's serial days.
enum RequestFileDate {
    enum Outcome: Equatable {
        case date(LocalDate)
        /// It reads as a date but the calendar has no such day (31/02/2024).
        case impossible
        case unreadable
    }

    static func parse(_ text: String, serialDays: Bool) -> Outcome {
        // Excel stores dates as days since 1899-12-30; a fraction is the time of day.
        if serialDays, let serial = Double(text), serial.isFinite {
            guard serial >= 1, serial < 2_958_466 else { return .impossible }
            return checked(civil(fromDays: Int(serial.rounded(.down)) - 25_569))
        }
        var date = Substring(text).utf8
        if let space = date.firstIndex(where: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "T") }) {
            guard let time = DigitGroups(date[date.index(after: space)...], separators: (UInt8(ascii: ":"), UInt8(ascii: ":"))),
                time.count >= 2, (1...2).contains(time.widths[0]), time.values[0] < 24,
                (1..<time.count).allSatisfy({ time.widths[$0] == 2 && time.values[$0] < 60 })
            else { return .unreadable }
            date = date[..<space]
        }
        guard let parts = DigitGroups(date, separators: (UInt8(ascii: "-"), UInt8(ascii: "/"))), parts.count == 3 else {
            return .unreadable
        }
        let (numbers, widths) = (parts.values, parts.widths)
        if parts.separator == UInt8(ascii: "-"), widths == [4, 2, 2] {
            return checked(LocalDate(year: numbers[0], month: numbers[1], day: numbers[2]))
        }
        // Day first, as Mexico writes it; a dashed date keeps two digits, a slashed one may drop them.
        let dayFirst =
            parts.separator == UInt8(ascii: "-")
            ? widths == [2, 2, 4]
            : (1...2).contains(widths[0]) && (1...2).contains(widths[1]) && widths[2] == 4
        guard dayFirst else { return .unreadable }
        return checked(LocalDate(year: numbers[2], month: numbers[1], day: numbers[0]))
    }

    /// Years outside 1900–2100 are typing slips (0224, 20244), not requests.
    private static func checked(_ date: LocalDate) -> Outcome {
        guard (1900...2100).contains(date.year), (1...12).contains(date.month),
            (1...daysIn(month: date.month, year: date.year)).contains(date.day)
        else { return .impossible }
        return .date(date)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Up to three runs of one to four digits joined by one separator ("15/03/2024", "10:22:05"),
    /// read in one pass without allocating: a file has a date on every row.
    private struct DigitGroups {
        var values = SIMD3<Int>()
        var widths = SIMD3<Int>()
        var count = 1
        var separator: UInt8?

        init?(_ bytes: Substring.UTF8View, separators: (UInt8, UInt8)) {
            for byte in bytes {
                if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                    guard widths[count - 1] < 4 else { return nil }
                    values[count - 1] = values[count - 1] * 10 + Int(byte - UInt8(ascii: "0"))
                    widths[count - 1] += 1
                } else if byte == separators.0 || byte == separators.1, separator ?? byte == byte, count < 3, widths[count - 1] > 0 {
                    separator = byte
                    count += 1
                } else {
                    return nil
                }
            }
            guard widths[count - 1] > 0 else { return nil }
        }
    }

    /// Howard Hinnant's days-to-civil: the proleptic Gregorian date `days` after 1970-01-01.
    private static func civil(fromDays days: Int) -> LocalDate {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return LocalDate(year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month: month, day: day)
    }
}

/// The checks every data row passes, whatever the file's format. It remembers each folio's first
/// row, so a repeated folio is reported where it repeats.
struct RequestRowChecker {
    let columns: RequestFileColumns
    /// Workbooks store dates as serial days; in a CSV a bare number is not a date.
    let serialDates: Bool
    private var firstRowOfFolio: [String: Int] = [:]

    init(columns: RequestFileColumns, serialDates: Bool) {
        self.columns = columns
        self.serialDates = serialDates
    }

    /// The row, or nil after adding its problems.
    mutating func check(line: Int, cells: [String], problems: inout [RequestFileProblem]) -> InformationRequestRow? {
        func cell(_ column: Int?) -> String {
            guard let column, column < cells.count else { return "" }
            return RequestFile.trimmed(cells[column])
        }
        let before = problems.count
        func problem(_ key: String, _ values: [String: ErrorText.Value] = [:]) { problems.append(RequestFileProblem(line: line, key, values)) }

        let folio = cell(columns[.folio])
        if folio.isEmpty {
            problem("requestRowFolioMissing")
        } else if let first = firstRowOfFolio[folio] {
            problem("requestRowFolioRepeated", ["folio": .text(folio), "first": .number(first)])
        } else {
            firstRowOfFolio[folio] = line
        }

        let dateText = cell(columns[.filedOn])
        var filedOn: LocalDate?
        switch dateText.isEmpty ? nil : RequestFileDate.parse(dateText, serialDays: serialDates) {
        case nil: problem("requestRowDateMissing")
        case .date(let date)?: filedOn = date
        case .impossible?: problem("requestRowDateImpossible", ["date": .text(dateText)])
        case .unreadable?: problem("requestRowDateUnreadable", ["date": .text(dateText)])
        }

        let text = cell(columns[.text])
        // Counting characters walks the text; its UTF-8 length bounds the count from above.
        if text.isEmpty {
            problem("requestRowTextMissing")
        } else if text.utf8.count > RequestFile.maximumTextLength, text.count > RequestFile.maximumTextLength {
            problem(
                "requestRowTextTooLong",
                ["length": .text(RequestFile.grouped(text.count)), "maximum": .text(RequestFile.grouped(RequestFile.maximumTextLength))])
        }

        guard problems.count == before, let filedOn else { return nil }
        var extra: [String: String] = [:]
        extra.reserveCapacity(columns.extra.count)
        for column in columns.extra { extra[column.key] = cell(column.index) }
        return InformationRequestRow(
            line: line, folio: folio, filedOn: filedOn, obligatedBody: cell(columns[.obligatedBody]),
            text: text, extra: extra)
    }
}
