import Foundation

/// The variables a Leaf template names that its context lacks. Leaf renders a missing variable as
/// nothing and a missing condition as false, so a misspelt or stale name never fails on its own.
///
/// A small scanner over Leaf's tags: `#(expression)`, `#if(…)`/`#elseif(…)`, `#count(…)`, `#for(x in
/// list)` … `#endfor` (inside, `x` stands for every element of `list`, and `index`, `isFirst` and
/// `isLast` exist), and `#extend("path")`, whose template is read in place with the variables in
/// scope there, as Leaf inlines it. Each dotted path is resolved against the context encoded as JSON.
struct TemplateVariables: Sendable {
    /// The text of a template from its path (`plan/plan` for `Resources/Views/plan/plan.leaf`).
    let source: @Sendable (String) throws -> String

    /// At most this many templates deep through `#extend`, so a template that extends itself stops.
    static let maximumDepth = 8
    static let loopVariables: Set<String> = ["index", "isFirst", "isLast"]
    static let literals: Set<String> = ["true", "false", "nil"]

    private struct Scope {
        var name: String
        /// Every element the loop goes over; nil when the list itself is missing (already reported).
        var elements: [Any]?
    }

    /// `file:line: path` for every variable that `template` (with what it extends) names and
    /// `context` does not have, and for a tag the scanner does not know.
    func missing(in template: String, context: [String: Any]) throws -> [String] {
        var problems: [String] = []
        try scan(template, context: context, scopes: [], depth: 0, problems: &problems)
        return problems
    }

    private func scan(_ template: String, context: [String: Any], scopes inherited: [Scope], depth: Int, problems: inout [String]) throws {
        guard depth < Self.maximumDepth else {
            problems.append("\(template).leaf: #extend more than \(Self.maximumDepth) templates deep")
            return
        }
        let text = try source(template)
        var scopes = inherited
        var position = text.startIndex
        func line(_ index: String.Index) -> Int { text[..<index].reduce(1) { $1 == "\n" ? $0 + 1 : $0 } }
        func report(_ message: String, at index: String.Index) { problems.append("\(template).leaf:\(line(index)): \(message)") }

        while let hash = text[position...].firstIndex(of: "#") {
            var next = text.index(after: hash)
            if hash > text.startIndex, text[text.index(before: hash)] == "\\" {
                position = next
                continue
            }
            while next < text.endIndex, text[next].isLetter { next = text.index(after: next) }
            let tag = String(text[text.index(after: hash)..<next])
            guard next < text.endIndex, text[next] == "(" else {
                if tag == "endfor", scopes.count > inherited.count { scopes.removeLast() }
                position = next
                continue
            }
            guard let close = Self.closingParenthesis(in: text, from: next) else {
                report("#\(tag)( is never closed", at: hash)
                return
            }
            let argument = String(text[text.index(after: next)..<close])
            position = text.index(after: close)
            switch tag {
            case "", "if", "elseif", "count":
                for path in Self.paths(in: argument) where resolve(path, context: context, scopes: scopes) == nil {
                    report(path, at: hash)
                }
            case "for":
                guard let loop = argument.wholeMatch(of: /\s*([A-Za-z_]\w*)\s+in\s+(.+?)\s*/) else {
                    report("#for(\(argument)) is not «name in list»", at: hash)
                    scopes.append(Scope(name: "", elements: nil))
                    continue
                }
                let list = String(loop.2)
                var elements: [Any]?
                if let values = resolve(list, context: context, scopes: scopes) {
                    elements = values.flatMap { value -> [Any] in (value as? [Any]) ?? (value as? [String: Any]).map { Array($0.values) } ?? [] }
                } else {
                    report(list, at: hash)
                }
                scopes.append(Scope(name: String(loop.1), elements: elements))
            case "extend":
                try scan(
                    argument.trimmingCharacters(in: CharacterSet(charactersIn: "\" ")), context: context, scopes: scopes, depth: depth + 1, problems: &problems)
            case "export", "import":
                break
            default:
                report("#\(tag)(…) is a tag this check does not know", at: hash)
            }
        }
    }

    /// The values `path` reaches (one per element when it starts at a loop variable), or nil when
    /// the context does not have it.
    private func resolve(_ path: String, context: [String: Any], scopes: [Scope]) -> [Any]? {
        let parts = path.split(separator: ".").map(String.init)
        var values: [Any]
        if let scope = scopes.last(where: { $0.name == parts[0] }) {
            guard let elements = scope.elements else { return [] }
            values = elements
        } else if !scopes.isEmpty, Self.loopVariables.contains(parts[0]) {
            values = [0]
        } else if let value = context[parts[0]] {
            values = [value]
        } else {
            return nil
        }
        for part in parts.dropFirst() {
            values = values.compactMap { ($0 as? [String: Any])?[part] }
            if values.isEmpty { return nil }
        }
        return values
    }

    /// The dotted variable paths of a Leaf expression: not its string literals, not the names of the
    /// functions it calls (`count(…)`), not `true`, `false` or `nil`.
    static func paths(in expression: String) -> [String] {
        let code = expression.replacing(/"[^"]*"/, with: "\"\"")
        return code.matches(of: /([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)(\s*\()?/).compactMap { match in
            match.2 == nil && !literals.contains(String(match.1)) ? String(match.1) : nil
        }
    }

    /// The `)` that closes the `(` at `open`, skipping string literals and nested parentheses.
    static func closingParenthesis(in text: String, from open: String.Index) -> String.Index? {
        var depth = 0
        var inString = false
        var index = open
        while index < text.endIndex {
            let character = text[index]
            if inString {
                if character == "\"" { inString = false }
            } else if character == "\"" {
                inString = true
            } else if character == "(" {
                depth += 1
            } else if character == ")" {
                depth -= 1
                if depth == 0 { return index }
            }
            index = text.index(after: index)
        }
        return nil
    }
}
