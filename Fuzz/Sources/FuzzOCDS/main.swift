import CocreaCore
import CocreaProcurement
import Foundation
import FuzzInput

/// An OCDS release package as uploaded or fetched: read, validated, compiled into contracting
/// processes and flagged, or refused with a 4xx; never a crash.
Fuzzer.run { (input: inout FuzzInput) in
    do throws(CocreaError) {
        let package = try ReleasePackage.read(Data(input.bytes), name: "paquete.json")
        for process in ContractingProcess.compile(package.releases) {
            // Amounts as the public pages show them.
            let values = [process.tender?.value] + process.awards.map(\.value) + process.contracts.map(\.value)
            for case let value? in values { _ = MexicanFormat.money(value) }
        }
    } catch {
        guard error.kind != .failure, error.kind != .unavailable else {
            FuzzInput.violated("a bad package is refused as the sender's fault (a 4xx)", "\(error.kind)")
        }
    }
}
