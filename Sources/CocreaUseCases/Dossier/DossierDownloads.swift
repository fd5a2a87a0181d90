import CocreaCore
import CocreaDocuments
import CocreaStore
import FluentKit
import Foundation

/// The whole dossier as one PDF or as a ZIP of its files, for members and through receipt links, in
/// the reader's language (the ZIP's index among them).
package enum DossierDownloads {
    package static func document(of exercise: Exercise, at now: Date, language: Language = .es, on db: Database) async throws -> DossierDocument {
        let words = language.words
        let exerciseID = try exercise.requireID()
        let items = try await DossierItem.query(on: db).filter(\.$exercise.$id == exerciseID).with(\.$file).sort(\.$createdAt).all()
        let (readiness, _) = try await DossierOperations.readiness(of: exercise, on: db)
        return DossierDocument(
            exerciseName: exercise.name, territory: exercise.territory,
            versionLabel: readiness.currentVersion.map { words["pdfDossierVersion", ["number": "\($0)"]] } ?? words["pdfDossierDraft"],
            generatedAt: words.dateTime(now, in: exercise.zone),
            items: items.map { item in
                DossierDocument.Item(
                    kind: item.kind.label(language), title: item.title, body: item.body, source: item.source,
                    contributedBy: item.contributedBy,
                    createdAt: item.createdAt.map { words.dateTime($0, in: exercise.zone) } ?? "",
                    file: item.file.map { DossierDocument.File(name: $0.name, sha256: $0.sha256, data: $0.data) })
            })
    }

    package static func pdf(of exercise: Exercise, language: Language = .es, on ctx: UseCaseContext) async throws -> Download {
        let document = try await document(of: exercise, at: ctx.now, language: language, on: ctx.db)
        let data = try await ctx.threadPool.runIfActive { try DossierPDF.render(document, language: language) }
        return Download(data, name: "expediente-previo.pdf", type: "application/pdf")
    }

    package static func zip(of exercise: Exercise, language: Language = .es, on ctx: UseCaseContext) async throws -> Download {
        let document = try await document(of: exercise, at: ctx.now, language: language, on: ctx.db)
        let data = try await ctx.threadPool.runIfActive { try DossierArchive.zip(document, language: language) }
        return Download(data, name: "expediente-previo.zip", type: "application/zip")
    }

    /// The exercise a receipt link belongs to; the token is the credential.
    package static func exercise(forReceipt token: String, on ctx: UseCaseContext) async throws -> Exercise {
        let receipt = try await DossierOperations.openReceipt(token: token, at: ctx.now, on: ctx.db)
        guard let exercise = try await Exercise.find(receipt.distribution.$exercise.id, on: ctx.db) else { throw CocreaError.notFound(.exercise) }
        return exercise
    }

}
