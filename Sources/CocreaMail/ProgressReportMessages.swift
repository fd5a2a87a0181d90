import CocreaCore
import CocreaStore
import Foundation

extension Messages {
    /// A progress report, sealed, to one member of the exercise, with where anyone checks a copy.
    public static func progressReport(
        member: Member, exercise: Exercise, number: Int, kind: ProgressReportKind, verificationLink: String, pdf: Data, fileName: String,
        from: MailAddress, language: Language = .es
    ) -> MailMessage {
        let words = language.words
        let text = words[
            "mailProgressReportBody",
            [
                "name": member.name.oneLine, "exercise": exercise.name.oneLine, "number": "\(number)", "kind": words.label(kind).lowercased(),
                "link": verificationLink, "signature": words["mailSignature"],
            ]]
        return MailMessage(
            from: from, to: [MailAddress(email: member.email, name: member.name)],
            subject: words["mailProgressReportSubject", ["exercise": exercise.name.oneLine, "number": "\(number)"]], textBody: text,
            attachments: [MailAttachment(filename: fileName, mediaType: "application/pdf", data: pdf)])
    }
}
