import CocreaStore
import Foundation

extension Messages {
    public static func signatureRequest(
        member: Member, exercise: Exercise, versionNumber: Int, shortCode: String, link: String, from: MailAddress
    ) -> MailMessage {
        let text = """
            Hola, \(member.name.oneLine):

            El Plan de Acción Local de «\(exercise.name.oneLine)» (versión \(versionNumber), \(shortCode)) está listo para su firma. \
            En tu enlace personal puedes leerlo completo; al abrirlo te enviaremos un código de un solo uso a este correo. \
            Al escribir el código quedan tu rúbrica en cada hoja y tu firma al calce:
            \(link)

            El enlace es solo para ti; no lo reenvíes.

            — Secretariado Técnico Local, vía Cocrea

            ---
            The Local Action Plan of "\(exercise.name.oneLine)" (version \(versionNumber)) is ready for your signature. Open your personal link above.
            """
        return MailMessage(
            from: from, to: [MailAddress(email: member.email, name: member.name)],
            subject: "Firma del Plan de Acción Local de «\(exercise.name.oneLine)» (versión \(versionNumber))", textBody: text)
    }

    public static func signingCode(member: Member, exercise: Exercise, code: String, validMinutes: Int, from: MailAddress) -> MailMessage {
        let text = """
            Hola, \(member.name.oneLine):

            Tu código para firmar el Plan de Acción Local de «\(exercise.name.oneLine)» es:

                \(code)

            Vence en \(validMinutes) minutos y sirve una sola vez. Si no lo pediste tú, ignora este correo.

            ---
            Your one-time code to sign the Local Action Plan is \(code) (valid for \(validMinutes) minutes).
            """
        return MailMessage(
            from: from, to: [MailAddress(email: member.email, name: member.name)],
            subject: "Código para firmar el PAL: \(code)", textBody: text)
    }
}

extension Messages {
    public static func sealedPlan(
        member: Member, exercise: Exercise, versionNumber: Int, verificationLink: String,
        pdf: Data, fileName: String, from: MailAddress
    ) -> MailMessage {
        let text = """
            Hola, \(member.name.oneLine):

            Te enviamos el Plan de Acción Local de «\(exercise.name.oneLine)» (versión \(versionNumber)), con la rúbrica de cada \
            integrante en todas sus hojas y sus firmas al calce, sellado digitalmente por Cocrea. Va adjunto en PDF.

            Cualquier persona puede comprobar que una copia es auténtica en:
            \(verificationLink)

            A partir de hoy, el avance de cada compromiso se publica y se sigue durante el año.

            — Secretariado Técnico Local, vía Cocrea

            ---
            Attached is the signed and sealed Local Action Plan of "\(exercise.name.oneLine)" (version \(versionNumber)). Verify any copy at the link above.
            """
        return MailMessage(
            from: from, to: [MailAddress(email: member.email, name: member.name)],
            subject: "Plan de Acción Local firmado de «\(exercise.name.oneLine)» (versión \(versionNumber))", textBody: text,
            attachments: [MailAttachment(filename: fileName, mediaType: "application/pdf", data: pdf)])
    }
}
