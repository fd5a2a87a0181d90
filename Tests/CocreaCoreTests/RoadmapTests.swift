import CocreaCore
import Testing

/// An event keeps its identity by kind and title across announcements, so moving it is a change.
@Suite struct RoadmapTests {
    let table = RoadmapEntry(
        kind: .roundtable, title: "Mesa de diálogo de salud", startsOn: LocalDate("2027-02-12")!,
        endsOn: LocalDate("2027-02-12")!, place: "Sala Juárez")
    let kickoff = RoadmapEntry(
        kind: .kickoff, title: "Evento de arranque", startsOn: LocalDate("2027-01-20")!,
        endsOn: LocalDate("2027-01-20")!, place: "Auditorio del ITEI")

    @Test func aMovedDateIsAChangeOfTheSameEventAndAMissingOneIsWithdrawn() {
        var moved = table
        moved.startsOn = LocalDate("2027-02-19")!
        moved.endsOn = moved.startsOn
        let signature = RoadmapEntry(
            kind: .signature, title: "Firma del PAL", startsOn: LocalDate("2027-03-15")!,
            endsOn: LocalDate("2027-03-15")!, place: "Palacio de Gobierno")
        let change = Roadmap.change(from: [kickoff, table], to: [moved, signature])
        #expect(change.changed == [moved])
        #expect(change.added == [signature])
        #expect(change.withdrawn == [kickoff.identity])
    }

    @Test func theSameRoadmapWrittenWithOtherCaseOrAccentsIsNoChange() {
        var retyped = table
        retyped.title = "MESA DE DIALOGO DE SALUD"
        #expect(retyped.identity == table.identity)
        #expect(Roadmap.change(from: [table, kickoff], to: [kickoff, table]).isEmpty)
    }

    @Test func twoEventsOfOneKindWithOneTitleAreRefused() {
        let input = Roadmap.Input(kind: "roundtable", title: "Mesa de diálogo de salud", startsOn: "2027-02-12", endsOn: nil, place: nil)
        #expect(throws: CocreaError.self) { try Roadmap.validate([input, input]) }
        #expect((try? Roadmap.validate([input]))?.first?.endsOn == LocalDate("2027-02-12"))
    }
}
