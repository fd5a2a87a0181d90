import CocreaCore
import CocreaStore
import CocreaTestSupport
import CocreaUseCases
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Testing
import Vapor

@testable import CocreaWeb

/// Uploads reach the disk as they arrive, over a real connection sending slowly: while one arrives,
/// the body is in its spool file and nowhere else, and the file is gone however the request ends.
@Suite struct UploadSpoolTests {
    // MARK: What arrives slowly is on disk

    @Test(arguments: TestDatabase.all)
    func aSlowUploadIsWrittenToDiskAsItArrivesAndTheFileIsGoneAfterwards(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let fixture = try await Fixture.make(on: app)
            // A 600 KB capacity kit: a PDF with the scans a guarantor's office attaches after it.
            let pdf =
                Array(SimplePDF.document(title: "Kit de capacidades", lines: ["Guía para la mesa de diálogo"]))
                + Array(repeating: UInt8(ascii: " "), count: 600_000)
            let (headers, body) = MultipartForm.encode(
                fields: [("kind", "capacityKit"), ("title", "Kit de capacidades 2026")],
                file: (field: "file", name: "Kit de capacidades.pdf", type: "application/pdf", data: pdf))
            try await Self.serving(app) { port in
                let connection = try await RawConnection.open(port: port, on: app)
                let bytes = Array(body.readableBytesView)
                try await connection.send(
                    Self.head(
                        .POST, "/api/v1/exercises/\(fixture.exercise.id!)/dossier/items",
                        headers: headers, length: bytes.count, token: fixture.members["guarantor"]!.token))
                var sent = 0
                for part in [200_000, 200_000] {
                    try await connection.send(bytes[sent..<(sent + part)])
                    sent += part
                    let expected = sent
                    let spooled = try await Self.eventually("the spool file to hold the \(expected) bytes sent") {
                        Self.spoolFiles(app).map(\.size) == [expected] ? true : nil
                    }
                    #expect(spooled)
                    #expect(app.uploadSlots.inUse == (receiving: 1, decoding: 0), "no handler holds it in memory yet")
                    #expect(try await DossierItem.query(on: app.db).count() == 0)
                }
                try await connection.send(bytes[sent...])
                let response = try await connection.response()
                #expect(response.status == 201, "\(response.body)")
                let item = try JSONDecoder.api.decode(DossierItemDTO.self, from: Data(response.body.utf8))
                #expect(item.file?.size == pdf.count)
                #expect(item.file?.sha256 == Hashing.sha256Hex(pdf), "the handler read what was sent, byte for byte")
                #expect(Self.spoolFiles(app).isEmpty)
                #expect(app.uploadSlots.inUse == (receiving: 0, decoding: 0))
                connection.close()
            }
        }
    }

    /// A page form sent slowly by a signed-in person: the CSRF check and the handler read the spooled
    /// body, and a refusal (by the handler, or a form from elsewhere) is shown in the same session.
    @Test(arguments: TestDatabase.all)
    func aSlowPageFormKeepsItsSessionAndItsCSRFCheck(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            let fixture = try await Fixture.make(on: app)
            let browser = Browser(app: app)
            #expect(try await browser.signIn(email: fixture.members["facilitator"]!.email, password: Fixture.password).status == .seeOther)
            let dossier = "/exercises/\(fixture.exercise.id!)/dossier"
            try await browser.get(dossier)
            let cookie = "cocrea_session=\(try #require(browser[cookie: "cocrea_session"]))"
            let pdf = Array(SimplePDF.document(title: "Estudio de necesidades", lines: ["Colima 2026"])) + Array(repeating: UInt8(ascii: " "), count: 300_000)
            // A Windows program named as a PDF: refused by the handler, after the CSRF check passed.
            let disguised: [UInt8] = [0x4D, 0x5A, 0x90, 0x00] + Array(repeating: 0, count: 300_000)
            try await Self.serving(app) { port in
                for (file, csrf, expected) in [(pdf, browser.csrf, 303), (disguised, browser.csrf, 415), (pdf, "copiado-de-otra-página", 403)] {
                    let (headers, body) = MultipartForm.encode(
                        fields: [("kind", "study"), ("title", "Estudio de necesidades de información"), ("csrf", csrf)],
                        file: (field: "file", name: "estudio.pdf", type: "application/pdf", data: file))
                    let bytes = Array(body.readableBytesView)
                    let connection = try await RawConnection.open(port: port, on: app)
                    var head = Self.head(.POST, dossier, headers: headers, length: bytes.count)
                    head.insert(contentsOf: Array("Cookie: \(cookie)\r\n".utf8), at: head.count - 2)
                    try await connection.send(head)
                    try await connection.send(bytes[..<150_000])
                    #expect(try await Self.eventually("the form to reach the disk") { Self.spoolFiles(app).map(\.size) == [150_000] ? true : nil })
                    try await connection.send(bytes[150_000...])
                    let response = try await connection.response()
                    #expect(response.status == expected, "\(response.body.prefix(400))")
                    if expected != 303 {
                        #expect(response.body.contains("Lic. Jorge Ramírez Ochoa"), "the refusal is shown in the person's session")
                    }
                    connection.close()
                }
                #expect(try await DossierItem.query(on: app.db).count() == 1)
                #expect(Self.spoolFiles(app).isEmpty)
            }
        }
    }

    @Test func theSpoolFileIsGoneWhenTheClientLeavesMidUpload() async throws {
        try await withCocrea(.sqlite) { app in
            let (headers, body) = HostileInputTests.verifyUpload("%PDF-1.7\n" + String(repeating: "0", count: 400_000))
            try await Self.serving(app) { port in
                let connection = try await RawConnection.open(port: port, on: app)
                let bytes = Array(body.readableBytesView)
                try await connection.send(Self.head(.POST, "/api/v1/verify", headers: headers, length: bytes.count))
                try await connection.send(bytes[..<100_000])
                #expect(try await Self.eventually("the upload to reach the disk") { Self.spoolFiles(app).map(\.size) == [100_000] ? true : nil })
                connection.close()
                #expect(
                    try await Self.eventually("the spool file to be removed") {
                        Self.spoolFiles(app).isEmpty && app.uploadSlots.inUse.receiving == 0 ? true : nil
                    })
            }
        }
    }

    // MARK: Limits while it arrives

    /// A body over the route's 21 MB is refused as the byte over arrives, sent in chunks with no
    /// length announced; one that announces more is refused before any of it is read.
    @Test func aBodyOverTheRouteLimitIsRefusedWhileItArrivesAndLeavesNoFile() async throws {
        try await withCocrea(.sqlite) { app in
            // 22 MB through a loaded test run can take longer than the 120 s a real client gets.
            app.requestBodyDeadline = .minutes(15)
            try await Self.serving(app) { port in
                let connection = try await RawConnection.open(port: port, on: app)
                var head = "POST /api/v1/verify HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=limite\r\n"
                head += "Transfer-Encoding: chunked\r\n\r\n"
                try await connection.send(Array(head.utf8))
                let chunk = Array("100000\r\n".utf8) + Array(repeating: UInt8(ascii: "a"), count: 0x100000) + Array("\r\n".utf8)
                for _ in 0..<21 { try await connection.send(chunk) }
                connection.write(chunk)
                let response = try await connection.response()
                #expect(response.status == 413)
                #expect(response.body.contains("payload_too_large"))
                #expect(
                    try await Self.eventually("the refused upload's file to be removed") {
                        Self.spoolFiles(app).isEmpty && app.uploadSlots.inUse.receiving == 0 ? true : nil
                    })
                connection.close()

                let announced = try await RawConnection.open(port: port, on: app)
                let (headers, start) = HostileInputTests.verifyUpload("%PDF-1.7\n")
                try await announced.send(Self.head(.POST, "/api/v1/verify", headers: headers, length: 22 * 1_048_576))
                try await announced.send(start.readableBytesView)
                #expect(try await announced.response().status == 413)
                #expect(Self.spoolFiles(app).isEmpty)
                announced.close()
            }
        }
    }

    /// One address receives two uploads at once; a third waits for one of them (503 with Retry-After),
    /// and gets in once one has ended.
    @Test func oneAddressReceivesTwoUploadsAtOnce() async throws {
        try await withCocrea(.sqlite) { app in
            let pdf =
                Array(SimplePDF.document(title: "Plan de Acción Local", lines: ["Copia sin sellar"]))
                + Array(repeating: UInt8(ascii: " "), count: 300_000)
            let (headers, body) = MultipartForm.encode(file: (field: "file", name: "pal.pdf", type: "application/pdf", data: pdf))
            let bytes = Array(body.readableBytesView)
            try await Self.serving(app) { port in
                var arriving: [RawConnection] = []
                for _ in 0..<2 {
                    let connection = try await RawConnection.open(port: port, on: app)
                    try await connection.send(Self.head(.POST, "/api/v1/verify", headers: headers, length: bytes.count))
                    try await connection.send(bytes[..<100_000])
                    arriving.append(connection)
                }
                #expect(try await Self.eventually("both uploads to be arriving") { app.uploadSlots.inUse.receiving == 2 ? true : nil })

                let third = try await RawConnection.open(port: port, on: app)
                try await third.send(Self.head(.POST, "/api/v1/verify", headers: headers, length: bytes.count))
                try await third.send(bytes[..<100_000])
                let busy = try await third.response()
                #expect(busy.status == 503)
                #expect(busy.body.contains("uploads_busy"))
                #expect(busy.headers["retry-after"] == "10")
                third.close()

                try await arriving[0].send(bytes[100_000...])
                let verified = try await arriving[0].response()
                #expect(verified.status == 200, "\(verified.body)")
                #expect(verified.body.contains(Hashing.sha256Hex(pdf)), "the handler read the whole PDF")
                #expect(try await Self.eventually("a slot to come back") { app.uploadSlots.inUse.receiving == 1 ? true : nil })

                let again = try await RawConnection.open(port: port, on: app)
                try await again.send(Self.head(.POST, "/api/v1/verify", headers: headers, length: bytes.count))
                try await again.send(bytes[..<100_000])
                try await again.send(bytes[100_000...])
                #expect(try await again.response().status == 200)
                for connection in arriving + [again] { connection.close() }
            }
        }
    }

    /// Only a few bodies are in memory for their handlers at once; the others wait their turn.
    @Test func bodiesAreDecodedAFewAtATime() async throws {
        let slots = UploadSlots()
        let started = NIOLockedValueBox(0)
        let released = NIOLockedValueBox(false)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<(UploadSlots.decoding + 1) {
                group.addTask {
                    try await slots.whileDecoding {
                        started.withLockedValue { $0 += 1 }
                        while !released.withLockedValue({ $0 }) { try await Task.sleep(for: .milliseconds(10)) }
                    }
                }
            }
            _ = try await Self.eventually("the slots to be taken") { started.withLockedValue { $0 } == UploadSlots.decoding ? true : nil }
            try await Task.sleep(for: .milliseconds(100))
            #expect(started.withLockedValue { $0 } == UploadSlots.decoding, "the last one waits")
            #expect(slots.inUse.decoding == UploadSlots.decoding)
            released.withLockedValue { $0 = true }
            try await group.waitForAll()
        }
        #expect(started.withLockedValue { $0 } == UploadSlots.decoding + 1, "it ran once a slot was free")
        #expect(slots.inUse == (receiving: 0, decoding: 0))
    }

    @Test func uploadsArrivingAreBoundedInAllAndPerAddress() {
        let slots = UploadSlots()
        #expect(slots.acquire("189.203.14.7") && slots.acquire("189.203.14.7"))
        #expect(!slots.acquire("189.203.14.7"), "a third upload from one address waits")
        for index in 1...(UploadSlots.receiving - 2) { #expect(slots.acquire("10.0.0.\(index)")) }
        #expect(!slots.acquire("10.0.0.99"), "every slot taken")
        slots.release("10.0.0.1")
        #expect(slots.acquire("10.0.0.99"))
        slots.release("189.203.14.7")
        #expect(slots.acquire("189.203.14.7"))
        #expect(!slots.acquire("172.16.0.5"), "full again")
    }

    /// A folder a stopped server left in the spool (its lock released by the kernel) is removed when
    /// the next one sets up its own; a live server's folder is left alone.
    @Test func folderLeftByAStoppedServerIsRemovedAtStartUp() throws {
        let parent = TestPaths.temporaryDirectory("spool")
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let stopped = parent + "/" + UUID().uuidString
        let stoppedLock = try DataDirectoryLock.acquire(directory: stopped, purpose: "")
        let left = stopped + "/cortado-por-un-reinicio.upload"
        #expect(FileManager.default.createFile(atPath: left, contents: Data("--b\r\n".utf8)))
        let live = try SpoolDirectory(in: parent)
        #expect(FileManager.default.fileExists(atPath: left), "a running server's folder is kept")
        stoppedLock.release()
        let next = try SpoolDirectory(in: parent)
        #expect(!FileManager.default.fileExists(atPath: stopped))
        #expect(FileManager.default.fileExists(atPath: live.path))
        #expect(try FileManager.default.attributesOfItem(atPath: next.path)[.posixPermissions] as? Int == 0o700)
    }

    // MARK: Helpers

    static func serving(_ app: Application, _ body: (Int) async throws -> Void) async throws {
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        do {
            try await body(try #require(app.http.server.shared.localAddress?.port))
        } catch {
            await app.server.shutdown()
            throw error
        }
        await app.server.shutdown()
    }

    static func head(_ method: HTTPMethod, _ path: String, headers: HTTPHeaders, length: Int, token: String? = nil) -> [UInt8] {
        var text = "\(method.rawValue) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: \(length)\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        if let token { text += "Authorization: Bearer \(token)\r\n" }
        return Array((text + "\r\n").utf8)
    }

    /// The upload files in the server's spool directory and their sizes.
    static func spoolFiles(_ app: Application) -> [(name: String, size: Int)] {
        let directory = app.spoolDirectory.path
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".upload") }.map { name in
            (name, (try? FileManager.default.attributesOfItem(atPath: directory + "/" + name)[.size] as? Int) ?? -1)
        }
    }

    /// Waits for `value` to be non-nil: a bound on a hang (what the server does happens on its own
    /// threads, behind every other test of a loaded run), not a speed the test asserts.
    static func eventually<T>(
        _ what: @autoclosure () -> String, within bound: Duration = .seconds(300), _ value: () async throws -> T?
    ) async throws -> T {
        let deadline = ContinuousClock.now + bound
        while ContinuousClock.now < deadline {
            if let found = try await value() { return found }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("waited \(bound) for \(what())")
        throw CancellationError()
    }
}

