import CocreaCore
import Foundation
import Testing

@testable import CocreaProcurement

/// Compiling releases into contracting processes by `ocid`, and flagging the key fields a process
/// leaves out.
@Suite struct ContractingProcessTests {
    static func releases(_ json: [[String: Any]]) throws -> [Release] {
        try ReleasePackage.read(Samples.package(json), name: "ssj.json").releases
    }

    static func codes(_ process: ContractingProcess) -> [String] { process.flags.map(\.code) }

    @Test func releasesCompileIntoOneProcessPerOcidWhateverTheirOrderInThePackage() throws {
        let other = "ocds-7sjl2m-SSJ-AD-2026-003"
        let processes = ContractingProcess.compile(
            try Self.releases([
                Samples.awardRelease(), Samples.tenderRelease(ocid: other, id: "AD-003-01"), Samples.tenderRelease(),
            ]))
        #expect(processes.map(\.ocid) == [other, Samples.ocid])
        let process = processes[1]
        #expect(process.releaseCount == 2)
        #expect(process.updatedAt == OCDSDate.parse("2026-03-10T12:00:00-06:00"))
        #expect(process.buyer == "Secretaría de Salud Jalisco")
        // The award release is the later one: its tender (complete) wins over the earlier (active).
        #expect(process.tender?.status == "complete")
        #expect(process.tender?.value == Money(amount: 18_450_000, currency: "MXN"))
        #expect(process.awards.map(\.id) == ["SSJ-014-A1"])
        #expect(process.contracts.map(\.dateSigned) == [OCDSDate.parse("2026-03-16T11:30:00-06:00")])
        #expect(process.flags.isEmpty)
    }

    @Test func theLatestReleaseWinsASectionEvenWhenItComesFirstInThePackage() throws {
        var amended = Samples.tenderRelease(id: "SSJ-LPL-2026-014-03", date: "2026-02-10T09:00:00-06:00")
        var tender = amended["tender"] as! [String: Any]
        tender["title"] = "Adquisición de medicamentos del cuadro básico (convocatoria modificada)"
        amended["tender"] = tender
        amended["tag"] = ["tenderAmendment"]
        let process = try #require(ContractingProcess.compile(try Self.releases([amended, Samples.tenderRelease()])).first)
        #expect(process.tender?.title == "Adquisición de medicamentos del cuadro básico (convocatoria modificada)")
    }

    @Test func awardsMergeByIdSoAReleaseAboutOneAwardKeepsTheOthers() throws {
        var first = Samples.awardRelease()
        var second = (first["awards"] as! [[String: Any]])[0]
        second["id"] = "SSJ-014-A2"
        second["value"] = ["amount": 467_659.5, "currency": "MXN"]
        first["awards"] = (first["awards"] as! [[String: Any]]) + [second]
        var update = Samples.awardRelease(id: "SSJ-LPL-2026-014-04", date: "2026-04-01T10:00:00-06:00")
        var corrected = (update["awards"] as! [[String: Any]])[0]
        corrected["value"] = ["amount": 17_900_000, "currency": "MXN"]
        update["awards"] = [corrected]
        update["tag"] = ["awardUpdate"]
        update["contracts"] = nil
        let process = try #require(ContractingProcess.compile(try Self.releases([first, update])).first)
        #expect(process.awards.map(\.id) == ["SSJ-014-A1", "SSJ-014-A2"])
        #expect(process.awards.map(\.value?.amount) == [17_900_000, Decimal(string: "467659.5")])
        #expect(process.contracts.map(\.id) == ["SSJ-014-C1"])
    }

