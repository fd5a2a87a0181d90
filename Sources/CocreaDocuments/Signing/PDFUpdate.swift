import Foundation

/// An incremental update appended to a file: new objects, or new revisions of existing ones, then a
/// cross-reference section of the kind the file already uses (a classic table, or a stream as cairo
/// 1.18 writes) and a trailer pointing back at the previous one. The original bytes stay untouched.
struct PDFUpdate {
    let file: PDFFile
    private(set) var bytes: [UInt8]
    private var offsets: [Int: (offset: Int, generation: Int)] = [:]
    private var nextNumber: Int

    init(_ file: PDFFile) {
        self.file = file
        bytes = file.bytes
        if bytes.last != 0x0A { bytes.append(0x0A) }
        nextNumber = file.size
    }

    /// A number for a new object, after every number the file uses.
    mutating func newObject() -> Int {
        defer { nextNumber += 1 }
        return nextNumber
    }

    /// Writes object `number` (a new one, or a new revision of an existing one at its generation).
    mutating func object(_ number: Int, _ body: String, stream: [UInt8]? = nil) {
        let generation = file.generation(of: number)
        offsets[number] = (bytes.count, generation)
        bytes += Array("\(number) \(generation) obj\n\(body)\n".utf8)
        if let stream {
            bytes += Array("stream\n".utf8) + stream + Array("\nendstream\n".utf8)
        }
        bytes += Array("endobj\n".utf8)
    }

    /// Closes the update. The trailer keeps the file's /Root and /Info, and its /ID unless `id` is given.
    mutating func finish(id: String? = nil) throws -> [UInt8] {
        guard let root = file.trailer.raw("Root") else { throw PDFSignatureError.malformed("sin catálogo (/Root)") }
        var trailerEntries = "/Root \(root)"
        if let info = file.trailer.raw("Info") { trailerEntries += " /Info \(info)" }
        if let id = id ?? file.trailer.raw("ID") { trailerEntries += " /ID \(id)" }
        trailerEntries += " /Prev \(file.startXref)"
        let xrefOffset = bytes.count
        if file.usesXrefStreams {
            let xrefNumber = newObject()
            offsets[xrefNumber] = (xrefOffset, 0)
            let (runs, rows) = crossReferenceRows()
            let index = runs.map { "\($0.0) \($0.1)" }.joined(separator: " ")
            var data = [UInt8]()
            for (offset, generation) in rows {
                data.append(1)
                data += withUnsafeBytes(of: UInt32(offset).bigEndian, Array.init)
                data += withUnsafeBytes(of: UInt16(generation).bigEndian, Array.init)
            }
            bytes += Array(
                "\(xrefNumber) 0 obj\n<< /Type /XRef /Size \(nextNumber) /W [1 4 2] /Index [\(index)] \(trailerEntries) /Length \(data.count) >>\nstream\n"
                    .utf8)
            bytes += data + Array("\nendstream\nendobj\n".utf8)
        } else {
            let (runs, rows) = crossReferenceRows()
            var table = "xref\n"
            var remaining = rows[...]
            for (first, count) in runs {
                table += "\(first) \(count)\n"
                for (offset, generation) in remaining.prefix(count) {
                    table += String(format: "%010d %05d n \n", offset, generation)
                }
                remaining = remaining.dropFirst(count)
            }
            table += "trailer\n<< /Size \(nextNumber) \(trailerEntries) >>\n"
            bytes += Array(table.utf8)
        }
        bytes += Array("startxref\n\(xrefOffset)\n%%EOF\n".utf8)
        return bytes
    }

    /// Runs of consecutive object numbers (first, count) and each object's (offset, generation), in order.
    private func crossReferenceRows() -> ([(Int, Int)], [(Int, Int)]) {
        let numbers = offsets.keys.sorted()
        var index: [(Int, Int)] = []
        for number in numbers {
            if let last = index.last, last.0 + last.1 == number { index[index.count - 1].1 += 1 } else { index.append((number, 1)) }
        }
        return (index, numbers.map { (offsets[$0]!.offset, offsets[$0]!.generation) })
    }
}
