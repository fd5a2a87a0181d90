import Foundation

/// The words of the interface, one data file per language (`Resources/Locales/<code>.json`, a flat
/// object of key to text). Spanish is the reference: every other language has exactly its keys, so
/// adding a language is adding one file with every key translated.
public struct Catalogue: Sendable {
    public static let reference = Language.es
    private let tables: [Language: [String: String]]

    /// Refuses a catalogue without Spanish, or whose languages do not have the same keys, or that has
    /// an empty text, naming every key at fault so the person adding a language knows what to write.
    public init(tables: [Language: [String: String]]) throws {
        var problems: [String] = []
        guard let reference = tables[Self.reference] else {
            throw CatalogueProblem(description: "El catálogo de textos está incompleto: \(Self.reference.rawValue).json: falta el archivo")
        }
        for (language, table) in tables.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            let missing = Set(reference.keys).subtracting(table.keys).sorted()
            let extra = Set(table.keys).subtracting(reference.keys).sorted()
            let empty = table.filter { $0.value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }.keys.sorted()
            if !missing.isEmpty { problems.append("\(language.rawValue).json: faltan \(missing.joined(separator: ", "))") }
            if !extra.isEmpty { problems.append("\(language.rawValue).json: sobran \(extra.joined(separator: ", "))") }
            if !empty.isEmpty { problems.append("\(language.rawValue).json: vacías \(empty.joined(separator: ", "))") }
        }
        if !problems.isEmpty { throw CatalogueProblem(description: "El catálogo de textos está incompleto: " + problems.joined(separator: "; ")) }
        self.tables = tables
    }

    /// A catalogue taken as it is, for the empty one a process falls back to without its files.
    private init(checked tables: [Language: [String: String]]) {
        self.tables = tables
    }

    /// Reads every `<code>.json` in `directory`: each file is a language.
    public static func load(directory: URL) throws -> Catalogue {
        var tables: [Language: [String: String]] = [:]
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        for name in names.sorted() where name.hasSuffix(".json") {
            let code = String(name.dropLast(".json".count))
            guard Language.isCode(code) else { continue }
            let language = Language(code: code)
            let file = directory.appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: file.path) else { continue }
            do {
                tables[language] = try JSONDecoder().decode([String: String].self, from: data)
            } catch {
                throw CatalogueProblem(description: "El catálogo \(file.path) no es un objeto JSON de textos: \(error)")
            }
        }
        return try Catalogue(tables: tables)
    }

    public func words(_ language: Language) -> Words {
        Words(table: tables[language] ?? [:])
    }

    public var keys: Set<String> { Set(tables[Self.reference].map { Array($0.keys) } ?? []) }

    /// The languages it has words for: Spanish first, then by code.
    public var languages: [Language] {
        tables.keys.sorted { ($0 == Self.reference ? 0 : 1, $0.rawValue) < ($1 == Self.reference ? 0 : 1, $1.rawValue) }
    }

    /// The language of `code`, if the catalogue has its file.
    public func language(_ code: String) -> Language? {
        let language = Language(code: code)
        return tables[language] == nil ? nil : language
    }
}

extension Catalogue {
    /// The catalogue this process speaks with, for the modules that take a `Language` (labels, mail,
    /// PDFs): the one the server read at start-up (`install`), else the first `Resources/Locales` found
    /// much as `ResourceLocation` looks (`COCREA_RESOURCES`, `<bin>/../share/cocrea`, the executable's
    /// folder and the working directory upwards), for the tests of the pure modules and the tools.
    public static var shipped: Catalogue {
        if let catalogue = installed.value { return catalogue }
        let catalogue = locate() ?? Catalogue(checked: [:])
        installed.value = catalogue
        return catalogue
    }

    /// Makes `catalogue` the one every `Language` reads from, as the server does once it has read it.
    public static func install(_ catalogue: Catalogue) {
        installed.value = catalogue
    }

    private static let installed = Installed()

