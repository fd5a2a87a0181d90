import CocreaDocuments
import Foundation
import FuzzInput

/// An OCSP responder's answer (a DER `OCSPResponse`) to a request about a certificate of a fixed test
/// authority. Whatever the bytes are, a refusal and never a crash; and no answer is taken, since each
/// request carries a fresh nonce no input can know.
private let authority = """
    -----BEGIN CERTIFICATE-----
    MIICLTCCAdOgAwIBAgIUB92nee32njbrbTvCqu/P+ka6u7IwCgYIKoZIzj0EAwIw
    YzEkMCIGA1UEAwwbQUMgUkFJWiBERSBQUlVFQkEgUEFSQSBGVVpaMS4wLAYDVQQK
    DCVTRVJWSUNJTyBERSBBRE1JTklTVFJBQ0lPTiBUUklCVVRBUklBMQswCQYDVQQG
    EwJNWDAgFw0yNjEyMDYwMTQ0MzBaGA8yMTI2MTExMjAxNDQzMFowYzEkMCIGA1UE
    AwwbQUMgUkFJWiBERSBQUlVFQkEgUEFSQSBGVVpaMS4wLAYDVQQKDCVTRVJWSUNJ
    TyBERSBBRE1JTklTVFJBQ0lPTiBUUklCVVRBUklBMQswCQYDVQQGEwJNWDBZMBMG
    ByqGSM49AgEGCCqGSM49AwEHA0IABI3Bmz4gMlX0Yqi2XkRlMNvCTi+EO75yJyFm
    W3IDeswWk0ezJALXsnR1FPwhnHyVut6P6ECQXpBZExS2gbs5nwijYzBhMB0GA1Ud
    DgQWBBSiGiVERoQsikSdXQIyfY8Df5S89zAfBgNVHSMEGDAWgBSiGiVERoQsikSd
    XQIyfY8Df5S89zAPBgNVHRMBAf8EBTADAQH/MA4GA1UdDwEB/wQEAwIBBjAKBggq
    hkjOPQQDAgNIADBFAiAVYQuEulh84DFnIKV0sS6z1cl7KblEoOJnsSKp9Ixs0QIh
    ANjY1xrzTqKr8mtgpIc9pqhju80lfOBS6NJOqLTkHR8a
    -----END CERTIFICATE-----
    """
private let holder = """
    -----BEGIN CERTIFICATE-----
    MIIBeDCCAR8CAx8uPTAKBggqhkjOPQQDAjBjMSQwIgYDVQQDDBtBQyBSQUlaIERF
    IFBSVUVCQSBQQVJBIEZVWloxLjAsBgNVBAoMJVNFUlZJQ0lPIERFIEFETUlOSVNU
    UkFDSU9OIFRSSUJVVEFSSUExCzAJBgNVBAYTAk1YMCAXDTI2MTIwNjAxNDQzMFoY
    DzIxMjYxMTEyMDE0NDMwWjAqMRswGQYDVQQDDBJGSVJNQU5URSBERSBQUlVFQkEx
    CzAJBgNVBAYTAk1YMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEKMEFuF7vZztZ
    c3wDSw3rzi9BqW30JeQQxtula1il4R92TXbLwQcLq+SUrn5bKxhNoq0CqCrXdJ+N
    ogVHIoHQTTAKBggqhkjOPQQDAgNHADBEAiBTHlVGbz94zcHnPewT15rDaRGiR0Ka
    waW1B6gI8ipodAIgBAk1cRbdqGTMBPQHEWUN7IB3ouNa06bDJiitnd4jSDI=
    -----END CERTIFICATE-----
    """
private let trust = try! EFirmaTrust(pem: authority)
private let authorityDER = der(authority)
private let holderDER = der(holder)
/// Within both certificates' validity, whatever the day the fuzzer runs.
private let instant = Date(timeIntervalSince1970: 1_900_000_000)

private func der(_ pem: String) -> [UInt8] {
    let body = pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
    return Array(Data(base64Encoded: body)!)
}

Fuzzer.run { (input: inout FuzzInput) in
    let query = try! EFirmaRevocation.Query(certificate: holderDER, issuer: authorityDER)
    if (try? EFirmaRevocation.answer(input.bytes, to: query, trust: trust, at: instant)) != nil {
        FuzzInput.violated("no answer matches a request made after it")
    }
}
