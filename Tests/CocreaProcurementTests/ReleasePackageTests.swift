import CocreaCore
import Foundation
import Testing

@testable import CocreaProcurement

/// Reading an OCDS 1.1 release package: what is required of the package and of each release,
/// reported by JSON path in Spanish, and the files refused before any of that.
@Suite struct ReleasePackageTests {
    static func refusal(_ data: Data, name: String = "ssj-2026-014.json") -> CocreaError? {
        do {
            _ = try ReleasePackage.read(data, name: name)
            return nil
        } catch {
            return error
        }
    }

    static func problems(_ data: Data) -> [String: String] {
        let error = refusal(data)
        #expect(error?.code == "ocds_invalid")
        #expect(error?.kind == .invalid)
        return Dictionary(error?.fieldErrors.map { ($0.field, $0.message) } ?? [], uniquingKeysWith: { first, _ in first })
    }

    @Test func aValidPackageIsReadWithItsPublisherAndEveryRelease() throws {
        let package = try ReleasePackage.read(Samples.package([Samples.tenderRelease(), Samples.awardRelease()]), name: "ssj-2026-014.json")
        #expect(package.uri == "https://transparencia.jalisco.gob.mx/ocds/salud/2026-014.json")
        #expect(package.publisherName == "Secretaría de Salud Jalisco")
        #expect(package.publishedDate == OCDSDate.parse("2026-05-20T16:00:00Z"))
        #expect(package.version == "1.1")
        #expect(package.releases.map(\.id) == ["SSJ-LPL-2026-014-01", "SSJ-LPL-2026-014-02"])
        let award = try #require(package.releases[1].awards?.first)
        #expect(award.value == Money(amount: Decimal(string: "17982340.5"), currency: "MXN"))
        #expect(award.suppliers.map(\.name) == ["Distribuidora Farmacéutica de Occidente, S.A. de C.V."])
        #expect(package.releases[1].contracts?.first?.awardID == "SSJ-014-A1")
        #expect(package.releases[0].tender?.endDate == OCDSDate.parse("2026-02-25T00:00:00Z"))
    }

