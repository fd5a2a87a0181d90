import CocreaCore
import FluentKit
import Foundation

/// One territory's run of the whole process: one STL, its tables, one PAL.
public final class Exercise: Model, @unchecked Sendable {
    public static let schema = "exercises"

    @ID public var id: UUID?
    @Field(key: "name") public var name: String
    @Field(key: "territory") public var territory: String
    @Field(key: "time_zone") public var timeZone: String
    /// The national OGP plan the exercise aligns with, e.g. "2016-2018".
    @Field(key: "national_plan") public var nationalPlan: String
    /// JSON object sector → label, e.g. {"guarantor": "Autoridad garante"}; empty uses the defaults.
    @Field(key: "sector_labels") public var sectorLabelsJSON: String
    /// Name and territory folded for search (`SearchText.fold`), kept in step by `init`.
    @Field(key: "search_key") public var searchKey: String
    /// When the facilitation published it; nil while it is a draft only its members see.
    @OptionalField(key: "published_at") public var publishedAt: Date?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    @Children(for: \.$exercise) public var members: [Member]

    /// Listed here rather than found by reflection, Fluent's costliest step, since every request about an
    /// exercise reads this model (`ListedFieldsTests` checks the list against reflection).
    public var properties: [any AnyProperty] {
        [$id, $name, $territory, $timeZone, $nationalPlan, $sectorLabelsJSON, $searchKey, $publishedAt, $createdAt, $updatedAt, $members]
    }

    public init() {}

    public init(id: UUID? = nil, name: String, territory: String, timeZone: String, nationalPlan: String, sectorLabels: [String: String] = [:]) {
        self.id = id
        self.name = name
        self.territory = territory
        self.timeZone = timeZone
        self.nationalPlan = nationalPlan
        self.sectorLabels = sectorLabels
        self.searchKey = Self.searchKey(name: name, territory: territory)
    }

    public static func searchKey(name: String, territory: String) -> String {
        SearchText.fold("\(name) \(territory)")
    }

    public var sectorLabels: [String: String] {
        get { (try? JSONDecoder().decode([String: String].self, from: Data(sectorLabelsJSON.utf8))) ?? [:] }
        set { sectorLabelsJSON = JSON.canonical(newValue) }
    }

    public var zone: TimeZone { TimeZone(identifier: timeZone) ?? TimeZone(identifier: "America/Mexico_City")! }

    /// The label this exercise uses for a sector (since 2025 some states say "Autoridad garante").
    public func label(for sector: Sector, language: Language = .es) -> String {
        sectorLabels[sector.rawValue] ?? sector.label(language)
    }
}

/// An actor of the exercise: a person with a sector, an organisation and a role.
public final class Member: Model, @unchecked Sendable {
    public static let schema = "members"

    @ID public var id: UUID?
    @Parent(key: "exercise_id") public var exercise: Exercise
    @Parent(key: "user_id") public var user: User
    @Field(key: "name") public var name: String
    @Field(key: "email") public var email: String
    @Enum(key: "sector") public var sector: Sector
    @Field(key: "organization") public var organization: String
    @Enum(key: "role") public var role: Role
    /// The RFC and CURP an e.firma certificate must name for a signature to be this member's.
    @OptionalField(key: "rfc") public var rfc: String?
    @OptionalField(key: "curp") public var curp: String?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    /// Listed here rather than found by reflection, Fluent's costliest step, since every request about an
    /// exercise reads this model (`ListedFieldsTests` checks the list against reflection).
    public var properties: [any AnyProperty] { [$id, $exercise, $user, $name, $email, $sector, $organization, $role, $rfc, $curp, $createdAt] }

    public init() {}

    public init(
        id: UUID? = nil, exerciseID: UUID, userID: UUID, name: String, email: String, sector: Sector, organization: String, role: Role,
        rfc: String? = nil, curp: String? = nil
    ) {
        self.id = id
        self.$exercise.id = exerciseID
        self.$user.id = userID
        self.name = name
        self.email = email.lowercased()
        self.sector = sector
        self.organization = organization
        self.role = role
        self.rfc = rfc
        self.curp = curp
    }
}
