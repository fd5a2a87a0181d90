import CocreaCore
import Foundation

extension Messages {
    /// The weekly digest: what is overdue and what comes up in the next two weeks, with where to report.
    public static func weeklyDigest(_ digest: ProgressDigest.Digest, baseURL: String, from: MailAddress, language: Language = .es) -> MailMessage {
        let words = language.words
        func line(_ item: ProgressDigest.Item, _ when: String) -> String {
            var text = words[
                "mailDigestItem",
                [
                    "activity": item.activity.title.oneLine, "commitment": item.activity.commitment.oneLine, "exercise": item.exercise.oneLine,
                    "due": MexicanFormat.numeric(item.activity.dueOn), "when": when, "progress": "\(item.activity.progress)",
                ]]
            if item.unassigned {
                text += "\n  " + words["mailDigestUnassigned", ["responsible": item.activity.responsible.oneLine]]
            }
            return text + "\n  " + words["mailDigestReport", ["link": "\(baseURL)/exercises/\(item.exerciseID.uuidString.lowercased())/plan"]]
        }
        func days(_ count: Int) -> String { words.count("mailDigestDays", count) }
        var sections: [String] = []
        if !digest.overdue.isEmpty {
            sections.append(
                words["mailDigestOverdue", ["count": "\(digest.overdue.count)"]] + "\n\n"
                    + digest.overdue.map { line($0, words["mailDigestAgo", ["days": days($0.days)]]) }.joined(separator: "\n\n"))
        }
        if !digest.upcoming.isEmpty {
            sections.append(
                words["mailDigestUpcoming", ["horizon": "\(ProgressDigest.horizonDays)", "count": "\(digest.upcoming.count)"]] + "\n\n"
                    + digest.upcoming.map { line($0, $0.days == 0 ? words["mailDigestToday"] : words["mailDigestIn", ["days": days($0.days)]]) }
                    .joined(separator: "\n\n"))
        }
        if !digest.toVerify.isEmpty {
            sections.append(
                words["mailDigestVerification", ["count": "\(digest.toVerify.count)"]] + "\n\n"
                    + digest.toVerify.map { item in
                        words[
                            "mailDigestVerificationItem",
                            [
                                "activity": item.report.activity.oneLine, "commitment": item.report.commitment.oneLine, "exercise": item.exercise.oneLine,
                                "reportedBy": item.report.reportedBy.oneLine, "date": MexicanFormat.numeric(item.report.reportedOn),
                                "progress": "\(item.report.progress)", "state": item.report.state.label(language),
                            ]]
                            + "\n  "
                            + words[
                                "mailDigestVerify",
                                [
                                    "link":
                                        "\(baseURL)/exercises/\(item.exerciseID.uuidString.lowercased())/plan#reporte-\(item.report.updateID.uuidString.lowercased())"
                                ]]
                    }.joined(separator: "\n\n"))
        }
        let text = words[
            "mailDigestBody",
            [
                "name": digest.recipient.name.oneLine, "sections": sections.joined(separator: "\n\n"), "signature": words["mailSignature"],
                "overdue": "\(digest.overdue.count)", "upcoming": "\(digest.upcoming.count)",
            ]]
        let overdue = digest.overdue.isEmpty ? nil : words.count("mailDigestSubjectOverdue", digest.overdue.count)
        let upcoming = digest.upcoming.isEmpty ? nil : words.count("mailDigestSubjectUpcoming", digest.upcoming.count)
        let toVerify = digest.toVerify.isEmpty ? nil : words.count("mailDigestSubjectVerification", digest.toVerify.count)
        let named = [overdue, upcoming, toVerify].compactMap { $0 }
        let parts =
            named.count > 1
            ? words["mailDigestSubjectBoth", ["overdue": named.dropLast().joined(separator: ", "), "upcoming": named.last!]] : named.first ?? ""
        return MailMessage(
            from: from, to: [MailAddress(email: digest.recipient.email, name: digest.recipient.name)],
            subject: words["mailDigestSubject", ["parts": parts]], textBody: text)
    }
}
