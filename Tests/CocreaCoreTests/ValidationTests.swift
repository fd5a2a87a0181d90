import CocreaCore
import Testing

@Suite struct ValidationTests {
    @Test func everyProblemIsReportedAtOnceInSpanish() {
        var v = Validator()
        _ = v.required("  ", field: "name", label: "el nombre")
        _ = v.email("no-es-correo")
        _ = v.choice("alcaldía", as: Sector.self, field: "sector", label: "el sector")
        #expect(v.errors.map(\.field) == ["name", "email", "sector"])
        #expect(v.errors[0].message == "Falta el nombre.")
        #expect(v.errors[1].message.contains("no parece un correo electrónico válido"))
        #expect(v.errors[2].message.contains("guarantor (Organismo garante)"))
        #expect(throws: CocreaError.self) { try v.check() }
    }

    @Test func emailsAreTrimmedAndLowercased() {
        var v = Validator()
        #expect(v.email("  Ana.Lopez@Salud-Jalisco.example ") == "ana.lopez@salud-jalisco.example")
        #expect(v.errors.isEmpty)
    }

    @Test func onlyMexicanTimeZonesAreAccepted() {
        var v = Validator()
        #expect(v.timeZone(nil) == "America/Mexico_City")
        _ = v.timeZone("Europe/Madrid")
        #expect(v.errors.count == 1)
    }
}

@Suite struct UploadPolicyTests {
    @Test func pdfWithPDFContentIsAccepted() throws {
        let accepted = try UploadPolicy.check(filename: "Kit de capacidades.pdf", bytes: Array("%PDF-1.4\n".utf8))
        #expect(accepted.mediaType == "application/pdf")
    }

    @Test func executableRenamedAsPDFIsRefused() {
        #expect(throws: CocreaError.self) { try UploadPolicy.check(filename: "guia.pdf", bytes: [0x7F, 0x45, 0x4C, 0x46]) }
    }

    @Test func unknownExtensionIsRefusedWithItsName() {
        do {
            _ = try UploadPolicy.check(filename: "instalador.exe", bytes: [0x4D, 0x5A])
            Issue.record("an .exe was accepted")
        } catch {
            #expect(error.code == "file_type_not_allowed")
            #expect(error.kind == .unsupportedType)
        }
    }

    @Test func pathTricksAreStrippedFromNames() {
        #expect(UploadPolicy.sanitize("../../etc/passwd") == "passwd")
        #expect(UploadPolicy.sanitize("C:\\Users\\ana\\..\\estudio.docx") == "estudio.docx")
        #expect(UploadPolicy.sanitize(".oculto.csv") == "oculto.csv")
    }

    @Test func emptyAndOversizedFilesAreRefused() {
        #expect(throws: CocreaError.self) { try UploadPolicy.check(filename: "vacio.txt", bytes: []) }
        let huge = [UInt8](repeating: 0x41, count: UploadPolicy.maximumBytes + 1)
        #expect(throws: CocreaError.self) { try UploadPolicy.check(filename: "grande.txt", bytes: huge) }
    }
}

@Suite struct NationalCatalogueTests {
    @Test func bundledPlanParsesWithAxesAndCommitments() throws {
        let csv = """
            id,axis,title,source
            EJE1,,Derechos humanos y fortalecimiento del Estado de derecho,IRM
            MX0064,EJE1,"Design and start implementing a path of action, with civil society",OGP
            """
        let entries = try NationalCatalogue.parse(csv: csv)
        #expect(entries.count == 2)
        #expect(entries[1].axis == "EJE1")
        #expect(entries[1].title.contains(", with civil society"))
    }

    @Test func inAPlanOrganisedByAxesARowWithoutAxisIsAnAxisEvenBeforeItHasCommitments() throws {
        let csv = """
            id,axis,title,source
            EJE1,,Derechos humanos y fortalecimiento del Estado de derecho,IRM
            EJE5,,Obesidad en niños y adolescentes,IRM
            MX0064,EJE1,Política pública nacional en materia de desaparición de personas,Plan
            """
        #expect(try NationalCatalogue.parse(csv: csv).map(\.isAxis) == [true, true, false])
    }

    @Test func theFourthPlanHasNoAxesSoEveryRowIsACommitment() throws {
        let csv = """
            id,axis,title,source
            MX0075,,Gasto abierto y responsable en programas sociales,SFP
            MX0082,,Política de Cuidados,Tablero
            """
        #expect(try NationalCatalogue.parse(csv: csv).map(\.isAxis) == [false, false])
    }

    @Test func aDeclaredKindDecidesAndAnUnknownOneIsReported() throws {
        let csv = "id,axis,title,source,kind\nEJE7,,Adaptación ante el cambio climático,IRM,eje\nMX0075,,Gasto abierto,SFP,compromiso\n"
        #expect(try NationalCatalogue.parse(csv: csv).map(\.isAxis) == [true, false])
        do {
            _ = try NationalCatalogue.parse(csv: "id,axis,title,source,kind\nMX0075,,Gasto abierto,SFP,programa\n")
            Issue.record("an unknown kind was accepted")
        } catch {
            #expect(error.fieldErrors.map(\.message) == ["Fila 2: el tipo debe ser «eje» o «compromiso»."])
        }
    }

    @Test func rowsPointingToUnknownAxesAreAllReported() {
        let csv = "id,axis,title,source\nMX0001,EJE9,Algo,x\n,EJE1,,y\n"
        do {
            _ = try NationalCatalogue.parse(csv: csv)
            Issue.record("a broken catalogue was accepted")
        } catch {
            #expect(error.fieldErrors.count >= 3)
        }
    }
}
