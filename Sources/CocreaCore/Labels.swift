/// The languages of the interface, each with its file in `Resources/Locales`: Spanish (es-MX) first.
public enum Language: String, Sendable, CaseIterable {
    case es, en
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
