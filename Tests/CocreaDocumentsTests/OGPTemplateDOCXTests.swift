import CocreaCore
import CocreaTestSupport
import Foundation
import Testing
import ZIPFoundation

@testable import CocreaDocuments

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The OGP commitment template as a .docx, unzipped and its WordprocessingML parsed back: a titled
/// section and the template's tables per commitment, milestones with their dates, text that survives
/// markup characters and accents, and "No registrado en el PAL" wherever the PAL has no answer.
@Suite struct OGPTemplateDOCXTests {
    /// What the Spanish document writes where the PAL holds no answer.
    static let notRecorded = "No registrado en el PAL"
    static let procurementTitle = "Contrataciones abiertas de medicamentos: «Sigue el dinero» & contratos > 300 mil pesos"

    static func template(sealed: Bool = true) -> OGPTemplate {
        let indicator = OGPTemplate.Indicator(
            name: "Porcentaje de contratos publicados en formato abierto", baseline: "12 % (2025)",
            target: "100 % (2027)", meansOfVerification: "Portal de contrataciones abiertas de Jalisco")
        func commitment(
            _ number: Int, _ title: String, category: String, national: String? = nil, diagnosis: String? = nil,
            solution: String?, milestones: [OGPTemplate.Milestone]
        ) -> OGPTemplate.Commitment {
            OGPTemplate.Commitment(
                number: number, title: title, category: category, startsOn: "15/01/2027", endsOn: "15/12/2027",
                leadInstitution: "Secretaría de Salud Jalisco", otherActors: ["Contraloría del Estado", "Secretaría de Administración"],
                nationalCommitment: national, diagnosisProblem: diagnosis,
                problem: .init(
                    statement: "Menos de 10 % de las licitaciones < 1 millón publican sus anexos; la ciudadanía no sabe qué se compró.", causes: nil),
                description: .init(
                    doneSoFar: nil, solution: solution, results: "Que cualquier persona siga cada peso de la compra de medicamentos.",
                    indicator: indicator),
                analysis: .init(transparency: nil, accountability: nil, participation: nil), milestones: milestones)
        }
        return OGPTemplate(
            exerciseName: "Ejercicio local de gobierno abierto Jalisco 2026", territory: "Jalisco", nationalPlan: "2016-2018",
            versionNumber: 2, sha256: "3fa9c01b77d2e0aa9f3d51c6b0e8f1a2c3d4e5f60718293a4b5c6d7e8f901234",
            frozenAt: "miércoles 25 de noviembre de 2026, 13:40", sealedAt: sealed ? "jueves 26 de noviembre de 2026, 18:05" : nil,
            commitments: [
                commitment(
                    1, procurementTitle, category: "Transparencia en contrataciones públicas",
                    solution: "Publicar cada contrato en el Estándar de Datos para las Contrataciones Abiertas (EDCA).\nCon sus anexos y modificaciones.",
                    milestones: [
                        .init(
                            title: "Publicar el padrón de proveedores de medicamentos", expectedOutputs: "Padrón de proveedores en datos abiertos",
                            startsOn: "15/01/2027", dueOn: "31/03/2027", responsible: "Lic. Jorge Ramírez de la Torre",
                            institution: "Secretaría de Salud Jalisco",
                            meansOfVerification: "Liga al conjunto de datos en datos.jalisco.gob.mx"),
                        .init(
                            title: "Publicar los contratos del primer semestre en EDCA", expectedOutputs: nil, dueOn: "31/07/2027",
                            responsible: "Mtra. Laura Sánchez Pérez", institution: "Contraloría del Estado"),
                    ]),
                commitment(
                    2, "Datos abiertos de salud alineados al plan nacional", category: "Alineado al plan nacional",
                    national: "Plan nacional 2016-2018 · MX0064 Datos abiertos para el desarrollo sostenible",
                    solution: "Un tablero mensual de existencias por unidad médica.",
                    milestones: [
                        .init(
                            title: "Liberar el conjunto de datos de existencias", expectedOutputs: nil, dueOn: "30/04/2027",
                            responsible: "Ing. Daniel Ortiz Medina", institution: nil)
                    ]),
                commitment(
                    3, "Canal ciudadano para reportar desabasto en Tlaquepaque y Tonalá", category: "Local",
                    diagnosis: "Desabasto de medicamentos en centros de salud de la región Centro",
                    solution: nil, milestones: []),
            ])
    }

