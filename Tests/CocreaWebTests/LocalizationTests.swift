import CocreaConsultation
import CocreaCore
import CocreaTestSupport
import CocreaUseCases
import Foundation
import Testing
import Vapor

@testable import CocreaWeb

/// Every word of the interface comes from the catalogue (`Resources/Locales`): the languages have the
/// same keys, every key a template or a page names exists, and a template writes no words of its own.
@Suite struct LocalizationTests {
    static let root = URL(fileURLWithPath: TestPaths.root)
    static let views = root.appendingPathComponent("Resources/Views")

    static func files(in folder: URL, ending suffix: String) throws -> [URL] {
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
        return (enumerator?.allObjects as? [URL] ?? []).filter { $0.lastPathComponent.hasSuffix(suffix) }.sorted { $0.path < $1.path }
    }

    @Test func theShippedCataloguesHaveTheSameKeysAndNoEmptyText() throws {
        let catalogue = try Catalogue.load(directory: Self.root.appendingPathComponent("Resources/Locales"))
        #expect(catalogue.keys.count > 400)
    }

    /// Every vocabulary people read, as the catalogue labels it.
    static let vocabularies: [[String]] = [
        Sector.allCases.map(\.labelKey), Role.allCases.map(\.labelKey), DossierItemKind.allCases.map(\.labelKey),
        DeliveryState.allCases.map(\.labelKey), CommitmentCategory.allCases.map(\.labelKey), ActivityStatus.allCases.map(\.labelKey),
        Stance.allCases.map(\.labelKey), RoundtableStage.allCases.map(\.labelKey), Presence.allCases.map(\.labelKey),
        InterventionKind.allCases.map(\.labelKey), DossierVisibility.allCases.map(\.labelKey), Completion.allCases.map(\.labelKey),
        RoadmapEventKind.allCases.map(\.labelKey), QuestionKind.allCases.map(\.labelKey), SurveyStatus.allCases.map(\.labelKey),
        Sought.allCases.map(\.labelKey),
    ]

    @Test func everyCaseOfEveryVocabularyHasALabelInEveryLanguage() throws {
        let catalogue = try Catalogue.load(directory: Self.root.appendingPathComponent("Resources/Locales"))
        var missing: [String] = []
        for language in Language.allCases {
            let table = catalogue.words(language).table
            missing += Self.vocabularies.joined().filter { table[$0] == nil }.map { "\(language.rawValue).json: \($0)" }
        }
        #expect(missing.isEmpty, "vocabulary without a label: \(missing)")
        #expect(Stance.agreeWithReservations.label(.es) == "De acuerdo con reservas")
        #expect(Sector.civilSociety.label(.en) == "Civil society")
    }

