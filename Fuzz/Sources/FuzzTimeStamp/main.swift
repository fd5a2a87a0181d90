import CocreaDocuments
import Foundation
import FuzzInput

/// A TSA's answer (a DER `TimeStampResp`) and a CMS that may carry a timestamp token, both read from
/// the same bytes. Whatever they are, a refusal and never a crash; and no answer is taken, since each
/// request has a fresh nonce no input can know.
private let signatureValue = Array("firma del sello de Cocrea".utf8)

Fuzzer.run { (input: inout FuzzInput) in
    let bytes = input.bytes
    if (try? TimeStamp.token(from: bytes, for: TimeStamp.Request(over: signatureValue))) != nil {
        FuzzInput.violated("no answer matches a request made after it")
    }
    if let token = TimeStamp.stamp(in: bytes) {
        _ = (token.time, token.authority)
    }
    if let value = try? TimeStamp.signatureValue(of: bytes) {
        _ = value.count
    }
}
