import CocreaCore
import Foundation
import Vapor

/// What a form or a JSON body may carry. Every field is optional so that one answer lists every
/// problem at once, in Spanish, instead of failing on the first missing key.
struct ExerciseInput: Content {
    var name: String?
    var territory: String?
    var timeZone: String?
    var nationalPlan: String?
    var sectorLabels: [String: String]?

    struct Valid {
        var name, territory, timeZone, nationalPlan: String
        var sectorLabels: [String: String]
    }

    func validated() throws -> Valid {
        var v = Validator()
        let name = v.required(name, field: "name", label: "el nombre del ejercicio")
        let territory = v.required(territory, field: "territory", label: "el territorio (estado o municipio)")
        let zone = v.timeZone(timeZone)
        let plan = v.optional(nationalPlan, field: "nationalPlan", label: "el plan nacional", maxLength: 40) ?? "2016-2018"
        var labels: [String: String] = [:]
        for (key, value) in sectorLabels ?? [:] {
            guard Sector(rawValue: key) != nil else {
                v.add(field: "sectorLabels.\(key)", message: "«\(key)» no es un sector; usa guarantor, institution o civilSociety.")
                continue
            }
            if let label = v.optional(value, field: "sectorLabels.\(key)", label: "la etiqueta del sector", maxLength: 80) {
                labels[key] = label
            }
        }
        try v.check()
        return Valid(name: name, territory: territory, timeZone: zone, nationalPlan: plan, sectorLabels: labels)
    }
}

struct MemberInput: Content {
    var name: String?
    var email: String?
    var sector: String?
    var organization: String?
    var role: String?

    struct Valid {
        var name, email, organization: String
        var sector: Sector
        var role: Role
    }

    func validated() throws -> Valid {
        var v = Validator()
        let name = v.required(name, field: "name", label: "el nombre")
        let email = v.email(email)
        let sector = v.choice(sector, as: Sector.self, field: "sector", label: "el sector")
        let organization = v.required(organization, field: "organization", label: "la organización")
        let role = role?.isEmpty == false ? v.choice(role, as: Role.self, field: "role", label: "el papel") : .member
        try v.check()
        return Valid(name: name, email: email, organization: organization, sector: sector!, role: role!)
    }
}

struct DossierItemInput: Content {
    var kind: String?
    var title: String?
    var body: String?
    var source: String?
    /// `public` (the default) or `stlOnly`.
    var visibility: String?

    struct Valid {
        var kind: DossierItemKind
        var title, body, source: String
        var visibility: DossierVisibility = .public
    }

    func validated(hasFile: Bool) throws -> Valid {
        var v = Validator()
        let kind = v.choice(kind, as: DossierItemKind.self, field: "kind", label: "el tipo de insumo")
        let title = v.required(title, field: "title", label: "el título")
        let body = v.optional(body, field: "body", label: "la descripción", maxLength: 20_000, lines: .multiple) ?? ""
        let source = v.optional(source, field: "source", label: "la fuente", maxLength: 500) ?? ""
        let visibility =
            (visibility ?? "").isEmpty
            ? .public
            : v.choice(visibility, as: DossierVisibility.self, field: "visibility", label: "la visibilidad") ?? .public
        if kind?.requiresFile == true && !hasFile {
            v.add(field: "file", message: "El kit de capacidades se entrega como archivo: adjúntalo.")
        }
        if kind?.requiresFile == false && !hasFile && body.isEmpty {
            v.add(field: "body", message: "Describe el insumo o adjunta un archivo.")
        }
        try v.check()
        return Valid(kind: kind!, title: title, body: body, source: source, visibility: visibility)
    }
}

/// A dossier item sent as multipart/form-data, from the page's form or the API, with its upload in `file`.
struct DossierItemForm: Content {
    var kind: String?
    var title: String?
    var body: String?
    var source: String?
    /// The page's «solo STL» checkbox sends `stlOnly`.
    var visibility: String?
    var file: File?

    var input: DossierItemInput {
        DossierItemInput(kind: kind, title: title, body: body, source: source, visibility: visibility)
    }

    var upload: ExerciseOperations.Upload? { file?.upload }
}

extension File {
    /// The upload, unless the file field was left empty (browsers send an empty part for it).
    var upload: ExerciseOperations.Upload? {
        guard data.readableBytes > 0 || !filename.isEmpty else { return nil }
        return ExerciseOperations.Upload(filename: filename, bytes: Array(data.readableBytesView))
    }
}
