import Foundation

/// How many pages a PDF really has: the leaves of its page tree, walked from the catalogue. The
/// tree's own `/Count` is not trusted (a few bytes can claim any number); a file that cannot be read
/// this far is not a PDF a person scanned.
public enum PDFPageCount {
    /// Deeper trees or more nodes than this are not a scanned document but a trap.
    static let maximumDepth = 32
    static let maximumNodes = 20_000

    public static func pages(in data: Data) throws -> Int {
        let file = try PDFFile([UInt8](data))
        guard let root = file.trailer.reference("Root"), let tree = try file.dictionary(of: root).reference("Pages") else {
            throw PDFSignatureError.malformed("no tiene catálogo de páginas")
        }
        var visited = Set<Int>()
        var pages = 0
        var pending = [(node: tree, depth: 0)]
        while let (node, depth) = pending.popLast() {
            guard visited.insert(node).inserted else { throw PDFSignatureError.malformed("el árbol de páginas se repite") }
            guard depth <= maximumDepth, visited.count <= maximumNodes else { throw PDFSignatureError.malformed("árbol de páginas demasiado grande") }
            let dictionary = try file.dictionary(of: node)
            switch dictionary.name("Type") {
            case "Page": pages += 1
            case "Pages": pending += dictionary.references("Kids").map { ($0, depth + 1) }
            default: throw PDFSignatureError.malformed("el objeto \(node) del árbol de páginas no es una página")
            }
        }
        return pages
    }
}
