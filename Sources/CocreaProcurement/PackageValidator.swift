import CocreaCore
import Foundation

/// Checks a release package against what OCDS 1.1 requires of it (`uri`, `publishedDate`,
/// `publisher.name`, `releases`, `version`) and of each release (`ocid`, `id`, `date`, `tag`,
/// `initiationType`), and that the fields Cocrea reads have the types the schema gives them. Every
/// problem comes with its JSON path (`$.releases[3].tag`), so a publisher can find and fix it.
enum PackageValidator {
    /// OCDS 1.1's `releaseTag` codelist.
    static let releaseTags: Set<String> = [
        "planning", "planningUpdate", "tender", "tenderAmendment", "tenderUpdate", "tenderCancellation",
        "award", "awardUpdate", "awardCancellation", "contract", "contractUpdate", "contractAmendment",
        "implementation", "implementationUpdate", "contractTermination", "compiled",
    ]

    static func problems(in package: JSONValue) -> [FieldError] {
        var problems = Problems()
        if package["uri"]?.text == nil {
            problems.add("$.uri", "Falta «uri», la dirección en la que se publica el paquete.")
        } else if let uri = package["uri"]?.text, URL(string: uri)?.scheme == nil {
            problems.add("$.uri", "«uri» debe ser una dirección completa (por ejemplo https://…); dice «\(uri)».")
        }
        problems.date(package["publishedDate"], at: "$.publishedDate", label: "la fecha de publicación del paquete", required: true)
        if let publisher = package["publisher"], publisher.object != nil {
            if publisher["name"]?.text == nil { problems.add("$.publisher.name", "Falta el nombre de quien publica el paquete.") }
        } else {
            problems.add("$.publisher.name", "Falta «publisher» con el nombre de quien publica el paquete.")
        }
        switch package["version"] {
        case nil, .null?: problems.add("$.version", "Falta «version»; un paquete OCDS 1.1 declara \"version\": \"1.1\".")
        case .string("1.1")?: break
        case let other?: problems.add("$.version", "Cocrea lee OCDS 1.1, y el paquete declara la versión \(describe(other)).")
        }
        guard let releases = package["releases"]?.array else {
            problems.add("$.releases", "Falta «releases», la lista de entregas del paquete.")
            return problems.list
        }
        if releases.isEmpty { problems.add("$.releases", "El paquete no trae ninguna entrega (release).") }
        var seen: [String: Int] = [:]
        for (index, release) in releases.enumerated() {
            check(release, at: "$.releases[\(index)]", problems: &problems)
            if let ocid = release["ocid"]?.text, let id = release["id"]?.identifier {
                if let first = seen["\(ocid)\u{0}\(id)"] {
                    problems.add(
                        "$.releases[\(index)].id",
                        "El id «\(id)» ya lo usa la entrega $.releases[\(first)] del mismo proceso \(ocid); cada entrega de un proceso lleva un id distinto.")
                } else {
                    seen["\(ocid)\u{0}\(id)"] = index
                }
            }
        }
        return problems.list
    }

    private static func check(_ release: JSONValue, at path: String, problems: inout Problems) {
        guard release.object != nil else {
            problems.add(path, "La entrega debe ser un objeto JSON.")
            return
        }
        if release["ocid"]?.text == nil { problems.add("\(path).ocid", "Falta «ocid», el identificador del proceso de contratación.") }
        if release["id"]?.identifier == nil { problems.add("\(path).id", "Falta «id», el identificador de la entrega.") }
        problems.date(release["date"], at: "\(path).date", label: "la fecha de la entrega", required: true)
        if let tags = release["tag"]?.array, !tags.isEmpty {
            for (index, tag) in tags.enumerated() where !releaseTags.contains(tag.text ?? "") {
                problems.add(
                    "\(path).tag[\(index)]", "\(describe(tag)) no es una etiqueta de entrega de OCDS (planning, tender, award, contract, implementation…).")
            }
        } else {
            problems.add("\(path).tag", "Falta «tag», la lista de etapas que informa la entrega (por ejemplo [\"tender\"]).")
        }
        switch release["initiationType"] {
        case .string("tender")?: break
        case nil, .null?: problems.add("\(path).initiationType", "Falta «initiationType» (en OCDS 1.1 siempre es \"tender\").")
        case let other?: problems.add("\(path).initiationType", "«initiationType» debe ser \"tender\"; dice \(describe(other)).")
        }
        problems.object(release["buyer"], at: "\(path).buyer")
        if problems.object(release["tender"], at: "\(path).tender"), let tender = release["tender"] {
            problems.money(tender["value"], at: "\(path).tender.value")
            if problems.object(tender["tenderPeriod"], at: "\(path).tender.tenderPeriod"), let period = tender["tenderPeriod"] {
                problems.date(period["startDate"], at: "\(path).tender.tenderPeriod.startDate", label: "la fecha de inicio del periodo", required: false)
                problems.date(period["endDate"], at: "\(path).tender.tenderPeriod.endDate", label: "la fecha de término del periodo", required: false)
            }
        }
        for (index, award) in problems.objects(release["awards"], at: "\(path).awards") {
            let at = "\(path).awards[\(index)]"
            problems.date(award["date"], at: "\(at).date", label: "la fecha de la adjudicación", required: false)
            problems.money(award["value"], at: "\(at).value")
            // Each supplier is an organisation reference (an object); a string is reported.
            _ = problems.objects(award["suppliers"], at: "\(at).suppliers")
        }
        for (index, contract) in problems.objects(release["contracts"], at: "\(path).contracts") {
            let at = "\(path).contracts[\(index)]"
            problems.date(contract["dateSigned"], at: "\(at).dateSigned", label: "la fecha de firma del contrato", required: false)
            problems.money(contract["value"], at: "\(at).value")
        }
    }

