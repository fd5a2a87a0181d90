import CocreaCore
import CocreaStore
import CocreaTestSupport
import Foundation
import Testing
import Vapor
import VaporTesting
import ZIPFoundation

@testable import CocreaWeb

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Issue 20, point 5: the co-creation record downloaded without an account once the exercise is public,
/// read back from the PDF with pdftotext and from the Word document's XML; its figures in the open data.
@Suite struct CoCreationRecordTests {
    /// The text of a .docx's body, paragraph by paragraph.
    static func paragraphs(ofDOCX data: Data) throws -> [String] {
        let archive = try Archive(data: data, accessMode: .read)
        var xml = Data()
        _ = try archive.extract(try #require(archive["word/document.xml"])) { xml.append($0) }
        let document = try XMLDocument(data: xml)
        return try document.nodes(forXPath: "//*[local-name()='p']").map { paragraph in
            try paragraph.nodes(forXPath: ".//*[local-name()='t']").compactMap(\.stringValue).joined()
        }
    }

    @Test(arguments: TestDatabase.all)
    func anyoneDownloadsThePublishedRecordAsPDFAndWordWithTheFiguresAndNoProposerEmail(database: TestDatabase) async throws {
        let clock = TestClock()
        try await withCocrea(database, clock: clock) { app in
            let record = try await CoCreationRecordUseCaseTests.process(app, clock: clock)
            let id = try record.setup.fixture.exercise.requireID().uuidString.lowercased()
            let anyone = APIClient(app: app, token: nil)

            let pdf = try await anyone.send(.GET, "/api/v1/exercises/\(id)/cocreation-record.pdf")
            #expect(pdf.status == .ok)
            #expect(pdf.headers.contentType?.description == "application/pdf")
            let text = try await Tool.output(["pdftotext", "FILE", "-"], input: Data(buffer: pdf.body))
                .split(whereSeparator: \.isWhitespace).joined(separator: " ")
            #expect(text.contains("Memoria de cocreación"))
            #expect(text.contains("Hoja de ruta anunciada y sus cambios"))
            #expect(text.contains("(anunciado el 18/11/2026)"), "the table's earlier date, in its cell")
            #expect(text.contains("Respuestas a encuestas 3"))
            #expect(text.contains("Señala a una persona por su nombre."))
            #expect(text.contains("Propuesta ciudadana 1 (Incorporada)"))
            #expect(!text.contains("El director del centro de salud"), "a hidden proposal's text stays out")
            #expect(!text.contains(CoCreationRecordUseCaseTests.proposer))

            let docx = try await anyone.send(.GET, "/api/v1/exercises/\(id)/cocreation-record.docx")
            #expect(docx.status == .ok)
            #expect(docx.headers.contentDisposition?.filename == "memoria-de-cocreacion.docx")
            let paragraphs = try Self.paragraphs(ofDOCX: Data(buffer: docx.body))
            #expect(paragraphs.first == "Memoria de cocreación")
            #expect(paragraphs.contains("3. Mesas de diálogo: asistencia por sector y relatoría"))
            #expect(paragraphs.contains("24/11/2026 · Sala Juárez (anunciado el 18/11/2026)"))
            #expect(paragraphs.contains("Se incorpora como el inventario mensual de medicamentos."))
            #expect(paragraphs.contains { $0.hasSuffix("Problemática del expediente: «Desabasto de medicamentos»") })
            #expect(!paragraphs.joined().contains(CoCreationRecordUseCaseTests.proposer))

            let english = try await anyone.send(.GET, "/api/v1/exercises/\(id)/cocreation-record.docx?lang=en")
            #expect(try Self.paragraphs(ofDOCX: Data(buffer: english.body)).contains("4. Public consultation and reasoned response"))

            let figures = try await anyone.send(.GET, "/open-data/\(id)/cocreation-figures.csv").body.string
            #expect(figures.hasPrefix("figure,category,sector,roundtableId,planVersion,value"))
            #expect(figures.contains("attendance,absent,civilSociety,\(record.tableID.uuidString.lowercased()),,1"))
            #expect(figures.contains("responses,notIncorporated,,,,1"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func aDraftsRecordAnswers404ToAnyoneButItsMembersAndAnUnknownExercise404(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let fixture = try await Fixture.make(on: app)
            let draft = try fixture.exercise.requireID().uuidString.lowercased()
            for client in [APIClient(app: app, token: nil), APIClient(app: app, token: fixture.memberOfOther.token)] {
                let response = try await client.send(.GET, "/api/v1/exercises/\(draft)/cocreation-record.pdf")
                #expect(response.status == .notFound)
                #expect(try SigningFlowTests.problem(response)["code"] as? String == "not_found")
            }
            let unknown = try await APIClient(app: app, token: nil).send(.GET, "/api/v1/exercises/\(UUID().uuidString)/cocreation-record.docx")
            #expect(unknown.status == .notFound)
            let member = APIClient(app: app, token: fixture.members["civilSociety"]!.token)
            #expect(try await member.send(.GET, "/api/v1/exercises/\(draft)/cocreation-record.docx").status == .ok)
        }
    }
}
