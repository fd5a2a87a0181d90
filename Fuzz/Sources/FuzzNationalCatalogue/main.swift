import CocreaCore
import FuzzInput

/// The national action plan's catalogue, as JSON or CSV: entries with an id and a title each, no
/// repeated id and axes that exist, or a 4xx refusal listing the bad rows; never a crash.
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
        let axes = Set(entries.filter(\.isAxis).map(\.code))
        guard entries.allSatisfy({ $0.axis.map(axes.contains) ?? true }), entries.allSatisfy({ !$0.isAxis || $0.axis == nil }) else {
            FuzzInput.violated("an accepted catalogue's commitments name axes it has, and an axis belongs to none")
        }
    } catch {
        guard error.kind != .failure, error.kind != .unavailable else {
            FuzzInput.violated("a bad catalogue is refused as the sender's fault (a 4xx)", "\(error.kind)")
        }
    }
}
