import Foundation

/// Seguimiento: once a week each person hears about the activities in their charge that are overdue or
/// due soon, and civil society about the reports waiting for its verification. One digest per person (across
/// every exercise they take part in), and none when there is nothing to say.
public enum ProgressDigest {
    /// How far ahead an activity counts as coming up.
    public static let horizonDays = 14

    public struct Person: Sendable, Hashable {
        public var name: String
        public var email: String

        public init(name: String, email: String) {
            self.name = name
            self.email = email
        }
    }

    /// An exercise in follow-up (its plan sealed), with who takes part and its activities.
    public struct Exercise: Sendable {
        public var id: UUID
        public var name: String
        /// Today where the exercise takes place.
        public var today: LocalDate
        public var members: [Person]
        /// Who hears about activities whose responsible person has no account.
        public var facilitators: [Person]
        public var activities: [Activity]
        /// The civil-society members of the STL, who verify progress reports.
        public var verifiers: [Person]
        /// The reports waiting for their verdict.
        public var awaitingVerification: [PendingReport]

        public init(
            id: UUID, name: String, today: LocalDate, members: [Person], facilitators: [Person], activities: [Activity], verifiers: [Person] = [],
            awaitingVerification: [PendingReport] = []
        ) {
            self.id = id
            self.name = name
            self.today = today
            self.members = members
            self.facilitators = facilitators
            self.activities = activities
            self.verifiers = verifiers
            self.awaitingVerification = awaitingVerification
        }
    }

    /// A progress report nobody in civil society has verified yet (or answered after an observation).
    public struct PendingReport: Sendable, Equatable {
        public var updateID: UUID
        public var commitment: String
        public var activity: String
        public var reportedBy: String
        public var reportedOn: LocalDate
        public var progress: Int
        public var state: VerificationState

        public init(
            updateID: UUID, commitment: String, activity: String, reportedBy: String, reportedOn: LocalDate, progress: Int, state: VerificationState
        ) {
            self.updateID = updateID
            self.commitment = commitment
            self.activity = activity
            self.reportedBy = reportedBy
            self.reportedOn = reportedOn
            self.progress = progress
            self.state = state
        }
    }

    public struct VerificationItem: Sendable, Equatable {
        public var exerciseID: UUID
        public var exercise: String
        public var report: PendingReport
    }

    public struct Activity: Sendable, Equatable {
        public var commitment: String
        public var title: String
        public var responsible: String
        public var dueOn: LocalDate
        public var status: ActivityStatus
        public var progress: Int

        public init(commitment: String, title: String, responsible: String, dueOn: LocalDate, status: ActivityStatus, progress: Int) {
            self.commitment = commitment
            self.title = title
            self.responsible = responsible
            self.dueOn = dueOn
            self.status = status
            self.progress = progress
        }
    }

    public struct Item: Sendable, Equatable {
        public var exerciseID: UUID
        public var exercise: String
        public var activity: Activity
        /// Days late for an overdue activity, days left for an upcoming one.
        public var days: Int
        /// Sent to the facilitation because nobody with an account matches the responsible person.
        public var unassigned: Bool
    }

    public struct Digest: Sendable, Equatable {
        public var recipient: Person
        public var overdue: [Item]
        public var upcoming: [Item]
        /// Reports waiting for this civil-society member's verdict.
        public var toVerify: [VerificationItem] = []
    }

    /// The digests of the week; people with nothing overdue or coming up get none.
    public static func digests(for exercises: [Exercise]) -> [Digest] {
        var byEmail: [String: Digest] = [:]
        for exercise in exercises {
            for activity in exercise.activities where activity.status != .completed && activity.progress < 100 {
                let left = exercise.today.days(until: activity.dueOn)
                guard left <= horizonDays else { continue }
                let responsible = exercise.members.filter { matches(activity.responsible, name: $0.name) }
                let recipients = responsible.isEmpty ? exercise.facilitators : responsible
                for person in recipients {
                    let item = Item(exerciseID: exercise.id, exercise: exercise.name, activity: activity, days: abs(left), unassigned: responsible.isEmpty)
                    let key = person.email.lowercased()
                    var digest = byEmail[key] ?? Digest(recipient: person, overdue: [], upcoming: [])
                    if left < 0 { digest.overdue.append(item) } else { digest.upcoming.append(item) }
                    byEmail[key] = digest
                }
            }
            for report in exercise.awaitingVerification {
                for person in exercise.verifiers {
                    let key = person.email.lowercased()
                    var digest = byEmail[key] ?? Digest(recipient: person, overdue: [], upcoming: [])
                    digest.toVerify.append(VerificationItem(exerciseID: exercise.id, exercise: exercise.name, report: report))
                    byEmail[key] = digest
                }
            }
        }
        return byEmail.values
            .map { digest in
                var sorted = digest
                sorted.overdue.sort { ($0.activity.dueOn, $0.activity.title) < ($1.activity.dueOn, $1.activity.title) }
                sorted.upcoming.sort { ($0.activity.dueOn, $0.activity.title) < ($1.activity.dueOn, $1.activity.title) }
                sorted.toVerify.sort { ($0.report.reportedOn, $0.report.activity) < ($1.report.reportedOn, $1.report.activity) }
                return sorted
            }
            .sorted { $0.recipient.email.lowercased() < $1.recipient.email.lowercased() }
    }

    /// Whether an activity's responsible ("Mtra. Adriana Velázquez Ruiz, Dirección de Compras") names this
    /// person: every word of the person's name (at least two, honorifics aside) appears, accents and case
    /// aside.
    public static func matches(_ responsible: String, name: String) -> Bool {
        let wanted = words(name)
        guard wanted.count >= 2 else { return false }
        return wanted.isSubset(of: words(responsible))
    }

    private static let honorifics: Set<String> = ["lic", "licda", "mtra", "mtro", "dr", "dra", "ing", "arq", "c", "prof", "profa", "sr", "sra", "srita"]

    private static func words(_ text: String) -> Set<String> {
        let folded = text.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "es_MX"))
        let parts = folded.split { !($0.isLetter || $0.isNumber) }.map(String.init)
        return Set(parts.filter { !honorifics.contains($0) })
    }

    /// The ISO 8601 week a date falls in, e.g. "2026-W48": one digest per person and week.
    public static func week(of date: LocalDate) -> String {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = .gmt
        let components = calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: date.startOfDay(in: .gmt))
        return String(format: "%04d-W%02d", components.yearForWeekOfYear!, components.weekOfYear!)
    }
}
