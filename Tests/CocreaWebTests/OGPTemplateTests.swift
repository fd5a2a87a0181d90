import CocreaCore
import CocreaDocuments
import CocreaStore
import CocreaTestSupport
import CocreaUseCases
import Foundation
import Testing
import Vapor
import ZIPFoundation

@testable import CocreaWeb

/// A frozen plan version in the OGP commitment template, as Word and as JSON: the exercise's members
/// read any version; once sealed it is public, like the plan's open data.
@Suite struct OGPTemplateTests {
    @Test(arguments: TestDatabase.all)
    func aFrozenVersionDownloadsAsTheOGPTemplateInWordAndJSON(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let setup = try await SigningFlowTests.frozenPlan(app)
            let lucia = APIClient(app: app, token: setup.fixture.members["civilSociety"]!.token)

            let json = try await lucia.send(.GET, setup.versionPath + "/ogp-template.json")
            #expect(json.status == .ok, "\(json.body.string)")
            let template = try JSONDecoder().decode(OGPTemplate.self, from: json.body)
            #expect(template.versionNumber == setup.version.number && template.sha256 == setup.version.sha256)
            #expect(template.sealedAt == nil)
            // The frozen content's order: local, national plan, procurement; titles within each.
            #expect(
                template.commitments.map(\.title) == [
                    "Inventario mensual de medicamentos", "Tablero de abasto por unidad médica", "Padrón único de beneficiarios",
                    "Sistema Estatal de Cuidados", "Contrataciones abiertas de la Secretaría de Salud",
                ])
            for commitment in template.commitments {
                #expect(commitment.startsOn == "15/01/2027" && commitment.endsOn == "15/12/2027")
                #expect(commitment.leadInstitution == "Secretaría de Salud Jalisco")
                #expect(commitment.otherActors == ["STL Jalisco"])
                #expect(commitment.problem.statement == "Recetas no surtidas" && commitment.problem.causes == nil)
                #expect(commitment.description.solution == nil, "the commitments were created without a description")
                #expect(commitment.description.results == "Surtir el 95 % de las recetas")
                #expect(commitment.description.indicator.target == "100 %")
                #expect(commitment.analysis == .init(transparency: nil, accountability: nil, participation: nil))
                #expect(
                    commitment.milestones == [
                        .init(
                            title: "Publicar el primer conjunto de datos", expectedOutputs: nil, dueOn: "31/03/2027",
                            responsible: "Lic. Jorge Ramírez Ochoa", institution: "STL Jalisco")
                    ])
            }
            #expect(template.commitments[0...1].allSatisfy { $0.diagnosisProblem == "Desabasto de medicamentos" && $0.nationalCommitment == nil })
            #expect(template.commitments[2...3].allSatisfy { $0.nationalCommitment?.hasPrefix("Plan nacional 2016-2018 · ") == true })
            #expect(template.commitments[4].nationalCommitment == nil && template.commitments[4].category == "Transparencia en contrataciones públicas")

            let docx = try await lucia.send(.GET, setup.versionPath + "/ogp-template.docx")
            #expect(docx.status == .ok)
            #expect(docx.headers.contentType?.serialize() == OGPTemplateDOCX.mediaType)
            #expect(docx.headers.first(name: .contentDisposition) == "attachment; filename=\"pal-v\(setup.version.number)-plantilla-aga.docx\"")
            let data = Data(buffer: docx.body)
            #expect(data == (try OGPTemplateDOCX.render(template)), "the document and the JSON hold the same answers")
            let archive = try Archive(data: data, accessMode: .read)
            var xml = Data()
            _ = try archive.extract(try #require(archive["word/document.xml"])) { xml.append($0) }
            let text = String(decoding: xml, as: UTF8.self)
            for commitment in template.commitments {
                #expect(text.contains("Compromiso \(commitment.number). \(commitment.title)"))
            }
            #expect(text.contains("Esta versión aún no está sellada"))

            // Asked in English, the labels of the answers and the template's own words are English.
            let english: HTTPHeaders = ["Accept-Language": "en"]
            let translated = try JSONDecoder().decode(
                OGPTemplate.self, from: try await lucia.send(.GET, setup.versionPath + "/ogp-template.json", headers: english).body)
            #expect(translated.commitments[4].category == "Public procurement transparency")
            #expect(translated.commitments[2].nationalCommitment?.hasPrefix("National plan 2016-2018 · ") == true)
            let englishDocument = try await lucia.send(.GET, setup.versionPath + "/ogp-template.docx", headers: english)
            #expect(Data(buffer: englishDocument.body) == (try OGPTemplateDOCX.render(translated, language: .en)))
        }
    }

    @Test(arguments: TestDatabase.all)
    func membersReadItBeforeTheSealAndAnyoneAfter(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let setup = try await SigningFlowTests.frozenPlan(app)
            let anonymous = APIClient(app: app, token: nil)
            let outsider = APIClient(app: app, token: setup.fixture.outsider.token)
            let otherFacilitator = APIClient(app: app, token: setup.fixture.memberOfOther.token)
            for file in ["ogp-template.docx", "ogp-template.json"] {
                #expect(try await anonymous.send(.GET, setup.versionPath + "/" + file).status == .unauthorized, "\(file) before the seal")
                #expect(try await outsider.send(.GET, setup.versionPath + "/" + file).status == .notFound, "\(file) before the seal")
                #expect(try await otherFacilitator.send(.GET, setup.versionPath + "/" + file).status == .notFound, "\(file) before the seal")
            }

            #expect(try await SigningFlowTests.paperCopy(setup).status == .ok)

            let json = try await anonymous.send(.GET, setup.versionPath + "/ogp-template.json")
            #expect(json.status == .ok)
            let template = try JSONDecoder().decode(OGPTemplate.self, from: json.body)
            #expect(template.sealedAt != nil)
            let docx = try await outsider.send(.GET, setup.versionPath + "/ogp-template.docx")
            #expect(docx.status == .ok)
            #expect(Data(buffer: docx.body) == (try OGPTemplateDOCX.render(template)))
            #expect(
                try await anonymous.send(.GET, "/api/v1/plan-versions/\(UUID())/ogp-template.docx").status == .unauthorized,
                "an unknown version is not public")

            let id = setup.version.id!.uuidString.lowercased()
            let link = "/api/v1/plan-versions/\(id)/ogp-template.docx\">Descargar en la plantilla de compromisos de AGA (.docx)</a>"
            let browser = Browser(app: app)
            #expect(try await browser.get("/verify/\(id)").body.string.contains(link))
            #expect(try await browser.get("/public/exercises/\(setup.fixture.exercise.id!)").body.string.contains(link))
        }
    }
}
