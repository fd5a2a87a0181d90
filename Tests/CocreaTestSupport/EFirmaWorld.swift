import CocreaDocuments
import Foundation

/// A SAT-shaped world made with openssl at test time (nothing fetched, nothing checked in that could
/// expire): a root and an intermediate authority, and e.firma certificates issued by the intermediate
/// with the holder's RFC in `x500UniqueIdentifier` and CURP in `serialNumber`, their keys in DER
/// PKCS#8 encrypted with PBES2 / DES-EDE3-CBC as the SAT hands them out.
public struct EFirmaWorld: Sendable {
    public struct Holder: Sendable {
        public let certificate: [UInt8]
        public let key: [UInt8]
        public let password: String

        public init(certificate: [UInt8], key: [UInt8], password: String) {
            self.certificate = certificate
            self.key = key
            self.password = password
        }
    }

    public let directory: URL
    public let rootPEM: String
    public let intermediatePEM: String

    /// A root («AC RAIZ ... DE PRUEBA») and its intermediate, valid for ten years from now.
    public init(authority: String = "SERVICIO DE ADMINISTRACION TRIBUTARIA") async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("cocrea-efirma-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data(
            """
            [authority]
            basicConstraints = critical, CA:TRUE
            keyUsage = critical, keyCertSign, cRLSign
            subjectKeyIdentifier = hash
            authorityKeyIdentifier = keyid
            [holder]
            basicConstraints = critical, CA:FALSE
            keyUsage = critical, digitalSignature, nonRepudiation, dataEncipherment, keyAgreement
            extendedKeyUsage = emailProtection, clientAuth
            subjectKeyIdentifier = hash
            authorityKeyIdentifier = keyid

            """.utf8
        ).write(to: directory.appendingPathComponent("extensions.cnf"))
        let subject = "/O=\(authority)/OU=SAT-IES Authority/C=MX/ST=CIUDAD DE MEXICO/L=CUAUHTEMOC"
        try await Self.openssl(
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "root.key", "-out", "root.pem", "-days", "3650",
                "-subj", "/CN=AC RAIZ DE PRUEBA\(subject)", "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign",
            ], in: directory)
        try await Self.openssl(
            [
                "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", "intermediate.key", "-out", "intermediate.csr", "-subj",
                "/CN=AC DEL \(authority) DE PRUEBA\(subject)",
            ],
            in: directory)
        try await Self.openssl(
            [
                "x509", "-req", "-in", "intermediate.csr", "-CA", "root.pem", "-CAkey", "root.key", "-CAcreateserial", "-days", "3650",
                "-extfile", "extensions.cnf", "-extensions", "authority", "-out", "intermediate.pem",
            ], in: directory)
        rootPEM = try String(contentsOf: directory.appendingPathComponent("root.pem"), encoding: .utf8)
        intermediatePEM = try String(contentsOf: directory.appendingPathComponent("intermediate.pem"), encoding: .utf8)
        try Data((rootPEM + intermediatePEM).utf8).write(to: directory.appendingPathComponent("authorities.pem"))
    }

    /// What the operator configures: both certificates, as the SAT publishes its roots and authorities.
    public var trust: EFirmaTrust { get throws { try EFirmaTrust(pem: rootPEM + intermediatePEM) } }

    /// An e.firma for `name`, valid for `days` from now. `rfc` and `curp` are written as the SAT
    /// writes them, e.g. `EMP010101AB1 / PEGJ800101AB1` for a legal person.
    /// `ocspURL` is written as the responder of its Authority Information Access; `branch`, as the SAT
    /// writes the «sucursal» of a Certificado de Sello Digital in the subject's OU, makes it a CSD.
    public func issue(
        name: String, rfc: String, curp: String, password: String = "Contraseña de prueba 2026", days: Int = 1460,
        encryption: [String] = ["-v2", "des3", "-v2prf", "hmacWithSHA1"], ocspURL: String? = nil, branch: String? = nil
    ) async throws -> Holder {
        let id = UUID().uuidString
        let unit = branch.map { "/OU=\(escaped($0))" } ?? ""
        try await Self.openssl(
            [
                "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", "\(id).pem", "-out", "\(id).csr", "-utf8",
                "-subj",
                "/CN=\(name)/name=\(name)/O=\(name)\(unit)/C=MX/emailAddress=firmas@ejemplo.gob.mx/x500UniqueIdentifier=\(escaped(rfc))/serialNumber=\(escaped(curp))",
            ], in: directory)
        var extensions = try String(contentsOf: directory.appendingPathComponent("extensions.cnf"), encoding: .utf8)
        if let ocspURL { extensions = extensions.replacingOccurrences(of: "[holder]\n", with: "[holder]\nauthorityInfoAccess = OCSP;URI:\(ocspURL)\n") }
        try Data(extensions.utf8).write(to: directory.appendingPathComponent("\(id).cnf"))
        try await Self.openssl(
            [
                "x509", "-req", "-in", "\(id).csr", "-CA", "intermediate.pem", "-CAkey", "intermediate.key", "-days", "\(days)",
                // A serial of its own: tests issue at once, and a shared serial file would hand two the same.
                "-set_serial", "0x" + String(UInt64.random(in: 1...(UInt64.max >> 1)), radix: 16),
                "-extfile", "\(id).cnf", "-extensions", "holder", "-outform", "DER", "-out", "\(id).cer",
            ], in: directory)
        try await Self.openssl(
            [
                "pkcs8", "-topk8", "-in", "\(id).pem", "-outform", "DER", "-out", "\(id).key", "-passout", "pass:\(password)",
            ] + encryption, in: directory)
        return Holder(
            certificate: try Array(Data(contentsOf: directory.appendingPathComponent("\(id).cer"))),
            key: try Array(Data(contentsOf: directory.appendingPathComponent("\(id).key"))), password: password)
    }

    /// A value of openssl's `-subj`, where «/» separates attributes.
    private func escaped(_ value: String) -> String { value.replacingOccurrences(of: "/", with: "\\/") }

    /// Whether `openssl cms -verify` accepts `cms` as a detached signature over `content`, chained to the root.
    public func opensslVerifies(_ cms: [UInt8], over content: [UInt8]) async throws -> (accepted: Bool, output: String) {
        let id = UUID().uuidString
        try Data(cms).write(to: directory.appendingPathComponent("\(id).p7s"))
        try Data(content).write(to: directory.appendingPathComponent("\(id).bin"))
        do {
            let output = try await Self.openssl(
                [
                    "cms", "-verify", "-binary", "-inform", "DER", "-in", "\(id).p7s", "-content", "\(id).bin", "-CAfile", "authorities.pem",
                    "-purpose", "any", "-out", "/dev/null",
                ], in: directory)
            return (true, output)
        } catch let failure as Failure {
            return (false, failure.output)
        }
    }

    /// `openssl cms -cmsout -print`: the CMS structure as text.
    public func printed(_ cms: [UInt8]) async throws -> String {
        let id = UUID().uuidString
        try Data(cms).write(to: directory.appendingPathComponent("\(id).p7s"))
        return try await Self.openssl(["cms", "-cmsout", "-print", "-inform", "DER", "-in", "\(id).p7s"], in: directory)
    }

    public struct Failure: Error { public let output: String }

    @discardableResult
    public static func openssl(_ arguments: [String], in directory: URL) async throws -> String {
        let run = try await Tool.run("openssl", arguments, in: directory)
        guard run.status == 0 else { throw Failure(output: "openssl \(arguments.joined(separator: " ")): \(run.combined)") }
        return run.combined
    }
}
