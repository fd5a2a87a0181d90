import Foundation
import SwiftCSV

/// The values of the Open Government Partnership a commitment serves (its relevance, as the IRM
/// reviews it), each with why.
public enum OGPValue: String, Codable, Sendable, CaseIterable {
    case transparency, citizenParticipation, publicAccountability, technologyAndInnovation
}

extension OGPValue: Labelled { public static let vocabulary = "ogpValue" }

/// The 2030 Agenda in Spanish: the 17 Sustainable Development Goals (ODS) and their 169 targets
/// (metas), as shipped in `Resources/data/agenda-2030-es.csv` (`code,goal,text`; a goal's row has its
/// number as code, a target's its official id, e.g. "16.10").
public struct SDGCatalogue: Sendable {
    public struct Entry: Sendable, Equatable {
        public var code: String
        public var goal: Int
        public var text: String
    }

    public static let fileName = "Resources/data/agenda-2030-es.csv"

    public private(set) var goals: [Entry] = []
    public private(set) var targets: [Entry] = []
    private var order: [String: Int] = [:]

    public init(csv text: String) throws {
        let table = try CSV<Named>(string: text, delimiter: .comma, loadColumns: false)
        for row in table.rows {
            guard let code = row["code"], let goal = row["goal"].flatMap({ Int($0) }), let text = row["text"] else { continue }
            let entry = Entry(code: code, goal: goal, text: text)
            if code == String(goal) {
                goals.append(entry)
            } else {
                order[code] = targets.count
                targets.append(entry)
            }
        }
    }

    public func target(_ code: String) -> Entry? {
        order[code].map { targets[$0] }
    }

    public func goal(_ number: Int) -> Entry? {
        goals.first { $0.goal == number }
    }

    /// Known target codes in the catalogue's order, each once: a plan lists them the same way
    /// whatever order they were typed in, so its frozen content does not change with it.
    public func ordered(_ codes: [String]) -> [String] {
        Array(Set(codes)).filter { order[$0] != nil }.sorted { order[$0]! < order[$1]! }
    }

    /// "16.10 Garantizar el acceso público a la información…", as documents and pages show a target.
    public func describe(_ code: String) -> String {
        target(code).map { "\($0.code) \($0.text)" } ?? code
    }

    /// The catalogue the server read at start-up, or else the first found on disk as the text
    /// catalogue is (`COCREA_RESOURCES`, the executable's folder and its ancestors, the working
    /// directory and its ancestors), for the tests and the tools.
    public static var shipped: SDGCatalogue {
        if let catalogue = installed.value { return catalogue }
        let catalogue = locate() ?? SDGCatalogue()
        installed.value = catalogue
        return catalogue
    }

    public static func install(_ catalogue: SDGCatalogue) {
        installed.value = catalogue
    }

    public static func load(root: String) throws -> SDGCatalogue {
        try SDGCatalogue(csv: String(contentsOfFile: (root as NSString).appendingPathComponent(fileName), encoding: .utf8))
    }

    private init() {}

    private static let installed = Installed()

    private static func locate() -> SDGCatalogue? {
        var roots: [URL] = []
        if let given = ProcessInfo.processInfo.environment["COCREA_RESOURCES"], !given.isEmpty { roots.append(URL(fileURLWithPath: given)) }
        let executableFolder = Bundle.main.executableURL?.resolvingSymlinksInPath().deletingLastPathComponent()
        for start in [executableFolder, URL(fileURLWithPath: FileManager.default.currentDirectoryPath)] {
            var folder = start?.standardizedFileURL
            while let current = folder {
                roots.append(current)
                let parent = current.deletingLastPathComponent().standardizedFileURL
                folder = parent.path == current.path ? nil : parent
            }
        }
        return roots.lazy.compactMap { try? load(root: $0.path) }.first
    }

    private final class Installed: @unchecked Sendable {
        private let lock = NSLock()
        private var catalogue: SDGCatalogue?
        var value: SDGCatalogue? {
            get { lock.withLock { catalogue } }
            set { lock.withLock { catalogue = newValue } }
        }
    }
}

/// A commitment's budget amount, in Mexican pesos: typed as people write it ("$1,250,000.50",
/// "1250000"), kept as a plain decimal with cents ("1250000.50").
public enum BudgetAmount {
    /// The amount with two decimals, or nil when the text is not a non-negative amount with at most cents.
    public static func parse(_ text: String) -> String? {
        let compact = text.filter { !$0.isWhitespace && $0 != "," && $0 != "$" }
            .replacingOccurrences(of: "MXN", with: "", options: .caseInsensitive)
        let parts = compact.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = parts.first, !whole.isEmpty, whole.count <= 15, whole.allSatisfy(\.isASCIIDigit)
        else { return nil }
        let cents = parts.count == 2 ? parts[1] : ""
        guard cents.count <= 2, cents.allSatisfy(\.isASCIIDigit), parts.count == 1 || !cents.isEmpty else { return nil }
        let digits = whole.drop { $0 == "0" }
        return (digits.isEmpty ? "0" : String(digits)) + "." + cents.padding(toLength: 2, withPad: "0", startingAt: 0)
    }

    /// "1250000.50" → "$1,250,000.50 MXN".
    public static func display(_ amount: String) -> String {
        let parts = amount.split(separator: ".", maxSplits: 1)
        guard let whole = parts.first else { return amount }
        var groups: [Substring] = []
        var end = whole.endIndex
        while end > whole.startIndex {
            let start = whole.index(end, offsetBy: -3, limitedBy: whole.startIndex) ?? whole.startIndex
            groups.insert(whole[start..<end], at: 0)
            end = start
        }
        return "$" + groups.joined(separator: ",") + (parts.count > 1 ? ".\(parts[1])" : "") + " MXN"
    }
}

/// A commitment's budget as the PAL records it, written in each document's language
/// («$1,250,000.00 MXN · fuente: recursos propios del municipio»).
public struct CommitmentBudget: Sendable, Equatable {
    /// A plain decimal with cents ("1250000.50"), as `BudgetAmount.parse` keeps it.
    public var amount: String?
    public var source: String?

    public init(amount: String?, source: String?) {
        self.amount = amount
        self.source = source
    }

    /// Nil when it records neither.
    public func text(_ words: Words) -> String? {
        switch (amount, source?.isEmpty == false ? source : nil) {
        case (let amount?, let source?): words["pdfPlanBudgetValue", ["amount": BudgetAmount.display(amount), "source": source]]
        case (let amount?, nil): BudgetAmount.display(amount)
        case (nil, let source?): source
        case (nil, nil): nil
        }
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
