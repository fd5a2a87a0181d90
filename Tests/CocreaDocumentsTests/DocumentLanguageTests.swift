import CocreaCore
import CocreaTestSupport
import Foundation
import Testing

@testable import CocreaDocuments

/// The PAL, the dossier and the minutes take their words from the catalogue in the language asked:
/// read back with poppler, an English PDF has no Spanish left once the people's own data is taken out,
/// and a Spanish one keeps its Spanish headings.
@Suite struct DocumentLanguageTests {
    static let userData = [
        "Ejercicio local de gobierno abierto Jalisco 2026", "Jalisco", "Rosa María Hernández Gómez", "Observatorio Ciudadano de Salud",
        "Mtra. Adriana Velázquez Ruiz", "ITEI", "Compromiso 1: publicar el abasto de medicamentos por centro de salud",
        "Las recetas surtidas de forma incompleta superaron el 30 % en los centros de salud de la región Altos Sur;",
        "Tablero público mensual con existencias y recetas no surtidas.", "Reducir las recetas no surtidas",
        "Porcentaje de recetas surtidas completas", "Reporte mensual publicado en datos abiertos", "Secretaría de Salud Jalisco",
        "Inventario de farmacias", "Jorge Ramírez", "Salud Jalisco", "Sala de juntas del ITEI",
        "Problemática: desabasto de medicamentos en la región Altos Sur", "Relatoría del evento de arranque", "guía de co-creación.pdf",
        "¿Cuándo se publica el tablero?",
    ]

    static func plan() -> PlanDocument {
        let signers = [
            PlanDocument.Signer(name: "Mtra. Adriana Velázquez Ruiz", sector: Sector.guarantor.label(.en), organization: "ITEI"),
            PlanDocument.Signer(name: "Rosa María Hernández Gómez", sector: Sector.civilSociety.label(.en), organization: "Observatorio Ciudadano de Salud"),
        ].map { signer in
            var signer = signer
            signer.mark = .init(signedAt: "11/25/2026 10:05", method: "electronic signature with a code by email")
            return signer
        }
        let first = PlanDocument.Commitment(
            title: "Compromiso 1: publicar el abasto de medicamentos por centro de salud", category: CommitmentCategory.procurement.label(.en),
            link: nil, problem: "Las recetas surtidas de forma incompleta superaron el 30 % en los centros de salud de la región Altos Sur;",
            description: "Tablero público mensual con existencias y recetas no surtidas.", objective: "Reducir las recetas no surtidas",
            indicator: "Porcentaje de recetas surtidas completas", baseline: "70 % (2025)", target: "95 % (2027)",
            meansOfVerification: "Reporte mensual publicado en datos abiertos", span: "01/01/2027 – 12/31/2027",
            leadInstitution: "Secretaría de Salud Jalisco",
            activities: [.init(title: "Inventario de farmacias", responsible: "Jorge Ramírez", institution: "Salud Jalisco", dueOn: "03/31/2027")])
        // Where the second came from, its OGP values and its budget are facts the PDF words in its own language.
        var second = PlanDocument.Commitment(
            title: "Abasto abierto", category: CommitmentCategory.local.label(.en), link: nil, problem: "", description: "", objective: "",
            indicator: "", baseline: "", target: "", meansOfVerification: "", span: "01/01/2027 – 12/31/2027", leadInstitution: "", activities: [])
        second.origin = [
            .proposal(number: 3, outcome: .partiallyIncorporated, problem: "Recetas surtidas completas"),
            .dossier(kind: .problem, title: "Desabasto regional"), .dossier(kind: .problem, title: nil),
            .intervention(kind: .doubt, sector: .civilSociety, on: LocalDate("2026-12-01"), text: "Tablero mensual"),
            .national(plan: "2016-2018", code: "MX0064", title: "Datos abiertos"),
        ]
        second.ogpValues = [(.transparency, "Recetas visibles"), (.citizenParticipation, "")]
        second.budget = CommitmentBudget(amount: "1250000.50", source: "Presupuesto estatal")
        return PlanDocument(
            exerciseName: "Ejercicio local de gobierno abierto Jalisco 2026", territory: "Jalisco", versionNumber: 2,
            sha256: "3fa9c01b77d2e0aa9f3d51c6b0e8f1a2c3d4e5f60718293a4b5c6d7e8f901234", frozenAt: "Wednesday, November 25, 2026, 13:40",
            verificationURL: "https://cocrea.jalisco.gob.mx/verify/6b1f9f3e", signers: signers, commitments: [first, second],
            certificate: .init(sealedAt: "11/25/2026 16:00", events: ["11/25/2026 14:00 · Signature requests sent to 2 members"]))
    }

    static func dossier() -> DossierDocument {
        DossierDocument(
            exerciseName: "Ejercicio local de gobierno abierto Jalisco 2026", territory: "Jalisco", versionLabel: "version 2",
            generatedAt: "Wednesday, November 25, 2026, 10:00",
            items: [
                .init(
                    kind: DossierItemKind.problem.label(.en), title: "Problemática: desabasto de medicamentos en la región Altos Sur",
                    body: "Tablero público mensual con existencias y recetas no surtidas.", source: "Relatoría del evento de arranque",
                    contributedBy: "Mtra. Adriana Velázquez Ruiz", createdAt: "Tuesday, November 24, 2026, 18:30",
                    file: .init(name: "guía de co-creación.pdf", sha256: "abc123", data: Data("%PDF-1.4\n%%EOF\n".utf8)))
            ])
    }

