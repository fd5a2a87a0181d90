import CocreaCore
import Testing

/// A commitment's progress rolls up from its activities and reads on the IRM scale.
@Suite struct ProgressRollupTests {
    typealias Activity = ProgressRollup.Activity

    @Test func progressIsTheAverageOfItsActivities() {
        #expect(ProgressRollup.progress(of: [Activity(progress: 100, reported: true), Activity(progress: 50, reported: true), Activity(progress: 0, reported: false)]) == 50)
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
