import CocreaCore
import Foundation

/// What a form or a JSON body may carry. Every field is optional so that one answer lists every
/// problem at once, in Spanish, instead of failing on the first missing key.
package struct ExerciseInput: Codable, Sendable {
    package var name: String?
    package var territory: String?
    package var timeZone: String?
    package var nationalPlan: String?
    package var sectorLabels: [String: String]?

    package struct Valid {
        package var name, territory, timeZone, nationalPlan: String
        package var sectorLabels: [String: String]

        package init(name: String, territory: String, timeZone: String, nationalPlan: String, sectorLabels: [String: String]) {
            self.name = name
            self.territory = territory
            self.timeZone = timeZone
            self.nationalPlan = nationalPlan
            self.sectorLabels = sectorLabels
        }
    }

    package func validated() throws -> Valid {
        var v = Validator()
        let name = v.required(name, field: "name", label: "fieldExerciseName")
        let territory = v.required(territory, field: "territory", label: "fieldTerritory")
        let zone = v.timeZone(timeZone)
        let plan = v.optional(nationalPlan, field: "nationalPlan", label: "fieldNationalPlan", maxLength: 40) ?? "2016-2018"
        var labels: [String: String] = [:]
        for (key, value) in sectorLabels ?? [:] {
            guard Sector(rawValue: key) != nil else {
                v.add(field: "sectorLabels.\(key)", "problemSectorUnknown", ["value": .text(key)])
                continue
            }
            if let label = v.optional(value, field: "sectorLabels.\(key)", label: "fieldSectorLabel", maxLength: 80) {
                labels[key] = label
            }
        }
        try v.check()
        return Valid(name: name, territory: territory, timeZone: zone, nationalPlan: plan, sectorLabels: labels)
    }

    package init(name: String? = nil, territory: String? = nil, timeZone: String? = nil, nationalPlan: String? = nil, sectorLabels: [String: String]? = nil) {
        self.name = name
        self.territory = territory
        self.timeZone = timeZone
        self.nationalPlan = nationalPlan
        self.sectorLabels = sectorLabels
    }
}

package struct MemberInput: Codable, Sendable {
    package var name: String?
    package var email: String?
    package var sector: String?
    package var organization: String?
    package var role: String?
    /// What the member's e.firma certificate names them by, to sign the plan with it.
    package var rfc: String?
    package var curp: String?

    package struct Valid {
        package var name, email, organization: String
        package var sector: Sector
        package var role: Role
        package var rfc, curp: String?

        package init(name: String, email: String, organization: String, sector: Sector, role: Role, rfc: String? = nil, curp: String? = nil) {
            self.name = name
            self.email = email
            self.organization = organization
            self.sector = sector
            self.role = role
            self.rfc = rfc
            self.curp = curp
        }
    }

    package func validated() throws -> Valid {
        var v = Validator()
        let name = v.required(name, field: "name", label: "fieldName")
        let email = v.email(email)
        let sector = v.choice(sector, as: Sector.self, field: "sector", label: "fieldSector")
        let organization = v.required(organization, field: "organization", label: "fieldOrganization")
        let role = role?.isEmpty == false ? v.choice(role, as: Role.self, field: "role", label: "fieldRole") : .member
        let rfc = v.rfc(rfc)
        let curp = v.curp(curp)
        try v.check()
        return Valid(name: name, email: email, organization: organization, sector: sector!, role: role!, rfc: rfc, curp: curp)
    }

    package init(
        name: String? = nil, email: String? = nil, sector: String? = nil, organization: String? = nil, role: String? = nil, rfc: String? = nil,
        curp: String? = nil
    ) {
        self.name = name
        self.email = email
        self.sector = sector
        self.organization = organization
        self.role = role
        self.rfc = rfc
        self.curp = curp
    }
}

/// A member's RFC and CURP changed on their own: a field left out stays, an empty one is cleared.
package struct MemberIdentifiersInput: Codable, Sendable {
    package var rfc: String?
    package var curp: String?

    /// What changes: nil leaves the identifier as it is, `.some(nil)` clears it.
    package struct Valid: Sendable {
        package var rfc, curp: String??
    }

    package func validated() throws -> Valid {
        var v = Validator()
        let rfc = rfc.map { v.rfc($0) }
        let curp = curp.map { v.curp($0) }
        try v.check()
        return Valid(rfc: rfc, curp: curp)
    }

    package init(rfc: String? = nil, curp: String? = nil) {
        self.rfc = rfc
        self.curp = curp
    }
}

package struct DossierItemInput: Codable, Sendable {
    package var kind: String?
    package var title: String?
    package var body: String?
    package var source: String?
    /// `public` (the default) or `stlOnly`.
    package var visibility: String?

    package struct Valid {
        package var kind: DossierItemKind
        package var title, body, source: String
        package var visibility: DossierVisibility = .public

        package init(kind: DossierItemKind, title: String, body: String, source: String, visibility: DossierVisibility = .public) {
            self.kind = kind
            self.title = title
            self.body = body
            self.source = source
            self.visibility = visibility
        }
    }

    package func validated(hasFile: Bool) throws -> Valid {
        var v = Validator()
        let kind = v.choice(kind, as: DossierItemKind.self, field: "kind", label: "fieldDossierItemKind")
        let title = v.required(title, field: "title", label: "fieldTitle")
        let body = v.optional(body, field: "body", label: "fieldDescription", maxLength: 20_000, lines: .multiple) ?? ""
        let source = v.optional(source, field: "source", label: "fieldSource", maxLength: 500) ?? ""
        let visibility =
            (visibility ?? "").isEmpty
            ? .public
            : v.choice(visibility, as: DossierVisibility.self, field: "visibility", label: "fieldVisibility") ?? .public
        if kind?.requiresFile == true && !hasFile {
            v.add(field: "file", "problemCapacityKitFile")
        }
        if kind?.requiresFile == false && !hasFile && body.isEmpty {
            v.add(field: "body", "problemDossierItemEmpty")
        }
        try v.check()
        return Valid(kind: kind!, title: title, body: body, source: source, visibility: visibility)
    }

    package init(kind: String? = nil, title: String? = nil, body: String? = nil, source: String? = nil, visibility: String? = nil) {
        self.kind = kind
        self.title = title
        self.body = body
        self.source = source
        self.visibility = visibility
    }
}
