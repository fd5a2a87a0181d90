import Foundation

/// An amount of money as OCDS writes it (`value`: `amount` and ISO 4217 `currency`).
public struct Money: Sendable, Codable, Equatable {
    public var amount: Decimal?
    public var currency: String?

    public init(amount: Decimal?, currency: String?) {
        self.amount = amount
        self.currency = currency
    }
}

/// An organisation named in a release: the buyer, a supplier, or an entry of `parties`.
public struct Party: Sendable, Codable, Equatable {
    public var id: String?
    public var name: String?
    public var roles: [String]

    public init(id: String?, name: String?, roles: [String] = []) {
        self.id = id
        self.name = name
        self.roles = roles
    }
}

/// The procedure (licitación, invitación, adjudicación directa) as one release states it.
public struct Tender: Sendable, Codable, Equatable {
    public var id: String?
    public var title: String?
    public var status: String?
    public var value: Money?
    public var startDate: Date?
    public var endDate: Date?

    public init(id: String? = nil, title: String?, status: String?, value: Money?, startDate: Date?, endDate: Date?) {
        self.id = id
        self.title = title
        self.status = status
        self.value = value
        self.startDate = startDate
        self.endDate = endDate
    }
}

public struct Award: Sendable, Codable, Equatable {
    public var id: String?
    public var title: String?
    public var status: String?
    public var date: Date?
    public var value: Money?
    public var suppliers: [Party]

    public init(id: String?, title: String? = nil, status: String? = nil, date: Date?, value: Money?, suppliers: [Party]) {
        self.id = id
        self.title = title
        self.status = status
        self.date = date
        self.value = value
        self.suppliers = suppliers
    }
}

public struct Contract: Sendable, Codable, Equatable {
    public var id: String?
    public var awardID: String?
    public var title: String?
    public var status: String?
    public var dateSigned: Date?
    public var value: Money?

    public init(id: String?, awardID: String?, title: String? = nil, status: String? = nil, dateSigned: Date?, value: Money?) {
        self.id = id
        self.awardID = awardID
        self.title = title
        self.status = status
        self.dateSigned = dateSigned
        self.value = value
    }
}

/// What Cocrea keeps of one OCDS release: its identity and the sections a contracting process is
/// compiled from. Stored beside the package's bytes, so listing processes never re-reads 20 MB.
public struct Release: Sendable, Codable, Equatable {
    public var ocid: String
    public var id: String
    public var date: Date
    public var tags: [String]
    public var buyer: Party?
    public var parties: [Party]
    public var tender: Tender?
    /// Nil when the release has no `awards` section (it says nothing about awards, which differs from
    /// saying there are none).
    public var awards: [Award]?
    public var contracts: [Contract]?

    public init(
        ocid: String, id: String, date: Date, tags: [String], buyer: Party? = nil, parties: [Party] = [],
        tender: Tender? = nil, awards: [Award]? = nil, contracts: [Contract]? = nil
    ) {
        self.ocid = ocid
        self.id = id
        self.date = date
        self.tags = tags
        self.buyer = buyer
        self.parties = parties
        self.tender = tender
        self.awards = awards
        self.contracts = contracts
    }

    /// The release of a JSON object that passed `PackageValidator` (its identity is there and typed).
    init?(_ json: JSONValue) {
        guard let ocid = json["ocid"]?.text, let id = json["id"]?.identifier,
            let dateText = json["date"]?.text, let date = OCDSDate.parse(dateText)
        else { return nil }
        self.ocid = ocid
        self.id = id
        self.date = date
        tags = json["tag"]?.array?.compactMap(\.text) ?? []
        buyer = json["buyer"].flatMap(Self.party)
        parties = json["parties"]?.array?.compactMap(Self.party) ?? []
        tender = json["tender"].flatMap { tender in
            tender.object == nil
                ? nil
                : Tender(
                    id: tender["id"]?.identifier, title: tender["title"]?.text, status: tender["status"]?.text,
                    value: tender["value"].flatMap(Self.money),
                    startDate: tender["tenderPeriod"]?["startDate"]?.text.flatMap(OCDSDate.parse),
                    endDate: tender["tenderPeriod"]?["endDate"]?.text.flatMap(OCDSDate.parse))
        }
        awards = json["awards"]?.array?.compactMap { award in
            award.object == nil
                ? nil
                : Award(
                    id: award["id"]?.identifier, title: award["title"]?.text, status: award["status"]?.text,
                    date: award["date"]?.text.flatMap(OCDSDate.parse), value: award["value"].flatMap(Self.money),
                    suppliers: award["suppliers"]?.array?.compactMap(Self.party) ?? [])
        }
        contracts = json["contracts"]?.array?.compactMap { contract in
            contract.object == nil
                ? nil
                : Contract(
                    id: contract["id"]?.identifier, awardID: contract["awardID"]?.identifier, title: contract["title"]?.text,
                    status: contract["status"]?.text, dateSigned: contract["dateSigned"]?.text.flatMap(OCDSDate.parse),
                    value: contract["value"].flatMap(Self.money))
        }
    }

    private static func party(_ json: JSONValue) -> Party? {
        guard json.object != nil else { return nil }
        return Party(id: json["id"]?.identifier, name: json["name"]?.text, roles: json["roles"]?.array?.compactMap(\.text) ?? [])
    }

    private static func money(_ json: JSONValue) -> Money? {
        guard json.object != nil else { return nil }
        let money = Money(amount: json["amount"]?.number, currency: json["currency"]?.text)
        return money.amount == nil && money.currency == nil ? nil : money
    }

    /// The stored form of a package's releases (dates as seconds, so nothing is rounded away).
    public static func encode(_ releases: [Release]) -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        encoder.outputFormatting = .sortedKeys
        return String(decoding: (try? encoder.encode(releases)) ?? Data("[]".utf8), as: UTF8.self)
    }

    public static func decode(_ text: String) throws -> [Release] {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return try decoder.decode([Release].self, from: Data(text.utf8))
    }
}
