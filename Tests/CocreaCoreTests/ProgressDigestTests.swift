import CocreaCore
import Foundation
import Testing

/// The weekly digest: overdue and upcoming activities reach the person in charge, once, and nobody
/// gets an empty one.
@Suite struct ProgressDigestTests {
    static let jalisco = UUID(uuidString: "0f6b1a52-4d1e-4c7e-9a57-2a8f2b7f9c01")!
    static let zapopan = UUID(uuidString: "5c3e8d10-7b2a-4f61-8e0d-93c4a1b2d7e4")!
    static let adriana = ProgressDigest.Person(name: "Adriana Velázquez Ruiz", email: "adriana@salud-jalisco.example")
    static let jorge = ProgressDigest.Person(name: "Lic. Jorge Ramírez Ochoa", email: "Jorge.Ramirez@stl-jalisco.example")
    static let lucia = ProgressDigest.Person(name: "Lucía Hernández Paredes", email: "lucia@datosabiertos-gdl.example")

    static func activity(
        _ title: String, by responsible: String, due: String, status: ActivityStatus = .inProgress, progress: Int = 30
    ) -> ProgressDigest.Activity {
        .init(
            commitment: "Contrataciones abiertas de la Secretaría de Salud", title: title, responsible: responsible,
            dueOn: LocalDate(due)!, status: status, progress: progress)
    }

    static func exercise(_ activities: [ProgressDigest.Activity], id: UUID = jalisco, today: String = "2027-03-25") -> ProgressDigest.Exercise {
        .init(
            id: id, name: id == jalisco ? "Jalisco 2026" : "Zapopan 2026", today: LocalDate(today)!,
            members: [adriana, jorge, lucia], facilitators: [jorge], activities: activities)
    }

    @Test func overdueAndUpcomingActivitiesReachTheirResponsiblePerson() {
        let digests = ProgressDigest.digests(for: [
            Self.exercise([
                Self.activity("Publicar el padrón de proveedores", by: "Mtra. Adriana Velazquez Ruiz, Dirección de Compras", due: "2027-03-01"),
                Self.activity("Publicar los contratos de marzo", by: "ADRIANA VELÁZQUEZ RUIZ", due: "2027-04-08"),
                Self.activity("Taller con organizaciones", by: "Lucía Hernández Paredes", due: "2027-04-09"),
            ])
        ])
        #expect(digests.map(\.recipient) == [Self.adriana])
        #expect(digests[0].overdue.map(\.activity.title) == ["Publicar el padrón de proveedores"])
        #expect(digests[0].overdue[0].days == 24)
        #expect(digests[0].upcoming.map(\.activity.title) == ["Publicar los contratos de marzo"], "14 days ahead counts, 15 does not")
        #expect(digests[0].upcoming[0].days == 14)
    }

    @Test func finishedActivitiesAreLeftOutAndNobodyGetsAnEmptyDigest() {
        let digests = ProgressDigest.digests(for: [
            Self.exercise([
                Self.activity("Publicar el padrón de proveedores", by: "Adriana Velázquez Ruiz", due: "2027-03-01", status: .completed, progress: 100),
                Self.activity("Tablero de abasto", by: "Lucía Hernández Paredes", due: "2027-03-20", status: .inProgress, progress: 100),
                Self.activity("Informe anual", by: "Lucía Hernández Paredes", due: "2027-12-01"),
            ])
        ])
        #expect(digests.isEmpty)
    }

    @Test func activitiesWhoseResponsibleHasNoAccountGoToTheFacilitation() {
        let digests = ProgressDigest.digests(for: [
            Self.exercise([
                Self.activity("Capacitar a las áreas compradoras", by: "Dirección de Adquisiciones del Estado", due: "2027-03-30"),
                Self.activity("Mesa técnica", by: "Jorge", due: "2027-03-30"),
            ])
        ])
        #expect(digests.map(\.recipient) == [Self.jorge])
        #expect(digests[0].upcoming.count == 2)
        #expect(digests[0].upcoming.allSatisfy { $0.unassigned }, "a single given name is not enough to name a person")
    }

    @Test func onePersonGetsOneDigestAcrossExercises() {
        let digests = ProgressDigest.digests(for: [
            Self.exercise([Self.activity("Publicar los contratos de marzo", by: "Adriana Velázquez Ruiz", due: "2027-03-29")]),
            Self.exercise([Self.activity("Datos de obra pública", by: "Adriana Velázquez Ruiz", due: "2027-03-10")], id: Self.zapopan),
        ])
        #expect(digests.count == 1)
        #expect(digests[0].overdue.map(\.exercise) == ["Zapopan 2026"])
        #expect(digests[0].upcoming.map(\.exercise) == ["Jalisco 2026"])
    }

    @Test func responsibleNamesMatchWithoutHonorificsAccentsOrCase() {
        #expect(ProgressDigest.matches("Mtra. Adriana Velázquez Ruiz (Compras)", name: "adriana velazquez ruiz"))
        #expect(ProgressDigest.matches("Lic. Jorge Ramírez Ochoa", name: "Jorge Ramírez Ochoa"))
        #expect(!ProgressDigest.matches("Jorge Ramírez", name: "Jorge Ramírez Ochoa"), "every word of the person's name")
        #expect(!ProgressDigest.matches("Dr. Ramírez", name: "Dr. Ramírez"), "one word besides the honorific is too little")
    }

    @Test func weeksFollowISO8601() {
        #expect(ProgressDigest.week(of: LocalDate("2026-11-26")!) == "2026-W48")
        #expect(ProgressDigest.week(of: LocalDate("2026-12-31")!) == "2026-W53")
        #expect(ProgressDigest.week(of: LocalDate("2027-01-03")!) == "2026-W53")
        #expect(ProgressDigest.week(of: LocalDate("2027-01-04")!) == "2027-W01")
    }
}