    /// The catalogue found on disk, or nil, said on standard error: a process without its texts shows
    /// their keys (and the command line its error codes) instead of stopping.
    private static func locate() -> Catalogue? {
        var folders: [URL] = []
        if let given = ProcessInfo.processInfo.environment["COCREA_RESOURCES"], !given.isEmpty {
            folders.append(URL(fileURLWithPath: given).appendingPathComponent("Resources/Locales"))
        }
        let executableFolder = Bundle.main.executableURL?.resolvingSymlinksInPath().deletingLastPathComponent()
        if let executableFolder {
            folders.append(executableFolder.deletingLastPathComponent().appendingPathComponent("share/cocrea/Resources/Locales"))
        }
        for start in [executableFolder, URL(fileURLWithPath: FileManager.default.currentDirectoryPath)] {
            var folder = start?.standardizedFileURL
            while let current = folder {
                folders.append(current.appendingPathComponent("Resources/Locales"))
                let parent = current.deletingLastPathComponent().standardizedFileURL
                folder = parent.path == current.path ? nil : parent
            }
        }
        guard let found = folders.first(where: { FileManager.default.fileExists(atPath: $0.appendingPathComponent("\(reference.rawValue).json").path) }) else {
            FileHandle.standardError.write(
                Data("No se encontró el catálogo de textos (Resources/Locales) en: \(folders.map(\.path).joined(separator: ", "))\n".utf8))
            return nil
        }
        do {
            return try load(directory: found)
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            return nil
        }
    }

    /// Set once at start-up and read from every thread afterwards.
    private final class Installed: @unchecked Sendable {
        private let lock = NSLock()
        private var catalogue: Catalogue?
        var value: Catalogue? {
            get { lock.withLock { catalogue } }
            set { lock.withLock { catalogue = newValue } }
        }
    }
}

extension Language {
    /// The words of this language in the process's catalogue.
    public var words: Words { Catalogue.shipped.words(self) }
}

extension CodingUserInfoKey {
    /// The words a value's messages are encoded in (an API answer in the request's language).
    public static let words = CodingUserInfoKey(rawValue: "cocrea.words")!
}

extension Encoder {
    /// The words given in `userInfo[.words]`, else Spanish, the reference.
    public var words: Words { userInfo[.words] as? Words ?? Catalogue.reference.words }
}

public struct CatalogueProblem: Error, CustomStringConvertible, Sendable {
    public var description: String
}

/// The words of one language, as a page or a message reads them.
public struct Words: Sendable {
    public let table: [String: String]

    /// The text of `key`, with each `{name}` replaced by its value. A key the catalogue lacks shows
    /// as itself (the catalogue tests fail on it before it ships). Values are put in once, not read
    /// again: a name someone typed as "{link}" stays as typed.
    public subscript(_ key: String, _ values: [String: String] = [:]) -> String {
        let text = table[key] ?? key
        guard !values.isEmpty else { return text }
        var result = ""
        var rest = text[...]
        while let open = rest.firstIndex(of: "{") {
            result += rest[..<open]
            let afterOpen = rest.index(after: open)
            if let close = rest[afterOpen...].firstIndex(of: "}"), let value = values[String(rest[afterOpen..<close])] {
                result += value
                rest = rest[rest.index(after: close)...]
            } else {
                result += "{"
                rest = rest[afterOpen...]
            }
        }
        return result + rest
    }

    /// `key` + `One` for one and `key` + `Other` for any other number, with `{count}` replaced.
    public func count(_ key: String, _ number: Int, _ values: [String: String] = [:]) -> String {
        self[key + (number == 1 ? "One" : "Other"), values.merging(["count": "\(number)"]) { given, _ in given }]
    }
}

extension Words {
    /// "martes 1 de diciembre de 2026" or "Tuesday, December 1, 2026".
    public func date(_ date: LocalDate) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let weekday = calendar.component(.weekday, from: date.startOfDay(in: .gmt)) - 1
        return self[
            "dateLong",
            [
                "weekday": self["weekday\(weekday)"], "day": "\(date.day)",
                "month": self["month\(date.month)"], "year": "\(date.year)",
            ]]
    }

    /// The long date and the time of day in the exercise's time zone: "martes 1 de diciembre de 2026, 23:59".
    public func dateTime(_ instant: Date, in timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: instant)
        return self[
            "dateTimeLong",
            [
                "date": date(LocalDate(year: c.year!, month: c.month!, day: c.day!)),
                "time": String(format: "%02d:%02d", c.hour!, c.minute!),
            ]]
    }

    /// "marzo de 2027" and "mar 2027" for a month written "2027-03" (nil for anything else).
    public func month(_ text: String) -> (long: String, short: String)? {
        let parts = text.split(separator: "-")
        guard parts.count == 2, let year = Int(parts[0]), let month = Int(parts[1]), (1...12).contains(month) else { return nil }
        let name = self["month\(month)"]
        return (self["monthYear", ["month": name, "year": "\(year)"]], "\(name.prefix(3)) \(year)")
    }
}
