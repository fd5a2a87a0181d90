import CocreaCore
import Foundation
import Testing
import ZIPFoundation

@testable import CocreaConsultation

/// What fuzzing the request-file readers found (scripts/fuzz), each kept as the rule it broke.
@Suite struct FuzzFindingsTests {
    final class Released: @unchecked Sendable {
        var bytes = false
    }

    /// Bytes that report when nothing holds them any more.
    static func tracked(_ content: [UInt8], _ released: Released) -> Data {
        let pointer = UnsafeMutableRawPointer.allocate(byteCount: content.count, alignment: 1)
        pointer.copyMemory(from: content, byteCount: content.count)
        return Data(
            bytesNoCopy: pointer, count: content.count,
            deallocator: .custom { pointer, _ in
                pointer.deallocate()
                released.bytes = true
            })
    }

    /// ZIPFoundation, given a ZIP without its end record from memory, kept the whole upload allocated
    /// for good: 64 MB a request at most, so a few hundred uploads would take the server's memory.
    @Test(arguments: [
        // A local file header and nothing else.
        Array("PK\u{3}\u{4}".utf8) + Array(repeating: 0x41, count: 64),
        // An end record whose comment runs past the end of the file.
        Array("PK\u{3}\u{4}".utf8) + Array(repeating: 0x41, count: 64) + [0x50, 0x4B, 0x05, 0x06] + Array(repeating: 0, count: 16) + [0xFF, 0x00],
    ])
    func aZipWithoutItsEndRecordIsRefusedAndLetGo(content: [UInt8]) {
        let released = Released()
        do {
            let data = Self.tracked(content, released)
            #expect(throws: CocreaError.self) { try RequestFile.read(data, filename: "solicitudes.xlsx") }
        }
        #expect(released.bytes, "the upload's bytes are released once it is refused")
    }
}

extension FuzzFindingsTests {
    static func inline(_ reference: String?, _ text: String) -> String {
        #"<c\#(reference.map { #" r="\#($0)""# } ?? "") t="inlineStr"><is><t>\#(text)</t></is></c>"#
    }

    /// ZIPFoundation's in-memory reader, asked for a file header past the end of the data, computed a
    /// negative length and trapped: one upload stopped the server.
    @Test func aWorkbookWhoseDirectoryPointsPastItsEndIsRefused() throws {
        let sheet = #"<row r="1">"# + Self.inline("A1", "Folio") + "</row>"
        var bytes = [UInt8](try RequestFileTests.workbook(sheet: sheet, sharedStrings: []))
        let end = bytes.count - 22
        let directory = Int(bytes[end + 16]) | Int(bytes[end + 17]) << 8 | Int(bytes[end + 18]) << 16 | Int(bytes[end + 19]) << 24
        bytes.replaceSubrange((directory + 42)..<(directory + 46), with: [0xFF, 0xFF, 0xFF, 0x7F])
        let error = RequestFileTests.refusal(Data(bytes), filename: "solicitudes.xlsx")
        #expect(error?.code == "request_file_invalid")
        #expect(error?.message.contains("no un libro de Excel") == true)
    }

    /// Foundation's XMLParser trapped on this sheet (the fuzzer's input as it was): an element name
    /// that is not UTF-8.
    @Test func aSheetWhoseXMLIsNotUTF8IsRefusedAsDamaged() throws {
        let sheet = try #require(
            Data(
                base64Encoded: [
                    "PD94bWwgdmVyc2lvbj0iMS4wIj8+PHg6d29ya3NoZWV0IHhtbG5zOng9Imh0dHA6Ly9zY2hlbWFzLm9wZW54bWxmb3JtYXRzLm9y",
                    "Zy9zcHJlYWRzaGVldG1sLzIwMDYvbWFpbiI+PHg6c2hlZXREYXRhPjz+////dyByPSIxIj48eDpjIHI9IkExIiB0PSJpbmxpbmVT",
                    "dHIqPjx4OmlzPjx4OnQ+Rm9saW88L3g6dD48L3g6aXM+PC94OmM+PHg6YyByPSJCMSIgdD0iaW5saW5lU3RyIj48eDppcz48eDp0",
                    "PkZlY2hhPC94OnQ+PC94OmlzPjwveDpjPjx4OmMgcj0iQ1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXb3cg",
                    "cj0iMSI+PHg6YyByPXg6aXM+PHg6dD4zMzAwMjQ2MjQwMDAwNzE8L3g6dD48L3g6aXM+PC94OmM+PHg6YyByOnJvdz48L3g6c2hl",
                    "ZXREYXRhPjwveDp3b3Jrc2hlZXQ+",
                ].joined()))
        let archive = try Archive(accessMode: .create)
        try archive.addEntry(with: "xl/worksheets/sheet1.xml", type: .file, uncompressedSize: Int64(sheet.count)) { position, size in
            sheet.subdata(in: Int(position)..<Int(position) + size)
        }
        let error = RequestFileTests.refusal(try #require(archive.data), filename: "solicitudes.xlsx")
        #expect(error?.message.hasPrefix("El libro de Excel está dañado") == true)
    }

