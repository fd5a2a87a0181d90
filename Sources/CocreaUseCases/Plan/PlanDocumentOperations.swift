import CocreaCore
import CocreaDocuments
import CocreaStore
import FluentKit
import Foundation

/// Turns a frozen plan version, its exercise's members and their signatures into the PAL's PDF.
package enum PlanDocumentOperations {
    /// The public page a version's QR code points to.
    package static func verificationURL(of version: PlanVersion, baseURL: String) -> String {
        "\(baseURL)/verify/\(version.id?.uuidString.lowercased() ?? "")"
    }

    /// The version's PAL as a PDF, rendered off the event loops.
    package static func pdf(of version: PlanVersion, on ctx: UseCaseContext) async throws -> Download {
        let document = try await document(of: version, baseURL: ctx.baseURL, on: ctx.db)
        let pdf = try await ctx.threadPool.runIfActive { try PlanPDF.render(document) }
        return Download(pdf, name: "pal-v\(version.number).pdf", type: "application/pdf")
    }

    package static func document(
        of version: PlanVersion, baseURL: String, on db: Database, certificate: PlanDocument.Certificate? = nil
    ) async throws -> PlanDocument {
        let content = try JSONDecoder().decode(PlanVersionOperations.Content.self, from: Data(version.content.utf8))
        let exercise = try await Exercise.find(version.$exercise.id, on: db)
        let zone = exercise?.zone ?? TimeZone(identifier: "America/Mexico_City")!
        let members = try await Member.query(on: db).filter(\.$exercise.$id == version.$exercise.id).sort(\.$createdAt).all()
        let signatures = try await Signature.query(on: db).filter(\.$planVersion.$id == version.requireID()).all()
        let signedAt = Dictionary(
            signatures.compactMap { signature in signature.signedAt.map { (signature.$member.id, (signature, $0)) } },
            uniquingKeysWith: { first, _ in first })
        let national = Dictionary(try await NationalCommitment.query(on: db).all().map { ($0.id!, $0) }, uniquingKeysWith: { first, _ in first })
        let items = Dictionary(
            try await DossierItem.query(on: db).filter(\.$exercise.$id == version.$exercise.id).all().map { ($0.id!, $0.title) },
            uniquingKeysWith: { first, _ in first })

        let signers = members.map { member in
            PlanDocument.Signer(
                name: member.name, sector: member.sector.label(.es), organization: member.organization,
                mark: signedAt[member.id!].map { signature, at in
                    PlanDocument.Mark(signedAt: MexicanFormat.numeric(at, in: zone), method: methodLabel(signature.method, rfc: signature.certificateRFC))
                }, key: fieldKey(of: member.id!))
        }
        // As the public reads it: the PAL is published once sealed.
        let origins = try await CommitmentOrigins.origins(of: content.commitments, in: version.$exercise.id, for: .everyone, on: db)
        let commitments = content.commitments.map { commitment in
            var link: String?
            if let id = commitment.nationalCommitmentId, let entry = national[id] {
                link = "Plan nacional \(entry.plan) · \(entry.code) \(entry.title)"
            } else if let id = commitment.dossierItemId, let title = items[id] {
                link = "Problema del expediente: \(title)"
            }
            var agreed = PlanDocument.Commitment(
                title: commitment.title, category: commitment.category.label(.es), link: link,
                problem: commitment.problem, description: commitment.description, objective: commitment.objective,
                indicator: commitment.indicator.name ?? "", baseline: commitment.indicator.baseline ?? "",
                target: commitment.indicator.target ?? "", meansOfVerification: commitment.indicator.meansOfVerification ?? "",
                span: "\(numeric(commitment.startsOn)) – \(numeric(commitment.endsOn))", leadInstitution: commitment.leadInstitution,
                activities: commitment.activities.map {
                    var activity = PlanDocument.Activity(
                        title: $0.title, responsible: $0.responsible, institution: $0.responsibleInstitution, dueOn: numeric($0.dueOn))
                    activity.startsOn = numeric($0.startsOn ?? "")
                    activity.deliverable = $0.deliverable ?? ""
                    activity.meansOfVerification = $0.meansOfVerification ?? ""
                    return activity
                })
            agreed.ogpValues = (commitment.ogpValues ?? []).map { (value: $0.value, why: $0.why) }
            agreed.template = template(of: commitment)
            agreed.budget = budget(of: commitment)
            agreed.origin = commitment.id.flatMap { origins[$0] }?.lines(in: zone) ?? []
            return agreed
        }
        var document = PlanDocument(
            exerciseName: content.exercise.name, territory: content.exercise.territory, versionNumber: version.number,
            sha256: version.sha256, frozenAt: MexicanFormat.dateTime(version.frozenAt, in: zone),
            verificationURL: verificationURL(of: version, baseURL: baseURL), signers: signers, commitments: commitments,
            certificate: certificate)
        // As frozen: the STL may be rewriting the live draft while this version is signed.
        document.narrative = content.narrative ?? PlanNarrative()
        if let exercise {
            document.record = try await PlanRecordOperations.record(of: exercise, commitments: content.commitments, asOf: version.frozenAt, on: db)
        }
        return document
    }

    /// The template's fields a commitment records as text, as the PAL's table rows (the OGP values
    /// and the budget are facts the document words in its language).
    package static func template(of commitment: CommitmentDTO) -> [PlanDocument.Detail] {
        let catalogue = SDGCatalogue.shipped
        let rows: [(String, String?)] = [
            ("pdfPlanSdgTargets", commitment.sdgTargets?.map(catalogue.describe).joined(separator: "\n")),
            ("pdfPlanGender", commitment.genderPerspective), ("pdfPlanCoResponsible", commitment.coResponsible?.joined(separator: "\n")),
            ("pdfPlanAssumptions", commitment.assumptions),
        ]
        return rows.compactMap { key, text in text?.isEmpty == false ? PlanDocument.Detail(key: key, text: text!) : nil }
    }

    package static func budget(of commitment: CommitmentDTO) -> CommitmentBudget? {
        commitment.budget.map { CommitmentBudget(amount: $0.amount, source: $0.source) }
    }

    /// How an actor signed, as the PAL and the verification report say it; an e.firma names its RFC.
    package static func methodLabel(_ method: String, rfc: String? = nil) -> String {
        switch method {
        case "paper": "firma autógrafa (copia escaneada)"
        case "efirma": "firma electrónica avanzada (e.firma" + (rfc.map { ", RFC \($0)" } ?? "") + ")"
        default: "firma electrónica con código por correo"
        }
    }

    /// What names a member's fields in the signing copy.
    package static func fieldKey(of memberID: UUID) -> String {
        memberID.uuidString.lowercased()
    }

    private static func numeric(_ text: String) -> String {
        LocalDate(text).map(MexicanFormat.numeric) ?? text
    }
}
