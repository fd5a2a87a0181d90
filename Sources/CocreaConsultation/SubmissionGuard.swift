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

    /// The part of a client's address it cannot change at will: the whole IPv4 address, or the /64
    /// network of an IPv6 one (a host picks any address in its /64). Headers such as the browser's
    /// name are the client's own to choose, so they never enter the key.
    public static func clientKey(address: String) -> String {
        guard address.contains(":") else { return address }
        let halves = address.lowercased().split(separator: "::", maxSplits: 1, omittingEmptySubsequences: false)
        let head = halves[0].split(separator: ":").map(String.init)
        let tail = halves.count > 1 ? halves[1].split(separator: ":").map(String.init) : []
        let groups = halves.count > 1 ? head + Array(repeating: "0", count: max(0, 8 - head.count - tail.count)) + tail : head
        return groups.prefix(4).map { String(Int($0, radix: 16) ?? 0, radix: 16) }.joined(separator: ":") + "::/64"
    }

    /// Forgets what is older than every window, at most once a minute, so memory stays bounded.
    private mutating func sweep(_ now: Date) {
        guard now.timeIntervalSince(lastSweep) >= 60 else { return }
        lastSweep = now
        windows = windows.filter { now.timeIntervalSince($0.value.start) < 60 }
        seen = seen.filter { now.timeIntervalSince($0.value) < duplicateWindow }
    }
}