/// A client connection that writes a request's bytes when told, as a slow uploader does, and reads
/// what comes back.
final class RawConnection: Sendable {
    struct Answer {
        let status: Int
        let headers: [String: String]
        let body: String
    }

    private final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let received = NIOLockedValueBox([UInt8]())

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = unwrapInboundIn(data)
            received.withLockedValue { $0.append(contentsOf: buffer.readableBytesView) }
        }
    }

    private let channel: any Channel
    private let collector: Collector

    private init(channel: any Channel, collector: Collector) {
        self.channel = channel
        self.collector = collector
    }

    static func open(port: Int, on app: Application) async throws -> RawConnection {
        let collector = Collector()
        let channel = try await ClientBootstrap(group: app.eventLoopGroup)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(collector) }
            }
            .connect(host: "127.0.0.1", port: port).get()
        return RawConnection(channel: channel, collector: collector)
    }

    func send(_ bytes: some Sequence<UInt8>) async throws {
        try await channel.writeAndFlush(ByteBuffer(bytes: Array(bytes))).get()
    }

    /// Queues bytes without waiting for them to leave (a server that stopped reading never takes them).
    func write(_ bytes: [UInt8]) {
        channel.writeAndFlush(ByteBuffer(bytes: bytes), promise: nil)
    }

    /// The response, once its head and as much body as it announces have arrived.
    func response() async throws -> Answer {
        try await UploadSpoolTests.eventually("a response (\(collector.received.withLockedValue { $0.count }) bytes so far)") {
            let bytes = collector.received.withLockedValue { $0 }
            let text = String(decoding: bytes, as: UTF8.self)
            guard let end = text.range(of: "\r\n\r\n") else { return nil }
            let lines = text[..<end.lowerBound].components(separatedBy: "\r\n")
            var headers: [String: String] = [:]
            for line in lines.dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            let body = String(text[end.upperBound...])
            guard body.utf8.count >= Int(headers["content-length"] ?? "0") ?? 0 else { return nil }
            let status = Int(lines[0].split(separator: " ")[1]) ?? 0
            return Answer(status: status, headers: headers, body: body)
        }
    }

    func close() {
        channel.close(promise: nil)
    }
}
