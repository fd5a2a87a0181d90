import CocreaCore
import CocreaTestSupport
import Foundation
import Testing

@testable import CocreaDocuments

/// The PAL's PDF read back with poppler (and its QR code with zbar): initials boxes and page numbers
/// on every page, the signature page, the sealed certificate page.
@Suite struct PlanPDFTests {
    static let signers = [
        PlanDocument.Signer(name: "Mtra. Adriana Velázquez Ruiz", sector: "Organismo garante", organization: "ITEI"),
        PlanDocument.Signer(name: "Lic. Jorge Ramírez de la Torre", sector: "Institución pública", organization: "Secretaría de Salud Jalisco"),
        PlanDocument.Signer(name: "Rosa María Hernández Gómez", sector: "Sociedad civil", organization: "Observatorio Ciudadano de Salud"),
        PlanDocument.Signer(name: "Daniel Ortiz Medina", sector: "Sociedad civil", organization: "Colectivo Transparencia GDL"),
        PlanDocument.Signer(name: "Laura Sánchez Pérez", sector: "Institución pública", organization: "Contraloría del Estado"),
        PlanDocument.Signer(name: "Mtro. Emilio Castañeda Luna", sector: "Facilitación", organization: "Facilitador independiente"),
    ]

    static func plan(commitments count: Int, signed: Bool = false, longText: Bool = false) -> PlanDocument {
        let categories = ["Transparencia en contrataciones públicas", "Alineado al plan nacional", "Alineado al plan nacional", "Local", "Local"]
        let long = String(
            repeating: "Las recetas surtidas de forma incompleta superaron el 30 % en los centros de salud de la región Altos Sur; ", count: longText ? 14 : 1)
        var signers = Self.signers
        if signed {
            signers = signers.enumerated().map { index, signer in
                var signer = signer
                signer.mark = .init(signedAt: "25/11/2026 1\(index):05", method: "firma electrónica con código por correo")
                return signer
            }
        }
        return PlanDocument(
            exerciseName: "Ejercicio local de gobierno abierto Jalisco 2026", territory: "Jalisco",
            versionNumber: 2, sha256: "3fa9c01b77d2e0aa9f3d51c6b0e8f1a2c3d4e5f60718293a4b5c6d7e8f901234",
            frozenAt: "miércoles 25 de noviembre de 2026, 13:40", verificationURL: "https://cocrea.jalisco.gob.mx/verify/6b1f9f3e-2c1a-4b0e-9d57-3f1e2a4c5b6d",
            signers: signers,
            commitments: (1...count).map { number in
                PlanDocument.Commitment(
                    title: "Compromiso \(number): publicar el abasto de medicamentos por centro de salud",
                    category: categories[(number - 1) % categories.count],
                    link: number % 5 == 2 ? "Plan nacional 2016-2018 · MX0064 Datos abiertos para el desarrollo sostenible" : nil,
                    problem: long, description: "Tablero público mensual con existencias y recetas no surtidas.",
                    objective: "Reducir las recetas no surtidas", indicator: "Porcentaje de recetas surtidas completas",
                    baseline: "70 % (2025)", target: "95 % (2027)", meansOfVerification: "Reporte mensual publicado en datos abiertos",
                    span: "01/01/2027 – 31/12/2027", leadInstitution: "Secretaría de Salud Jalisco",
                    activities: (1...3).map { activity in
                        .init(
                            title: "Actividad \(activity): integrar el inventario de farmacias al tablero", responsible: "Lic. Jorge Ramírez",
                            institution: "Secretaría de Salud Jalisco", dueOn: "3\(activity % 2)/0\(activity + 2)/2027")
                    })
            },
            certificate: signed ? .init(sealedAt: "25/11/2026 16:00", events: ["25/11/2026 14:00 · Solicitud de firmas enviada a 6 integrantes"]) : nil)
    }

