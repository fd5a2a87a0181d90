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
            problems.add("$.uri", "ocdsUriMissing")
        } else if let uri = package["uri"]?.text, URL(string: uri)?.scheme == nil {
            problems.add("$.uri", "ocdsUriInvalid", ["value": .text(uri)])
        }
        problems.date(package["publishedDate"], at: "$.publishedDate", label: "ocdsPublishedDate", required: true)
        if let publisher = package["publisher"], publisher.object != nil {
            if publisher["name"]?.text == nil { problems.add("$.publisher.name", "ocdsPublisherNameMissing") }
        } else {
            problems.add("$.publisher.name", "ocdsPublisherMissing")
        }
        switch package["version"] {
        case nil, .null?: problems.add("$.version", "ocdsVersionMissing")
        case .string("1.1")?: break
        case let other?: problems.add("$.version", "ocdsVersionOther", ["value": describe(other)])
        }
        guard let releases = package["releases"]?.array else {
            problems.add("$.releases", "ocdsReleasesMissing")
            return problems.list
        }
        if releases.isEmpty { problems.add("$.releases", "ocdsReleasesEmpty") }
        var seen: [String: Int] = [:]
        for (index, release) in releases.enumerated() {
            check(release, at: "$.releases[\(index)]", problems: &problems)
            if let ocid = release["ocid"]?.text, let id = release["id"]?.identifier {
                if let first = seen["\(ocid)\u{0}\(id)"] {
                    problems.add(
                        "$.releases[\(index)].id",
                        "ocdsReleaseIdRepeated", ["id": .text(id), "first": .number(first), "ocid": .text(ocid)])
                } else {
                    seen["\(ocid)\u{0}\(id)"] = index
                }
            }
        }
        return problems.list
    }

    private static func check(_ release: JSONValue, at path: String, problems: inout Problems) {
        guard release.object != nil else {
            problems.add(path, "ocdsReleaseNotObject")
            return
        }
        if release["ocid"]?.text == nil { problems.add("\(path).ocid", "ocdsOcidMissing") }
        if release["id"]?.identifier == nil { problems.add("\(path).id", "ocdsIdMissing") }
        problems.date(release["date"], at: "\(path).date", label: "ocdsReleaseDate", required: true)
        if let tags = release["tag"]?.array, !tags.isEmpty {
            for (index, tag) in tags.enumerated() where !releaseTags.contains(tag.text ?? "") {
                problems.add(
                    "\(path).tag[\(index)]", "ocdsTagUnknown", ["value": describe(tag)])
            }
        } else {
            problems.add("\(path).tag", "ocdsTagMissing")
        }
        switch release["initiationType"] {
        case .string("tender")?: break
        case nil, .null?: problems.add("\(path).initiationType", "ocdsInitiationTypeMissing")
        case let other?: problems.add("\(path).initiationType", "ocdsInitiationTypeOther", ["value": describe(other)])
        }
        problems.object(release["buyer"], at: "\(path).buyer")
        if problems.object(release["tender"], at: "\(path).tender"), let tender = release["tender"] {
            problems.money(tender["value"], at: "\(path).tender.value")
            if problems.object(tender["tenderPeriod"], at: "\(path).tender.tenderPeriod"), let period = tender["tenderPeriod"] {
                problems.date(period["startDate"], at: "\(path).tender.tenderPeriod.startDate", label: "ocdsPeriodStart", required: false)
                problems.date(period["endDate"], at: "\(path).tender.tenderPeriod.endDate", label: "ocdsPeriodEnd", required: false)
            }
        }
        for (index, award) in problems.objects(release["awards"], at: "\(path).awards") {
            let at = "\(path).awards[\(index)]"
            problems.date(award["date"], at: "\(at).date", label: "ocdsAwardDate", required: false)
            problems.money(award["value"], at: "\(at).value")
            // Each supplier is an organisation reference (an object); a string is reported.
            _ = problems.objects(award["suppliers"], at: "\(at).suppliers")
        }
        for (index, contract) in problems.objects(release["contracts"], at: "\(path).contracts") {
            let at = "\(path).contracts[\(index)]"
            problems.date(contract["dateSigned"], at: "\(at).dateSigned", label: "ocdsContractSigned", required: false)
            problems.money(contract["value"], at: "\(at).value")
        }
    }

    /// A JSON value as the message quotes it: its literal, or what it is in the reader's words.
    static func describe(_ value: JSONValue) -> ErrorText.Value {
        switch value {
        case .null: .text("null")
        case .bool(let flag): .text(flag ? "true" : "false")
        case .number(let number): .text("\(number)")
        case .string(let text): .text("«\(text)»")
        case .array: .label("ocdsAList")
        case .object: .label("ocdsAnObject")
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
                    FieldError(field: "$", "ocdsMoreProblems", ["more": .count("ocdsMoreProblems", omitted)])
                ]
        }

        /// The problem at `path`, said by the catalogue's text `key` with `values`.
        mutating func add(_ path: String, _ key: String, _ values: [String: ErrorText.Value] = [:]) {
            if found.count < Self.limit { found.append(FieldError(field: path, key, values)) } else { omitted += 1 }
        }

        mutating func date(_ value: JSONValue?, at path: String, label: FieldLabel, required: Bool) {
            guard let value, !value.isNull else {
                if required { add(path, "problemMissing", ["label": .field(label)]) }
                return
            }
            if value.text.flatMap(OCDSDate.parse) == nil {
                add(path, "ocdsDateInvalid", ["label": .openingField(label), "value": PackageValidator.describe(value)])
            }
        }

        /// Whether the value is absent or an object (an error otherwise).
        @discardableResult
        mutating func object(_ value: JSONValue?, at path: String) -> Bool {
            guard let value, !value.isNull else { return false }
            guard value.object != nil else {
                add(path, "ocdsNotObject", ["value": PackageValidator.describe(value)])
                return false
            }
            return true
        }

        /// The elements of an optional list of objects, each non-object reported.
        mutating func objects(_ value: JSONValue?, at path: String) -> [(Int, JSONValue)] {
            guard let value, !value.isNull else { return [] }
            guard let elements = value.array else {
                add(path, "ocdsNotList", ["value": PackageValidator.describe(value)])
                return []
            }
            var objects: [(Int, JSONValue)] = []
            for (index, element) in elements.enumerated() {
                if element.object != nil {
                    objects.append((index, element))
                } else {
                    add("\(path)[\(index)]", "ocdsNotObject", ["value": PackageValidator.describe(element)])
                }
            }
            return objects
        }

        mutating func money(_ value: JSONValue?, at path: String) {
            guard object(value, at: path), let value else { return }
            if let amount = value["amount"], !amount.isNull, amount.number == nil {
                add("\(path).amount", "ocdsAmountNotNumber", ["value": PackageValidator.describe(amount)])
            }
            if let currency = value["currency"], !currency.isNull {
                let code = currency.text ?? ""
                if code.count != 3 || !code.allSatisfy({ $0.isASCII && $0.isUppercase }) {
                    add("\(path).currency", "ocdsCurrencyInvalid", ["value": PackageValidator.describe(currency)])
                }
            }
        }
    }
}
