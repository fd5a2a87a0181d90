import CocreaCore
import Vapor

/// An `application/x-www-form-urlencoded` body as every value of every field, in order: survey forms
/// name their fields after questions (`p1`, `p2`…) and repeat a field for each ticked box.
enum FormFields {
    static func parse(_ req: Request) throws -> [String: [String]] {
        guard let type = req.headers.contentType, type.type == "application", type.subType == "x-www-form-urlencoded" else {
            throw CocreaError.formExpected
        }
        var fields: [String: [String]] = [:]
        for pair in (req.body.string ?? "").split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String {
                String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            fields[decode(parts[0]), default: []].append(parts.count > 1 ? decode(parts[1]) : "")
        }
        return fields
    }
}
