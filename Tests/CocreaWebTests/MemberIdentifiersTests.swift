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

    @Test(arguments: TestDatabase.all)
    func aFacilitatorRecordsAMembersRFCAndCURPLaterAndTheChangeIsAudited(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let fixture = try await Fixture.make(on: app)
            let api = APIClient(app: app, token: fixture.members["facilitator"]!.token)
            let civil = try #require(
                try await Member.query(on: app.db).filter(\.$exercise.$id == fixture.exercise.id!)
                    .filter(\.$email == fixture.members["civilSociety"]!.email).first())
            let path = "/api/v1/exercises/\(fixture.exercise.id!)/members/\(civil.id!)"

            let recorded = try await api.send(.PATCH, path, json: #"{"rfc": "pegj800101ab1", "curp": "PEGJ800101MJCRMN03"}"#)
            #expect(recorded.status == .ok, "\(recorded.body.string)")
            #expect(try JSONDecoder.api.decode(MemberDTO.self, from: recorded.body).rfc == "PEGJ800101AB1")
            let event = try await AuditEvent.query(on: app.db).filter(\.$entityID == civil.id).filter(\.$action == "update").first()
            #expect(event?.after?.contains("PEGJ800101MJCRMN03") == true)

            let cleared = try await api.send(.PATCH, path, json: #"{"curp": ""}"#)
            let member = try JSONDecoder.api.decode(MemberDTO.self, from: cleared.body)
            #expect(member.rfc == "PEGJ800101AB1", "a field left out stays")
            #expect(member.curp == nil, "an empty field is cleared")
        }
    }

    @Test func onlyWhoManagesMembersChangesThemAndOnlyWithValidIdentifiers() async throws {
        try await withCocrea(.sqlite) { app in
            let fixture = try await Fixture.make(on: app)
            let civil = try #require(
                try await Member.query(on: app.db).filter(\.$exercise.$id == fixture.exercise.id!)
                    .filter(\.$email == fixture.members["civilSociety"]!.email).first())
            let path = "/api/v1/exercises/\(fixture.exercise.id!)/members/\(civil.id!)"
            let facilitator = APIClient(app: app, token: fixture.members["facilitator"]!.token)

            let malformed = try await facilitator.send(.PATCH, path, json: #"{"rfc": "PEGJ800101AB1", "curp": "PEGJ800101MJCRMN04"}"#)
            #expect(malformed.status == .unprocessableEntity)
            #expect(try JSONDecoder.api.decode(Problem.self, from: malformed.body).errors?.map(\.field) == ["curp"])
            let byThemselves = try await APIClient(app: app, token: fixture.members["civilSociety"]!.token)
                .send(.PATCH, path, json: #"{"rfc": "PEGJ800101AB1"}"#)
            #expect(byThemselves.status == .forbidden)
            let otherExercise = try #require(
                try await Member.query(on: app.db).filter(\.$email == fixture.memberOfOther.email).first())
            let elsewhere = try await facilitator.send(
                .PATCH, "/api/v1/exercises/\(fixture.exercise.id!)/members/\(otherExercise.id!)", json: #"{"rfc": "PEGJ800101AB1"}"#)
            #expect(elsewhere.status == .notFound)
            let unchanged = try await Member.find(civil.id, on: app.db)
            #expect(unchanged?.rfc == nil && unchanged?.curp == nil)
            #expect(try await Member.find(otherExercise.id, on: app.db)?.rfc == nil)
        }
    }
}
