import CocreaCore
import Foundation
import Testing

/// A signing code works ten minutes, is not re-sent within a minute, and five wrong codes lock the link.
@Suite struct SigningCodeTests {
    let sentAt = Date(timeIntervalSince1970: 1_800_000_000)  // 15 January 2027, 08:00 UTC

    @Test func aCodeWorksTenMinutes() throws {
        let expires = SigningCode.expiry(sentAt: sentAt)
        #expect(try SigningCode.attempt(matches: true, expiresAt: expires, wrongCodes: 0, now: sentAt.addingTimeInterval(9 * 60 + 59)) == .signs)
        #expect(throws: CocreaError.self) {
            try SigningCode.attempt(matches: true, expiresAt: expires, wrongCodes: 0, now: sentAt.addingTimeInterval(10 * 60))
        }
    }

    @Test func noCodeAskedForIsAnExpiredCode() {
        do {
            _ = try SigningCode.attempt(matches: false, expiresAt: nil, wrongCodes: 0, now: sentAt)
            Issue.record("a code never asked for is refused")
        } catch {
            #expect(error.code == ErrorCode.signingCodeExpired.rawValue)
        }
    }

    @Test func fiveWrongCodesLockTheLink() throws {
        let expires = SigningCode.expiry(sentAt: sentAt)
        var wrongCodes = 0
        var answers: [String] = []
        for minute in 1...5 {
            let attempt = try SigningCode.attempt(
                matches: false, expiresAt: expires, wrongCodes: wrongCodes, now: sentAt.addingTimeInterval(Double(minute) * 60))
            guard case .wrong(let counted, let remaining) = attempt else {
                Issue.record("a wrong code never signs")
                return
            }
            wrongCodes = counted
            answers.append(SigningCode.refusal(remaining: remaining).code)
        }
        #expect(answers == Array(repeating: "signing_code_wrong", count: 4) + ["signing_link_locked"])
        #expect(SigningCode.isLocked(wrongCodes: wrongCodes))
        #expect(!SigningCode.isLocked(wrongCodes: 4))
    }

    @Test func aWrongCodeSaysHowManyAttemptsAreLeft() {
        #expect(SigningCode.refusal(remaining: 1).message == "El código no es correcto. Te quedan 1 intento antes de que el enlace se bloquee.")
    }

    @Test func aFreshCodeIsNotSentAgainWithinAMinute() {
        let expires = SigningCode.expiry(sentAt: sentAt)
        #expect(SigningCode.sendsANewCode(lastExpiresAt: nil, now: sentAt))
        #expect(!SigningCode.sendsANewCode(lastExpiresAt: expires, now: sentAt.addingTimeInterval(59)))
        #expect(SigningCode.sendsANewCode(lastExpiresAt: expires, now: sentAt.addingTimeInterval(60)))
    }
}
