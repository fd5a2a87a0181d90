import CocreaCore
import Foundation
import Testing

/// The catalogue of the interface's words refuses to start with a language that lacks a key, has one
/// the reference lacks, or leaves a text empty, and names the keys at fault.
@Suite struct CatalogueTests {
    let spanish = ["signIn": "Iniciar sesión", "planNewCommitment": "Nuevo compromiso"]

    @Test func aLanguageMissingAKeyIsRefusedNamingTheKey() {
        #expect {
            try Catalogue(tables: [.es: spanish, .en: ["signIn": "Sign in"]])
        } throws: { error in
            "\(error)".contains("en.json: faltan planNewCommitment")
        }
    }

    @Test func aKeyOnlyOneLanguageHasIsRefused() {
        #expect {
            try Catalogue(tables: [.es: spanish, .en: ["signIn": "Sign in", "planNewCommitment": "New commitment", "extra": "Extra"]])
        } throws: { error in
            "\(error)".contains("en.json: sobran extra")
        }
    }

    @Test func anEmptyTextIsRefused() {
        #expect {
            try Catalogue(tables: [.es: spanish, .en: ["signIn": "Sign in", "planNewCommitment": " "]])
        } throws: { error in
            "\(error)".contains("en.json: vacías planNewCommitment")
        }
    }

    @Test func aCatalogueWithoutSpanishIsRefused() {
        #expect {
            try Catalogue(tables: [.en: ["signIn": "Sign in", "planNewCommitment": "New commitment"]])
        } throws: { error in
            "\(error)".contains("es.json: falta el archivo")
        }
    }

    /// Adding a language is adding its file: Náhuatl next to Spanish and English, and nothing else.
    @Test func aLanguageIsAddedByAddingItsFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("locales-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = [
            "es.json": #"{"signIn": "Iniciar sesión", "languageName": "Español"}"#,
            "en.json": #"{"signIn": "Sign in", "languageName": "English"}"#,
            "nah.json": #"{"signIn": "Xikalaki", "languageName": "Nāhuatlahtōlli"}"#,
            "LEEME.json": #"{"not": "a language"}"#,
        ]
        for (name, text) in files { try Data(text.utf8).write(to: folder.appendingPathComponent(name)) }

        let catalogue = try Catalogue.load(directory: folder)
        #expect(catalogue.languages.map(\.rawValue) == ["es", "en", "nah"], "Spanish first, then by code; a name that is no language code is no language")
        let nahuatl = try #require(catalogue.language("nah"))
        #expect(catalogue.words(nahuatl)["signIn"] == "Xikalaki")
        #expect(catalogue.language("fr") == nil)
    }

    @Test func wordsFillTheirPlaceholdersAndChooseTheNumber() throws {
        let catalogue = try Catalogue(tables: [
            .es: ["sentOne": "Se envió a {count} persona.", "sentOther": "Se envió a {count} personas.", "title": "Versión {number}"],
            .en: ["sentOne": "Sent to {count} person.", "sentOther": "Sent to {count} people.", "title": "Version {number}"],
        ])
        #expect(catalogue.words(.es).count("sent", 1) == "Se envió a 1 persona.")
        #expect(catalogue.words(.en).count("sent", 3) == "Sent to 3 people.")
        #expect(catalogue.words(.en)["title", ["number": "2"]] == "Version 2")
    }

    @Test func aValueThatLooksLikeAPlaceholderIsWrittenAsGiven() throws {
        let greeting = ["greeting": "Hola, {name}: entra en {link} ({name})."]
        let catalogue = try Catalogue(tables: [.es: greeting, .en: greeting])
        let text = catalogue.words(.es)["greeting", ["name": "Rosa {link}", "link": "https://cocrea.example/login"]]
        #expect(text == "Hola, Rosa {link}: entra en https://cocrea.example/login (Rosa {link}).")
    }

    @Test func aLabelIsTheCatalogueTextOfItsVocabularyAndCase() throws {
        let catalogue = try Catalogue(tables: [
            .es: ["stance_agreeWithReservations": "De acuerdo con reservas"], .en: ["stance_agreeWithReservations": "Agree with reservations"],
        ])
        #expect(Stance.agreeWithReservations.labelKey == "stance_agreeWithReservations")
        #expect(catalogue.words(.en).label(Stance.agreeWithReservations) == "Agree with reservations")
    }
}
