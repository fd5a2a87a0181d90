/// A language of the interface: the code of its file in `Resources/Locales` (`es`, `en`, `nah`…).
/// The languages are the files there, so adding one is adding its file; Spanish (es-MX) is the
/// reference and comes first.
public struct Language: RawRepresentable, Hashable, Sendable {
    public let rawValue: String

    /// A language the process has words for; nil for any other code.
    public init?(rawValue: String) {
        guard let language = Catalogue.shipped.language(rawValue) else { return nil }
        self = language
    }

    /// Only the catalogue names languages: from the files it read.
    init(code: String) {
        rawValue = code
    }

    public static let es = Language(code: "es")
    public static let en = Language(code: "en")

    /// Every language the process has words for, Spanish first.
    public static var allCases: [Language] { Catalogue.shipped.languages }

    /// Whether `code` can name a language file: a BCP 47 primary subtag with optional subtags
    /// (`es`, `nah`, `es-MX`), nothing a path could hide in.
    static func isCode(_ code: String) -> Bool {
        code.count <= 35 && code.wholeMatch(of: /[a-z]{2,3}(-[A-Za-z0-9]{2,8})*/) != nil
    }
}

/// A closed vocabulary people read: the label of a case is the catalogue's `<vocabulary>_<raw value>`
/// (`sector_civilSociety`, `stance_agreeWithReservations`), so every language labels it in its own file.
public protocol Labelled: RawRepresentable, CaseIterable where RawValue == String {
    static var vocabulary: String { get }
}

extension Labelled {
    public var labelKey: String { "\(Self.vocabulary)_\(rawValue)" }

    public func label(_ language: Language) -> String {
        language.words[labelKey]
    }
}

extension Words {
    public func label<Value: Labelled>(_ value: Value) -> String {
        self[value.labelKey]
    }
}

extension Sector: Labelled { public static let vocabulary = "sector" }
extension Role: Labelled { public static let vocabulary = "role" }
extension DossierItemKind: Labelled { public static let vocabulary = "dossierItemKind" }
extension DeliveryState: Labelled { public static let vocabulary = "deliveryState" }
extension CommitmentCategory: Labelled { public static let vocabulary = "commitmentCategory" }
extension ActivityStatus: Labelled { public static let vocabulary = "activityStatus" }
extension Stance: Labelled { public static let vocabulary = "stance" }
extension RoundtableStage: Labelled { public static let vocabulary = "roundtableStage" }
extension Presence: Labelled { public static let vocabulary = "presence" }
extension InterventionKind: Labelled { public static let vocabulary = "interventionKind" }
extension DossierVisibility: Labelled { public static let vocabulary = "dossierVisibility" }
extension Completion: Labelled { public static let vocabulary = "completion" }
extension RoadmapEventKind: Labelled { public static let vocabulary = "roadmapEventKind" }
