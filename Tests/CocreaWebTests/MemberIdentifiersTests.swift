import CocreaCore
import CocreaStore
import CocreaTestSupport
import CocreaUseCases
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import CocreaWeb

/// A member may record the RFC and CURP their e.firma names them by; malformed ones are refused with
/// the reason, and nothing is stored.
@Suite struct MemberIdentifiersTests {
    struct Problem: Decodable {
        var code: String
        var errors: [FieldError]?
    }

    @Test(arguments: TestDatabase.all)
    func aMemberInvitedWithTheirRFCAndCURPKeepsThemInCapitals(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let fixture = try await Fixture.make(on: app)
            let api = APIClient(app: app, token: fixture.members["facilitator"]!.token)
            let response = try await api.send(
                .POST, "/api/v1/exercises/\(fixture.exercise.id!)/members",
                json: """
                    {"name": "Juana Pérez Gómez", "email": "juana.perez@jalisco.example", "sector": "institution",
                     "organization": "Secretaría de la Hacienda Pública de Jalisco", "rfc": " pegj800101ab1", "curp": "pegj800101mjcrmn03 "}
                    """)
            #expect(response.status == .created, "\(response.body.string)")
            let member = try JSONDecoder.api.decode(MemberDTO.self, from: response.body)
            #expect(member.rfc == "PEGJ800101AB1")
            #expect(member.curp == "PEGJ800101MJCRMN03")
            let stored = try await Member.find(member.id, on: app.db)
            #expect(stored?.rfc == "PEGJ800101AB1" && stored?.curp == "PEGJ800101MJCRMN03")

            let without = try await api.send(
                .POST, "/api/v1/exercises/\(fixture.exercise.id!)/members",
                json: #"{"name": "Luis Ortega", "email": "luis.ortega@jalisco.example", "sector": "civilSociety", "organization": "Colectivo Cívico"}"#)
            #expect(without.status == .created)
            #expect(try JSONDecoder.api.decode(MemberDTO.self, from: without.body).rfc == nil)
        }
    }

    @Test func aMalformedRFCOrACURPWithAWrongCheckDigitIsRefusedAndNobodyIsInvited() async throws {
        try await withCocrea(.sqlite) { app in
            let fixture = try await Fixture.make(on: app)
            let api = APIClient(app: app, token: fixture.members["facilitator"]!.token)
            let response = try await api.send(
                .POST, "/api/v1/exercises/\(fixture.exercise.id!)/members",
                json: """
                    {"name": "Juana Pérez Gómez", "email": "juana.perez@jalisco.example", "sector": "institution",
                     "organization": "Secretaría de la Hacienda Pública de Jalisco", "rfc": "PEGJ8001", "curp": "PEGJ800101MJCRMN04"}
                    """)
            #expect(response.status == .unprocessableEntity)
            let problem = try JSONDecoder.api.decode(Problem.self, from: response.body)
            #expect(problem.code == "validation_failed")
            #expect(problem.errors?.map(\.field) == ["rfc", "curp"])
            #expect(try await Member.query(on: app.db).filter(\.$email == "juana.perez@jalisco.example").count() == 0)
        }
    }

    @Test func theMembersFormTakesTheRFCAndCURPAndExplainsAMistake() async throws {
        try await withCocrea(.sqlite) { app in
            let fixture = try await Fixture.make(on: app)
            let browser = Browser(app: app)
            #expect(try await browser.signIn(email: fixture.administrator.email, password: Fixture.password).status == .seeOther)
            let members = "/exercises/\(fixture.exercise.id!)/members"
            let form = try await browser.get(members)
            #expect(form.body.string.contains(#"name="rfc""#) && form.body.string.contains(#"name="curp""#))
            let fields: [(String, String)] = [
                ("name", "Juana Pérez Gómez"), ("email", "juana.perez@jalisco.example"), ("sector", "institution"),
                ("organization", "Secretaría de la Hacienda Pública de Jalisco"), ("role", "member"),
            ]
            let refused = try await browser.post(members, form: fields + [("rfc", "PEGJ800101AB1"), ("curp", "PEGJ800101MJCRMN04")])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("no es una CURP válida"))
            #expect(refused.body.string.contains(#"value="PEGJ800101AB1""#), "the form keeps what the person typed")
            let invited = try await browser.post(members, form: fields + [("rfc", "PEGJ800101AB1"), ("curp", "PEGJ800101MJCRMN03")])
            #expect(invited.status == .seeOther)
            let member = try await Member.query(on: app.db).filter(\.$email == "juana.perez@jalisco.example").first()
            #expect(member?.rfc == "PEGJ800101AB1" && member?.curp == "PEGJ800101MJCRMN03")
        }
    }
}
