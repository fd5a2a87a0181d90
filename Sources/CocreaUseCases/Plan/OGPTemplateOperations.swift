import CocreaCore
import CocreaDocuments
import CocreaStore
import FluentKit
import Foundation

/// Maps a frozen plan version onto the OGP commitment template: what the PAL holds goes to the
/// question that asks for it; a question the PAL has no field for stays unanswered (see `OGPTemplate`).
package enum OGPTemplateOperations {
    /// The template of the version `versionID`; the route policy already found it sealed or of the caller's exercise.
    package static func template(ofVersion versionID: UUID?, language: Language = .es, on ctx: UseCaseContext) async throws -> OGPTemplate {
        try await template(of: try await version(versionID, on: ctx), language: language, on: ctx.db)
    }

    /// The template as the Word document officials complete, rendered off the event loops.
    package static func document(ofVersion versionID: UUID?, language: Language = .es, on ctx: UseCaseContext) async throws -> Download {
        let version = try await version(versionID, on: ctx)
        let template = try await template(of: version, language: language, on: ctx.db)
        let docx = try await ctx.threadPool.runIfActive { try OGPTemplateDOCX.render(template, language: language) }
        return Download(docx, name: "pal-v\(version.number)-plantilla-aga.docx", type: OGPTemplateDOCX.mediaType)
    }

    private static func version(_ id: UUID?, on ctx: UseCaseContext) async throws -> PlanVersion {
        guard let id, let version = try await PlanVersion.find(id, on: ctx.db) else { throw CocreaError.notFound(.planVersion) }
        return version
    }

    /// The template's labels and dates in `language`; the answers are the PAL's, as written.
    package static func template(of version: PlanVersion, language: Language = .es, on db: Database) async throws -> OGPTemplate {
        let words = language.words
        let content = try JSONDecoder().decode(PlanVersionOperations.Content.self, from: Data(version.content.utf8))
        let zone = try await Exercise.find(version.$exercise.id, on: db)?.zone ?? TimeZone(identifier: "America/Mexico_City")!
        let nationalIDs = content.commitments.compactMap(\.nationalCommitmentId)
        let national =
            nationalIDs.isEmpty
            ? [:]
            : Dictionary(
                try await NationalCommitment.query(on: db).filter(\.$id ~~ nationalIDs).all().map { ($0.id!, $0) }, uniquingKeysWith: { first, _ in first })
        let itemIDs = content.commitments.compactMap(\.dossierItemId)
        let items =
            itemIDs.isEmpty
            ? [:]
            : Dictionary(
                try await DossierItem.query(on: db).filter(\.$id ~~ itemIDs).all().map { ($0.id!, $0.title) }, uniquingKeysWith: { first, _ in first })

        let commitments = content.commitments.enumerated().map { index, commitment in
            let lead = commitment.leadInstitution.trimmingCharacters(in: .whitespacesAndNewlines)
            var others: [String] = []
            for institution in commitment.activities.compactMap({ OGPTemplate.recorded($0.responsibleInstitution) })
            where institution != lead && !others.contains(institution) {
                others.append(institution)
            }
            let why = Dictionary((commitment.ogpValues ?? []).map { ($0.value, $0.why) }, uniquingKeysWith: { first, _ in first })
            var template = OGPTemplate.Commitment(
                number: index + 1, title: commitment.title, category: words[commitment.category.labelKey],
                startsOn: numeric(commitment.startsOn), endsOn: numeric(commitment.endsOn), leadInstitution: lead, otherActors: others,
                nationalCommitment: commitment.nationalCommitmentId.flatMap { national[$0] }.map {
                    words["ogpTemplateNationalCommitment", ["plan": $0.plan, "code": $0.code, "title": $0.title]]
                },
                diagnosisProblem: commitment.dossierItemId.flatMap { items[$0] },
                problem: .init(statement: OGPTemplate.recorded(commitment.problem), causes: nil),
                description: .init(
                    doneSoFar: nil, solution: OGPTemplate.recorded(commitment.description), results: OGPTemplate.recorded(commitment.objective),
                    indicator: .init(
                        name: OGPTemplate.recorded(commitment.indicator.name), baseline: OGPTemplate.recorded(commitment.indicator.baseline),
                        target: OGPTemplate.recorded(commitment.indicator.target),
                        meansOfVerification: OGPTemplate.recorded(commitment.indicator.meansOfVerification))),
                analysis: .init(
                    transparency: OGPTemplate.recorded(why[.transparency]), accountability: OGPTemplate.recorded(why[.publicAccountability]),
                    participation: OGPTemplate.recorded(why[.citizenParticipation]), innovation: OGPTemplate.recorded(why[.technologyAndInnovation])),
                milestones: commitment.activities.map {
                    .init(
                        title: $0.title, expectedOutputs: OGPTemplate.recorded($0.deliverable), startsOn: OGPTemplate.recorded(numeric($0.startsOn ?? "")),
                        dueOn: numeric($0.dueOn), responsible: OGPTemplate.recorded($0.responsible),
                        institution: OGPTemplate.recorded($0.responsibleInstitution), meansOfVerification: OGPTemplate.recorded($0.meansOfVerification))
                })
            let details = Dictionary(PlanDocumentOperations.template(of: commitment).map { ($0.key, $0.text) }, uniquingKeysWith: { first, _ in first })
            template.coResponsible = commitment.coResponsible?.isEmpty == false ? commitment.coResponsible : nil
            template.sdgTargets = commitment.sdgTargets?.isEmpty == false ? commitment.sdgTargets!.map(SDGCatalogue.shipped.describe) : nil
            template.genderPerspective = details["pdfPlanGender"]
            template.assumptions = details["pdfPlanAssumptions"]
            template.budget = PlanDocumentOperations.budget(of: commitment)?.text(words)
            return template
        }
        return OGPTemplate(
            exerciseName: content.exercise.name, territory: content.exercise.territory, nationalPlan: content.exercise.nationalPlan,
            versionNumber: version.number, sha256: version.sha256, frozenAt: words.dateTime(version.frozenAt, in: zone),
            sealedAt: version.sealedAt.map { words.dateTime($0, in: zone) }, commitments: commitments)
    }

    private static func numeric(_ text: String) -> String {
        LocalDate(text).map(MexicanFormat.numeric) ?? text
    }
}