    @Test func everyCommitmentIsATitledSectionWithTheTemplatesTables() throws {
        let docx = try OGPTemplateDOCX.render(Self.template())
        let document = try WordDocument(docx)
        let template = Self.template()
        #expect(document.headings == template.commitments.map { "Compromiso \($0.number). \($0.title)" })
        #expect(document.tables.count == 2 * template.commitments.count, "a template table and a planning table per commitment")
        for (index, commitment) in template.commitments.enumerated() {
            let answers = document.answers(in: document.tables[2 * index])
            #expect(answers["Título del compromiso"] == commitment.title)
            #expect(answers["Periodo de implementación"] == "Del 15/01/2027 al 15/12/2027")
            #expect(answers["Institución responsable de la implementación"] == "Secretaría de Salud Jalisco")
            #expect(answers["Otros actores involucrados"] == "Contraloría del Estado\nSecretaría de Administración")
            #expect(answers["Meta"] == "100 % (2027)")
            #expect(document.tables[2 * index].first == ["Información general", "Información general"], "a section row spans the table")
        }
        let national = document.answers(in: document.tables[2])
        #expect(
            national["Compromiso del plan de acción nacional de AGA con el que se alinea"]
                == "Plan nacional 2016-2018 · MX0064 Datos abiertos para el desarrollo sostenible")
        let local = document.answers(in: document.tables[4])
        #expect(
            local["¿Qué problema busca atender el compromiso?"]?.hasSuffix(
                "\nProblemática del diagnóstico: Desabasto de medicamentos en centros de salud de la región Centro") == true)
        #expect(document.paragraphs.contains("Plantilla de compromisos de la Alianza para el Gobierno Abierto"))
    }

    @Test func milestonesListTheirProductsDatesAndResponsibles() throws {
        let document = try WordDocument(try OGPTemplateDOCX.render(Self.template()))
        let header = [
            "Hitos", "Productos esperados", "Fecha de inicio prevista", "Fecha de finalización prevista", "Partes interesadas (responsables)",
        ]
        #expect(
            document.tables[1] == [
                header,
                [
                    "Publicar el padrón de proveedores de medicamentos",
                    "Padrón de proveedores en datos abiertos\nMedio de verificación: Liga al conjunto de datos en datos.jalisco.gob.mx", "15/01/2027",
                    "31/03/2027", "Lic. Jorge Ramírez de la Torre (Secretaría de Salud Jalisco)",
                ],
                [
                    "Publicar los contratos del primer semestre en EDCA", Self.notRecorded, Self.notRecorded, "31/07/2027",
                    "Mtra. Laura Sánchez Pérez (Contraloría del Estado)",
                ],
            ])
        #expect(
            document.tables[3] == [
                header,
                ["Liberar el conjunto de datos de existencias", Self.notRecorded, Self.notRecorded, "30/04/2027", "Ing. Daniel Ortiz Medina"],
            ])
        #expect(document.tables[5] == [header, Array(repeating: Self.notRecorded, count: 5)], "no activities: one row spanning the table says so")
        #expect(document.xml.contains("<w:tblHeader/>"), "the header row repeats on every page")
    }

    @Test func theOGPValuesAgendaGenderAssumptionsAndBudgetAnswerTheirQuestions() throws {
        var template = Self.template()
        template.commitments[0].analysis = .init(
            transparency: "Cada compra de medicamentos queda publicada con sus anexos.", accountability: nil,
            participation: "Colectivos de pacientes revisan cada trimestre los contratos.", innovation: nil)
        template.commitments[0].coResponsible = ["Colectivo Cero Desabasto", "Universidad de Guadalajara"]
        template.commitments[0].sdgTargets = ["16.5 Reducir considerablemente la corrupción y el soborno en todas sus formas"]
        template.commitments[0].genderPerspective = "Se publica cuántas compras atienden la salud materna."
        template.commitments[0].assumptions = "Que la Secretaría de Administración mantenga el portal en línea."
        template.commitments[0].budget = "$1,250,000.00 MXN · fuente: Recursos propios del estado"
        let document = try WordDocument(try OGPTemplateDOCX.render(template))
        let answers = document.answers(in: document.tables[0])
        #expect(answers["¿Cómo promoverá la transparencia?"] == "Cada compra de medicamentos queda publicada con sus anexos.")
        #expect(answers["¿Cómo ayudará a fomentar la rendición de cuentas?"] == Self.notRecorded)
        #expect(
            answers["¿Cómo mejorará la participación ciudadana en la definición, implementación y monitoreo de soluciones?"]
                == "Colectivos de pacientes revisan cada trimestre los contratos.")
        #expect(answers["¿Cómo contribuirán la tecnología y la innovación a la apertura del gobierno?"] == Self.notRecorded)
        #expect(
            answers["Organizaciones corresponsables (sociedad civil, academia, sector privado u otras)"]
                == "Colectivo Cero Desabasto\nUniversidad de Guadalajara")
        #expect(
            answers["Vínculo con la Agenda 2030 (metas de los Objetivos de Desarrollo Sostenible)"]
                == "16.5 Reducir considerablemente la corrupción y el soborno en todas sus formas")
        #expect(answers["Perspectiva de género"] == "Se publica cuántas compras atienden la salud materna.")
        #expect(answers["Supuestos y riesgos"] == "Que la Secretaría de Administración mantenga el portal en línea.")
        #expect(answers["Presupuesto y fuente de financiamiento"] == "$1,250,000.00 MXN · fuente: Recursos propios del estado")
    }

    @Test func questionsThePALDoesNotAnswerSaySoInsteadOfInventingContent() throws {
        let document = try WordDocument(try OGPTemplateDOCX.render(Self.template()))
        for index in 0..<3 {
            let answers = document.answers(in: document.tables[2 * index])
            for question in [
                "¿Cuáles son las causas del problema?", "¿Qué se ha hecho hasta ahora para resolver el problema?",
                "¿Cómo promoverá la transparencia?", "¿Cómo ayudará a fomentar la rendición de cuentas?",
                "¿Cómo mejorará la participación ciudadana en la definición, implementación y monitoreo de soluciones?",
            ] {
                #expect(answers[question] == Self.notRecorded, "commitment \(index + 1): \(question)")
            }
        }
        #expect(document.answers(in: document.tables[4])["¿Qué solución se propone?"] == Self.notRecorded)
        #expect(
            document.answers(in: document.tables[0])["¿Qué solución se propone?"]
                == "Publicar cada contrato en el Estándar de Datos para las Contrataciones Abiertas (EDCA).\nCon sus anexos y modificaciones.")
    }

    @Test func markupCharactersAccentsAndControlCodesSurviveAsText() throws {
        var template = Self.template()
        template.commitments[0].problem.statement = "Compras < 300 mil & > 1 millón sin \"anexos\" ni 'fallos'\u{0B} en Zapotlán el Grande, Año 2026"
        let docx = try OGPTemplateDOCX.render(template)
        let document = try WordDocument(docx)
        #expect(document.headings[0] == "Compromiso 1. \(Self.procurementTitle)")
        #expect(
            document.answers(in: document.tables[0])["¿Qué problema busca atender el compromiso?"]
                == "Compras < 300 mil & > 1 millón sin \"anexos\" ni 'fallos' en Zapotlán el Grande, Año 2026")
        #expect(document.xml.contains("«Sigue el dinero» &amp; contratos &gt; 300 mil pesos"))
        #expect(document.xml.contains("Compras &lt; 300 mil"))
        #expect(!document.xml.contains("\u{0B}"), "a control code would make Word refuse the file")
    }

    @Test func aPackageWordOpensEveryPartDeclaredAndRelated() throws {
        let docx = try OGPTemplateDOCX.render(Self.template())
        let archive = try Archive(data: docx, accessMode: .read)
        let names = archive.map(\.path)
        #expect(names.first == "[Content_Types].xml")
        let types = try WordDocument.part("[Content_Types].xml", of: archive)
        for name in names where !name.hasSuffix(".rels") && name != "[Content_Types].xml" {
            #expect(types.contains("PartName=\"/\(name)\""), "\(name) has no content type")
        }
        let related = try WordDocument.part("_rels/.rels", of: archive) + WordDocument.part("word/_rels/document.xml.rels", of: archive)
        for target in ["word/document.xml", "docProps/core.xml", "styles.xml", "footer1.xml"] {
            #expect(related.contains("Target=\"\(target)\""))
        }
        let styles = try WordDocument.part("word/styles.xml", of: archive)
        #expect(styles.contains("<w:lang w:val=\"es-MX\""), "Spanish (Mexico) proofing")
        let footer = try WordDocument.part("word/footer1.xml", of: archive)
        #expect(footer.contains("PAL v2 · 3FA9C01B · Página ") && footer.contains(" NUMPAGES "))
        #expect(try OGPTemplateDOCX.render(Self.template()) == docx, "one version always gives the same bytes")
    }

    @Test func anUnsealedVersionSaysItIsNotTheSignedPlan() throws {
        let unsealed = try WordDocument(try OGPTemplateDOCX.render(Self.template(sealed: false)))
        #expect(unsealed.paragraphs.contains { $0.contains("Esta versión aún no está sellada: faltan firmas, y no es el plan firmado.") })
        let sealed = try WordDocument(try OGPTemplateDOCX.render(Self.template()))
        #expect(
            sealed.paragraphs.contains { $0.contains("Sellada con las firmas de todo el Secretariado Técnico Local el jueves 26 de noviembre de 2026, 18:05.") }
        )
    }

    /// Asked in English, the template's questions, headings, notes and footer are the catalogue's English
    /// words, proofed in English; what stays Spanish is what the PAL holds.
    @Test func inEnglishTheTemplatesOwnWordsAreEnglish() throws {
        let docx = try OGPTemplateDOCX.render(Self.template(sealed: false), language: .en)
        let document = try WordDocument(docx)
        #expect(document.headings.first == "Commitment 1. \(Self.procurementTitle)")
        let answers = document.answers(in: document.tables[0])
        #expect(answers["Implementation period"] == "From 15/01/2027 to 15/12/2027")
        #expect(answers["How will it help foster accountability?"] == "Not recorded in the plan")
        #expect(document.answers(in: document.tables[4])["OGP national action plan commitment it aligns with"]?.hasPrefix("None:") == true)
        #expect(document.paragraphs.contains { $0.contains("This version is not sealed yet") })
        // The template's own words: each question of its tables, the planning tables' headers and its notes.
        let own =
            document.tables.enumerated().flatMap { index, table in index.isMultiple(of: 2) ? table.compactMap(\.first) : table[0] }
            + document.paragraphs.prefix(5).filter { !$0.contains(Self.template().exerciseName) }
            .map { $0.replacingOccurrences(of: Self.template().frozenAt, with: "") }
        let spanish = own.filter { text in
            text.contains { "áéíóúñ¿¡".contains($0) }
                || text.lowercased().split { !$0.isLetter }.contains { ["de", "del", "la", "el", "que", "en", "y", "con"].contains(String($0)) }
        }
        #expect(spanish.isEmpty, "\(spanish)")
        let archive = try Archive(data: docx, accessMode: .read)
        #expect(try WordDocument.part("word/styles.xml", of: archive).contains("<w:lang w:val=\"en\""))
        #expect(try WordDocument.part("word/footer1.xml", of: archive).contains("OGP commitment template · LAP v2 · 3FA9C01B · Page "))
    }

    /// LibreOffice is not part of CI (it is large); where it is installed, it must open the file.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/libreoffice")))
    func libreOfficeOpensItAndConvertsItToPDF() async throws {
        let directory = NSTemporaryDirectory() + "cocrea-ogp-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try OGPTemplateDOCX.render(Self.template()).write(to: URL(fileURLWithPath: directory + "/plantilla.docx"))
        _ = try await Tool.run(
            "/usr/bin/libreoffice",
            [
                "--headless", "-env:UserInstallation=file://\(directory)/perfil", "--convert-to", "pdf",
                "--outdir", directory, directory + "/plantilla.docx",
            ])
        let pdf = try Data(contentsOf: URL(fileURLWithPath: directory + "/plantilla.pdf"))
        let text = try await PlanPDFTests.text(pdf)
        #expect(text.contains("Compromiso 3. Canal ciudadano para reportar desabasto en Tlaquepaque y Tonalá"))
        #expect(text.contains("Fecha de finalización prevista"))
        #expect(text.contains("«Sigue el dinero» & contratos > 300 mil pesos"))
        #expect(text.contains("Página 1 de \(try await PlanPDFTests.pageCount(pdf))"), "Word's page fields are filled in")
    }
}

