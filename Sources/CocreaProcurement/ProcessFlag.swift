/// A key field a contracting process does not publish, as the public page shows it: a stable code
/// for programs, a Spanish sentence for people.
public struct ProcessFlag: Sendable, Codable, Equatable {
    public var code: String
    public var message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    /// Tender statuses under which no award is due (yet, or ever): it is not missing then.
    static let statusesWithoutAward: Set<String> = ["planning", "planned", "active", "cancelled", "unsuccessful", "withdrawn"]

    /// Every key field missing from a compiled process, in the order of the process's life.
    static func flags(of process: ContractingProcess) -> [ProcessFlag] {
        var flags: [ProcessFlag] = []
        func add(_ code: String, _ message: String) { flags.append(ProcessFlag(code: code, message: message)) }
        func money(_ value: Money?, of what: String, missing: String) {
            if value?.amount == nil {
                add(missing, "\(what) no indica su monto.")
            } else if value?.currency == nil {
                add("missing_currency", "\(what) no indica la moneda de su monto.")
            }
        }
        if process.buyer == nil { add("missing_buyer", "No indica la institución compradora (buyer).") }
        if let tender = process.tender {
            money(tender.value, of: "La licitación", missing: "missing_tender_value")
            if tender.startDate == nil || tender.endDate == nil {
                add("missing_tender_period", "La licitación no indica su periodo completo (inicio y término).")
            }
        } else {
            add("missing_tender", "No publica datos del procedimiento de contratación (tender).")
        }
        if process.awards.isEmpty {
            if !statusesWithoutAward.contains(process.tender?.status ?? "") {
                add("missing_award", "No publica ninguna adjudicación (awards).")
            }
        }
        for award in process.awards {
            let name = "La adjudicación «\(award.id ?? "sin id")»"
            if award.suppliers.isEmpty || award.suppliers.contains(where: { $0.name == nil }) {
                add("missing_supplier", "\(name) no indica el nombre de su proveedor.")
            }
            money(award.value, of: name, missing: "missing_award_value")
            if award.date == nil { add("missing_award_date", "\(name) no indica su fecha.") }
        }
        for contract in process.contracts {
            let name = "El contrato «\(contract.id ?? "sin id")»"
            money(contract.value, of: name, missing: "missing_contract_value")
            if contract.dateSigned == nil { add("missing_contract_date", "\(name) no indica su fecha de firma.") }
        }
        return flags
    }
}
