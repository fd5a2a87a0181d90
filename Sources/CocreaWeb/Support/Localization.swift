import CocreaCore
import Vapor

extension Application {
    /// Reads the catalogue at start-up; an incomplete one stops the start with the keys at fault. It
    /// becomes the process's too, which labels, mail and PDFs read through their `Language`.
    func loadCatalogue(root: String) throws {
        let catalogue = try Catalogue.load(directory: URL(fileURLWithPath: root).appendingPathComponent("Resources/Locales"))
        Catalogue.install(catalogue)
    }

    /// The catalogue read at start-up, kept by the process rather than in the application's storage,
    /// which Vapor empties at shutdown while a request may still be running.
    var catalogue: Catalogue { Catalogue.shipped }
}

extension Request {
    /// The words of the interface in the language of this request.
    var words: Words { application.catalogue.words(language) }

    /// `?lang=` (remembered in a cookie), else the cookie, else Accept-Language; Spanish by default.
    var language: Language {
        if let query = try? query.get(String.self, at: "lang"), let language = Language(rawValue: query) { return language }
        if let cookie = cookies["lang"]?.string, let language = Language(rawValue: cookie) { return language }
        let accepted = headers.first(name: .acceptLanguage)?.lowercased() ?? ""
        let first = accepted.split(separator: ",").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        return first.hasPrefix("en") ? .en : .es
    }
}
