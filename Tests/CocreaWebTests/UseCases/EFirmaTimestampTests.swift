import CocreaCore
import CocreaDocuments
import CocreaStore
import CocreaTestSupport
import Fluent
import Foundation
import Testing
import Vapor

@testable import CocreaUseCases
@testable import CocreaWeb

/// Issue 19, point 3: every e.firma PDF signature gets its trusted time in the PAL, even when the
/// authority did not answer while its actor signed. The queue writes the token into the signature itself
/// while nothing covers it yet, and otherwise appends one document timestamp after it (and before the
/// seal, which is made again over it when it was waiting); pyHanko and pdfsig agree.
@Suite struct EFirmaTimestampTests {
    static func signingCopy(_ world: EFirmaSigning) async throws -> StoredFile {
        try #require(try await PlanVersion.find(world.setup.version.id, on: world.app.db)?.$signingFile.get(on: world.app.db))
    }

    static func signWithCode(_ email: String, _ world: EFirmaSigning) async throws {
        let anyone = APIClient(app: world.app, token: nil)
        let token = try world.token(email)
        _ = try await anyone.send(.POST, "/api/v1/signing/\(token)/code")
        let code = try await SigningFlowTests.code(for: email, on: world.app)
        let answer = try await anyone.send(.POST, "/api/v1/signing/\(token)", json: #"{"code": "\#(code)"}"#)
        #expect(answer.status == .ok, "\(answer.body.string)")
    }

    static func facilitatorEmail(_ world: EFirmaSigning) throws -> String {
        try #require(world.setup.fixture.members["facilitator"]).email
    }

    /// The first actor signs with their e.firma while the authority is away; then it answers, and the
    /// dating of the signing copy is asked for but not yet kept.
    static func signedThenDated(
        _ world: EFirmaSigning, _ server: TimestampQueueTests.Server
    ) async throws -> (UseCaseContext, UUID, TimestampAuthority, TimestampOperations.DatedCopy) {
        _ = try await world.sign()
        server.mode = .answering
        server.time = { world.clock.now }
        let ctx = try world.app.useCases
        let versionID = try #require(world.setup.version.id)
        let authority = try #require(ctx.timestampAuthority)
        let dated = try #require(try await TimestampOperations.datingSigningCopy(of: versionID, with: authority, on: ctx))
        return (ctx, versionID, authority, dated)
    }

    @Test(arguments: TestDatabase.all)
    func anEFirmaSignedWhileTheAuthorityWasDownGetsItsOwnTokenInPlaceWhenNothingCoversItYet(database: TestDatabase) async throws {
        try await TimestampQueueTests.run(database) { world, server in
            _ = try await world.sign()
            let before = try await Self.signingCopy(world)
            let unstamped = try #require(try PDFSignatures.all(in: before.data).first)
            #expect(TimeStamp.stamp(in: Array(unstamped.cms)) == nil, "the authority was down while María Fernanda signed")

            server.mode = .answering
            server.time = { world.clock.now }
            #expect(try await TimestampQueueTests.runQueue(world) == .init(completed: 1))
            let after = try await Self.signingCopy(world)
            let signatures = try PDFSignatures.all(in: after.data)
            #expect(signatures.map(\.subFilter) == ["ETSI.CAdES.detached"], "no revision was added")
            #expect(after.data.count == before.data.count)
            #expect(signatures.first?.byteRange == unstamped.byteRange)
            #expect(signatures.first?.signedBytes == unstamped.signedBytes, "what she signed is unchanged")
            #expect(TimeStamp.stamp(in: Array(try #require(signatures.first).cms))?.authority == TestTimestampAuthority.subject)
            #expect(try await AuditEvent.query(on: world.app.db).filter(\.$action == "timestampSigningCopy").count() == 1)

            let judged = try await Self.pyHanko(after.data, instancePEM: world.app.identity.certificatePEM)
            #expect(judged == ["efirma: intact valid ok stamped"], "\(judged)")
            #expect(try await TimestampQueueTests.runQueue(world) == .init(), "nothing is stamped twice")
        }
    }

    @Test(arguments: TestDatabase.all)
    func aDocumentTimestampDatesAnEFirmaThatALaterSignatureCoversAndTheSealComesAfterIt(database: TestDatabase) async throws {
        try await TimestampQueueTests.run(database) { world, server in
            _ = try await world.sign()
            try await Self.signWithCode(try Self.facilitatorEmail(world), world)
            let before = try await Self.signingCopy(world)

            server.mode = .answering
            server.time = { world.clock.now }
            #expect(try await TimestampQueueTests.runQueue(world) == .init(completed: 1))
            let dated = try await Self.signingCopy(world)
            #expect(dated.data.prefix(before.data.count) == before.data, "the document timestamp is appended after the code signature")
            let signatures = try PDFSignatures.all(in: dated.data)
            #expect(signatures.map(\.subFilter) == ["ETSI.CAdES.detached", "ETSI.RFC3161"])
            #expect(signatures.last?.coversWholeFile == true)
            #expect(TimeStamp.stamp(in: Array(signatures[0].cms)) == nil, "her signature's bytes are covered by the fill after it")
            #expect(PDFDocumentTimestamp.undated(signatures).isEmpty)
            #expect(
                TimeStamp.documentStamp(Array(signatures[1].cms), over: Array(signatures[1].signedBytes))?.authority == TestTimestampAuthority.subject)
            let judged = try await Self.pyHanko(dated.data, instancePEM: world.app.identity.certificatePEM)
            #expect(judged == ["efirma: intact valid ok unstamped", "timestamp: intact valid trusted"], "\(judged)")
            // Poppler checks CMS signatures but not RFC 3161 document timestamps, which it lists unverified.
            let pdfsig = try await Tool.output(["pdfsig", "-nocert", "FILE"], input: dated.data)
            #expect(pdfsig.components(separatedBy: "Signature is Valid").count == 2, "\(pdfsig)")
            #expect(pdfsig.contains("Signer Certificate Common Name: Sello de tiempo de prueba") && !pdfsig.contains("Invalid"), "\(pdfsig)")

            for person in world.setup.fixture.members.values
            where ![EFirmaSigning.institutionEmail, try Self.facilitatorEmail(world)].contains(person.email) {
                try await Self.signWithCode(person.email, world)
            }
            #expect(try await TimestampQueueTests.runQueue(world) == .init(completed: 1), "the seal, over the dated copy as it is")
            let anyone = APIClient(app: world.app, token: nil)
            let sealed = Data(buffer: try await anyone.send(.GET, world.setup.versionPath + "/sealed.pdf").body)
            #expect(sealed.prefix(dated.data.count) == dated.data)
            #expect(try PDFSignatures.all(in: sealed).map(\.subFilter) == ["ETSI.CAdES.detached", "ETSI.RFC3161", "adbe.pkcs7.detached"])
            let sealedJudged = try await Self.pyHanko(sealed, instancePEM: world.app.identity.certificatePEM)
            #expect(
                sealedJudged == ["efirma: intact valid ok unstamped", "timestamp: intact valid trusted", "seal: intact valid ok stamped"],
                "\(sealedJudged)")
            let sealedSig = try await Tool.output(["pdfsig", "-nocert", "FILE"], input: sealed)
            #expect(sealedSig.components(separatedBy: "Signature is Valid").count == 3, "\(sealedSig)")
            #expect(!sealedSig.contains("Invalid"), "\(sealedSig)")

            let (headers, body) = SigningFlowTests.multipart(sealed, name: "pal.pdf")
            let verified = try JSONDecoder.api.decode(
                VerificationDTO.self, from: try await anyone.send(.POST, "/api/v1/verify", headers: headers, body: body).body)
            #expect(verified.authentic)
            let listed = try #require(verified.signatures)
            #expect(listed.map(\.method) == ["efirma", "documentTimestamp", "seal"])
            #expect(listed.map(\.intact) == [true, true, true])
            #expect(listed[0].timestampSource == "documentTimestamp")
            #expect(listed[0].timestamp == listed[1].timestamp, "the earliest document timestamp that covers it")
            #expect(listed[1].name == TestTimestampAuthority.subject)
            #expect(listed[1].timestamp?.authority == TestTimestampAuthority.subject)
            #expect(listed[2].timestampSource == nil)

            let verifier = Browser(app: world.app)
            try await verifier.get("/verify")
            let page = try await verifier.postMultipart(
                "/verify", fields: [], files: [(field: "file", name: "pal.pdf", type: "application/pdf", data: [UInt8](sealed))]
            ).body.string
            #expect(page.contains("<th scope=\"row\">Sello de tiempo del documento</th>"), "\(page)")
            #expect(page.contains("Sello de tiempo del documento que la cubre (la autoridad no respondió al firmar): "), "\(page)")
            let offline = try await VerificationOperations.offlineReport(file: sealed, certificatePEM: world.app.identity.certificatePEM)
            #expect(offline.report.contains("sello de tiempo del documento (RFC 3161, sobre todo lo anterior) — íntegra"), "\(offline.report)")
            #expect(offline.report.contains("; sello de tiempo del documento que la cubre "), "\(offline.report)")
        }
    }

    @Test(arguments: TestDatabase.all)
    func aSealThatWaitedIsMadeAgainAfterADocumentTimestampOfTheEFirmasNothingDated(database: TestDatabase) async throws {
        try await TimestampQueueTests.run(database) { world, server in
            try await TimestampQueueTests.signEveryone(world)
            let waiting = try #require(try await StoredFile.find(try await TimestampQueueTests.request(sealOf: world).$unstampedFile.id, on: world.app.db))
            #expect(try PDFSignatures.all(in: waiting.data).map(\.subFilter) == ["ETSI.CAdES.detached", "adbe.pkcs7.detached"])

            server.mode = .answering
            server.time = { world.clock.now }
            #expect(try await TimestampQueueTests.runQueue(world) == .init(completed: 2))
            let anyone = APIClient(app: world.app, token: nil)
            let sealed = Data(buffer: try await anyone.send(.GET, world.setup.versionPath + "/sealed.pdf").body)
            let signatures = try PDFSignatures.all(in: sealed)
            #expect(signatures.map(\.subFilter) == ["ETSI.CAdES.detached", "ETSI.RFC3161", "adbe.pkcs7.detached"], "nothing after the seal")
            #expect(sealed.prefix(try await Self.signingCopy(world).data.count) == (try await Self.signingCopy(world).data))
            #expect((await PDFSeal.verify(sealed, trusting: world.app.identity.certificate)).authentic)
            let judged = try await Self.pyHanko(sealed, instancePEM: world.app.identity.certificatePEM)
            #expect(
                judged == ["efirma: intact valid ok unstamped", "timestamp: intact valid trusted", "seal: intact valid ok stamped"], "\(judged)")
            let pdfaCheck = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../support/pdfa_check.py").standardized
            let archival = try await Tool.output(["python3", pdfaCheck.path, "FILE"], input: sealed)
            #expect(archival.contains("PDF/A-2b: OK"), "the document timestamp keeps the sealed PAL archival: \(archival)")
        }
    }

    /// A seal, waiting or failed, was made over the copy as it stood: an e.firma's request dating the copy
    /// underneath would leave the seal over an older revision than the one kept, so only the seal's
    /// own request dates it (before making the seal again).
    @Test(arguments: TestDatabase.all)
    func aCopyIsNotDatedUnderASealAlreadyMadeOverItEvenOneThatFailed(database: TestDatabase) async throws {
        try await TimestampQueueTests.run(database) { world, server in
            let (ctx, versionID, authority, dated) = try await Self.signedThenDated(world, server)
            let before = try await Self.signingCopy(world)
            let waiting = StoredFile(name: "pal-v1-sellado.pdf", mediaType: "application/pdf", data: before.data, sha256: before.sha256)
            try await waiting.create(on: world.app.db)
            let failedSeal = TimestampRequest(planVersionID: versionID, unstampedFileID: try waiting.requireID(), now: world.clock.now)
            failedSeal.completedAt = world.clock.now
            failedSeal.lastError = "el sello de tiempo no cabe en el espacio reservado en el PDF"
            try await failedSeal.create(on: world.app.db)

            try await ctx.writer.write(on: ctx.db, actor: .system) { tx, audit in
                try await TimestampOperations.keep(dated, on: tx, audit: audit, at: world.clock.now)
            }
            #expect(try await Self.signingCopy(world).data == before.data, "the copy the seal was made over is kept as it was")
            #expect(try await AuditEvent.query(on: world.app.db).filter(\.$action == "timestampSigningCopy").count() == 0)
            #expect(try await TimestampOperations.datingSigningCopy(of: versionID, with: authority, on: ctx) == nil, "and no attempt dates it")
        }
    }

    @Test(arguments: TestDatabase.all)
    func aCopyThatGainedASignatureWhileTheAuthorityWasAskedIsNotOverwrittenAndIsDatedOnTheNextAttempt(database: TestDatabase) async throws {
        try await TimestampQueueTests.run(database) { world, server in
            let (ctx, _, _, dated) = try await Self.signedThenDated(world, server)
            #expect(dated.inPlace)
            try await Self.signWithCode(try Self.facilitatorEmail(world), world)
            let moved = try await Self.signingCopy(world)
            await #expect(throws: TimestampOperations.SigningCopyMoved.self) {
                try await ctx.writer.write(on: ctx.db, actor: .system) { tx, audit in
                    try await TimestampOperations.keep(dated, on: tx, audit: audit, at: world.clock.now)
                }
            }
            let kept = try await Self.signingCopy(world)
            #expect(kept.data == moved.data, "the code signature's revision is kept")

            #expect(try await TimestampQueueTests.runQueue(world) == .init(completed: 1))
            let signatures = try PDFSignatures.all(in: try await Self.signingCopy(world).data)
            #expect(signatures.map(\.subFilter) == ["ETSI.CAdES.detached", "ETSI.RFC3161"], "dated after the code signature")
        }
    }

    @Test(arguments: TestDatabase.all)
    func aDocumentTimestampThatCannotFitFailsOnceWithTheAlert(database: TestDatabase) async throws {
        try await TimestampQueueTests.run(database) { world, server in
            _ = try await world.sign()
            try await Self.signWithCode(try Self.facilitatorEmail(world), world)
            let before = try await Self.signingCopy(world)
            server.mode = .answering
            server.time = { world.clock.now }
            server.authority = try await TestTimestampAuthority(
                world: EFirmaSigning.world.value, kind: .bloated(bytes: TestTimestampAuthority.signatureRoom(in: before.data)))
            #expect(try await TimestampQueueTests.runQueue(world) == .init(failed: 1))
            let request = try #require(try await TimestampRequest.query(on: world.app.db).filter(\.$signature.$id != nil).first())
            #expect(request.completedAt != nil)
            #expect(request.lastError?.contains("no cabe en el espacio reservado") == true, "\(request.lastError ?? "")")
            #expect(try await AuditEvent.query(on: world.app.db).filter(\.$action == "timestampFailed").count() == 1)
            #expect(try await Self.signingCopy(world).data == before.data, "the copy is as it was")
            let status = try JSONDecoder.api.decode(
                SigningStatusDTO.self, from: try await world.setup.facilitator.send(.GET, world.setup.versionPath + "/signatures").body)
            #expect(status.timestampFailure?.reason == request.lastError)
            world.clock.advance(by: 24 * 3600)
            #expect(try await TimestampQueueTests.runQueue(world) == .init(), "it is not asked for again")
        }
    }

    /// Each signature of `pdf` as pyHanko judges it, the test root (which also issued the authority) and
    /// the instance certificate as anchors: an e.firma or the seal, intact, valid, accepted, and whether
    /// it carries a trusted token of its own; a document timestamp, intact, valid and trusted.
    static func pyHanko(_ pdf: Data, instancePEM: String) async throws -> [String] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cocrea-pyhanko-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let world = try await EFirmaSigning.world.value
        let authority = try await TimestampQueueTests.authority.value
        let files = [
            ("pal.pdf", pdf), ("instancia.pem", Data(instancePEM.utf8)), ("raiz.pem", Data(world.rootPEM.utf8)),
            ("intermedia.pem", Data(world.intermediatePEM.utf8)), ("tsa.pem", Data(authority.rootPEM.utf8)),
        ]
        for (name, data) in files { try data.write(to: directory.appendingPathComponent(name)) }
        let script = """
            import sys
            from pyhanko.keys import load_cert_from_pemder
            from pyhanko.pdf_utils.reader import PdfFileReader
            from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
            from pyhanko_certvalidator import ValidationContext
            from asn1crypto import x509
            # The SAT writes the RFC in x500UniqueIdentifier as a string; asn1crypto expects a BIT STRING there.
            x509.NameTypeAndValue._oid_specs["unique_identifier"] = x509.DirectoryString
            folder = sys.argv[1]
            anchors = [load_cert_from_pemder(folder + name) for name in ("/instancia.pem", "/raiz.pem", "/tsa.pem")]
            context = ValidationContext(
                trust_roots=anchors, other_certs=[load_cert_from_pemder(folder + "/intermedia.pem")], allow_fetching=False,
                revocation_mode="soft-fail")
            with open(folder + "/pal.pdf", "rb") as f:
                for signature in PdfFileReader(f, strict=False).embedded_signatures:
                    if signature.sig_object.get("/Type") == "/DocTimeStamp":
                        status = validate_pdf_timestamp(signature, validation_context=context)
                        print("timestamp:", "intact" if status.intact else "broken", "valid" if status.valid else "invalid",
                              "trusted" if status.trusted else "untrusted")
                        continue
                    kind = "efirma" if signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached" else "seal"
                    status = validate_pdf_signature(signature, context, ts_validation_context=context)
                    stamp = status.timestamp_validity
                    stamped = stamp is not None and stamp.intact and stamp.valid and stamp.trusted
                    print(kind + ":", "intact" if status.intact else "broken", "valid" if status.valid else "invalid",
                          "ok" if status.bottom_line else "refused", "stamped" if stamped else "unstamped")
            """
        return try await Tool.output(["python3", "-c", script, directory.path], input: Data())
            .split(separator: "\n").map(String.init)
    }
}
