import Foundation

/// Contains abuse of the public survey form without collecting identities: a per-client budget of
/// answers per minute and a refusal of the same answers sent again by the same client. The client key
/// and the fingerprints live only in memory, hashed, and are forgotten after a few minutes.
public struct SubmissionGuard: Sendable {
    public enum Verdict: Equatable, Sendable {
        case accepted
        case rateLimited(retryAfterSeconds: Int)
        case duplicate
    }

    /// Answers a client may send per minute; 0 turns the limit off (a load test from one address).
    public var perMinute: Int
    /// How long the same answers from the same client count as a repetition. A kiosk serves many people
    /// from one tablet, who may well give the same answers: there only a double tap counts.
    public var duplicateWindow: TimeInterval
    public var kioskDuplicateWindow: TimeInterval

    private var windows: [Int: (start: Date, count: Int)] = [:]
    private var seen: [Int: Date] = [:]
    private var lastSweep = Date.distantPast

    public init(perMinute: Int, duplicateWindow: TimeInterval = 300, kioskDuplicateWindow: TimeInterval = 15) {
        self.perMinute = perMinute
        self.duplicateWindow = duplicateWindow
        self.kioskDuplicateWindow = kioskDuplicateWindow
    }

    /// `fingerprint` identifies the answers (with the survey and the client); only accepted answers are remembered.
    /// Every attempt within the budget uses it, a refused repetition included: sending the same answers
    /// over and over is the traffic the budget is there to hold back.
    public mutating func admit(client: Int, fingerprint: Int, kiosk: Bool, at now: Date) -> Verdict {
        sweep(now)
        if perMinute > 0 {
            var window = windows[client] ?? (now, 0)
            if now.timeIntervalSince(window.start) >= 60 { window = (now, 0) }
            guard window.count < perMinute else {
                return .rateLimited(retryAfterSeconds: max(1, Int((60 - now.timeIntervalSince(window.start)).rounded(.up))))
            }
            window.count += 1
            windows[client] = window
        }
        if let last = seen[fingerprint], now.timeIntervalSince(last) < (kiosk ? kioskDuplicateWindow : duplicateWindow) {
            return .duplicate
        }
        seen[fingerprint] = now
        return .accepted
    }

    /// Forgets what is older than every window, at most once a minute, so memory stays bounded.
    private mutating func sweep(_ now: Date) {
        guard now.timeIntervalSince(lastSweep) >= 60 else { return }
        lastSweep = now
        windows = windows.filter { now.timeIntervalSince($0.value.start) < 60 }
        seen = seen.filter { now.timeIntervalSince($0.value) < duplicateWindow }
    }
}