    @Test func everyKeyATemplateOrASourceNamesIsInTheCatalogue() throws {
        let keys = try Catalogue.load(directory: Self.root.appendingPathComponent("Resources/Locales")).keys
        var missing: [String] = []
        for template in try Self.files(in: Self.views, ending: ".leaf") {
            let text = try String(contentsOf: template, encoding: .utf8)
            for match in text.matches(of: /\bt\.([A-Za-z0-9_]+)/) where !keys.contains(String(match.1)) {
                missing.append("\(template.lastPathComponent): t.\(match.1)")
            }
        }
        for source in try Self.files(in: Self.root.appendingPathComponent("Sources"), ending: ".swift") {
            let text = try String(contentsOf: source, encoding: .utf8)
            for match in text.matches(of: /words\[\s*"([A-Za-z0-9]+)"/) where !keys.contains(String(match.1)) {
                missing.append("\(source.lastPathComponent): \(match.1)")
            }
            for match in text.matches(of: /words\.count\(\s*"([A-Za-z0-9]+)"/) {
                for form in ["One", "Other"] where !keys.contains(String(match.1) + form) {
                    missing.append("\(source.lastPathComponent): \(match.1)\(form)")
                }
            }
        }
        #expect(missing.isEmpty, "keys not in the catalogue: \(missing)")
    }

    /// A problem's text and a field's name are named by key where the sentence is built, anywhere in
    /// the sources; a key the catalogue lacks would show as itself.
    @Test func everyProblemAndFieldNameTheSourcesNameIsInTheCatalogue() throws {
        let keys = try Catalogue.load(directory: Self.root.appendingPathComponent("Resources/Locales")).keys
        var named: Set<String> = []
        for source in try Self.files(in: Self.root.appendingPathComponent("Sources"), ending: ".swift") {
            let text = try String(contentsOf: source, encoding: .utf8)
            named.formUnion(text.matches(of: /"((?:problem|field)[A-Z][A-Za-z0-9]*)"/).map { String($0.1) })
        }
        #expect(named.count > 80)
        #expect(named.subtracting(keys).isEmpty, "named, and not in the catalogue: \(named.subtracting(keys).sorted())")
    }

    @Test func noTemplateWritesInterfaceTextOfItsOwn() throws {
        var found: [String] = []
        for template in try Self.files(in: Self.views, ending: ".leaf") {
            for literal in Self.literals(in: try String(contentsOf: template, encoding: .utf8)) {
                found.append("\(template.lastPathComponent): «\(literal)»")
            }
        }
        #expect(found.isEmpty, "words written in a template instead of the catalogue: \(found)")
    }

    @Test func theScanFindsWordsInTextAndInTextAttributes() {
        let template = #"""
            <nav aria-label="Principal"><a href="/exercises/#(page.id)/plan">Vista de lectura</a> #(t.skip)</nav>
            <p>#if(page.valid):El plan cumple#else:#(t.planMissing)#endif · SHA-256 <code>#(page.sha)</code> activities.csv</p>
            """#
        #expect(Self.literals(in: template) == ["Principal", "Vista de lectura", "El plan cumple"])
    }

    /// Names that read the same in every language.
    static let sameInEveryLanguage: Set<String> = ["Cocrea", "SHA-256", "OCDS", "PDF", "CSV", "ZIP", "JSON"]
    static let textAttributes = ["title", "alt", "placeholder", "aria-label", "label"]

    /// The words a template writes itself: text between tags and in the attributes people read, once
    /// Leaf's tags (`#(…)`, `#if(…):`, `#endif`…), scripts, paths and file names are taken out.
    static func literals(in template: String) -> [String] {
        var text = template.replacing(/(?s)<script.*?<\/script>|<style.*?<\/style>|<!--.*?-->/, with: " ")
        text = withoutLeafTags(text)
        var fragments: [String] = []
        for tag in text.matches(of: /<[^>]*>/) {
            for attribute in String(tag.0).matches(of: /([a-zA-Z-]+)="([^"]*)"/)
            where textAttributes.contains(String(attribute.1)) || attribute.1.hasPrefix("data-") && attribute.2.contains(" ") {
                fragments.append(String(attribute.2))
            }
        }
        fragments += text.replacing(/<[^>]*>/, with: "\u{0}").split(separator: "\u{0}").map(String.init)
        return fragments.compactMap { fragment in
            let cleaned = fragment.replacing(/\S*\/\S*|\.(csv|json)\b|\b\w+\.(csv|pem|json|pdf|docx)\b/, with: " ")
            let words = cleaned.split { $0.isWhitespace || "(),;:·.«»¿?¡!\"'%—–".contains($0) }
                .filter { $0.contains { $0.isLetter } && !sameInEveryLanguage.contains(String($0)) }
            return words.isEmpty ? nil : fragment.trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    /// Replaces each Leaf tag with a separator: `#name`, its balanced `(…)` if any, and a trailing `:`.
    static func withoutLeafTags(_ text: String) -> String {
        let characters = Array(text)
        var output: [Character] = []
        var index = 0
        while index < characters.count {
            guard characters[index] == "#", index + 1 < characters.count,
                characters[index + 1] == "(" || characters[index + 1].isLetter
            else {
                output.append(characters[index])
                index += 1
                continue
            }
            var end = index + 1
            while end < characters.count, characters[end].isLetter { end += 1 }
            if end < characters.count, characters[end] == "(" {
                var depth = 0
                var quoted = false
                while end < characters.count {
                    let character = characters[end]
                    if character == "\"" { quoted.toggle() }
                    if !quoted && character == "(" { depth += 1 }
                    if !quoted && character == ")" {
                        depth -= 1
                        if depth == 0 { break }
                    }
                    end += 1
                }
                end += 1
            }
            if end < characters.count, characters[end] == ":", end > index + 1 { end += 1 }
            output.append("\u{0}")
            index = end
        }
        return String(output)
    }

    /// A browser's Accept-Language picks the catalogue language it weighs highest, by primary subtag.
    @Test func theLanguageABrowserPrefersIsTheOneItWeighsHighest() throws {
        let catalogue = Catalogue.shipped
        #expect(Request.preferred("en-US,en;q=0.9,es;q=0.8", among: catalogue) == .en)
        #expect(Request.preferred("fr-CA, es-MX;q=0.5, en;q=0.4", among: catalogue) == .es, "French is not in the catalogue")
        #expect(Request.preferred("es;q=0.2, en;q=0.9", among: catalogue) == .en, "the weight counts, not the order")
        #expect(Request.preferred("en;q=0, es;q=0.1", among: catalogue) == .es, "q=0 means not this one")
        #expect(Request.preferred("es-MX, en", among: catalogue) == .es, "on a tie, the order counts")
        #expect(Request.preferred("fr, de;q=nan, *", among: catalogue) == nil)
        #expect(Request.preferred(String(repeating: "xx;q=1,", count: 10_000) + "en", among: catalogue) == nil, "only the first entries count")
    }
}
