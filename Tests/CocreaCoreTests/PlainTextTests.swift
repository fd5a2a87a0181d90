import CocreaCore
import Testing

/// Text people type: single-line fields stay on one line, and no field keeps characters that
/// reorder what is shown (the right-to-left override that makes «Informe‹RLO›fdp.exe» read «Informeexe.pdf»).
@Suite struct PlainTextTests {
    @Test func lineBreaksAndControlCharactersInASingleLineFieldBecomeOneSpace() {
        #expect(PlainText.singleLine("Informe\n\nDescarga aquí: http://falso.example") == "Informe Descarga aquí: http://falso.example")
        #expect(PlainText.singleLine("Informe \r\n Descarga") == "Informe Descarga")
        #expect(
            PlainText.singleLine("Mesa\u{2028}de\u{2029}diálogo\u{85}Zapopan\u{0B}2026\u{0C}ITEI\u{0}fin\u{7F}.") == "Mesa de diálogo Zapopan 2026 ITEI fin .")
        #expect(PlainText.singleLine("Sala\tde juntas") == "Sala de juntas")
        #expect(PlainText.singleLine("  Secretaría  de Salud  ") == "Secretaría  de Salud", "ordinary spaces are the person's own")
    }

    @Test func bidirectionalControlsAreDroppedFromNamesAndFileNames() {
        #expect(PlainText.singleLine("Informe\u{202E}fdp.exe") == "Informefdp.exe")
        #expect(PlainText.singleLine("\u{2067}Lucía\u{2069} \u{200F}Hernández\u{202A}\u{202C}") == "Lucía Hernández")
        #expect(UploadPolicy.sanitize("C:\\Descargas\\Informe\u{202E}fdp.exe.pdf") == "Informefdp.exe.pdf")
        #expect(UploadPolicy.sanitize("minuta\n2026.pdf") == "minuta 2026.pdf")
        #expect(PlainText.multiline("Motivo:\u{202E} falta\n\tseguimiento\u{1B}") == "Motivo: falta\n\tseguimiento")
    }

    @Test func theValidatorKeepsLinesOnlyWhereAFieldTakesThem() {
        var v = Validator()
        #expect(
            v.required("Informe\n\nDescarga aquí: http://falso.example", field: "title", label: "el título")
                == "Informe Descarga aquí: http://falso.example")
        #expect(v.optional("Ana\u{202E} López", field: "responsible", label: "la persona responsable") == "Ana López")
        #expect(v.optional("Primer corte.\n\nSegundo corte.", field: "body", label: "la descripción", lines: .multiple) == "Primer corte.\n\nSegundo corte.")
        #expect(v.errors.isEmpty)
        _ = v.required("\u{202E}\n\t", field: "name", label: "el nombre")
        #expect(v.errors.map(\.message) == ["Falta el nombre."], "nothing left but invisible characters is missing")
    }

    // MARK: Spreadsheet formulas in CSV

    @Test(arguments: ["=HYPERLINK(\"http://x\",\"clic\")", "@SUM(A1)", "+52 33 1234 5678", "-2+3", "\tcelda", "\rcelda", "\r\ncelda"])
    func aTextCellThatAStartsFormulaGetsAnApostrophe(text: String) {
        #expect(CSVText.neutralised(text) == "'" + text)
        #expect(CSVText.restored(CSVText.neutralised(text)) == text)
    }

    @Test func otherCellsAreWrittenAsTheyAreAndApostrophesRoundTrip() {
        for text in ["Secretaría de Salud", "40", "'hola", "", "2026-11-25"] {
            #expect(CSVText.neutralised(text) == text)
            #expect(CSVText.restored(text) == text)
        }
        #expect(CSVText.neutralised("'=1+1") == "''=1+1", "what was written with an apostrophe comes back with it")
        #expect(CSVText.restored("''=1+1") == "'=1+1")
    }

    @Test func numericColumnsKeepTheirNumbersAndTextColumnsAreNeutralised() {
        let csv = CSVText.write(header: ["concepto", "monto"], rows: [["-Descuento", "-1250.50"], ["=1+1", "=1+1"]], numeric: [1])
        #expect(csv == "concepto,monto\r\n'-Descuento,-1250.50\r\n'=1+1,'=1+1\r\n")
    }
}