    @Test func aSupplierOrBuyerNamedByIdTakesItsNameFromParties() throws {
        var release = Samples.awardRelease()
        release["buyer"] = ["id": "MX-SSJ"]
        var award = (release["awards"] as! [[String: Any]])[0]
        award["suppliers"] = [["id": "MX-RFC-DFO010203AB1"]]
        release["awards"] = [award]
        let process = try #require(ContractingProcess.compile(try Self.releases([release])).first)
        #expect(process.buyer == "Secretaría de Salud Jalisco")
        #expect(process.awards.first?.suppliers.map(\.name) == ["Distribuidora Farmacéutica de Occidente, S.A. de C.V."])
        #expect(process.flags.isEmpty)
    }

    @Test func withoutABuyerTheBuyerPartyNamesTheInstitution() throws {
        var release = Samples.tenderRelease()
        release["buyer"] = nil
        let process = try #require(ContractingProcess.compile(try Self.releases([release])).first)
        #expect(process.buyer == "Secretaría de Salud Jalisco")
    }

    @Test func everyMissingKeyFieldIsFlaggedInSpanish() throws {
        var release = Samples.awardRelease()
        release["buyer"] = nil
        release["parties"] = nil
        var tender = release["tender"] as! [String: Any]
        tender["value"] = nil
        tender["tenderPeriod"] = ["startDate": "2026-02-03T09:00:00-06:00"]
        release["tender"] = tender
        release["awards"] = [["id": "SSJ-014-A1", "suppliers": [["id": "MX-RFC-SINNOMBRE"]]]]
        release["contracts"] = [["id": "SSJ-014-C1", "value": ["amount": 17_982_340.5]]]
        let process = try #require(ContractingProcess.compile(try Self.releases([release])).first)
        #expect(
            process.flags.map(\.code) == [
                "missing_buyer", "missing_tender_value", "missing_tender_period", "missing_supplier", "missing_award_value", "missing_award_date",
                "missing_currency", "missing_contract_date",
            ])
        #expect(
            process.flags.map(\.message) == [
                "No indica la institución compradora (buyer).", "La licitación no indica su monto.",
                "La licitación no indica su periodo completo (inicio y término).",
                "La adjudicación «SSJ-014-A1» no indica el nombre de su proveedor.", "La adjudicación «SSJ-014-A1» no indica su monto.",
                "La adjudicación «SSJ-014-A1» no indica su fecha.", "El contrato «SSJ-014-C1» no indica la moneda de su monto.",
                "El contrato «SSJ-014-C1» no indica su fecha de firma.",
            ])
        #expect(process.flags.map { $0.message(Language.en.words) }.last == "Contract «SSJ-014-C1» does not give its signing date.")
    }

    @Test func aProcessWithoutTenderOrAwardIsFlaggedForBoth() throws {
        let release: [String: Any] = [
            "ocid": Samples.ocid, "id": "SSJ-PLAN-01", "date": "2026-01-15T09:00:00-06:00",
            "tag": ["planning"], "initiationType": "tender", "buyer": Samples.buyer,
        ]
        let process = try #require(ContractingProcess.compile(try Self.releases([release])).first)
        #expect(Self.codes(process) == ["missing_tender", "missing_award"])
    }

    @Test func anOpenOrCancelledTenderIsNotFlaggedForHavingNoAwardYet() throws {
        let open = try #require(ContractingProcess.compile(try Self.releases([Samples.tenderRelease()])).first)
        #expect(open.flags.isEmpty)
        var cancelled = Samples.tenderRelease(id: "SSJ-LPL-2026-014-05", date: "2026-03-01T09:00:00-06:00")
        var tender = cancelled["tender"] as! [String: Any]
        tender["status"] = "cancelled"
        cancelled["tender"] = tender
        let closedEmpty = try #require(ContractingProcess.compile(try Self.releases([Samples.tenderRelease(), cancelled])).first)
        #expect(closedEmpty.flags.isEmpty)
        tender["status"] = "complete"
        cancelled["tender"] = tender
        let complete = try #require(ContractingProcess.compile(try Self.releases([Samples.tenderRelease(), cancelled])).first)
        #expect(Self.codes(complete) == ["missing_award"])
    }
}
