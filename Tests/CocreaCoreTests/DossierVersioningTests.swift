import CocreaCore
import Foundation
import Testing

/// Any change to the dossier's content is a new version; the same content goes again under its version.
@Suite struct DossierVersioningTests {
    let diagnosis = DossierVersioning.Item(
        id: UUID(uuidString: "0B4D8F5E-58C2-4B1A-9F3A-1D2C3B4A5E6F")!, kind: .problem,
        title: "Opacidad en la asignación de obra pública",
        body: "Los padrones de contratistas de Zapopan no se publican en formato abierto.",
        source: "Diagnóstico del ITEI 2026", fileSHA256: nil)
    let study = DossierVersioning.Item(
        id: UUID(uuidString: "7A1E2C3D-4B5F-4E6A-8B9C-0D1E2F3A4B5C")!, kind: .study,
        title: "Estudio de solicitudes de información 2025", body: "Temas recurrentes por dependencia.",
        source: "Unidad de Transparencia", fileSHA256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")

    @Test func theFirstSendingIsVersionOne() {
        #expect(DossierVersioning.sending(latest: nil, contentSHA256: "a1") == .newVersion(1))
    }

    @Test func changedContentIsANewVersionForEveryone() {
        let latest = DossierVersioning.Sent(version: 2, contentSHA256: "a1")
        #expect(DossierVersioning.sending(latest: latest, contentSHA256: "b2") == .newVersion(3))
        #expect(DossierVersioning.currentVersion(latest: latest, contentSHA256: "b2") == nil)
    }

    @Test func theSameContentGoesAgainUnderItsVersion() {
        let latest = DossierVersioning.Sent(version: 2, contentSHA256: "a1")
        #expect(DossierVersioning.sending(latest: latest, contentSHA256: "a1") == .sameVersion(2))
        #expect(DossierVersioning.currentVersion(latest: latest, contentSHA256: "a1") == 2)
    }

    @Test func editingAnyFieldOrTheAttachedFileChangesTheContent() {
        let before = DossierVersioning.canonicalContent([diagnosis, study])
        var retitled = diagnosis
        retitled.title = "Opacidad en la asignación de la obra pública municipal"
        var reattached = study
        reattached.fileSHA256 = "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"
        #expect(DossierVersioning.canonicalContent([retitled, study]) != before)
        #expect(DossierVersioning.canonicalContent([diagnosis, reattached]) != before)
        #expect(DossierVersioning.canonicalContent([diagnosis]) != before)
    }

    @Test func theOrderItemsAreReadInIsNoChange() {
        #expect(DossierVersioning.canonicalContent([diagnosis, study]) == DossierVersioning.canonicalContent([study, diagnosis]))
    }
}