    /// A JSON value as the message quotes it.
    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool(let flag): flag ? "true" : "false"
        case .number(let number): "\(number)"
        case .string(let text): "«\(text)»"
        case .array: "una lista"
        case .object: "un objeto"
        }
    }

    /// The problems found so far; past `limit` only counted, so a broken 50,000-release package
    /// answers with a readable list rather than a quarter of a million lines.
    struct Problems {
        static let limit = 100
        private(set) var found: [FieldError] = []
        private(set) var omitted = 0

        var list: [FieldError] {
            omitted == 0
                ? found
                : found + [
                    FieldError(
                        field: "$",
                        message:
                            "Y \(omitted) \(omitted == 1 ? "problema más" : "problemas más") que no se listan; corrige los anteriores y vuelve a enviar el paquete."
                    )
                ]
        }

        mutating func add(_ path: String, _ message: String) {
            if found.count < Self.limit { found.append(FieldError(field: path, message: message)) } else { omitted += 1 }
        }

        mutating func date(_ value: JSONValue?, at path: String, label: String, required: Bool) {
            guard let value, !value.isNull else {
                if required { add(path, "Falta \(label).") }
                return
            }
            if value.text.flatMap(OCDSDate.parse) == nil {
                add(
                    path,
                    "\(label.prefix(1).uppercased() + label.dropFirst()) debe ser una fecha y hora RFC 3339 (por ejemplo 2026-03-01T09:00:00-06:00); dice \(PackageValidator.describe(value))."
                )
            }
        }

        /// Whether the value is absent or an object (an error otherwise).
        @discardableResult
        mutating func object(_ value: JSONValue?, at path: String) -> Bool {
            guard let value, !value.isNull else { return false }
            guard value.object != nil else {
                add(path, "Debe ser un objeto JSON; es \(PackageValidator.describe(value)).")
                return false
            }
            return true
        }

        /// The elements of an optional list of objects, each non-object reported.
        mutating func objects(_ value: JSONValue?, at path: String) -> [(Int, JSONValue)] {
            guard let value, !value.isNull else { return [] }
            guard let elements = value.array else {
                add(path, "Debe ser una lista; es \(PackageValidator.describe(value)).")
                return []
            }
            var objects: [(Int, JSONValue)] = []
            for (index, element) in elements.enumerated() {
                if element.object != nil {
                    objects.append((index, element))
                } else {
                    add("\(path)[\(index)]", "Debe ser un objeto JSON; es \(PackageValidator.describe(element)).")
                }
            }
            return objects
        }

        mutating func money(_ value: JSONValue?, at path: String) {
            guard object(value, at: path), let value else { return }
            if let amount = value["amount"], !amount.isNull, amount.number == nil {
                add("\(path).amount", "El monto debe ser un número (sin signo de pesos ni comas); dice \(PackageValidator.describe(amount)).")
            }
            if let currency = value["currency"], !currency.isNull {
                let code = currency.text ?? ""
                if code.count != 3 || !code.allSatisfy({ $0.isASCII && $0.isUppercase }) {
                    add("\(path).currency", "La moneda es un código ISO 4217 de tres letras (MXN, USD…); dice \(PackageValidator.describe(currency)).")
                }
            }
        }
    }
}
