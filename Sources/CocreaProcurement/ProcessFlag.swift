import CocreaCore

/// A key field a contracting process does not publish, as the public page shows it: a stable code
/// for programs, and for people the catalogue's `processFlag_<code>`, naming the tender, award or
/// contract it is about (`part`, with its `id`), written in the reader's language.
public struct ProcessFlag: Sendable, Codable, Equatable {
    public enum Part: String, Sendable, Codable {
        case tender, award, contract
    }

    public var code: String
    public var part: Part?
    public var id: String?
    /// The message as an API answer carried it, for a client that decodes one.
    private var received: String?

    enum CodingKeys: String, CodingKey {
        case code, message
    }

    public init(code: String, part: Part? = nil, id: String? = nil) {
        self.code = code
        self.part = part
        self.id = id
    }

    public func message(_ words: Words) -> String {
        if let received { return received }
        let subject = part.map { words["processFlagSubject_" + $0.rawValue, ["id": id ?? words["processFlagNoId"]]] } ?? ""
        return words["processFlag_" + code, ["subject": subject]]
    }

    /// The message in Spanish, the reference language (the API's answer, the tests).
    public var message: String { message(Catalogue.reference.words) }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(code: try container.decode(String.self, forKey: .code))
        received = try container.decode(String.self, forKey: .message)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(code, forKey: .code)
        try container.encode(message(encoder.words), forKey: .message)
    }

    /// Tender statuses under which no award is due (yet, or ever): it is not missing then.
    static let statusesWithoutAward: Set<String> = ["planning", "planned", "active", "cancelled", "unsuccessful", "withdrawn"]

    /// Every key field missing from a compiled process, in the order of the process's life.
    static func flags(of process: ContractingProcess) -> [ProcessFlag] {
        var flags: [ProcessFlag] = []
        func add(_ code: String, _ part: Part? = nil, _ id: String? = nil) { flags.append(ProcessFlag(code: code, part: part, id: id)) }
        func money(_ value: Money?, of part: Part, _ id: String?, missing: String) {
            if value?.amount == nil {
                add(missing, part, id)
            } else if value?.currency == nil {
                add("missing_currency", part, id)
            }
        }
        if process.buyer == nil { add("missing_buyer") }
        if let tender = process.tender {
            money(tender.value, of: .tender, nil, missing: "missing_tender_value")
            if tender.startDate == nil || tender.endDate == nil {
                add("missing_tender_period", .tender)
            }
        } else {
            add("missing_tender")
        }
        if process.awards.isEmpty {
            if !statusesWithoutAward.contains(process.tender?.status ?? "") {
                add("missing_award")
            }
        }
        for award in process.awards {
            if award.suppliers.isEmpty || award.suppliers.contains(where: { $0.name == nil }) {
                add("missing_supplier", .award, award.id)
            }
            money(award.value, of: .award, award.id, missing: "missing_award_value")
            if award.date == nil { add("missing_award_date", .award, award.id) }
        }
        for contract in process.contracts {
            money(contract.value, of: .contract, contract.id, missing: "missing_contract_value")
            if contract.dateSigned == nil { add("missing_contract_date", .contract, contract.id) }
        }
        return flags
    }
}
