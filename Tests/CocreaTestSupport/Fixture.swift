import CocreaCore
import CocreaStore
import CocreaUseCases
import Fluent
import Foundation
import Vapor

@testable import CocreaWeb

/// Two exercises, each with a person in every role, their passwords and API tokens: the cast of the
/// authorization tests. Built through the same operations the product uses.
public struct Fixture: Sendable {
    public struct Person: Sendable {
        public let email: String
        public let password: String
        public let token: String
    }

    public let exercise: Exercise
    public let otherExercise: Exercise
    public let administrator: Person
    /// Keyed by a label such as "facilitator", "guarantor", "institution", "civilSociety".
    public let members: [String: Person]
    public let outsider: Person
    /// A member of `otherExercise` only.
    public let memberOfOther: Person

    public static let password = "contraseña-segura-2026"

    public static func make(on app: Application) async throws -> Fixture {
        let admin = try await AccountOperations.createAdministrator(
            email: "admin@itei.example", name: "Mtra. Adriana Velázquez Ruiz", password: password, on: app.useCases)
        let adminToken = try await AccountOperations.createToken(email: admin.email, name: "pruebas", on: app.useCases)
        let exercise = try await create("Ejercicio local de gobierno abierto Jalisco 2026", territory: "Jalisco", on: app)
        let other = try await create("Ejercicio local de gobierno abierto Oaxaca 2026", territory: "Oaxaca", on: app)
        let cast: [(String, String, Sector, Role, String)] = [
            ("facilitator", "Lic. Jorge Ramírez Ochoa", .guarantor, .facilitator, "jorge.ramirez@stl-jalisco.example"),
            ("guarantor", "Mtro. Tomás Aguilar Reyes", .guarantor, .member, "tomas.aguilar@itei.example"),
            ("institution", "Dra. María Fernanda López Castañeda", .institution, .member, "mf.lopez@salud-jalisco.example"),
            ("civilSociety", "Lucía Hernández Paredes", .civilSociety, .member, "lucia@datosabiertos-gdl.example"),
        ]
        var members: [String: Person] = [:]
        for (key, name, sector, role, email) in cast {
            members[key] = try await add(name: name, email: email, sector: sector, role: role, to: exercise, on: app)
        }
        let memberOfOther = try await add(
            name: "Ernesto Cruz Santiago", email: "ernesto@oaxaca-abierto.example",
            sector: .civilSociety, role: .facilitator, to: other, on: app)
        let outsider = try await account(name: "Persona Ajena", email: "ajena@correo.example", on: app)
        return Fixture(
            exercise: exercise, otherExercise: other,
            administrator: Person(email: admin.email, password: password, token: adminToken),
            members: members, outsider: outsider, memberOfOther: memberOfOther)
    }

    private static func create(_ name: String, territory: String, on app: Application) async throws -> Exercise {
        try await app.writer.write(on: app.db, actor: .system) { tx, audit in
            let exercise = Exercise(name: name, territory: territory, timeZone: "America/Mexico_City", nationalPlan: "2016-2018")
            try await exercise.create(on: tx)
            try await audit.created("exercise", id: exercise.id, exercise: exercise.id, ["name": name])
            return exercise
        }
    }

    private static func account(name: String, email: String, on app: Application) async throws -> Person {
        let hash = try await app.password.async.hash(password)
        try await app.writer.write(on: app.db, actor: .system) { tx, _ in
            try await User(email: email, name: name, passwordHash: hash).create(on: tx)
        }
        let token = try await AccountOperations.createToken(email: email, name: "pruebas", on: app.useCases)
        return Person(email: email, password: password, token: token)
    }

    private static func add(name: String, email: String, sector: Sector, role: Role, to exercise: Exercise, on app: Application) async throws -> Person {
        let person = try await account(name: name, email: email, on: app)
        try await app.writer.write(on: app.db, actor: .system) { tx, _ in
            let user = try await User.query(on: tx).filter(\.$email == email).first()!
            try await Member(
                exerciseID: exercise.id!, userID: user.id!, name: name, email: email, sector: sector,
                organization: "Organización de \(name)", role: role
            ).create(on: tx)
        }
        return person
    }
}

extension Fixture {
    /// A commitment of `exerciseID` written as a row, for tests that need a plan's rows rather than the
    /// rules that admit them (those go through `CommitmentOperations`).
    @discardableResult
    public static func commitment(
        _ title: String, of exerciseID: UUID, category: CommitmentCategory = .procurement,
        problem: String = "Opacidad en compras de medicamentos", objective: String = "",
        startsOn: String = "2027-01-15", endsOn: String = "2027-12-15", leadInstitution: String = "Secretaría de Salud Jalisco",
        on db: any Database
    ) async throws -> Commitment {
        let commitment = Commitment()
        commitment.$exercise.id = exerciseID
        commitment.title = title
        commitment.category = category
        commitment.problem = problem
        commitment.description = ""
        commitment.objective = objective
        commitment.startsOn = startsOn
        commitment.endsOn = endsOn
        commitment.leadInstitution = leadInstitution
        commitment.indicatorName = ""
        commitment.indicatorBaseline = ""
        commitment.indicatorTarget = ""
        commitment.indicatorMeansOfVerification = ""
        commitment.revision = 1
        try await commitment.create(on: db)
        return commitment
    }

    /// An activity of `commitmentID` written as a row.
    @discardableResult
    public static func activity(
        _ title: String, of commitmentID: UUID, responsible: String = "", responsibleInstitution: String = "",
        dueOn: String = "", status: ActivityStatus = .notStarted, progress: Int = 0, on db: any Database
    ) async throws -> Activity {
        let activity = Activity()
        activity.$commitment.id = commitmentID
        activity.title = title
        activity.responsible = responsible
        activity.responsibleInstitution = responsibleInstitution
        activity.dueOn = dueOn
        activity.status = status.rawValue
        activity.progress = progress
        activity.weight = 1
        activity.revision = 1
        try await activity.create(on: db)
        return activity
    }
}
