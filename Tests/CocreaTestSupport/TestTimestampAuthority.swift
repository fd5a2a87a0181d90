import Foundation

/// An RFC 3161 time-stamping authority made with openssl at test time: a certificate for
/// time-stamping only (extendedKeyUsage critical, timeStamping) issued by the root of an `EFirmaWorld`,
/// answering each request with `openssl ts -reply`, nothing fetched. The other kinds are the authorities
/// a server must not believe, or must make room for; a token at a chosen time, or from a certificate
/// `openssl ts` refuses to sign with, is made by pyHanko's `DummyTimeStamper` instead.
public final class TestTimestampAuthority: Sendable {
    public enum Kind: Sendable, Equatable {
        /// Issued by the world's root, which the operator configures in `COCREA_TSA_CA`.
        case trusted
        /// Issued by a root of its own, which nobody configured.
        case untrustedRoot
        /// Issued by the world's root, but for code signing: not a time-stamping certificate.
        case withoutTimeStampingUsage
        /// A provider's: 4096-bit keys, under two intermediates of the world's root, with the whole chain
        /// (four certificates) in every token, as NOM-151 providers send it.
        case providerChain
        /// Issued by the world's root, its tokens carrying besides a certificate of about `bytes` bytes:
        /// an authority whose tokens are larger than the room a PDF reserved.
        case bloated(bytes: Int)
    }

    public let directory: URL
    /// The root that issued the authority's certificate, the anchor pyHanko is given for the timestamp.
    public let rootPEM: String
    public let kind: Kind
    public static let subject = "CN=Sello de tiempo de prueba,O=Autoridad de Sellado de Tiempo de Prueba,C=MX"

