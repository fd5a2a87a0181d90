import CocreaCore
import Foundation
import Testing

/// A commitment's progress rolls up from its activities and reads on the IRM scale.
@Suite struct ProgressRollupTests {
    typealias Activity = ProgressRollup.Activity

    @Test func progressIsTheAverageOfItsActivities() {
        #expect(
            ProgressRollup.progress(of: [
                Activity(progress: 100, reported: true), Activity(progress: 50, reported: true), Activity(progress: 0, reported: false),
            ]) == 50)
    }

    @Test func weightsCountWhenAgreed() {
        #expect(ProgressRollup.progress(of: [Activity(progress: 100, reported: true, weight: 3), Activity(progress: 0, reported: true, weight: 1)]) == 75)
    }

    @Test func aCommitmentWithoutActivitiesHasNoProgressAndNoEvidence() {
        #expect(ProgressRollup.progress(of: []) == 0)
        #expect(ProgressRollup.completion(of: []) == .noEvidence)
    }

    @Test func nothingReportedIsNoEvidenceEvenAtZero() {
        #expect(ProgressRollup.completion(of: [Activity(progress: 0, reported: false)]) == .noEvidence)
    }

    @Test func reportedZeroIsNotStarted() {
        #expect(ProgressRollup.completion(of: [Activity(progress: 0, reported: true)]) == .notStarted)
    }

    @Test func underHalfIsLimitedFromHalfSubstantialAndAllComplete() {
        #expect(ProgressRollup.completion(of: [Activity(progress: 49, reported: true)]) == .limited)
        #expect(ProgressRollup.completion(of: [Activity(progress: 50, reported: true)]) == .substantial)
        #expect(ProgressRollup.completion(of: [Activity(progress: 99, reported: true)]) == .substantial)
        #expect(ProgressRollup.completion(of: [Activity(progress: 100, reported: true), Activity(progress: 100, reported: false)]) == .complete)
    }

    @Test func outOfRangeProgressIsClamped() {
        #expect(ProgressRollup.progress(of: [Activity(progress: 140, reported: true), Activity(progress: -20, reported: true)]) == 50)
    }
}

/// The public follows the plan month by month.
@Suite struct ProgressTimelineTests {
    static let zone = TimeZone(identifier: "America/Mexico_City")!
    static let padron = UUID(uuidString: "3f1d2c4b-5a69-4788-9a0b-1c2d3e4f5a6b")!
    static let tablero = UUID(uuidString: "7e8f9a0b-1c2d-4e3f-8a5b-6c7d8e9f0a1b")!
    static let foro = UUID(uuidString: "a1b2c3d4-e5f6-4789-8abc-def012345678")!

    static func at(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    @Test func eachMonthShowsThePlanAtItsEnd() {
        let commitments: [[ProgressTimeline.Activity]] = [
            [.init(id: Self.padron, weight: 3), .init(id: Self.tablero, weight: 1)],
            [.init(id: Self.foro, weight: 1)],
        ]
        let reports = [
            ProgressTimeline.Report(activity: Self.padron, at: Self.at("2027-01-20T18:00:00Z"), progress: 40),
            ProgressTimeline.Report(activity: Self.padron, at: Self.at("2027-03-05T18:00:00Z"), progress: 100),
            // 31 March 20:00 in Mexico City is already April in UTC: it counts for March.
            ProgressTimeline.Report(activity: Self.foro, at: Self.at("2027-04-01T02:00:00Z"), progress: 50),
        ]
        let points = ProgressTimeline.monthly(
            commitments: commitments, reports: reports, from: Self.at("2027-01-10T17:00:00Z"),
            to: Self.at("2027-04-15T17:00:00Z"), in: Self.zone)
        #expect(
            points == [
                .init(month: "2027-01", progress: 15),  // (40·3/4 = 30, 0) / 2
                .init(month: "2027-02", progress: 15),
                .init(month: "2027-03", progress: 62),  // (75 + 50) / 2
                .init(month: "2027-04", progress: 62),
            ])
    }

    @Test func aPlanWithoutCommitmentsHasNoTimeline() {
        #expect(
            ProgressTimeline.monthly(commitments: [], reports: [], from: Self.at("2027-01-10T17:00:00Z"), to: Self.at("2027-04-15T17:00:00Z"), in: Self.zone)
                .isEmpty)
    }
}
