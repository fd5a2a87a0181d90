import CocreaDocuments
import Dispatch
import Foundation
import FuzzInput

/// A PDF as uploaded to /verify or as a paper copy: its seal is checked (the /ByteRange, the
/// signature's hex and its CMS) and its pages counted (cross-reference tables and streams, object
/// streams, the page tree); whatever the bytes, an answer and never a crash. The trusted
/// certificate is made here: no input can carry a valid signature by it, so as for an attacker,
/// every path up to the signature check is reachable and none after it.
private let trusted = try! InstanceIdentity.generate(commonName: "Cocrea · fuzz").identity.certificate

private final class Outcome: @unchecked Sendable {
    var verification: PDFSealVerification?
}

/// The input being checked and what the check shares with its task, held from globals: the task's
/// captures may be released just after it signals, and the leak check must not take that for a leak.
nonisolated(unsafe) private var current = Data()
private let outcome = Outcome()
private let done = DispatchSemaphore(value: 0)

Fuzzer.run { (input: inout FuzzInput) in
    current = Data(input.bytes)
    let pdf = current
    outcome.verification = nil
    Task.detached {
        outcome.verification = await PDFSeal.verify(pdf, trusting: trusted)
        done.signal()
    }
    done.wait()
    if outcome.verification?.authentic == true { FuzzInput.violated("no input is authentic without the instance's key") }
    _ = try? PDFPageCount.pages(in: pdf)
}
