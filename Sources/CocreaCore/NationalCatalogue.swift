import Foundation
import SwiftCSV

/// A national OGP action plan as a catalogue of axes and commitments (rule Q2).
public struct NationalCatalogueEntry: Sendable, Equatable, Codable {
    public var code: String
    /// The axis the commitment belongs to, when the plan is organised by axes.
    public var axis: String?
    public var title: String
    public var source: String
    /// An axis (eje) rather than a commitment: a local commitment may align to either.
    public var isAxis: Bool
}

public enum NationalCatalogue {
    /// Reads the same shape as JSON: an array of {code (or id), axis, title, source}.
    public static func parse(json data: [UInt8]) throws(CocreaError) -> [NationalCatalogueEntry] {
        struct Row: Decodable {
            var id: String?
            var code: String?
            var axis: String?
            var title: String?
            var source: String?
            var kind: String?
        }
        let rows: [Row]
        do {
            rows = try JSONDecoder().decode([Row].self, from: Data(data))
        } catch {
            throw CocreaError.nationalCatalogueUnreadable
        }
        var csv = "id,axis,title,source,kind\n"
        func quoted(_ text: String?) -> String { "\"" + (text ?? "").replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        for row in rows {
            csv += [quoted(row.code ?? row.id), quoted(row.axis), quoted(row.title), quoted(row.source), quoted(row.kind)].joined(separator: ",") + "\n"
        }
        return try parse(csv: csv)
    }

    /// Reads the `id,axis,title,source` CSV shape (and an optional `kind`: `eje` or `compromiso`). Every
    /// bad row is reported at once. Without a kind, a row without an axis is an axis in a plan organised
    /// by axes (some row names one) and a commitment in a plan that has none (Mexico's fourth plan).
    public static func parse(csv text: String) throws(CocreaError) -> [NationalCatalogueEntry] {
        let table: CSV<Named>
        do {
            table = try CSV<Named>(string: text, delimiter: .comma, loadColumns: false)
        } catch {
            throw CocreaError.csvUnreadable(error)
        }
        let required = ["id", "title"]
        let missing = required.filter { !table.header.contains($0) }
        guard missing.isEmpty else {
            throw CocreaError.nationalCatalogueColumnsMissing(missing)
        }
        var entries: [NationalCatalogueEntry] = []
        var undeclared: [Int] = []
        var problems: [FieldError] = []
        var seen = Set<String>()
        for (index, row) in table.rows.enumerated() {
            let line = index + 2
            let code = PlainText.singleLine(row["id"] ?? "")
            let title = PlainText.singleLine(row["title"] ?? "")
            let axis = PlainText.singleLine(row["axis"] ?? "")
            if code.isEmpty { problems.append(FieldError(field: "fila \(line)", "problemRowIdMissing", ["line": .number(line)])) }
            if title.isEmpty { problems.append(FieldError(field: "fila \(line)", "problemRowTitleMissing", ["line": .number(line)])) }
            if !code.isEmpty && !seen.insert(code).inserted {
                problems.append(FieldError(field: "fila \(line)", "problemRowIdRepeated", ["line": .number(line), "code": .text(code)]))
            }
            var isAxis: Bool?
            switch PlainText.singleLine(row["kind"] ?? "").lowercased() {
            case "": isAxis = nil
            case "eje", "axis": isAxis = true
            case "compromiso", "commitment": isAxis = false
            default: problems.append(FieldError(field: "fila \(line)", "problemRowKind", ["line": .number(line)]))
            }
            if isAxis == true, !axis.isEmpty {
                problems.append(FieldError(field: "fila \(line)", "problemRowAxisInAxis", ["line": .number(line)]))
            }
            entries.append(
                NationalCatalogueEntry(
                    code: code, axis: axis.isEmpty ? nil : axis, title: title,
                    source: PlainText.singleLine(row["source"] ?? ""), isAxis: isAxis ?? false))
            if isAxis == nil { undeclared.append(entries.count - 1) }
        }
        let organisedByAxes = entries.contains { $0.axis != nil }
        for index in undeclared where entries[index].axis == nil {
            entries[index].isAxis = organisedByAxes
        }
        let axes = Set(entries.filter(\.isAxis).map(\.code))
        for (index, entry) in entries.enumerated() {
            if let axis = entry.axis, !axes.contains(axis) {
                problems.append(FieldError(field: "fila \(index + 2)", "problemRowAxisUnknown", ["line": .number(index + 2), "axis": .text(axis)]))
            }
        }
        guard problems.isEmpty else {
            throw CocreaError.nationalCatalogueInvalid(problems)
        }
        return entries
    }
}
