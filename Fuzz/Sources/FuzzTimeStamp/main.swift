import CocreaDocuments
import Foundation
import FuzzInput

/// A TSA's answer (a DER `TimeStampResp`) and a CMS that may carry a timestamp token, both read from
/// the same bytes. Whatever they are, a refusal and never a crash; and no answer is taken, since each
/// request has a fresh nonce no input can know.
private let signatureValue = Array("firma del sello de Cocrea".utf8)
/// A root no input can have signed with: the answer's signer check runs, and never succeeds.
private let trust = try! TimeStamp.Trust(
    pem: """
        -----BEGIN CERTIFICATE-----
        MIIB3DCCAYGgAwIBAgIUTQntcxXSBMFRmn0dDteOeuROo0owCgYIKoZIzj0EAwIw
        QjELMAkGA1UEBhMCTVgxDzANBgNVBAoMBkNvY3JlYTEiMCAGA1UEAwwZUmFpeiBk
        ZSBwcnVlYmEgZGVsIGZ1enplcjAgFw0yNjEyMDYwMjA5MjJaGA8yMTI2MTExMjAy
        MDkyMlowQjELMAkGA1UEBhMCTVgxDzANBgNVBAoMBkNvY3JlYTEiMCAGA1UEAwwZ
        UmFpeiBkZSBwcnVlYmEgZGVsIGZ1enplcjBZMBMGByqGSM49AgEGCCqGSM49AwEH
        A0IABDshnXRFaTOxS+etptvu0qVFx3BQ8BkEeD1/HVfd6GaLLJVIXYHpOM8KUvtA
        Cit4GRZMmvV4mcL+i+oCVkGlermjUzBRMB0GA1UdDgQWBBSRJwrV1vhZRwWTrXZI
        gmLkLaTPDjAfBgNVHSMEGDAWgBSRJwrV1vhZRwWTrXZIgmLkLaTPDjAPBgNVHRMB
        Af8EBTADAQH/MAoGCCqGSM49BAMCA0kAMEYCIQDbbASEJrm+h5PqId38wbqFCWTC
        1PlOL6CNNzSLJE92ggIhANW2a16cOCVRqLGKF8z0ncd9ThLYs3x+w3ndXUzbREC6
        -----END CERTIFICATE-----
        """)

Fuzzer.run { (input: inout FuzzInput) in
    let bytes = input.bytes
    if (try? TimeStamp.token(from: bytes, for: TimeStamp.Request(over: signatureValue), trusting: trust, at: Date())) != nil {
        FuzzInput.violated("no answer matches a request made after it")
    }
    if let token = TimeStamp.stamp(in: bytes) {
        _ = (token.time, token.authority)
    }
    if let value = try? TimeStamp.signatureValue(of: bytes) {
        _ = value.count
    }
}
