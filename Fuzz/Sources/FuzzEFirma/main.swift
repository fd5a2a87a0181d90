import CocreaCore
import CocreaDocuments
import Foundation
import FuzzInput

/// An e.firma as a signer uploads it: the certificate (`.cer`, DER X.509) and the private key (`.key`,
/// DER PKCS#8 encrypted with PBES2). Both are binary, so the input is not split at NULs: two octets
/// give the certificate's length, the rest is the key; the password is the seeds'. Whatever the bytes,
/// a refusal the signer can act on and never a crash; and nothing signs, since the only trusted root
/// is made here, and no input can carry a certificate it issued. The same bytes are then read as the CMS
/// of an e.firma's PDF signature, which verification checks over the bytes it covers.
private let trust = try! EFirmaTrust(pem: InstanceIdentity.generate(commonName: "Cocrea · fuzz").certificatePEM)
private let content = Array("Plan de Acción Local".utf8)

Fuzzer.run { (input: inout FuzzInput) in
    let bytes = input.bytes
    guard bytes.count >= 2 else { return }
    let length = min(Int(bytes[0]) << 8 | Int(bytes[1]), bytes.count - 2)
    let certificate = Array(bytes[2..<(2 + length)])
    let key = Array(bytes[(2 + length)...])
    if let parsed = try? EFirmaCertificate(der: certificate) {
        _ = (parsed.rfcs, parsed.curps, parsed.holderName, parsed.issuerName, parsed.serialNumber)
        _ = parsed.names(rfc: parsed.rfc, curp: parsed.curp)
    }
    var password = Array("fuzz".utf8)
    do {
        _ = try EFirma.sign(content, certificate: certificate, privateKey: key, password: &password, rfc: nil, curp: nil, trust: trust, at: Date())
        FuzzInput.violated("nothing signs without a certificate of the trusted root")
    } catch let error as CocreaError {
        guard error.kind == .invalid else { FuzzInput.violated("a refusal is the signer's to fix", "\(error.code): \(error.message)") }
    } catch {
        FuzzInput.violated("every refusal is a CocreaError", "\(error)")
    }
    guard password.allSatisfy({ $0 == 0 }) else { FuzzInput.violated("the password is overwritten after use") }
    // The whole input as the CMS of an e.firma's PDF signature, as verification reads one from an uploaded file.
    if EFirma.signer(of: bytes, over: content) != nil { FuzzInput.violated("no input carries a signature over content made here") }
}
