import CocreaCore
import Testing

/// The rules of progress verified by civil society, apart from any database.
@Suite struct ProgressVerificationRuleTests {
    @Test func aReportStandsWhereItsLastStepLeftIt() {
        #expect(VerificationState.of([]) == .reported)
        #expect(VerificationState.of([.observed]) == .observed)
        #expect(VerificationState.of([.observed, .answered]) == .answered)
        #expect(VerificationState.of([.observed, .answered, .verified]) == .verified)
        #expect(VerificationState.allCases.filter(\.awaitsVerification) == [.reported, .answered])
    }

    @Test func aCompletingReportCountsAsCompleteOnlyOnceVerified() {
        #expect(ProgressRollup.counted(progress: 100, verified: false) == 99)
        #expect(ProgressRollup.counted(progress: 100, verified: true) == 100)
        #expect(ProgressRollup.counted(progress: 60, verified: false) == 60, "progress short of complete counts as reported")
        let unverified = [ProgressRollup.Activity(progress: ProgressRollup.counted(progress: 100, verified: false), reported: true)]
        #expect(ProgressRollup.completion(of: unverified) == .substantial)
    }

    @Test func anObservationNeedsItsReasonAndAVerificationDoesNot() {
        var v = Validator()
        #expect(ProgressVerification.validate(verdict: "observed", reason: "   ", into: &v)?.verdict == nil)
        #expect(v.errors.map(\.field) == ["reason"])
        var ok = Validator()
        #expect(ProgressVerification.validate(verdict: "verified", reason: nil, into: &ok)?.verdict == .verified)
        #expect(ok.errors.isEmpty)
        var bad = Validator()
        #expect(ProgressVerification.validate(verdict: "aprobado", reason: "Bien", into: &bad)?.verdict == nil)
        #expect(bad.errors.map(\.field) == ["verdict"])
    }

    @Test func onlyCivilSocietyMembersVerifyWhateverElseTheyAdminister() {
        #expect(Access(isInstanceAdministrator: false, role: .member, sector: .civilSociety).allows(.verifyProgress))
        #expect(Access(isInstanceAdministrator: false, role: .facilitator, sector: .civilSociety).allows(.verifyProgress))
        #expect(!Access(isInstanceAdministrator: false, role: .administrator, sector: .institution).allows(.verifyProgress))
        #expect(!Access(isInstanceAdministrator: false, role: .facilitator, sector: .guarantor).allows(.verifyProgress))
        #expect(!Access(isInstanceAdministrator: true, role: nil, sector: nil).allows(.verifyProgress))
    }

    @Test func nobodyVerifiesTheirOwnReportNorAVerifiedOneAndOnlyAnObservationIsAnswered() {
        #expect(throws: CocreaError.self) { try ProgressVerification.checkVerdict(on: .reported, reportedByThemselves: true) }
        #expect(throws: CocreaError.self) { try ProgressVerification.checkVerdict(on: .verified, reportedByThemselves: false) }
        #expect(throws: Never.self) { try ProgressVerification.checkVerdict(on: .answered, reportedByThemselves: false) }
        #expect(throws: CocreaError.self) { try ProgressVerification.checkAnswer(on: .answered) }
        #expect(throws: Never.self) { try ProgressVerification.checkAnswer(on: .observed) }
    }
}