    static func pageCount(_ pdf: Data) async throws -> Int {
        let info = try await Tool.output(["pdfinfo", "FILE"], input: pdf)
        return try #require(
            info.split(separator: "\n").first { $0.hasPrefix("Pages:") }
                .flatMap { Int($0.split(separator: " ").last ?? "") })
    }

    static func text(_ pdf: Data, page: Int? = nil) async throws -> String {
        let range = page.map { ["-f", "\($0)", "-l", "\($0)"] } ?? []
        return try await Tool.output(["pdftotext"] + range + ["FILE", "-"], input: pdf)
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    @Test func everyPageCarriesEveryActorsInitialsBoxTheShortCodeAndItsNumber() async throws {
        let pdf = try PlanPDF.render(Self.plan(commitments: 5))
        let pages = try await Self.pageCount(pdf)
        #expect(pages >= 4)
        for page in 1...pages {
            let text = try await Self.text(pdf, page: page)
            for signer in Self.signers {
                #expect(text.contains("Rúbrica: \(signer.name)"), "page \(page) lacks the box of \(signer.name)")
            }
            #expect(text.contains("Página \(page) de \(pages)"), "page \(page)")
            #expect(text.contains("PAL v2 · 3FA9C01B"), "page \(page)")
        }
        let all = try await Self.text(pdf)
        #expect(all.contains("Compromiso 5: publicar el abasto"))
        #expect(all.contains("MX0064 Datos abiertos para el desarrollo sostenible"))
        #expect(all.contains("Fecha de cumplimiento"))
    }

    @Test func lastPageIsTheSignaturePageWithEveryActor() async throws {
        let pdf = try PlanPDF.render(Self.plan(commitments: 5))
        let last = try await Self.text(pdf, page: try await Self.pageCount(pdf))
        #expect(last.contains("Firmas (Anexo 2)"))
        for signer in Self.signers {
            #expect(last.contains(signer.name))
            #expect(last.contains("\(signer.sector) · \(signer.organization)"))
        }
    }

    @Test func longTextBreaksAcrossPagesWithoutEnteringTheFooter() async throws {
        let pdf = try PlanPDF.render(Self.plan(commitments: 12, longText: true))
        let pages = try await Self.pageCount(pdf)
        #expect(pages > 12)
        // Every line of body text ends above the footer's top rule (poppler's bounding boxes, in points).
        let boxes = try await Tool.output(["pdftotext", "-bbox", "FILE", "-"], input: pdf)
        let footerTop = PDFPages.pageHeight - PDFPages.margin - PlanPDF.FooterLayout(signers: Self.signers.count).height
        let words = boxes.split(separator: "\n").filter { $0.contains("<word") }
        let body = words.filter { $0.contains(">Altos<") || $0.contains(">inventario<") }
        #expect(!body.isEmpty)
        for word in body {
            let yMax = try #require(word.firstMatch(of: /yMax="([0-9.]+)"/).flatMap { Double($0.1) })
            #expect(yMax <= footerTop + 1, "\(word)")
        }
    }

    @Test func qrCodeOnEveryPagePointsToTheVerificationPage() async throws {
        let pdf = try PlanPDF.render(Self.plan(commitments: 1))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cocrea-qr-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("plan.pdf")
        try pdf.write(to: input)
        _ = try await Tool.output(
            ["pdftoppm", "-r", "200", "-f", "1", "-l", "1", "-png", input.path, directory.appendingPathComponent("page").path], input: Data())
        let png = try #require(try FileManager.default.contentsOfDirectory(atPath: directory.path).first { $0.hasSuffix(".png") })
        let decoded = try await Tool.output(["zbarimg", "--quiet", "--raw", directory.appendingPathComponent(png).path], input: Data())
        #expect(decoded.trimmingCharacters(in: .whitespacesAndNewlines) == "https://cocrea.jalisco.gob.mx/verify/6b1f9f3e-2c1a-4b0e-9d57-3f1e2a4c5b6d")
    }

    @Test func sealedPlanShowsInitialsInEveryBoxAndTheCertificatePage() async throws {
        let pdf = try PlanPDF.render(Self.plan(commitments: 5, signed: true))
        let pages = try await Self.pageCount(pdf)
        for page in 1...pages {
            let text = try await Self.text(pdf, page: page)
            #expect(text.contains("AVR"), "page \(page): initials of Mtra. Adriana Velázquez Ruiz")
            #expect(text.contains("JRT"), "page \(page): initials of Lic. Jorge Ramírez de la Torre")
        }
        let all = try await Self.text(pdf)
        let certificate = try #require(all.range(of: "Constancia de firmas")).upperBound
        let last = String(all[certificate...])
        #expect(last.contains("SHA-256 de la versión: 3fa9c01b77d2e0aa9f3d51c6b0e8f1a2c3d4e5f60718293a4b5c6d7e8f901234"))
        #expect(last.contains("Solicitud de firmas enviada a 6 integrantes"))
    }

    static let narrative: PlanNarrative = {
        var narrative = PlanNarrative()
        narrative.contextAndChallenges =
            "En Jalisco, tres de cada diez recetas del sector salud se surten incompletas.\n\nEl reto es que la población vea el abasto de su centro de salud."
        narrative.normativeContext =
            "El plan se sustenta en:\n- la Ley General de Transparencia y Acceso a la Información Pública;\n- la Ley de Salud del Estado de Jalisco."
        narrative.definitions = "- Abasto: medicamentos disponibles en farmacia.\n- Receta completa: la que se surte en una sola visita."
        narrative.strategicObjective = "Que las personas usuarias de los centros de salud conozcan y exijan el abasto de medicamentos."
        narrative.specificObjectives = "- Publicar el abasto mensual por centro de salud.\n- Atender las quejas por recetas incompletas en cinco días."
        return narrative
    }()

    @Test func theDocumentRunsTheNumberedSectionsOfALocalPlanInOrderWithTheNarrative() async throws {
        var plan = Self.plan(commitments: 3)
        plan.narrative = Self.narrative
        let text = try await Self.text(PlanPDF.render(plan))
        let expected = [
            "I. Introducción", "Contexto y retos", "tres de cada diez recetas", "El reto es que la población",
            "II. Contexto normativo", "El plan se sustenta en:", "• la Ley General de Transparencia", "• la Ley de Salud del Estado de Jalisco",
            "III. Definiciones", "• Abasto: medicamentos disponibles", "• Receta completa",
            "IV. Objetivo estratégico", "conozcan y exijan el abasto",
            "V. Objetivos específicos", "• Publicar el abasto mensual", "• Atender las quejas",
            "VI. Problemáticas y compromisos", "Las recetas surtidas de forma incompleta", "• Compromiso 1. Compromiso 1: publicar",
            "• Compromiso 3. Compromiso 3: publicar", "VII. Plantillas de compromisos", "Compromiso 1. Compromiso 1: publicar",
            "Fecha de cumplimiento", "Firmas (Anexo 2)",
        ]
        var from = text.startIndex
        for part in expected {
            let found = try #require(text.range(of: part, range: from..<text.endIndex), "«\(part)» missing or out of order")
            from = found.upperBound
        }
        #expect(!text.contains("no tiene texto en esta sección"))
    }

    @Test func aVersionWithoutNarrativeKeepsTheNumberingAndSaysTheSectionIsEmpty() async throws {
        let text = try await Self.text(PlanPDF.render(Self.plan(commitments: 1)))
        for heading in ["I. Introducción", "II. Contexto normativo", "III. Definiciones", "IV. Objetivo estratégico", "V. Objetivos específicos"] {
            #expect(text.contains(heading))
        }
        #expect(text.components(separatedBy: "Esta versión del plan no tiene texto en esta sección.").count == 6)
    }

    @Test func initialsLeaveOutHonorificsAndParticles() {
        #expect(PlanDocument.initials(of: "Mtra. Adriana Velázquez Ruiz") == "AVR")
        #expect(PlanDocument.initials(of: "Lic. Jorge Ramírez de la Torre") == "JRT")
        #expect(PlanDocument.initials(of: "Ángela Núñez") == "ÁN")
    }
}