/// The text of a .docx's body as Word lays it out: paragraphs, the headings of style Heading1, and
/// each table as rows of cell texts (a cell spanning several columns repeats, as python-docx reads it).
struct WordDocument {
    let xml: String
    private(set) var paragraphs: [String] = []
    private(set) var headings: [String] = []
    private(set) var tables: [[[String]]] = []

    init(_ docx: Data) throws {
        let archive = try Archive(data: docx, accessMode: .read)
        xml = try Self.part("word/document.xml", of: archive)
        let reader = Reader()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = reader
        guard parser.parse() else { throw parser.parserError ?? CocoaError(.fileReadCorruptFile) }
        paragraphs = reader.paragraphs
        headings = reader.headings
        tables = reader.tables
    }

    static func part(_ path: String, of archive: Archive) throws -> String {
        guard let entry = archive[path] else { throw CocoaError(.fileReadNoSuchFile) }
        var data = Data()
        _ = try archive.extract(entry) { data.append($0) }
        return String(decoding: data, as: UTF8.self)
    }

    /// A two-column table's answers by question.
    func answers(in table: [[String]]) -> [String: String] {
        Dictionary(table.filter { $0.count == 2 && $0[0] != $0[1] }.map { ($0[0], $0[1]) }, uniquingKeysWith: { first, _ in first })
    }

    private final class Reader: NSObject, XMLParserDelegate {
        var paragraphs: [String] = []
        var headings: [String] = []
        var tables: [[[String]]] = []
        private var text = ""
        private var style: String?
        private var inText = false
        private var rows: [[String]] = []
        private var cells: [String] = []
        private var cell: [String] = []
        private var span = 1

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            switch name {
            case "w:p":
                text = ""
                style = nil
            case "w:pStyle": style = attributes["w:val"]
            case "w:t": inText = true
            case "w:tab": text += "\t"
            case "w:br": text += "\n"
            case "w:tbl": rows = []
            case "w:tr": cells = []
            case "w:tc":
                cell = []
                span = 1
            case "w:gridSpan": span = Int(attributes["w:val"] ?? "1") ?? 1
            default: break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if inText { text += string }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            switch name {
            case "w:t": inText = false
            case "w:p":
                paragraphs.append(text)
                cell.append(text)
                if style == "Heading1" { headings.append(text) }
            case "w:tc": cells += Array(repeating: cell.joined(separator: "\n"), count: span)
            case "w:tr": rows.append(cells)
            case "w:tbl": tables.append(rows)
            default: break
            }
        }
    }
}
