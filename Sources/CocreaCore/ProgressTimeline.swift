import Foundation

/// The plan's progress month by month, from the month it was sealed: what the public follows over the year.
public enum ProgressTimeline {
    public struct Activity: Sendable {
        public var id: UUID
        public var weight: Int

        public init(id: UUID, weight: Int) {
            self.id = id
            self.weight = weight
        }
    }

    public struct Report: Sendable {
        public var activity: UUID
        public var at: Date
        public var progress: Int

        public init(activity: UUID, at: Date, progress: Int) {
            self.activity = activity
            self.at = at
            self.progress = progress
        }
    }

    public struct Point: Sendable, Equatable, Codable {
        /// "2027-03".
        public var month: String
        /// The plan's progress at the end of that month (or now, for the current month).
        public var progress: Int

        public init(month: String, progress: Int) {
            self.month = month
            self.progress = progress
        }
    }

    /// At most this many months are shown: the latest ones.
    public static let maximumMonths = 36

    /// For each month from `start`'s to `now`'s: every activity at its latest report before the month
    /// ends (0 before any), each commitment their weighted average, the plan the average of its commitments.
    public static func monthly(commitments: [[Activity]], reports: [Report], from start: Date, to now: Date, in zone: TimeZone) -> [Point] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        guard !commitments.isEmpty, start <= now,
            var month = calendar.date(from: calendar.dateComponents([.year, .month], from: start))
        else { return [] }
        let ordered = reports.sorted { $0.at < $1.at }
        var points: [Point] = []
        var latest: [UUID: Int] = [:]
        var next = 0
        while month <= now {
            guard let end = calendar.date(byAdding: .month, value: 1, to: month) else { break }
            let cutoff = min(end, now)
            while next < ordered.count, ordered[next].at < cutoff || (cutoff == now && ordered[next].at == now) {
                latest[ordered[next].activity] = ordered[next].progress
                next += 1
            }
            let perCommitment = commitments.map { activities in
                ProgressRollup.progress(of: activities.map { ProgressRollup.Activity(progress: latest[$0.id] ?? 0, reported: true, weight: $0.weight) })
            }
            let parts = calendar.dateComponents([.year, .month], from: month)
            points.append(
                Point(
                    month: String(format: "%04d-%02d", parts.year!, parts.month!),
                    progress: perCommitment.reduce(0, +) / perCommitment.count))
            month = end
        }
        return Array(points.suffix(maximumMonths))
    }
}
