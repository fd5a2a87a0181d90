import CocreaCore
import CocreaStore
import Foundation

/// The mail Cocrea sends, its words from the catalogue in the language asked: Spanish by default, with
/// an English summary under it; English whole for those who read it.
public enum Messages {
    public static func invitation(member: Member, exercise: Exercise, from: MailAddress, baseURL: String, language: Language = .es) -> MailMessage {
        let words = language.words
        let link = "\(baseURL)/login"
        let text = words[
            "mailInvitationBody",
            [
                "name": member.name.oneLine, "exercise": exercise.name.oneLine, "territory": exercise.territory.oneLine,
                "sector": exercise.label(for: member.sector, language: language).oneLine, "organization": member.organization.oneLine,
                "role": member.role.label(language), "email": member.email, "link": link, "signature": words["mailSignature"],
            ]]
        return MailMessage(
            from: from, to: [MailAddress(email: member.email, name: member.name)],
            subject: words["mailInvitationSubject", ["exercise": exercise.name.oneLine]], textBody: text)
    }

    public static func magicLink(user: User, link: String, from: MailAddress, validMinutes: Int, language: Language = .es) -> MailMessage {
        let words = language.words
        let text = words["mailMagicLinkBody", ["name": user.name.oneLine, "link": link, "minutes": "\(validMinutes)"]]
        return MailMessage(
            from: from, to: [MailAddress(email: user.email, name: user.name)],
            subject: words["mailMagicLinkSubject"], textBody: text)
    }
}

extension Messages {
    public static func dossier(
        member: Member, exercise: Exercise, version: Int, items: [String], link: String, from: MailAddress, language: Language = .es
    ) -> MailMessage {
        let words = language.words
        let text = words[
            "mailDossierBody",
            [
                "name": member.name.oneLine, "exercise": exercise.name.oneLine, "version": "\(version)", "link": link,
                "items": items.map(\.oneLine).joined(separator: "\n"), "signature": words["mailSignature"],
            ]]
        return MailMessage(
            from: from, to: [MailAddress(email: member.email, name: member.name)],
            subject: words["mailDossierSubject", ["exercise": exercise.name.oneLine, "version": "\(version)"]], textBody: text)
    }

    public static func dossierReminder(
        member: Member, exercise: Exercise, version: Int, link: String, from: MailAddress, language: Language = .es
    ) -> MailMessage {
        let words = language.words
        let text = words[
            "mailDossierReminderBody",
            [
                "name": member.name.oneLine, "exercise": exercise.name.oneLine, "version": "\(version)", "link": link,
                "signature": words["mailSignature"],
            ]]
        return MailMessage(
            from: from, to: [MailAddress(email: member.email, name: member.name)],
            subject: words["mailDossierReminderSubject", ["exercise": exercise.name.oneLine]], textBody: text)
    }

    public enum RoundtableNotice: Sendable {
        case scheduled, rescheduled, cancelled

        /// The catalogue keys of its subject and opening line.
        var keys: (subject: String, opening: String) {
            switch self {
            case .scheduled: ("mailRoundtableScheduledSubject", "mailRoundtableScheduledOpening")
            case .rescheduled: ("mailRoundtableRescheduledSubject", "mailRoundtableRescheduledOpening")
            case .cancelled: ("mailRoundtableCancelledSubject", "mailRoundtableCancelledOpening")
            }
        }
    }

    /// The invitation (or its update or cancellation) with the calendar file attached.
    public static func roundtable(
        _ notice: RoundtableNotice, member: Member, exercise: Exercise, when: String, place: String,
        calendar: String, calendarMediaType: String, from: MailAddress, language: Language = .es
    ) -> MailMessage {
        let words = language.words
        let text = words[
            "mailRoundtableBody",
            [
                "name": member.name.oneLine, "opening": words[notice.keys.opening], "when": when, "place": place.oneLine,
                "signature": words["mailSignature"],
            ]]
        return MailMessage(
            from: from, to: [MailAddress(email: member.email, name: member.name)],
            subject: words[notice.keys.subject, ["exercise": exercise.name.oneLine]], textBody: text,
            attachments: [MailAttachment(filename: words["mailRoundtableFile"], mediaType: calendarMediaType, data: Data(calendar.utf8))])
    }
}

extension String {
    /// A stored value set into one line of a message stays on that line (defence in depth: input is
    /// already cleaned by `PlainText`, but a message must not depend on every path having done so).
    var oneLine: String { PlainText.singleLine(self) }
}
