import CocreaCore
import Foundation
import Vapor

/// The numbered-page links under a long list, and the search typed above it (kept in every link).
struct Pagination: Encodable, Sendable {
    struct Link: Encodable, Sendable {
        var number: Int
        var url: String
        var current: Bool
    }

    var query: String
    var searched: Bool
    var summary: String
    var hasPrevious, hasNext: Bool
    var previousUrl, nextUrl: String
    /// The first and last pages and two either side of the current one: 80 pages stay one short row.
    var links: [Link]

    /// `?pagina=N` (from 1; anything else is page 1) and `?q=` of a list request.
    static func requested(_ req: Request) -> (page: Int, query: String) {
        let page = req.query[String.self, at: "pagina"].flatMap { Int($0) }.map { max(1, $0) } ?? 1
        let query = PlainText.singleLine(req.query[String.self, at: "q"] ?? "")
        return (page, String(query.prefix(100)))
    }

    init(path: String, query: String, page: Int, pageCount: Int, total: Int, words: Words) {
        func url(_ number: Int) -> String {
            var items: [String] = []
            if !query.isEmpty {
                items.append("q=" + (query.addingPercentEncoding(withAllowedCharacters: .urlQueryValueAllowed) ?? ""))
            }
            if number > 1 { items.append("pagina=\(number)") }
            return items.isEmpty ? path : path + "?" + items.joined(separator: "&")
        }
        self.query = query
        searched = !query.isEmpty
        summary = words["pageSummary", ["page": "\(page)", "pages": "\(pageCount)", "total": "\(total)"]]
        hasPrevious = page > 1
        hasNext = page < pageCount
        previousUrl = url(max(1, page - 1))
        nextUrl = url(min(pageCount, page + 1))
        let near = (page - 2...page + 2).filter { (1...pageCount).contains($0) }
        links = Set([1, pageCount] + near).sorted()
            .map { Link(number: $0, url: url($0), current: $0 == page) }
    }
}

extension CharacterSet {
    fileprivate static let urlQueryValueAllowed = CharacterSet.urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+#?"))
}
