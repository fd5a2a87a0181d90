import CocreaDocuments
import Dispatch
import Foundation
import FuzzInput

/// A PDF as uploaded to /verify or as a paper copy: its seal is checked (the /ByteRange, the
/// signature's hex and its CMS), its pages counted (cross-reference tables and streams, object
/// streams, the page tree), its signatures listed (the form's fields, each byte range against the
/// file) and its document timestamps' tokens read, a document timestamp prepared and its field
/// `rubrica` filled; whatever the bytes, an answer and never a crash. The trusted
/// certificate is made here: no input can carry a valid signature by it, so as for an attacker,
/// every path up to the signature check is reachable and none after it.
private let trusted = try! InstanceIdentity.generate(commonName: "Cocrea · fuzz").identity.certificate

/// The check is async, and libFuzzer calls in synchronously. One task lives for the whole run and
/// checks each input in turn: a task per input would be torn down on its own thread after it
/// signals, racing the leak check, which then reports the task and its input as leaked (it did on
/// a loaded CI machine). Between signalling `done` and waiting for the next input the worker
/// neither allocates nor frees, so nothing of the check is in flight while libFuzzer counts; and
/// nothing of an input outlives its run, since the leak check cannot follow Data's tagged pointers.
private final class Exchange: @unchecked Sendable {
    var input = Data()
    var verification: PDFSealVerification?
    let start = DispatchSemaphore(value: 0)
    let done = DispatchSemaphore(value: 0)

    /// Blocking is the point here: the worker owns a thread of the pool for the run.
    func waitForInput() { start.wait() }
}

private let exchange = Exchange()

Task.detached {
    while true {
        exchange.waitForInput()
        exchange.verification = await PDFSeal.verify(exchange.input, trusting: trusted)
        exchange.done.signal()
    }
}

Fuzzer.run { (input: inout FuzzInput) in
    exchange.input = Data(input.bytes)
    exchange.verification = nil
    exchange.start.signal()
    exchange.done.wait()
    if exchange.verification?.authentic == true { FuzzInput.violated("no input is authentic without the instance's key") }
    _ = try? PDFPageCount.pages(in: exchange.input)
    if let signatures = try? PDFSignatures.all(in: exchange.input) {
        _ = PDFDocumentTimestamp.undated(signatures)
        for signature in signatures where signature.subFilter == PDFDocumentTimestamp.subFilter {
            _ = TimeStamp.documentStamp(Array(signature.cms), over: Array(signature.signedBytes))
        }
    }
    _ = try? PDFDocumentTimestamp.preparing(exchange.input, fieldName: "Sello de tiempo 1")
    _ = try? PDFForm.filling(["rubrica": "JPG"], in: exchange.input)
    exchange.input = Data()
    exchange.verification = nil
}
