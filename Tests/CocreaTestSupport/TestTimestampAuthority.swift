import Foundation

/// An RFC 3161 time-stamping authority made with openssl at test time: a certificate for
/// time-stamping only (extendedKeyUsage critical, timeStamping) issued by the root of an `EFirmaWorld`,
/// answering each request with `openssl ts -reply`, nothing fetched.
public final class TestTimestampAuthority: Sendable {
    public let directory: URL
    /// The root that issued the authority's certificate, the anchor pyHanko is given for the timestamp.
    public let rootPEM: String
    public static let subject = "CN=Sello de tiempo de prueba,O=Autoridad de Sellado de Tiempo de Prueba,C=MX"
    /// `openssl ts -reply` keeps a serial number in a file, which two replies at once would both write.
    private let replying = NSLock()

    public init(world: EFirmaWorld) throws {
        directory = world.directory
        rootPEM = world.rootPEM
        try Data(
            """
            [timestamping]
            basicConstraints = critical, CA:FALSE
            keyUsage = critical, digitalSignature, nonRepudiation
            extendedKeyUsage = critical, timeStamping
            subjectKeyIdentifier = hash
            authorityKeyIdentifier = keyid
            [tsa]
            default_tsa = authority
            [authority]
            dir = .
            serial = tsa.serial
            crypto_device = builtin
            signer_cert = tsa.pem
            signer_key = tsa.key
            signer_digest = sha256
            default_policy = 1.3.6.1.4.1.57264.1.1
            digests = sha256
            accuracy = secs:1
            ordering = yes
            tsa_name = yes
            ess_cert_id_chain = no
            ess_cert_id_alg = sha256

            """.utf8
        ).write(to: directory.appendingPathComponent("tsa.cnf"))
        try Data("01\n".utf8).write(to: directory.appendingPathComponent("tsa.serial"))
        try EFirmaWorld.openssl(
            [
                "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", "tsa.key", "-out", "tsa.csr",
                "-subj", "/C=MX/O=Autoridad de Sellado de Tiempo de Prueba/CN=Sello de tiempo de prueba",
            ], in: directory)
        try EFirmaWorld.openssl(
            [
                "x509", "-req", "-in", "tsa.csr", "-CA", "root.pem", "-CAkey", "root.key", "-CAcreateserial", "-days", "3650",
                "-extfile", "tsa.cnf", "-extensions", "timestamping", "-out", "tsa.pem",
            ], in: directory)
    }

    /// The `TimeStampResp` the authority gives for a DER `TimeStampReq`.
    public func reply(to request: [UInt8]) throws -> [UInt8] {
        replying.lock()
        defer { replying.unlock() }
        let id = UUID().uuidString
        try Data(request).write(to: directory.appendingPathComponent("\(id).tsq"))
        try EFirmaWorld.openssl(
            ["ts", "-reply", "-config", "tsa.cnf", "-section", "authority", "-queryfile", "\(id).tsq", "-out", "\(id).tsr"], in: directory)
        return try Array(Data(contentsOf: directory.appendingPathComponent("\(id).tsr")))
    }

    /// The root as a file, for pyHanko's `--trust`.
    public var rootFile: URL { directory.appendingPathComponent("root.pem") }
}
