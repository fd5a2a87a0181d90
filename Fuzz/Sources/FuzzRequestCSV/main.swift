import CocreaConsultation
import CocreaCore
import Foundation
import FuzzInput

/// An information-request file as uploaded: any bytes either give a report or a refusal in Spanish
/// with a 4xx status, never a crash. Inputs starting as a ZIP are the XLSX target's.
Fuzzer.run { (input: inout FuzzInput) in
    do {
        let report = try RequestFile.read(Data(input.bytes), filename: "solicitudes.csv")
        for row in report.rows where row.text.count > RequestFile.maximumTextLength {
            FuzzInput.violated("a request's text stays within maximumTextLength", "line \(row.line)")
        }
    } catch let error as CocreaError {
        guard error.kind != .failure, error.kind != .unavailable else {
            FuzzInput.violated("a bad file is refused as the sender's fault (a 4xx)", "\(error.kind)")
        }
    } catch {
        FuzzInput.violated("only CocreaError is thrown", "\(error)")
    }
}