    /// Twenty letters before the row number overflowed the column's index and stopped the server.
    @Test func aCellReferenceOfMoreLettersThanExcelsLastColumnFollowsTheCellBeforeIt() throws {
        let sheet =
            #"<row r="1">"# + Self.inline("A1", "Folio") + Self.inline("ZZZZZZZZZZZZZZZZZZZZ1", "Fecha de solicitud")
            + Self.inline(nil, "Descripción de la solicitud") + "</row>"
            + #"<row r="2">"# + Self.inline("A2", "140254624000123") + Self.inline("B2", "15/03/2024")
            + Self.inline("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA2", "Solicito el padrón de beneficiarios del programa de becas 2023") + "</row>"
        let report = try RequestFile.read(try RequestFileTests.workbook(sheet: sheet, sharedStrings: []), filename: "solicitudes.xlsx")
        #expect(report.columns == ["Folio", "Fecha de solicitud", "Descripción de la solicitud"])
        #expect(report.rows.map(\.text) == ["Solicito el padrón de beneficiarios del programa de becas 2023"])
    }

    /// A row numbered Int.max made the next row's number overflow.
    @Test func aRowNumberPastExcelsLastRowIsCountedFromTheRowBeforeIt() throws {
        func request(_ folio: String) -> String {
            Self.inline(nil, folio) + Self.inline(nil, "15/03/2024") + Self.inline(nil, "Copia de los contratos de recolección de basura")
        }
        let sheet =
            #"<row r="1">"# + Self.inline(nil, "Folio") + Self.inline(nil, "Fecha de solicitud") + Self.inline(nil, "Descripción de la solicitud")
            + "</row>" + #"<row r="9223372036854775807">"# + request("140254624000123") + "</row><row>" + request("140254624000124") + "</row>"
        let report = try RequestFile.read(try RequestFileTests.workbook(sheet: sheet, sharedStrings: []), filename: "solicitudes.xlsx")
        #expect(report.rows.map(\.line) == [2, 3])
    }

    /// Foundation's XMLParser crashed the process (a NULL read in its callback) on a processing
    /// instruction without data inside a sheet; such a part is now refused as damaged before it parses.
    @Test func aProcessingInstructionInASheetIsRefusedNotFatal() throws {
        let rows = #"<?xm?><row r="1"><c r="A1" t="inlineStr"><is><t>Fecha</t></is></c></row>"#
        let workbook = try RequestFileTests.workbook(sheet: rows, sharedStrings: [])
        #expect(throws: CocreaError.self) { try RequestFile.read(workbook, filename: "solicitudes.xlsx") }
        #expect(XLSXSheet.hasProcessingInstruction(Data("<?xml version=\"1.0\"?><a>x</a>".utf8)) == false)
        #expect(XLSXSheet.hasProcessingInstruction(Data("\u{FEFF}\n<?xml version=\"1.0\"?><a><?b?></a>".utf8)))
        #expect(XLSXSheet.hasProcessingInstruction(Data("<a/><?xml version=\"1.0\"?>".utf8)))
    }

    /// Open XML parts have no document type; one with entities could make the parser expand it without end.
    @Test func aDocumentTypeInASheetIsRefused() throws {
        let rows = #"<row r="1"><c r="A1" t="inlineStr"><is><t>Fecha</t></is></c></row>"#
        let plain = try RequestFileTests.workbook(sheet: rows, sharedStrings: [])
        let withDoctype = try RequestFileTests.workbook(sheet: rows, sharedStrings: [], doctype: #"<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">]>"#)
        #expect(throws: CocreaError.self) { try RequestFile.read(withDoctype, filename: "solicitudes.xlsx") }
        #expect(plain != withDoctype)
    }
}
