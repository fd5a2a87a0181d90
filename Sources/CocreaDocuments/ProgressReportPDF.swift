import CocreaCore
import Foundation

/// A progress report as a PDF: the cover with the plan's progress and how many commitments stand at
/// each level of the IRM scale, then each commitment with its completion, its activities' latest
/// reports, evidence and verification, and in a final report the «¿abrió el gobierno?» rating with its
/// reason and the lessons learned. Its words are the catalogue's in the language asked; dates are the
/// exercise's (`zone`). The report that is sealed and sent is the Spanish one.
public enum ProgressReportPDF {
    public static func render(_ report: PlanProgressReport, sha256: String, zone: TimeZone, language: Language = .es) throws -> Data {
        let words = language.words
        let number = "\(report.number)"
        func date(_ instant: Date) -> String { MexicanFormat.numeric(instant, in: zone) }
        return try PDFPages.render(
            title: words["progressReportTitle", ["number": number, "exercise": report.exercise]],
            footer: { page, total in
                (
                    words["progressReportFooter", ["number": number, "exercise": report.exercise, "sha": String(sha256.prefix(12))]],
                    words["pdfPage", ["page": "\(page)", "total": "\(total)"]]
                )
            }
        ) { pages in
            pages.text(words["progressReportHeading_\(report.kind.rawValue)"], size: 20, bold: true, spaceAfter: 4)
            pages.text(report.exercise, size: 14, spaceAfter: 2)
            pages.text(report.territory, size: 12, gray: 0.3, spaceAfter: 10)
            pages.text(
                words[
                    "progressReportNumberLine",
                    ["number": number, "kind": words.label(report.kind), "issuedAt": date(report.issuedAt), "issuedBy": report.issuedBy]],
                size: 10, spaceAfter: 2)
            pages.text(
                words["progressReportPlanLine", ["version": "\(report.planVersionNumber)", "sha": report.planSha256]], size: 8, gray: 0.35, spaceAfter: 2)
            pages.text("SHA-256: \(sha256)", size: 8, gray: 0.35, spaceAfter: 12)
            pages.text(words["progressReportIntroduction"], size: 10, spaceAfter: 12)

            pages.text(words["progressReportOverall", ["progress": "\(report.progress)"]], size: 14, bold: true, spaceAfter: 6)
            pages.text(words["progressReportSummary"], size: 12, bold: true, spaceAfter: 4)
            pages.table(
                [.init(title: words["progressReportLevel"], share: 0.7), .init(title: words["progressReportCommitments"], share: 0.3)],
                rows: report.completionCounts.map { [words.label($0.completion), "\($0.count)"] })

            for (index, commitment) in report.commitments.enumerated() {
                pages.keep(120)
                pages.rule()
                pages.text("\(index + 1). \(commitment.title)", size: 13, bold: true, spaceAfter: 2)
                pages.text(
                    words[
                        "progressReportCommitmentLine",
                        [
                            "institution": commitment.leadInstitution, "progress": "\(commitment.progress)",
                            "completion": words.label(commitment.completion),
                        ]], size: 10, gray: 0.25, spaceAfter: 6)
                pages.table(
                    [
                        .init(title: words["progressReportActivity"], share: 0.27), .init(title: words["progressReportReported"], share: 0.27),
                        .init(title: words["progressReportEvidence"], share: 0.24), .init(title: words["progressReportVerification"], share: 0.22),
                    ],
                    rows: commitment.activities.map { activity in
                        activityRow(activity, words: words, date: date)
                    }, size: 8)
                if let rating = commitment.openedGovernment {
                    pages.text(words["progressReportOpenedGovernment", ["rating": words.label(rating.rating)]], size: 11, bold: true, spaceAfter: 2)
                    pages.text(words["progressReportRatingReason", ["reason": rating.reason]], size: 10, spaceAfter: 8)
                }
            }
            if let lessons = report.lessonsLearned {
                pages.keep(80)
                pages.rule()
                pages.text(words["progressReportLessons"], size: 13, bold: true, spaceAfter: 4)
                pages.text(lessons, size: 10, spaceAfter: 8)
            }
        }
    }

    private static func activityRow(_ activity: PlanProgressReport.Activity, words: Words, date: (Date) -> String) -> [String] {
        let dueOn = LocalDate(activity.dueOn).map(MexicanFormat.numeric) ?? activity.dueOn
        let title = "\(activity.title)\n\(activity.responsible) · \(dueOn)"
        guard let latest = activity.latest else {
            return [title, words["progressReportNoReport"], words["progressReportNoEvidence"], "—"]
        }
        var reported = words[
            "progressReportReportedLine",
            ["status": words.label(latest.status), "progress": "\(latest.progress)", "at": date(latest.reportedAt), "by": latest.reportedBy]]
        if !latest.note.isEmpty { reported += "\n\(latest.note)" }
        let evidence = [latest.evidenceUrl, latest.evidenceFile.map { "\($0.name) (SHA-256 \($0.sha256.prefix(16))…)\n\($0.url)" }]
            .compactMap { $0 }.joined(separator: "\n")
        var verification = words.label(latest.verification)
        if let name = latest.verifiedBy, let at = latest.verifiedAt {
            verification = words["progressReportVerifiedBy", ["name": name, "at": date(at)]]
        } else if latest.verification.awaitsVerification {
            verification += "\n" + words["progressReportAwaiting"]
        }
        return [title, reported, evidence.isEmpty ? words["progressReportNoEvidence"] : evidence, verification]
    }
}
