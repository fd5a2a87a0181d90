import CocreaCore
import Foundation
import Testing

@testable import CocreaConsultation

/// A request file is read within stated limits whatever it says about itself: the cells kept grow
/// with the cells under the header, not with how far right a cell sits or how many delimiters a line
/// has, and a workbook part that unpacks to more than its ZIP header declares is refused as soon as it does.
@Suite struct RequestFileLimitsTests {
    static let limits = XLSXSheet.Limits(
        unpackedBytes: RequestFile.maximumUnpackedBytes, rows: RequestFile.maximumRows + 1,
        columns: RequestFile.maximumColumns, cells: RequestFile.maximumCells)

    static func inline(_ reference: String, _ text: String) -> String {
        #"<c r="\#(reference)" t="inlineStr"><is><t>\#(text)</t></is></c>"#
    }

    /// Requests in A–C, one per row from row 2, each with `extra` cells of its own (by row number).
    static func requests(_ count: Int, extra: (Int) -> String = { _ in "" }) -> String {
        var rows = #"<row r="1">\#(inline("A1", "Folio"))\#(inline("B1", "Fecha de solicitud"))\#(inline("C1", "Descripción de la solicitud"))</row>"#
        for row in 2...(count + 1) {
            rows +=
                #"<row r="\#(row)"><c r="A\#(row)"><v>\#(140_254_624_000_000 + row)</v></c><c r="B\#(row)"><v>45366</v></c>"#
                + inline("C\(row)", "Solicito el padrón de beneficiarios del programa de becas") + extra(row) + "</row>"
        }
        return rows
    }

    @Test func aCellInColumnZZZOnEveryRowIsNotedButNotKept() throws {
        let data = try RequestFileTests.workbook(sheet: Self.requests(5_000) { Self.inline("ZZZ\($0)", "x") }, sharedStrings: [])
        #expect(data.count < 200_000, "a small file")
        let sheet = try XLSXSheet(data: data, limits: Self.limits)
        #expect(sheet.keptCells == 3 + 5_000 * 3, "the cells under the header, not 18,278 per row")
        #expect(sheet.rows.dropFirst().allSatisfy { $0.strayColumn == 18_277 })

        let report = try RequestFile.read(data, filename: "solicitudes.xlsx")
        #expect(report.rows.isEmpty)
        #expect(report.problems.count == 5_000)
        #expect(report.problems.first?.message == "Fila 2: la columna ZZZ tiene datos pero no tiene encabezado.")
    }

    @Test func aHeaderBeyondColumnIVIsRefusedNamingTheColumn() throws {
        let sheet =
            #"<row r="1">\#(Self.inline("A1", "Folio"))\#(Self.inline("B1", "Fecha"))\#(Self.inline("C1", "Solicitud"))\#(Self.inline("IW1", "Notas"))</row>"#
        let error = RequestFileTests.refusal(try RequestFileTests.workbook(sheet: sheet, sharedStrings: []), filename: "solicitudes.xlsx")
        #expect(error?.code == "request_file_invalid")
        #expect(
            error?.message == "El encabezado (fila 1) tiene datos en la columna IW; se leen encabezados hasta la columna IV (256 columnas). "
                + "Deja en la hoja solo las columnas de las solicitudes.")
    }

    @Test func moreCellsOrSharedStringsThanTheLimitAreRefused() throws {
        var small = Self.limits
        small.cells = 100
        let manyCells = try RequestFileTests.workbook(sheet: Self.requests(40), sharedStrings: [])
        #expect(throws: XLSXSheet.Failure.self) { try XLSXSheet(data: manyCells, limits: small) }
        let manyStrings = try RequestFileTests.workbook(sheet: Self.requests(1), sharedStrings: Array(repeating: "", count: 101))
        #expect(throws: XLSXSheet.Failure.self) { try XLSXSheet(data: manyStrings, limits: small) }
        #expect(try XLSXSheet(data: try RequestFileTests.workbook(sheet: Self.requests(30), sharedStrings: []), limits: small).keptCells == 93)
    }

    @Test func aPartLargerThanItsZIPHeaderSaysIsRefusedAsDamaged() throws {
        let honest = try RequestFileTests.workbook(sheet: Self.requests(20_000), sharedStrings: [])
        let forged = try Self.understating("xl/worksheets/sheet2.xml", as: 1_000, in: honest)
        #expect(throws: XLSXSheet.Failure.self) { try XLSXSheet(data: forged, limits: Self.limits) }
        let error = RequestFileTests.refusal(forged, filename: "solicitudes.xlsx")
        #expect(error?.code == "request_file_invalid")
        #expect(
            error?.message == "El libro de Excel está dañado: una de sus partes descomprimida ocupa más de lo que declara el propio archivo. "
                + "Ábrelo y guárdalo de nuevo como XLSX o como CSV.")
        #expect(try RequestFile.read(honest, filename: "solicitudes.xlsx").rows.count == 20_000, "the same file, told truthfully, is read")
    }

    /// The archive with the uncompressed size of `path` rewritten in its local and central headers.
    static func understating(_ path: String, as size: UInt32, in archive: Data) throws -> Data {
        var bytes = [UInt8](archive)
        let name = Array(path.utf8)
        var patched = 0
        for start in 0..<(bytes.count - 46) where bytes[start] == 0x50 && bytes[start + 1] == 0x4B {
            let signature = (bytes[start + 2], bytes[start + 3])
            // Local header: the size at 22, the name at 30; central header: the size at 24, the name at 46.
            let (sizeAt, nameAt) = signature == (3, 4) ? (22, 30) : signature == (1, 2) ? (24, 46) : (0, 0)
            guard nameAt > 0, Array(bytes[(start + nameAt)..<min(start + nameAt + name.count, bytes.count)]) == name else { continue }
            withUnsafeBytes(of: size.littleEndian) { bytes.replaceSubrange((start + sizeAt)..<(start + sizeAt + 4), with: $0) }
            patched += 1
        }
        try #require(patched == 2)
        return Data(bytes)
    }

    // MARK: CSV

    @Test func aCSVLineOfDelimitersAloneKeepsNoMoreFieldsThanTheLimit() {
        var records = CSVRecords(bytes: Array(String(repeating: ",", count: 1_000_000).utf8), delimiter: UInt8(ascii: ","))
        let record = records.next()
        #expect(record?.fields.count == RequestFile.maximumColumns)
        #expect(record?.tooManyFields == true)

        let error = RequestFileTests.refusal(Data(("Folio,Fecha,Descripción" + String(repeating: ",", count: 1_000_000) + "\n").utf8))
        #expect(error?.message.hasPrefix("El encabezado (fila 1) tiene más de 256 columnas") == true)
    }

    @Test func aCSVRowWithMoreFieldsThanTheLimitIsAProblemOfItsRow() throws {
        let report = try RequestFileTests.read([
            "Folio,Fecha,Descripción", "140254624000123,15/03/2024,Solicito el padrón",
            "140254624000124,15/03/2024,Solicito" + String(repeating: ",", count: 300),
        ])
        #expect(report.rows.map(\.folio) == ["140254624000123"])
        #expect(RequestFileTests.messages(report).first?.hasPrefix("Fila 3: tiene más de 256 campos y el encabezado tiene 3") == true)
    }
}