    public init(world: EFirmaWorld, kind: Kind = .trusted) async throws {
        directory = world.directory.appendingPathComponent("tsa-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        self.kind = kind
        let usage = kind == .withoutTimeStampingUsage ? "codeSigning" : "critical, timeStamping"
        try Data(
            """
            [authority_ca]
            basicConstraints = critical, CA:TRUE
            keyUsage = critical, keyCertSign, cRLSign
            subjectKeyIdentifier = hash
            authorityKeyIdentifier = keyid
            [timestamping]
            basicConstraints = critical, CA:FALSE
            keyUsage = critical, digitalSignature, nonRepudiation
            extendedKeyUsage = \(usage)
            subjectKeyIdentifier = hash
            authorityKeyIdentifier = keyid
            crlDistributionPoints = URI:http://crl.proveedor-de-prueba.example.mx/sellado-de-tiempo.crl
            authorityInfoAccess = OCSP;URI:http://ocsp.proveedor-de-prueba.example.mx,caIssuers;URI:http://www.proveedor-de-prueba.example.mx/ac.crt
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
            other_policies = 1.3.6.1.4.1.57264.1.2
            digests = sha256
            accuracy = secs:1
            ordering = yes
            tsa_name = yes
            ess_cert_id_chain = \(kind == .providerChain ? "yes" : "no")
            ess_cert_id_alg = sha256
            \(kind == .trusted || kind == .untrustedRoot || kind == .withoutTimeStampingUsage ? "" : "certs = chain.pem")
            [req]
            distinguished_name = req_dn
            [req_dn]
            [padding]
            basicConstraints = critical, CA:FALSE
            1.3.6.1.4.1.57264.9.9 = ASN1:UTF8String:\(String(repeating: "Relleno de prueba. ", count: Self.paddingRepeats(kind)))

            """.utf8
        ).write(to: directory.appendingPathComponent("tsa.cnf"))
        try Data(Self.dummyStamper.utf8).write(to: directory.appendingPathComponent("stamp.py"))
        let subject = "/C=MX/O=Autoridad de Sellado de Tiempo de Prueba"
        let bits = kind == .providerChain ? "rsa:4096" : "rsa:2048"
        var issuer = "../root"
        switch kind {
        case .untrustedRoot:
            try await EFirmaWorld.openssl(
                [
                    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "own-root.key", "-out", "own-root.pem", "-days", "3650",
                    "-subj", "/CN=AC RAIZ QUE NADIE CONFIGURO\(subject)", "-addext", "basicConstraints=critical,CA:TRUE",
                    "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                ], in: directory)
            issuer = "own-root"
        case .providerChain:
            for (number, level) in ["intermediate-1", "intermediate-2"].enumerated() {
                try await EFirmaWorld.openssl(
                    [
                        "req", "-new", "-newkey", bits, "-nodes", "-keyout", "\(level).key", "-out", "\(level).csr",
                        "-subj", "/CN=AC INTERMEDIA \(number + 1) DE SELLADO DE TIEMPO DE PRUEBA\(subject)",
                    ], in: directory)
                try await EFirmaWorld.openssl(
                    [
                        "x509", "-req", "-in", "\(level).csr", "-CA", "\(issuer).pem", "-CAkey", "\(issuer).key", "-CAcreateserial",
                        "-days", "3650", "-extfile", "tsa.cnf", "-extensions", "authority_ca", "-out", "\(level).pem",
                    ], in: directory)
                issuer = level
            }
        case .bloated:
            try await EFirmaWorld.openssl(
                [
                    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "padding.key", "-out", "padding.pem", "-days", "3650",
                    "-subj", "/CN=Certificado de relleno\(subject)", "-config", "tsa.cnf", "-extensions", "padding",
                ], in: directory)
        case .trusted, .withoutTimeStampingUsage: break
        }
        try await EFirmaWorld.openssl(
            ["req", "-new", "-newkey", bits, "-nodes", "-keyout", "tsa.key", "-out", "tsa.csr", "-subj", "\(subject)/CN=Sello de tiempo de prueba"],
            in: directory)
        try await EFirmaWorld.openssl(
            [
                "x509", "-req", "-in", "tsa.csr", "-CA", "\(issuer).pem", "-CAkey", "\(issuer).key", "-CAcreateserial", "-days", "3650",
                "-extfile", "tsa.cnf", "-extensions", "timestamping", "-out", "tsa.pem",
            ], in: directory)
        let root = kind == .untrustedRoot ? "own-root.pem" : "../root.pem"
        rootPEM = try String(contentsOf: directory.appendingPathComponent(root), encoding: .utf8)
        let carried: [String]
        switch kind {
        case .providerChain: carried = ["intermediate-2.pem", "intermediate-1.pem", root]
        case .bloated: carried = ["padding.pem"]
        case .trusted, .untrustedRoot, .withoutTimeStampingUsage: carried = []
        }
        if !carried.isEmpty {
            let chain = try carried.map { try String(contentsOf: directory.appendingPathComponent($0), encoding: .utf8) }
            try Data(chain.joined().utf8).write(to: directory.appendingPathComponent("chain.pem"))
        }
    }

    /// The `TimeStampResp` the authority gives for a DER `TimeStampReq`, at the machine's time or at `time`.
    public func reply(to request: [UInt8], at time: Date? = nil) async throws -> [UInt8] {
        let id = UUID().uuidString
        try Data(request).write(to: directory.appendingPathComponent("\(id).tsq"))
        if time == nil && kind != .withoutTimeStampingUsage {
            // A serial file of its own: `openssl ts -reply` rewrites it, and replies run at once. Sixteen
            // digits: openssl reads no odd number of them.
            try Data((String(format: "%016llx", UInt64.random(in: 1...(UInt64.max >> 1))) + "\n").utf8)
                .write(to: directory.appendingPathComponent("\(id).serial"))
            let configuration = try String(contentsOf: directory.appendingPathComponent("tsa.cnf"), encoding: .utf8)
            try Data(configuration.replacingOccurrences(of: "serial = tsa.serial", with: "serial = \(id).serial").utf8)
                .write(to: directory.appendingPathComponent("\(id).cnf"))
            try await EFirmaWorld.openssl(
                ["ts", "-reply", "-config", "\(id).cnf", "-section", "authority", "-queryfile", "\(id).tsq", "-out", "\(id).tsr"], in: directory)
        } else {
            let run = try await Tool.run(
                "python3", ["stamp.py", "tsa.pem", "tsa.key", "\(id).tsq", "\(id).tsr", "chain.pem"] + (time.map { ["\($0.timeIntervalSince1970)"] } ?? []),
                in: directory)
            guard run.status == 0 else { throw EFirmaWorld.Failure(output: "stamp.py: \(run.combined)") }
        }
        return try Array(Data(contentsOf: directory.appendingPathComponent("\(id).tsr")))
    }

    /// The root as a file, for pyHanko's `--trust` and `COCREA_TSA_CA`.
    public var rootFile: URL {
        directory.appendingPathComponent(kind == .untrustedRoot ? "own-root.pem" : "../root.pem").standardizedFileURL
    }

    /// The bytes a signed PDF reserves for its last signature: half the hexadecimal digits of its last `/Contents`.
    public static func signatureRoom(in pdf: Data) -> Int {
        let bytes = [UInt8](pdf)
        let marker = Array("/Contents <".utf8)
        guard bytes.count >= marker.count,
            let start = (0...(bytes.count - marker.count)).last(where: { Array(bytes[$0..<($0 + marker.count)]) == marker }),
            let end = bytes[(start + marker.count)...].firstIndex(of: UInt8(ascii: ">"))
        else { return 0 }
        return (end - start - marker.count) / 2
    }

    /// How often the padding certificate repeats its 19-byte sentence to weigh about `bytes`.
    private static func paddingRepeats(_ kind: Kind) -> Int {
        guard case .bloated(let bytes) = kind else { return 1 }
        return max(1, bytes / 19)
    }

    /// Signs a TSTInfo over the request with any certificate and at any time, with its ESSCertID and
    /// the certificates of `chain.pem` when there is one, as an authority would: what `openssl ts -reply`
    /// will not do.
    private static let dummyStamper = """
        import datetime, os, sys
        from asn1crypto import tsp
        from pyhanko.sign.general import load_cert_from_pemder, load_certs_from_pemder, load_private_key_from_pemder
        from pyhanko.sign.timestamps import DummyTimeStamper
        from pyhanko_certvalidator.registry import SimpleCertificateStore
        certificate, key, query, answer, chain = sys.argv[1:6]
        fixed = datetime.datetime.fromtimestamp(float(sys.argv[6]), datetime.timezone.utc) if len(sys.argv) > 6 else None
        carried = SimpleCertificateStore.from_certs(list(load_certs_from_pemder([chain]))) if os.path.exists(chain) else None
        stamper = DummyTimeStamper(
            load_cert_from_pemder(certificate), load_private_key_from_pemder(key, None), certs_to_embed=carried, fixed_dt=fixed)
        response = stamper.request_tsa_response(tsp.TimeStampReq.load(open(query, "rb").read()))
        open(answer, "wb").write(response.dump())

        """
}
