import CocreaConsultation
import CocreaCore
import Foundation
import Testing
import ZIPFoundation

/// Reading the access-to-information requests a public body downloads from the Plataforma
/// Nacional de Transparencia, as CSV (any delimiter, UTF-8 or Latin-1) or XLSX.
@Suite struct RequestFileTests {
    static let header = "Folio,Fecha de solicitud,Sujeto obligado,Descripción de la solicitud,Estatus"

    static func csv(_ lines: [String], separator: String = "\n") -> Data { Data(lines.joined(separator: separator).utf8) }

    static func read(_ lines: [String], separator: String = "\n") throws -> RequestFileReport {
        try RequestFile.read(csv(lines, separator: separator), filename: "solicitudes.csv")
    }

    /// The file-level refusal, or nil when the file was read.
    static func refusal(_ data: Data, filename: String? = "solicitudes.csv") -> CocreaError? {
        do {
            _ = try RequestFile.read(data, filename: filename)
            return nil
        } catch {
            return error as? CocreaError
        }
    }

    static func messages(_ report: RequestFileReport) -> [String] { report.problems.map(\.message) }

    // MARK: CSV shapes

    @Test func aCommaFileGivesEveryRequestWithItsOtherColumnsAsExtra() throws {
        let report = try Self.read([
            Self.header,
            "140254624000123,15/03/2024,Secretaría de Salud Jalisco,Solicito el padrón de beneficiarios del programa de becas 2023,Terminada",
            "140254624000124,2024-03-18,Ayuntamiento de Zapopan,Copia de los contratos de recolección de basura,En proceso",
        ])
        #expect(report.format == .csv)
        #expect(report.encoding == "UTF-8")
        #expect(report.delimiter == ",")
        #expect(report.columns == ["Folio", "Fecha de solicitud", "Sujeto obligado", "Descripción de la solicitud", "Estatus"])
        #expect(report.problems.isEmpty)
        #expect(
            report.rows == [
                InformationRequestRow(
                    line: 2, folio: "140254624000123", filedOn: LocalDate(year: 2024, month: 3, day: 15),
                    obligatedBody: "Secretaría de Salud Jalisco",
                    text: "Solicito el padrón de beneficiarios del programa de becas 2023", extra: ["Estatus": "Terminada"]),
                InformationRequestRow(
                    line: 3, folio: "140254624000124", filedOn: LocalDate(year: 2024, month: 3, day: 18),
                    obligatedBody: "Ayuntamiento de Zapopan",
                    text: "Copia de los contratos de recolección de basura", extra: ["Estatus": "En proceso"]),
            ])
    }

    @Test func aSemicolonFileKeepsTheCommasOfItsTexts() throws {
        let report = try Self.read([
            "Folio;Fecha de solicitud;Sujeto obligado;Descripción de la solicitud",
            "140254624000123;15/03/2024;Secretaría de Salud Jalisco;Solicito el padrón de beneficiarios, por municipio, del programa de becas 2023",
        ])
        #expect(report.delimiter == ";")
        #expect(report.rows.map(\.text) == ["Solicito el padrón de beneficiarios, por municipio, del programa de becas 2023"])
    }

    @Test func aTabFileWithThePlatformsUppercaseHeadersIsRead() throws {
        let report = try Self.read([
            "FOLIO_SOLICITUD\tFECHA_SOLICITUD\tSUJETO_OBLIGADO\tDESCRIPCION_SOLICITUD\tMEDIO_ENTREGA",
            "140254624000123\t15/03/2024 10:22\tSecretaría de Salud Jalisco\tSolicito el padrón de beneficiarios; desglosado por sexo\tCorreo electrónico",
        ])
        #expect(report.delimiter == "\t")
        #expect(report.rows.map(\.folio) == ["140254624000123"])
        #expect(report.rows.first?.obligatedBody == "Secretaría de Salud Jalisco")
        #expect(report.rows.first?.extra == ["MEDIO_ENTREGA": "Correo electrónico"])
    }

    @Test func theHeadersOfINAIsOpenDataAreRecognisedWithoutSeparators() throws {
        let report = try Self.read([
            "FOLIO,FECHASOLICITUD,DEPENDENCIA,ESTATUS,DESCRIPCIONSOLICITUD",
            "0063700012324,15/03/2024,Instituto Mexicano del Seguro Social,Terminada,Solicito el número de plazas de enfermería en Jalisco",
        ])
        #expect(report.rows.map(\.obligatedBody) == ["Instituto Mexicano del Seguro Social"])
        #expect(report.rows.first?.extra == ["ESTATUS": "Terminada"])
    }

    @Test func aPipeFileWithOtherSpellingsOfTheHeadersIsRead() throws {
        let report = try Self.read([
            "No. de folio|Fecha de presentación|Institución|Pregunta",
            "00412324|05/01/2024|Comisión Estatal del Agua de Jalisco|¿Cuántas pipas se contrataron en 2023?",
        ])
        #expect(report.delimiter == "|")
        #expect(
            report.rows == [
                InformationRequestRow(
                    line: 2, folio: "00412324", filedOn: LocalDate(year: 2024, month: 1, day: 5),
                    obligatedBody: "Comisión Estatal del Agua de Jalisco",
                    text: "¿Cuántas pipas se contrataron en 2023?")
            ])
    }

    @Test func theMostSpecificHeaderWinsAndTheOtherStaysInExtra() throws {
        let report = try Self.read([
            "Folio,Solicitud,Descripción de la solicitud,Fecha",
            "140254624000123,Acceso a la información,Solicito las actas del cabildo de enero de 2024,15/03/2024",
        ])
        #expect(report.rows.first?.text == "Solicito las actas del cabildo de enero de 2024")
        #expect(report.rows.first?.extra == ["Solicitud": "Acceso a la información"])
        #expect(report.rows.first?.obligatedBody == "")
    }

    // MARK: Encodings and line ends

    @Test func latin1BytesAreDecodedAndReportedAsLatin1() throws {
        // What Excel on Windows writes: ó as 0xF3, and its curly quotes as 0x93 and 0x94.
        var bytes = Array("Folio,Fecha,Descripci".utf8) + [0xF3] + Array("n\n140254624000123,15/03/2024,Informaci".utf8) + [0xF3]
        bytes += Array("n del programa ".utf8) + [0x93] + Array("Becas Jalisco".utf8) + [0x94] + Array("\n".utf8)
        let report = try RequestFile.read(Data(bytes), filename: "solicitudes.csv")
        #expect(report.encoding == "Latin-1")
        #expect(report.columns == ["Folio", "Fecha", "Descripción"])
        #expect(report.rows.map(\.text) == ["Información del programa “Becas Jalisco”"])
    }

    @Test func aUTF8ByteOrderMarkAndCRLFLineEndsLeaveNoTrace() throws {
        let data =
            Data([0xEF, 0xBB, 0xBF])
            + Self.csv(
                [
                    Self.header,
                    "140254624000123,15/03/2024,Secretaría de Salud Jalisco,Solicito el padrón de beneficiarios,Terminada",
                    "",
                ], separator: "\r\n")
        let report = try RequestFile.read(data, filename: nil)
        #expect(report.encoding == "UTF-8")
        #expect(report.columns.first == "Folio")
        #expect(report.rows.first?.extra == ["Estatus": "Terminada"])
    }

    // MARK: Quoting

    @Test func quotedFieldsKeepCommasDoubledQuotesAndLineBreaksInOneRow() throws {
        let report = try Self.read(
            [
                Self.header,
                "140254624000123,15/03/2024,\"Secretaría de Salud, Jalisco\",\"Solicito el programa \"\"Salud Casa por Casa\"\":\r\n1. padrón\r\n2. presupuesto\",Terminada",
                "140254624000124,18/03/2024,Ayuntamiento de Zapopan,Copia de los contratos de recolección de basura,Terminada",
            ], separator: "\r\n")
        #expect(report.problems.isEmpty)
        #expect(report.rows.map(\.obligatedBody) == ["Secretaría de Salud, Jalisco", "Ayuntamiento de Zapopan"])
        #expect(report.rows.first?.text == "Solicito el programa \"Salud Casa por Casa\":\n1. padrón\n2. presupuesto")
        // Rows as Excel shows them: the line breaks inside quotes do not add rows.
        #expect(report.rows.map(\.line) == [2, 3])
    }

    @Test func aRefusedFileIsExplainedInTheReadersLanguage() throws {
        let error = try #require(Self.refusal(Data("%PDF-1.7\n".utf8), filename: "solicitudes-2024.pdf"))
        #expect(
            error.message(Language.es.words)
                == "«solicitudes-2024.pdf» es un PDF: sus tablas no se pueden leer como datos. "
                + "Guarda el archivo como CSV o XLSX (en Excel: Archivo › Guardar como) y vuelve a subirlo.")
        #expect(
            error.message(Language.en.words)
                == "The file of information requests cannot be imported: «solicitudes-2024.pdf» is a PDF: its tables cannot be read as data. "
                + "Save the file as CSV or XLSX (in Excel: File › Save as) and upload it again.")
    }

    @Test func anUnclosedQuoteRefusesTheFileNamingItsRow() {
        let error = Self.refusal(
            Self.csv([
                Self.header,
                "140254624000123,15/03/2024,Secretaría de Salud Jalisco,Solicito el padrón de beneficiarios,Terminada",
                "140254624000124,18/03/2024,Ayuntamiento de Zapopan,\"Copia de los contratos de recolección de basura,Terminada",
                "140254624000125,19/03/2024,Ayuntamiento de Zapopan,Copia del presupuesto 2024,Terminada",
            ]))
        #expect(error?.code == "request_file_invalid")
        #expect(error?.kind == .invalid)
        #expect(error?.message.contains("comillas sin cerrar desde la fila 3") == true)
    }

    @Test func aQuoteInsideAnUnquotedFieldIsKeptAsWritten() throws {
        let report = try Self.read([
            Self.header,
            "140254624000123,15/03/2024,Secretaría de Salud Jalisco,Solicito el programa \"Salud Casa por Casa\" de 2023,Terminada",
        ])
        #expect(report.rows.map(\.text) == ["Solicito el programa \"Salud Casa por Casa\" de 2023"])
    }

    @Test func textAfterAClosingQuoteIsAProblemOfItsRow() throws {
        let report = try Self.read([
            Self.header,
            "140254624000123,15/03/2024,Secretaría de Salud Jalisco,\"Solicito el programa \"Salud Casa por Casa\" de 2023\",Terminada",
            "140254624000124,18/03/2024,Ayuntamiento de Zapopan,Copia de los contratos de recolección de basura,Terminada",
        ])
        #expect(report.rows.map(\.line) == [3])
        #expect(report.problems.map(\.line) == [2])
        #expect(Self.messages(report).first?.hasPrefix("Fila 2: hay texto después de cerrar unas comillas") == true)
    }

    @Test func aRowWithTooManyOrTooFewFieldsIsAProblem() throws {
        let report = try Self.read([
            Self.header,
            "140254624000123,15/03/2024,Secretaría de Salud, Jalisco,Solicito el padrón de beneficiarios,Terminada",
            "140254624000124,18/03/2024,Ayuntamiento de Zapopan,Copia de los contratos de recolección de basura",
            "140254624000125,19/03/2024,Ayuntamiento de Zapopan,Copia del presupuesto 2024,Terminada",
        ])
        #expect(report.rows.map(\.folio) == ["140254624000125"])
        #expect(
            Self.messages(report) == [
                "Fila 2: tiene 6 campos y el encabezado tiene 5; revisa los separadores («,») y las comillas de esa fila.",
                "Fila 3: tiene 4 campos y el encabezado tiene 5; revisa los separadores («,») y las comillas de esa fila.",
            ])
    }

    /// A row's problem is the catalogue's text with the row's facts, so each reader reads it in their language.
    @Test func aRowsProblemIsWrittenInTheReadersLanguage() throws {
        let report = try Self.read([
            Self.header, "140254624000123,15/03/2024,Secretaría de Salud, Jalisco,Solicito el padrón de beneficiarios,Terminada",
            "140254624000124,31/02/2024,Ayuntamiento de Zapopan,Copia de los contratos,Terminada",
            "140254624000124,marzo de 2024,Ayuntamiento de Zapopan, ,Terminada",
        ])
        #expect(
            report.problems.map { $0.message(Language.en.words) } == [
                "Row 2: it has 6 fields and the header has 5; check the separators («,») and the quotes in that row.",
                "Row 3: the date «31/02/2024» does not exist.", "Row 4: folio 140254624000124 is repeated; it already appears in row 3.",
                "Row 4: the date «marzo de 2024» cannot be read; write it as DD/MM/YYYY or YYYY-MM-DD.",
                "Row 4: the request's description is missing.",
            ])
        #expect(report.problems[1].message == "Fila 3: la fecha «31/02/2024» no existe.")
    }

    // MARK: Row checks

    @Test(arguments: [
        ("2024-03-15", LocalDate(year: 2024, month: 3, day: 15)),
        ("15/03/2024", LocalDate(year: 2024, month: 3, day: 15)),
        ("5/3/2024", LocalDate(year: 2024, month: 3, day: 5)),
        ("15-03-2024", LocalDate(year: 2024, month: 3, day: 15)),
        ("15/03/2024 10:22", LocalDate(year: 2024, month: 3, day: 15)),
        ("15/03/2024 10:22:05", LocalDate(year: 2024, month: 3, day: 15)),
        ("29/02/2024", LocalDate(year: 2024, month: 2, day: 29)),
    ])
    func datesAreReadInTheFormatsMexicanSystemsWrite(written: String, date: LocalDate) throws {
        let report = try Self.read(["Folio,Fecha,Descripción", "140254624000123,\(written),Solicito el padrón de beneficiarios"])
        #expect(report.rows.map(\.filedOn) == [date])
    }

    @Test func impossibleAndUnreadableDatesAreProblemsOfTheirRows() throws {
        let report = try Self.read([
            "Folio,Fecha,Descripción",
            "140254624000123,31/02/2024,Solicito el padrón de beneficiarios",
            "140254624000124,29/02/2023,Solicito el padrón de beneficiarios",
            "140254624000125,marzo de 2024,Solicito el padrón de beneficiarios",
            "140254624000126,15/03/24,Solicito el padrón de beneficiarios",
            "140254624000127,15/03/2024 25:10,Solicito el padrón de beneficiarios",
            "140254624000128,45366,Solicito el padrón de beneficiarios",
            "140254624000129,,Solicito el padrón de beneficiarios",
        ])
        #expect(report.rows.isEmpty)
        #expect(
            Self.messages(report) == [
                "Fila 2: la fecha «31/02/2024» no existe.",
                "Fila 3: la fecha «29/02/2023» no existe.",
                "Fila 4: la fecha «marzo de 2024» no se entiende; escríbela como DD/MM/AAAA o AAAA-MM-DD.",
                "Fila 5: la fecha «15/03/24» no se entiende; escríbela como DD/MM/AAAA o AAAA-MM-DD.",
                "Fila 6: la fecha «15/03/2024 25:10» no se entiende; escríbela como DD/MM/AAAA o AAAA-MM-DD.",
                "Fila 7: la fecha «45366» no se entiende; escríbela como DD/MM/AAAA o AAAA-MM-DD.",
                "Fila 8: falta la fecha de solicitud.",
            ])
    }

    @Test func aRepeatedFolioIsReportedWhereItRepeatsNamingTheFirstRow() throws {
        let report = try Self.read([
            "Folio,Fecha,Descripción",
            "140254624000123,15/03/2024,Solicito el padrón de beneficiarios",
            "140254624000124,15/03/2024,Copia de los contratos de recolección de basura",
            " 140254624000123 ,16/03/2024,Solicito otra vez el padrón de beneficiarios",
        ])
        #expect(report.rows.map(\.line) == [2, 3])
        #expect(Self.messages(report) == ["Fila 4: el folio 140254624000123 se repite; ya aparece en la fila 2."])
    }

    @Test func aRowNeedsAFolioAndADescriptionOfReasonableLength() throws {
        let report = try Self.read([
            "Folio,Fecha,Descripción",
            ",15/03/2024,Solicito el padrón de beneficiarios",
            "140254624000124,15/03/2024,   ",
            "140254624000125,15/03/2024,\(String(repeating: "Solicito los contratos. ", count: 834))",
        ])
        #expect(report.rows.isEmpty)
        #expect(
            Self.messages(report) == [
                "Fila 2: falta el folio.",
                "Fila 3: falta la descripción de la solicitud.",
                "Fila 4: la descripción tiene 20,015 caracteres; el máximo es 20,000.",
            ])
    }

    @Test func blankLinesAreSkippedButStillCounted() throws {
        let report = try Self.read([
            "Folio,Fecha,Descripción",
            "",
            ",,",
            "140254624000123,15/03/2024,Solicito el padrón de beneficiarios",
            "",
        ])
        #expect(report.problems.isEmpty)
        #expect(report.rows.map(\.line) == [4])
    }

    // MARK: File-level refusals

    @Test func aFileWithoutTheRequiredColumnsIsRefusedListingTheHeadersFound() {
        let error = Self.refusal(Self.csv(["Folio,Fecha límite de respuesta,Estatus", "140254624000123,15/04/2024,Terminada"]))
        #expect(error?.code == "request_file_invalid")
        #expect(error?.kind == .invalid)
        #expect(error?.message.hasPrefix("Faltan columnas obligatorias: fecha de solicitud, descripción de la solicitud.") == true)
        #expect(error?.message.contains("«Folio», «Fecha límite de respuesta», «Estatus»") == true)
    }

    @Test(arguments: ["", "\u{FEFF}", "Folio,Fecha,Descripción\n", "\n\n  \n", "Folio,Fecha,Descripción\r\n,,\r\n\r\n"])
    func aFileWithoutRequestsIsRefused(text: String) {
        let error = Self.refusal(Data(text.utf8))
        #expect(error?.code == "request_file_invalid")
        #expect(error?.message == "El archivo no tiene solicitudes.")
    }

    @Test func aFileWithMoreRowsThanTheLimitIsRefusedNamingIt() {
        var text = "Folio,Fecha,Descripción\n"
        text.reserveCapacity(300_000 * 60)
        for number in 0..<300_000 { text += "14025462400\(number),15/03/2024,Solicito el padrón\n" }
        let error = Self.refusal(Data(text.utf8))
        #expect(error?.code == "request_file_invalid")
        #expect(error?.message.contains("250,000") == true)
    }

    @Test func aFileBiggerThanTheLimitIsRefusedBeforeReadingIt() {
        let error = Self.refusal(Data(count: RequestFile.maximumBytes + 1))
        #expect(error?.code == "request_file_invalid")
        #expect(error?.kind == .tooLarge)
        #expect(error?.message.contains("64 MB") == true)
    }

    @Test(arguments: [
        (Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0]), "solicitudes.xls"),
        (Data("%PDF-1.7\n%âãÏÓ\n1 0 obj".utf8), "solicitudes.pdf"),
        (Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D]), "solicitudes.csv"),
    ])
    func otherFormatsAreRefusedAskingForCSVOrXLSX(data: Data, filename: String) {
        let error = Self.refusal(data, filename: filename)
        #expect(error?.code == "request_file_invalid")
        #expect(error?.message.contains("«\(filename)»") == true)
        #expect(error?.message.contains("Guarda el archivo como CSV o XLSX") == true)
    }

    @Test func aHundredThousandRequestsAreAllRead() throws {
        var text = "Folio,Fecha de solicitud,Sujeto obligado,Descripción de la solicitud\n"
        text.reserveCapacity(100_000 * 330)
        let request = String(repeating: "Solicito el padrón de beneficiarios del programa de becas 2023, ", count: 4)
        for number in 0..<100_000 {
            text += "1402546240\(100_000 + number),\(number % 28 + 1)/03/2024,Secretaría de Salud Jalisco,\"\(request)\"\n"
        }
        let report = try RequestFile.read(Data(text.utf8), filename: "solicitudes.csv")
        #expect(report.rows.count == 100_000)
        #expect(report.problems.isEmpty)
    }

    // MARK: XLSX

    @Test func aWorkbookGivesItsFirstSheetWithSharedInlineNumericAndSparseCells() throws {
        let sharedStrings = [
            "Folio", "Fecha de solicitud", "Sujeto obligado", "Descripción de la solicitud",
            "Secretaría de Salud Jalisco", "Solicito el padrón de beneficiarios del programa de becas 2023",
        ]
        let sheet = """
            <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c>\
            <c r="D1" t="s"><v>3</v></c><c r="E1" t="inlineStr"><is><t>Medio de entrega</t></is></c></row>
            <row r="2"><c r="A2"><v>140254624000123</v></c><c r="B2" s="1"><v>45366</v></c><c r="C2" t="s"><v>4</v></c>\
            <c r="D2" t="s"><v>5</v></c><c r="E2" t="inlineStr"><is><t>Correo electrónico</t></is></c></row>
            <row r="4"><c r="A4" t="str"><f>TEXT(1,"0")</f><v>140254624000124</v></c><c r="B4" t="inlineStr"><is><t>18/03/2024 10:22</t></is></c>\
            <c r="D4" t="inlineStr"><is><r><t xml:space="preserve">Copia de los contratos </t></r><r><t>de recolección &amp; limpieza</t></r></is></c></row>
            <row r="5"><c r="A5"><v>1.40254624000125E+14</v></c><c r="B5"><v>45232.75</v></c><c r="D5" t="inlineStr"><is><t>Presupuesto</t></is></c>\
            <c r="G5" t="b"><v>1</v></c></row>
            <row r="6"><c r="A6"><v>140254624000126</v></c><c r="B6" t="inlineStr"><is><t>31/02/2024</t></is></c>\
            <c r="D6" t="inlineStr"><is><t>Solicito el presupuesto de egresos</t></is></c></row>
            """
        let report = try RequestFile.read(try Self.workbook(sheet: sheet, sharedStrings: sharedStrings), filename: "solicitudes.xlsx")
        #expect(report.format == .xlsx)
        #expect(report.encoding == nil)
        #expect(report.delimiter == nil)
        #expect(report.columns == ["Folio", "Fecha de solicitud", "Sujeto obligado", "Descripción de la solicitud", "Medio de entrega"])
        #expect(
            report.rows == [
                InformationRequestRow(
                    line: 2, folio: "140254624000123", filedOn: LocalDate(year: 2024, month: 3, day: 15),
                    obligatedBody: "Secretaría de Salud Jalisco",
                    text: "Solicito el padrón de beneficiarios del programa de becas 2023",
                    extra: ["Medio de entrega": "Correo electrónico"]),
                InformationRequestRow(
                    line: 4, folio: "140254624000124", filedOn: LocalDate(year: 2024, month: 3, day: 18),
                    obligatedBody: "", text: "Copia de los contratos de recolección & limpieza",
                    extra: ["Medio de entrega": ""]),
            ])
        #expect(
            Self.messages(report) == [
                "Fila 5: la columna G tiene datos pero no tiene encabezado.",
                "Fila 6: la fecha «31/02/2024» no existe.",
            ])
    }

    @Test func aWorkbookSerialDateWithATimeIsItsDay() throws {
        let sheet = """
            <row r="1"><c t="inlineStr"><is><t>Folio</t></is></c><c t="inlineStr"><is><t>Fecha</t></is></c><c t="inlineStr"><is><t>Solicitud</t></is></c></row>
            <row r="2"><c><v>140254624000125</v></c><c><v>45232.75</v></c><c t="inlineStr"><is><t>Solicito el presupuesto de egresos</t></is></c></row>
            """
        let report = try RequestFile.read(try Self.workbook(sheet: sheet, sharedStrings: []), filename: nil)
        #expect(report.rows.map(\.filedOn) == [LocalDate(year: 2023, month: 11, day: 2)])
    }

    @Test func aWorkbookWhoseElementsCarryANamespacePrefixIsRead() throws {
        // As files made with Microsoft's Open XML SDK are written.
        let sheet = """
            <x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>Folio</x:t></x:is></x:c><x:c r="B1" t="inlineStr"><x:is><x:t>Fecha</x:t></x:is></x:c>\
            <x:c r="C1" t="inlineStr"><x:is><x:t>Pregunta</x:t></x:is></x:c></x:row>
            <x:row r="2"><x:c r="A2" t="inlineStr"><x:is><x:t>330024624000071</x:t></x:is></x:c><x:c r="B2"><x:v>45366</x:v></x:c>\
            <x:c r="C2" t="inlineStr"><x:is><x:t>¿Cuántas patrullas tiene la comisaría de Tlaquepaque?</x:t></x:is></x:c></x:row>
            """
        let report = try RequestFile.read(try Self.workbook(sheet: sheet, sharedStrings: []), filename: "solicitudes.xlsx")
        #expect(report.rows.map(\.folio) == ["330024624000071"])
        #expect(report.rows.map(\.text) == ["¿Cuántas patrullas tiene la comisaría de Tlaquepaque?"])
    }

    @Test func aWorkbookWithABrokenSheetIsRefusedAsDamaged() throws {
        let sheet = #"<row r="1"><c r="A1" t="inlineStr"><is><t>Folio</t></is></row>"#
        let error = Self.refusal(try Self.workbook(sheet: sheet, sharedStrings: []), filename: "solicitudes.xlsx")
        #expect(error?.code == "request_file_invalid")
        #expect(error?.message.hasPrefix("El libro de Excel está dañado") == true)
    }

    @Test func aZipThatIsNotAWorkbookIsRefused() throws {
        let archive = try Archive(accessMode: .create)
        let content = Data("<w:document/>".utf8)
        try archive.addEntry(with: "word/document.xml", type: .file, uncompressedSize: Int64(content.count)) { position, size in
            content.subdata(in: Int(position)..<Int(position) + size)
        }
        let error = Self.refusal(try #require(archive.data), filename: "solicitudes.docx")
        #expect(error?.code == "request_file_invalid")
        #expect(error?.message.contains("no un libro de Excel") == true)
    }

    /// A workbook as Excel lays it out, with the data on the first sheet of the workbook's order,
    /// which is not `sheet1.xml`, to follow the relationships rather than the usual name.
    static func workbook(sheet rows: String, sharedStrings: [String], doctype: String = "") throws -> Data {
        func escaped(_ text: String) -> String {
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        }
        let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        let relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        let parts: [(String, String)] = [
            (
                "[Content_Types].xml",
                """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
                <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
                <Default Extension="xml" ContentType="application/xml"/></Types>
                """
            ),
            (
                "_rels/.rels",
                """
                <?xml version="1.0" encoding="UTF-8"?>
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
                <Relationship Id="rId1" Type="\(relationships)/officeDocument" Target="xl/workbook.xml"/></Relationships>
                """
            ),
            (
                "xl/workbook.xml",
                """
                <?xml version="1.0" encoding="UTF-8"?>
                <workbook xmlns="\(main)" xmlns:r="\(relationships)"><sheets>\
                <sheet name="Solicitudes" sheetId="2" r:id="rId2"/><sheet name="Notas" sheetId="1" r:id="rId1"/></sheets></workbook>
                """
            ),
            (
                "xl/_rels/workbook.xml.rels",
                """
                <?xml version="1.0" encoding="UTF-8"?>
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
                <Relationship Id="rId1" Type="\(relationships)/worksheet" Target="worksheets/sheet1.xml"/>\
                <Relationship Id="rId2" Type="\(relationships)/worksheet" Target="/xl/worksheets/sheet2.xml"/>\
                <Relationship Id="rId3" Type="\(relationships)/sharedStrings" Target="sharedStrings.xml"/></Relationships>
                """
            ),
            (
                "xl/worksheets/sheet1.xml",
                """
                <?xml version="1.0" encoding="UTF-8"?>
                <worksheet xmlns="\(main)"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Notas de captura</t></is></c></row></sheetData></worksheet>
                """
            ),
            (
                "xl/worksheets/sheet2.xml",
                """
                <?xml version="1.0" encoding="UTF-8"?>
                \(doctype)<worksheet xmlns="\(main)" xmlns:x="\(main)"><sheetData>\(rows)</sheetData></worksheet>
                """
            ),
            (
                "xl/sharedStrings.xml",
                """
                <?xml version="1.0" encoding="UTF-8"?>
                <sst xmlns="\(main)" count="\(sharedStrings.count)">\(sharedStrings.map { "<si><t>\(escaped($0))</t></si>" }.joined())</sst>
                """
            ),
        ]
        let archive = try Archive(accessMode: .create)
        for (path, text) in parts {
            let content = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(content.count), compressionMethod: .deflate) { position, size in
                content.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return try #require(archive.data)
    }
}
