import CocreaCore
import CocreaStore
import Foundation

extension Messages {
    public static func signatureRequest(
        member: Member, exercise: Exercise, versionNumber: Int, shortCode: String, link: String, from: MailAddress, language: Language = .es
    ) -> MailMessage {
        let words = language.words
        let text = words[
            "mailSignatureRequestBody",
            [
                "name": member.name.oneLine, "exercise": exercise.name.oneLine, "version": "\(versionNumber)", "shortCode": shortCode,
                "link": link, "signature": words["mailSignature"],
            ]]
        return MailMessage(
            from: from, to: [MailAddress(email: member.email, name: member.name)],
            subject: words["mailSignatureRequestSubject", ["exercise": exercise.name.oneLine, "version": "\(versionNumber)"]], textBody: text)
    }

    public static func signingCode(
        member: Member, exercise: Exercise, code: String, validMinutes: Int, from: MailAddress, language: Language = .es
    ) -> MailMessage {
        let words = language.words
        let text = words[
            "mailSigningCodeBody", ["name": member.name.oneLine, "exercise": exercise.name.oneLine, "code": code, "minutes": "\(validMinutes)"]]
        return MailMessage(
            from: from, to: [MailAddress(email: member.email, name: member.name)],
            subject: words["mailSigningCodeSubject", ["code": code]], textBody: text)
    }
}

extension Messages {
    public static func sealedPlan(
        member: Member, exercise: Exercise, versionNumber: Int, verificationLink: String,
        pdf: Data, fileName: String, from: MailAddress, language: Language = .es
    ) -> MailMessage {
        let words = language.words
        let text = words[
            "mailSealedPlanBody",
            [
                "name": member.name.oneLine, "exercise": exercise.name.oneLine, "version": "\(versionNumber)", "link": verificationLink,
                "signature": words["mailSignature"],
            ]]
        return MailMessage(
            from: from, to: [MailAddress(email: member.email, name: member.name)],
            subject: words["mailSealedPlanSubject", ["exercise": exercise.name.oneLine, "version": "\(versionNumber)"]], textBody: text,
            attachments: [MailAttachment(filename: fileName, mediaType: "application/pdf", data: pdf)])
    }
}
