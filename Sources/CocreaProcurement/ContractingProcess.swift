import Foundation

/// One contracting process (all the releases that share an `ocid`), compiled: the buyer, the
/// tender, its awards with their suppliers and the contracts, and the key fields it leaves out.
public struct ContractingProcess: Sendable, Codable, Equatable {
    public var ocid: String
    public var releaseCount: Int
    /// The date of its latest release.
    public var updatedAt: Date
    public var buyer: String?
    public var tender: Tender?
    /// Suppliers carry their names, looked up in `parties` when the award names them by id only.
    public var awards: [Award]
    public var contracts: [Contract]
    /// Derived from the rest when compiled and again when read, so they are never stored: their
    /// messages follow the catalogue.
    public var flags: [ProcessFlag] = []

    enum CodingKeys: String, CodingKey {
        case ocid, releaseCount, updatedAt, buyer, tender, awards, contracts
    }

    /// Compiles releases into processes, one per `ocid`, sorted by `ocid`. Within a process releases
    /// count in date order and the latest one that carries a section wins it: the buyer and the
    /// tender whole, awards and contracts one by one by their `id` (OCDS's identifier merge), so a
    /// release about one award does not erase the others. Parties merge by `id` the same way.
    public static func compile(_ releases: [Release]) -> [ContractingProcess] {
        let byProcess = Dictionary(grouping: releases.enumerated(), by: { $0.element.ocid })
        return byProcess.keys.sorted().map { ocid in
            // Same date: the one later in the package is the later release.
            let ordered = byProcess[ocid]!.sorted { ($0.element.date, $0.offset) < ($1.element.date, $1.offset) }.map(\.element)
            var parties: [String: Party] = [:]
            var buyer: Party?
            var tender: Tender?
            var awards = Merged<Award>()
            var contracts = Merged<Contract>()
            for release in ordered {
                for party in release.parties { if let id = party.id { parties[id] = party } }
                if let releaseBuyer = release.buyer { buyer = releaseBuyer }
                if let releaseTender = release.tender { tender = releaseTender }
                for award in release.awards ?? [] { awards.put(award, id: award.id) }
                for contract in release.contracts ?? [] { contracts.put(contract, id: contract.id) }
            }
            func name(_ party: Party?) -> String? { party?.name ?? party?.id.flatMap { parties[$0]?.name } }
            let buyerName = name(buyer) ?? parties.values.sorted { ($0.id ?? "") < ($1.id ?? "") }.first { $0.roles.contains("buyer") }?.name
            var process = ContractingProcess(
                ocid: ocid, releaseCount: ordered.count, updatedAt: ordered.last!.date, buyer: buyerName, tender: tender,
                awards: awards.values.map { award in
                    var named = award
                    named.suppliers = award.suppliers.map { Party(id: $0.id, name: name($0), roles: $0.roles) }
                    return named
                },
                contracts: contracts.values, flags: [])
            process.flags = ProcessFlag.flags(of: process)
            return process
        }
    }
}

extension ContractingProcess {
    /// The stored form of compiled processes, written when a package is attached or removed so that
    /// no read compiles again (dates as seconds, so nothing is rounded away).
    public static func encode(_ processes: [ContractingProcess]) -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        encoder.outputFormatting = .sortedKeys
        return String(decoding: (try? encoder.encode(processes)) ?? Data("[]".utf8), as: UTF8.self)
    }

    public static func decode(_ text: String) throws -> [ContractingProcess] {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return try decoder.decode([ContractingProcess].self, from: Data(text.utf8)).map { process in
            var flagged = process
            flagged.flags = ProcessFlag.flags(of: process)
            return flagged
        }
    }
}

/// Items of a list section merged by `id` in release order: a later release replaces an item with
/// the same id and keeps its place; an item without an id cannot be matched, so it stays as it came.
private struct Merged<Item> {
    private var items: [Item] = []
    private var positions: [String: Int] = [:]

    var values: [Item] { items }

    mutating func put(_ item: Item, id: String?) {
        if let id, let position = positions[id] {
            items[position] = item
        } else {
            if let id { positions[id] = items.count }
            items.append(item)
        }
    }
}