    @Test func everyMissingFieldOfThePackageIsReportedByItsPath() {
        let problems = Self.problems(
            Samples.package([Samples.tenderRelease()]) { package in
                package["uri"] = nil
                package["publishedDate"] = nil
                package["publisher"] = ["uri": "https://ssj.jalisco.gob.mx"]
                package["version"] = nil
            })
        #expect(
            problems == [
                "$.uri": "Falta «uri», la dirección en la que se publica el paquete.",
                "$.publishedDate": "Falta la fecha de publicación del paquete.",
                "$.publisher.name": "Falta el nombre de quien publica el paquete.",
                "$.version": "Falta «version»; un paquete OCDS 1.1 declara \"version\": \"1.1\".",
            ])
    }

    @Test func aPackageWithoutReleasesOrWithAnEmptyListIsInvalid() {
        #expect(Self.problems(Samples.package([]) { $0["releases"] = nil }) == ["$.releases": "Falta «releases», la lista de entregas del paquete."])
        #expect(Self.problems(Samples.package([])) == ["$.releases": "El paquete no trae ninguna entrega (release)."])
    }

    @Test func everyMissingFieldOfAReleaseIsReportedByItsPath() {
        var release = Samples.awardRelease()
        for key in ["ocid", "id", "date", "tag", "initiationType"] { release[key] = nil }
        let problems = Self.problems(Samples.package([Samples.tenderRelease(), release]))
        #expect(
            problems == [
                "$.releases[1].ocid": "Falta «ocid», el identificador del proceso de contratación.",
                "$.releases[1].id": "Falta «id», el identificador de la entrega.",
                "$.releases[1].date": "Falta la fecha de la entrega.",
                "$.releases[1].tag": "Falta «tag», la lista de etapas que informa la entrega (por ejemplo [\"tender\"]).",
                "$.releases[1].initiationType": "Falta «initiationType» (en OCDS 1.1 siempre es \"tender\").",
            ])
    }

    @Test func anUnknownTagAnotherInitiationTypeAndAnotherVersionAreProblems() {
        var release = Samples.tenderRelease()
        release["tag"] = ["tender", "licitacion"]
        release["initiationType"] = "directAward"
        let problems = Self.problems(Samples.package([release]) { $0["version"] = "1.0" })
        #expect(problems["$.releases[0].tag[1]"] == "«licitacion» no es una etiqueta de entrega de OCDS (planning, tender, award, contract, implementation…).")
        #expect(problems["$.releases[0].initiationType"] == "«initiationType» debe ser \"tender\"; dice «directAward».")
        #expect(problems["$.version"] == "Cocrea lee OCDS 1.1, y el paquete declara la versión «1.0».")
        #expect(problems.count == 3)
    }

    @Test func datesAmountsCurrenciesAndListsOfTheWrongTypeAreProblems() {
        var release = Samples.awardRelease()
        release["date"] = "10/03/2026"
        var tender = release["tender"] as! [String: Any]
        tender["value"] = ["amount": "$18,450,000.00", "currency": "pesos"]
        tender["tenderPeriod"] = ["startDate": "2026-02-30T09:00:00-06:00", "endDate": "2026-02-24"]
        release["tender"] = tender
        var award = (release["awards"] as! [[String: Any]])[0]
        award["suppliers"] = ["Distribuidora Farmacéutica de Occidente"]
        release["awards"] = [award]
        release["contracts"] = ["SSJ-014-C1"]
        let problems = Self.problems(Samples.package([release]))
        #expect(
            problems == [
                "$.releases[0].date": "La fecha de la entrega debe ser una fecha y hora RFC 3339 (por ejemplo 2026-03-01T09:00:00-06:00); dice «10/03/2026».",
                "$.releases[0].tender.value.amount": "El monto debe ser un número (sin signo de pesos ni comas); dice «$18,450,000.00».",
                "$.releases[0].tender.value.currency": "La moneda es un código ISO 4217 de tres letras (MXN, USD…); dice «pesos».",
                "$.releases[0].tender.tenderPeriod.startDate":
                    "La fecha de inicio del periodo debe ser una fecha y hora RFC 3339 (por ejemplo 2026-03-01T09:00:00-06:00); dice «2026-02-30T09:00:00-06:00».",
                "$.releases[0].tender.tenderPeriod.endDate":
                    "La fecha de término del periodo debe ser una fecha y hora RFC 3339 (por ejemplo 2026-03-01T09:00:00-06:00); dice «2026-02-24».",
                "$.releases[0].awards[0].suppliers[0]": "Debe ser un objeto JSON; es «Distribuidora Farmacéutica de Occidente».",
                "$.releases[0].contracts[0]": "Debe ser un objeto JSON; es «SSJ-014-C1».",
            ])
    }

    @Test func eachProblemOfThePackageIsSaidInTheReadersLanguage() throws {
        var release = Samples.awardRelease()
        release["date"] = "10/03/2026"
        release["contracts"] = ["SSJ-014-C1"]
        let error = try #require(Self.refusal(Samples.package([release])))
        let english = Dictionary(uniqueKeysWithValues: error.fieldErrors.map { ($0.field, $0.message(Language.en.words)) })
        #expect(
            english == [
                "$.releases[0].date": "The release's date must be an RFC 3339 date and time (for example 2026-03-01T09:00:00-06:00); it says «10/03/2026».",
                "$.releases[0].contracts[0]": "It must be a JSON object; it is «SSJ-014-C1».",
            ])
    }

    @Test func aReleaseIdRepeatedWithinOneProcessIsAProblem() {
        let problems = Self.problems(
            Samples.package([
                Samples.tenderRelease(), Samples.tenderRelease(ocid: "ocds-7sjl2m-SSJ-LPL-2026-015"), Samples.tenderRelease(),
            ]))
        #expect(
            problems == [
                "$.releases[2].id":
                    "El id «SSJ-LPL-2026-014-01» ya lo usa la entrega $.releases[0] del mismo proceso ocds-7sjl2m-SSJ-LPL-2026-014; cada entrega de un proceso lleva un id distinto."
            ])
    }

    @Test func pastAHundredProblemsTheRestAreCountedNotListed() throws {
        let broken = (0..<60).map { index -> [String: Any] in
            ["ocid": "ocds-7sjl2m-\(index)", "id": "\(index)", "date": "2026-02-03T09:00:00-06:00"]
        }
        let error = try #require(Self.refusal(Samples.package(broken)))
        #expect(error.fieldErrors.count == 101)
        #expect(
            error.fieldErrors.last
                == FieldError(field: "$", message: "Y 20 problemas más que no se listan; corrige los anteriores y vuelve a enviar el paquete."))
        #expect(
            error.message == "«ssj-2026-014.json» no es un paquete OCDS 1.1 válido: tiene 101 problemas, cada uno con su ruta en el JSON. No se guardó nada.")
    }

    @Test func aFileThatIsNotJSONIsRefusedAsSuch() {
        for data in [
            Data("%PDF-1.4\n".utf8), Data("<html><body>Portal de transparencia</body></html>".utf8),
            Data("{\"uri\": \"https://transparencia.jalisco.gob.mx\",".utf8), Data("ocid,id,date\n".utf8), Data([0xFF, 0xFE, 0x7B]),
        ] {
            let error = Self.refusal(data)
            #expect(error?.code == "ocds_not_json")
            #expect(error?.kind == .unsupportedType)
            #expect(error?.message == "«ssj-2026-014.json» no es un archivo JSON. Un paquete OCDS es un documento JSON en UTF-8 (.json).")
        }
    }

    @Test func aByteOrderMarkBeforeThePackageIsAccepted() throws {
        let package = try ReleasePackage.read(Data([0xEF, 0xBB, 0xBF]) + Samples.package([Samples.tenderRelease()]), name: "ssj.json")
        #expect(package.releases.count == 1)
    }

    @Test func aSingleReleaseAListOfReleasesOrARecordPackageIsNotAReleasePackage() throws {
        let release = try JSONSerialization.data(withJSONObject: Samples.tenderRelease())
        let list = try JSONSerialization.data(withJSONObject: [Samples.tenderRelease()])
        let records = try JSONSerialization.data(withJSONObject: ["uri": "https://transparencia.jalisco.gob.mx/ocds/records.json", "records": []])
        let messages = [release, list, records].map { data -> String? in
            let error = Self.refusal(data)
            #expect(error?.code == "ocds_not_release_package")
            #expect(error?.kind == .invalid)
            return error?.message
        }
        #expect(
            messages == [
                "«ssj-2026-014.json» es una entrega suelta. Envíala dentro de un paquete de entregas (release package) con uri, publishedDate, publisher y version.",
                "«ssj-2026-014.json» es una lista de entregas suelta. Envía un paquete de entregas (release package): un objeto con uri, publishedDate, publisher, version y la lista en releases.",
                "«ssj-2026-014.json» es un paquete de registros (record package). Envía el paquete de entregas (release package) del que salió: Cocrea compila los procesos a partir de las entregas.",
            ])
    }

    @Test func aFileOverTwentyMegabytesIsRefusedBeforeItIsRead() {
        let error = Self.refusal(Data(repeating: UInt8(ascii: " "), count: ReleasePackage.maximumBytes + 1))
        #expect(error?.code == "file_too_large")
        #expect(error?.kind == .tooLarge)
        #expect(error?.message == "«ssj-2026-014.json» pesa 20 MB; un paquete OCDS puede pesar hasta 20 MB. Divide las entregas en varios paquetes.")
    }

    @Test func moreThanFiftyThousandReleasesAreRefused() throws {
        let releases = Array(repeating: [String: Any](), count: ReleasePackage.maximumReleases + 1)
        let error = try #require(Self.refusal(Samples.package(releases)))
        #expect(error.code == "ocds_too_many_releases")
        #expect(error.kind == .tooLarge)
        #expect(error.message == "«ssj-2026-014.json» trae 50001 entregas; un paquete puede traer hasta 50000. Divídelo en varios paquetes.")
    }

    @Test func rfc3339DatesAreReadWithTheirOffsetAndFraction() {
        #expect(OCDSDate.parse("2026-03-01T09:30:00-06:00") == OCDSDate.parse("2026-03-01T15:30:00Z"))
        #expect(OCDSDate.parse("2026-03-01T15:30:00.250Z")!.timeIntervalSince(OCDSDate.parse("2026-03-01T15:30:00Z")!) == 0.25)
        for invalid in ["2026-03-01", "2026-02-30T10:00:00Z", "2026-03-01T10:00:00", "2026-03-01 10:00:00Z", "2026-13-01T10:00:00Z", "01/03/2026 10:00"] {
            #expect(OCDSDate.parse(invalid) == nil, "\(invalid)")
        }
    }

    @Test func storedReleasesReadBackExactly() throws {
        let package = try ReleasePackage.read(Samples.package([Samples.tenderRelease(), Samples.awardRelease()]), name: "ssj.json")
        #expect(try Release.decode(Release.encode(package.releases)) == package.releases)
    }
}
