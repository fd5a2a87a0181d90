import CocreaDocuments
import Foundation

/// An OCSP responder made with openssl at test time for the intermediate of an `EFirmaWorld`: a
/// delegated responder certificate (extendedKeyUsage OCSPSigning) issued by that intermediate, and an
/// index of the certificates it knows, good or revoked; each request is answered by `openssl ocsp`.
public final class TestOCSPResponder: Sendable {
    public let directory: URL
    private let name: String
    /// Held while the index is rewritten, so two certificates made known at once both stay in it.
    private let knowing = NSLock()

    /// `signerExtensions` are the responder certificate's; without id-kp-OCSPSigning its answers must not count.
    public init(world: EFirmaWorld, signerExtensions: String = "extendedKeyUsage = critical, OCSPSigning") async throws {
        directory = world.directory
        name = "ocsp-\(UUID().uuidString)"
        try Data(
            """
            [responder]
            basicConstraints = critical, CA:FALSE
            keyUsage = critical, digitalSignature
            \(signerExtensions)
            subjectKeyIdentifier = hash
            authorityKeyIdentifier = keyid

            """.utf8
        ).write(to: directory.appendingPathComponent("\(name).cnf"))
        try Data().write(to: directory.appendingPathComponent("\(name).txt"))
        try await EFirmaWorld.openssl(
            [
                "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", "\(name).key", "-out", "\(name).csr",
                "-subj", "/CN=OCSP DEL SERVICIO DE ADMINISTRACION TRIBUTARIA DE PRUEBA/O=SERVICIO DE ADMINISTRACION TRIBUTARIA/C=MX",
            ], in: directory)
        try await EFirmaWorld.openssl(
            [
                "x509", "-req", "-in", "\(name).csr", "-CA", "intermediate.pem", "-CAkey", "intermediate.key", "-days", "3650",
                "-set_serial", "0x" + String(UInt64.random(in: 1...(UInt64.max >> 1)), radix: 16),
                "-extfile", "\(name).cnf", "-extensions", "responder", "-out", "\(name).pem",
            ], in: directory)
    }

    /// Makes the responder know `holder`'s certificate: good, or revoked at `revokedAt` (again: the newest says).
    public func know(_ holder: EFirmaWorld.Holder, revokedAt: Date? = nil) throws {
        let certificate = try EFirmaCertificate(der: holder.certificate)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyMMddHHmmss'Z'"
        let expiry = formatter.string(from: certificate.notValidAfter)
        let line =
            revokedAt.map { "R\t\(expiry)\t\(formatter.string(from: $0))\t\(certificate.serialNumber)\tunknown\t/CN=\(certificate.serialNumber)\n" }
            ?? "V\t\(expiry)\t\t\(certificate.serialNumber)\tunknown\t/CN=\(certificate.serialNumber)\n"
        knowing.lock()
        defer { knowing.unlock() }
        // One line a serial: openssl refuses an index that names one twice. Written whole at once, so a
        // reply being made meanwhile reads the index before or after, never half of it.
        let index = directory.appendingPathComponent("\(name).txt")
        let others = try String(contentsOf: index, encoding: .utf8).split(separator: "\n")
            .filter { $0.split(separator: "\t", omittingEmptySubsequences: false).dropFirst(3).first.map(String.init) != certificate.serialNumber }
        try Data((others.map { $0 + "\n" }.joined() + line).utf8).write(to: index, options: .atomic)
    }

    /// The DER `OCSPResponse` for a DER `OCSPRequest`, valid for a day, the request's nonce repeated.
    public func reply(to request: [UInt8]) async throws -> [UInt8] {
        let id = UUID().uuidString
        try Data(request).write(to: directory.appendingPathComponent("\(id).ocsp-request"))
        try await EFirmaWorld.openssl(
            [
                "ocsp", "-index", "\(name).txt", "-CA", "intermediate.pem", "-rsigner", "\(name).pem", "-rkey", "\(name).key",
                "-reqin", "\(id).ocsp-request", "-respout", "\(id).ocsp-response", "-ndays", "1",
            ], in: directory)
        return try Array(Data(contentsOf: directory.appendingPathComponent("\(id).ocsp-response")))
    }
}
