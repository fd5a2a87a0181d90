import CocreaCore
import FuzzInput

/// The national action plan's catalogue, as JSON or CSV: entries with an id and a title each and
/// no repeated id, or a 4xx refusal listing the bad rows; never a crash.
Fuzzer.run { (input: inout FuzzInput) in
    check { () throws(CocreaError) in try NationalCatalogue.parse(json: input.bytes) }
    check { () throws(CocreaError) in try NationalCatalogue.parse(csv: String(decoding: input.bytes, as: UTF8.self)) }
}

private func check(_ parse: () throws(CocreaError) -> [NationalCatalogueEntry]) {
    do {
        let entries = try parse()
        guard Set(entries.map(\.code)).count == entries.count, entries.allSatisfy({ !$0.code.isEmpty && !$0.title.isEmpty }) else {
            FuzzInput.violated("an accepted catalogue has unique ids and every title")
        }
    } catch {
        guard (400..<500).contains(error.status) else { FuzzInput.violated("a bad catalogue is a 4xx", "\(error.status)") }
    }
}