    static func minutes(interventions: Bool) -> MinutesDocument {
        MinutesDocument(
            exerciseName: "Ejercicio local de gobierno abierto Jalisco 2026", territory: "Jalisco", date: "Tuesday, December 1, 2026, 10:00",
            place: "Sala de juntas del ITEI",
            attendees: [
                .init(
                    name: "Rosa María Hernández Gómez", sector: Sector.civilSociety.label(.en), organization: "Observatorio Ciudadano de Salud",
                    presence: Presence.present.label(.en))
            ],
            stages: ["\(RoundtableStage.introduction.label(.en)): 10:02"],
            interventions: interventions
                ? [
                    .init(
                        at: "10:05", who: "Rosa María Hernández Gómez", kind: InterventionKind.doubt.label(.en), item: "",
                        text: "¿Cuándo se publica el tablero?")
                ] : [],
            agreements: interventions
                ? ["\(CommitmentCategory.procurement.label(.en)) — Compromiso 1: publicar el abasto de medicamentos por centro de salud"] : [],
            conformity: interventions
                ? [.init(at: "12/01/2026 12:30", who: "Rosa María Hernández Gómez", kind: Stance.agree.label(.en), item: "", text: "")] : [])
    }

    /// The PDF's text and title as poppler reads them, each run of white space as one space (the
    /// table cells of the fixtures fit on one line, so poppler keeps each one whole).
    static func read(_ pdf: Data) async throws -> String {
        let title = try await Tool.output(["pdfinfo", "FILE"], input: pdf).split(separator: "\n").filter { $0.hasPrefix("Title:") }
        let text = try await Tool.output(["pdftotext", "FILE", "-"], input: pdf)
        return (title.map(String.init) + [text]).joined(separator: " ").split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// The Spanish letters and short Spanish words left once the people's own data is taken out.
    static func spanishLeft(in text: String) -> [String] {
        let spanishWords: Set<String> = ["de", "del", "la", "las", "los", "el", "que", "para", "por", "con", "una", "sin", "en", "y", "se", "su", "al"]
        var rest = text
        for data in userData.sorted(by: { $0.count > $1.count }) { rest = rest.replacingOccurrences(of: data, with: " ") }
        rest = rest.replacing(/https?:\/\/\S+/, with: " ")
        let words = rest.split { $0.isWhitespace || "(),;:·.«»\"—".contains($0) }.map(String.init)
        return words.filter { word in word.contains { "áéíóúñ¿¡".contains($0) } || spanishWords.contains(word.lowercased()) }
    }

    static func documents(_ language: Language) throws -> [(String, Data)] {
        try [
            ("plan", PlanPDF.render(plan(), language: language)), ("dossier", DossierPDF.render(dossier(), language: language)),
            ("minutes", MinutesPDF.render(minutes(interventions: true), language: language)),
            ("empty minutes", MinutesPDF.render(minutes(interventions: false), language: language)),
        ]
    }

    @Test func anEnglishPDFHasNoSpanishInterfaceText() async throws {
        for (name, pdf) in try Self.documents(.en) {
            let left = Self.spanishLeft(in: try await Self.read(pdf))
            #expect(left.isEmpty, "\(name): \(left)")
        }
    }

    @Test func theDossierZIPIndexIsWrittenInTheLanguageAsked() async throws {
        func index(_ language: Language) async throws -> String {
            let zip = try DossierArchive.zip(Self.dossier(), language: language)
            let script = "import zipfile, sys; print(zipfile.ZipFile(sys.argv[1]).read('expediente.txt').decode('utf-8'))"
            return try await Tool.output(["python3", "-c", script, "FILE"], input: zip)
        }
        let english = try await index(.en)
        #expect(english.contains("Dossier — Ejercicio local de gobierno abierto Jalisco 2026 (Jalisco)"))
        #expect(english.contains("Contributed by Mtra. Adriana Velázquez Ruiz, Tuesday, November 24, 2026, 18:30"))
        #expect(english.contains("File: archivos/01-guía de co-creación.pdf (SHA-256 abc123)"))
        #expect(Self.spanishLeft(in: english).isEmpty, "\(Self.spanishLeft(in: english))")
        let spanish = try await index(.es)
        #expect(spanish.contains("Aportado por Mtra. Adriana Velázquez Ruiz") && spanish.contains("Archivo: archivos/01-guía de co-creación.pdf"))
    }

    @Test func theSpanishPDFsKeepTheirSpanishWords() async throws {
        var texts: [String] = []
        for (_, pdf) in try Self.documents(.es) { texts.append(try await Self.read(pdf)) }
        for (text, expected) in zip(
            texts,
            [
                [
                    "Title: Plan de Acción Local —", "Integrantes del Secretariado Técnico Local", "Firmas (Anexo 2)", "Constancia de firmas", "Página 1 de",
                    "Propuesta ciudadana 3", "Duda en la mesa de diálogo", "$1,250,000.50 MXN · fuente: Presupuesto estatal",
                ],
                ["Title: Expediente previo —", "Expediente previo de la mesa de diálogo", "Aportado por", "Archivo adjunto:", "Página 1 de 1"],
                ["Title: Relatoría de la mesa de diálogo —", "Asistencia", "Intervenciones", "Manifestación de conformidad", "Página 1 de 1"],
                ["No se registraron intervenciones.", "No se registró manifestación de conformidad."],
            ])
        {
            for phrase in expected { #expect(text.contains(phrase), "«\(phrase)»") }
        }
        #expect(!Self.spanishLeft(in: texts[0]).isEmpty)
    }
}
