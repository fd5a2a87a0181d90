import CInflate
import Foundation

/// Just enough of a PDF reader to append an incremental update: the trailer, the cross-reference
/// sections (classic tables, as cairo 1.16 writes, or compressed streams with object streams, as
/// cairo 1.18 writes) and the dictionary of any object.
struct PDFFile {
    let bytes: [UInt8]
    /// Where the newest cross-reference section starts (the file's last `startxref`).
    let startXref: Int
    /// The newest trailer: the classic `trailer` dictionary or the cross-reference stream's.
    private(set) var trailer = PDFDictionary.empty
    private(set) var usesXrefStreams = false
    private var locations: [Int: Location] = [:]

    enum Location {
        case offset(Int, generation: Int)
        case inObjectStream(Int, index: Int)
    }

    init(_ bytes: [UInt8]) throws {
        self.bytes = bytes
        guard let marker = PDFSyntax.lastRange(of: "startxref", in: bytes),
            let value = PDFSyntax.integer(in: bytes, at: PDFSyntax.skipSpace(bytes, marker.upperBound))
        else {
            throw PDFSignatureError.malformed("no se encontró «startxref»")
        }
        startXref = value.value
        var newest: PDFDictionary?
        var streams = false
        var section: Int? = startXref
        var visited = Set<Int>()
        while let offset = section, visited.insert(offset).inserted {
            guard offset >= 0, offset < bytes.count else { throw PDFSignatureError.malformed("referencia cruzada fuera del archivo") }
            let dictionary: PDFDictionary
            if PDFSyntax.matches("xref", in: bytes, at: offset) {
                dictionary = try readTable(at: offset)
            } else {
                dictionary = try readStream(at: offset)
                streams = streams || newest == nil
            }
            if newest == nil { newest = dictionary }
            section = dictionary.integer("Prev")
        }
        guard let newest else { throw PDFSignatureError.malformed("sin tabla de referencias cruzadas") }
        trailer = newest
        usesXrefStreams = streams
    }

    var size: Int { trailer.integer("Size") ?? 0 }

    func generation(of object: Int) -> Int {
        if case .offset(_, let generation) = locations[object] { return generation }
        return 0
    }

    /// The dictionary of object `number`, wherever it is stored.
    func dictionary(of number: Int) throws -> PDFDictionary {
        switch locations[number] {
        case .offset(let offset, _):
            return try PDFDictionary(bytes, at: try objectBody(at: offset, number: number))
        case .inObjectStream(let stream, let index):
            let data = try streamData(of: stream)
            let header = try dictionary(of: stream)
            guard let count = header.integer("N"), let first = header.integer("First"), index < count, first <= data.count else {
                throw PDFSignatureError.malformed("flujo de objetos \(stream) incompleto")
            }
            var position = 0
            var pairs: [(Int, Int)] = []
            for _ in 0...index {
                guard let object = PDFSyntax.integer(in: data, at: PDFSyntax.skipSpace(data, position)),
                    let offset = PDFSyntax.integer(in: data, at: PDFSyntax.skipSpace(data, object.end))
                else {
                    throw PDFSignatureError.malformed("encabezado del flujo de objetos \(stream)")
                }
                pairs.append((object.value, offset.value))
                position = offset.end
            }
            guard pairs[index].0 == number else { throw PDFSignatureError.malformed("objeto \(number) no está en su flujo") }
            return try PDFDictionary(data, at: PDFSyntax.skipSpace(data, first + pairs[index].1))
        case nil:
            throw PDFSignatureError.malformed("el objeto \(number) no existe")
        }
    }

    // MARK: Cross-reference sections

    private mutating func record(_ number: Int, _ location: Location) {
        // Sections are read newest first: the first location seen for an object is the current one.
        if locations[number] == nil { locations[number] = location }
    }

    private mutating func readTable(at offset: Int) throws -> PDFDictionary {
        var position = offset + 4
        while true {
            position = PDFSyntax.skipSpace(bytes, position)
            if PDFSyntax.matches("trailer", in: bytes, at: position) {
                return try PDFDictionary(bytes, at: PDFSyntax.skipSpace(bytes, position + 7))
            }
            guard let start = PDFSyntax.integer(in: bytes, at: position),
                let count = PDFSyntax.integer(in: bytes, at: PDFSyntax.skipSpace(bytes, start.end))
            else {
                throw PDFSignatureError.malformed("tabla de referencias cruzadas ilegible")
            }
            position = count.end
            // Each entry takes 20 bytes, so a count beyond what is left of the file is a lie.
            guard count.value <= (bytes.count - position) / 18 else {
                throw PDFSignatureError.malformed("tabla de referencias cruzadas más larga que el archivo")
            }
            for index in 0..<count.value {
                guard let entryOffset = PDFSyntax.integer(in: bytes, at: PDFSyntax.skipSpace(bytes, position)),
                    let generation = PDFSyntax.integer(in: bytes, at: PDFSyntax.skipSpace(bytes, entryOffset.end))
                else {
                    throw PDFSignatureError.malformed("entrada de referencia cruzada ilegible")
                }
                let kind = PDFSyntax.skipSpace(bytes, generation.end)
                guard kind < bytes.count else { throw PDFSignatureError.malformed("tabla truncada") }
                if bytes[kind] == UInt8(ascii: "n") {
                    record(start.value + index, .offset(entryOffset.value, generation: generation.value))
                }
                position = kind + 1
            }
        }
    }

    private mutating func readStream(at offset: Int) throws -> PDFDictionary {
        let body = try objectBody(at: offset, number: nil)
        let dictionary = try PDFDictionary(bytes, at: body)
        guard dictionary.name("Type") == "XRef" else { throw PDFSignatureError.malformed("la referencia cruzada no apunta a una tabla") }
        let data = try decodedStream(dictionary, in: bytes)
        let widths = dictionary.integers("W")
        // Four bytes reach 4 GB, far beyond any upload; wider fields could read as negative numbers.
        guard widths.count == 3, widths.allSatisfy({ $0 <= 4 }) else { throw PDFSignatureError.malformed("/W inválido") }
        let size = dictionary.integer("Size") ?? 0
        var index = dictionary.integers("Index")
        if index.isEmpty { index = [0, size] }
        let rowLength = widths.reduce(0, +)
        guard rowLength > 0 else { throw PDFSignatureError.malformed("/W inválido") }
        var row = 0
        for pair in stride(from: 0, to: index.count - 1, by: 2) {
            guard index[pair + 1] <= data.count / rowLength - row else { throw PDFSignatureError.malformed("flujo de referencias truncado") }
            for number in index[pair]..<(index[pair] + index[pair + 1]) {
                let start = row * rowLength
                var fields = [Int]()
                var cursor = start
                for width in widths {
                    fields.append(data[cursor..<(cursor + width)].reduce(0) { $0 << 8 | Int($1) })
                    cursor += width
                }
                let type = widths[0] == 0 ? 1 : fields[0]
                switch type {
                case 1: record(number, .offset(fields[1], generation: fields[2]))
                case 2: record(number, .inObjectStream(fields[1], index: fields[2]))
                default: break
                }
                row += 1
            }
        }
        return dictionary
    }

    // MARK: Objects and streams

    /// The position right after `N G obj`, checking the object number when given.
    private func objectBody(at offset: Int, number: Int?) throws -> Int {
        guard offset < bytes.count, let object = PDFSyntax.integer(in: bytes, at: PDFSyntax.skipSpace(bytes, offset)),
            let generation = PDFSyntax.integer(in: bytes, at: PDFSyntax.skipSpace(bytes, object.end))
        else {
            throw PDFSignatureError.malformed("objeto ilegible en la posición \(offset)")
        }
        let keyword = PDFSyntax.skipSpace(bytes, generation.end)
        guard PDFSyntax.matches("obj", in: bytes, at: keyword), number == nil || number == object.value else {
            throw PDFSignatureError.malformed("el objeto \(number ?? object.value) no está donde dice la referencia cruzada")
        }
        return PDFSyntax.skipSpace(bytes, keyword + 3)
    }

    /// The decoded data of stream object `number` (streams never live in object streams).
    func streamData(of number: Int) throws -> [UInt8] {
        guard case .offset = locations[number] else {
            throw PDFSignatureError.malformed("flujo \(number) inaccesible")
        }
        return try decodedStream(try dictionary(of: number), in: bytes)
    }

    /// The stream that follows `dictionary` (inflated and un-predicted when it says so).
    private func decodedStream(_ dictionary: PDFDictionary, in bytes: [UInt8]) throws -> [UInt8] {
        var position = PDFSyntax.skipSpace(bytes, dictionary.end)
        guard PDFSyntax.matches("stream", in: bytes, at: position) else { throw PDFSignatureError.malformed("falta «stream»") }
        position += 6
        if position < bytes.count, bytes[position] == 0x0D { position += 1 }
        if position < bytes.count, bytes[position] == 0x0A { position += 1 }
        let length: Int
        if let direct = dictionary.integer("Length") {
            length = direct
        } else if let end = PDFSyntax.firstRange(of: "endstream", in: bytes, from: position) {
            length = end.lowerBound - position
        } else {
            throw PDFSignatureError.malformed("flujo sin fin")
        }
        guard position + length <= bytes.count else { throw PDFSignatureError.malformed("flujo truncado") }
        var data = Array(bytes[position..<(position + length)])
        switch dictionary.name("Filter") {
        case nil: break
        case "FlateDecode": data = try Self.inflate(data)
        case let other?: throw PDFSignatureError.unsupported("filtro /\(other)")
        }
        if let parameters = dictionary.dictionary("DecodeParms"), let predictor = parameters.integer("Predictor"), predictor >= 10 {
            data = try Self.unpredictPNG(data, columns: parameters.integer("Columns") ?? 1)
        }
        return data
    }

    /// The most bytes one stream may inflate to: Cocrea's own streams are a few KB, and a
    /// compression bomb must not take the server's memory.
    static let maximumInflatedBytes = 16 * 1_048_576

    static func inflate(_ input: [UInt8]) throws -> [UInt8] {
        var stream = z_stream()
        guard inflateInit_(&stream, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw PDFSignatureError.malformed("zlib no inicia")
        }
        defer { inflateEnd(&stream) }
        var output = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var input = input
        var status = Z_OK
        input.withUnsafeMutableBufferPointer { source in
            stream.next_in = source.baseAddress
            stream.avail_in = uInt(source.count)
            repeat {
                chunk.withUnsafeMutableBufferPointer { target in
                    stream.next_out = target.baseAddress
                    stream.avail_out = uInt(target.count)
                    status = CInflate.inflate(&stream, Z_NO_FLUSH)
                    output.append(contentsOf: target[0..<(target.count - Int(stream.avail_out))])
                }
            } while status == Z_OK && (stream.avail_in > 0 || stream.avail_out == 0) && output.count <= maximumInflatedBytes
        }
        guard output.count <= maximumInflatedBytes else { throw PDFSignatureError.unsupported("un flujo comprimido de más de 16 MB") }
        guard status == Z_STREAM_END || status == Z_OK else { throw PDFSignatureError.malformed("flujo comprimido dañado") }
        return output
    }

    /// Undoes the PNG row filters PDF uses for cross-reference streams (predictors 10–15).
    static func unpredictPNG(_ data: [UInt8], columns: Int) throws -> [UInt8] {
        guard columns > 0, columns <= 64 else { throw PDFSignatureError.malformed("/Columns inválido") }
        let stride = columns + 1
        guard data.count % stride == 0 else { throw PDFSignatureError.malformed("filas PNG incompletas") }
        var output = [UInt8]()
        var previous = [UInt8](repeating: 0, count: columns)
        for start in Swift.stride(from: 0, to: data.count, by: stride) {
            let filter = data[start]
            var row = Array(data[(start + 1)..<(start + stride)])
            for index in 0..<columns {
                let left = index > 0 ? Int(row[index - 1]) : 0
                let up = Int(previous[index])
                let upLeft = index > 0 ? Int(previous[index - 1]) : 0
                let predicted: Int
                switch filter {
                case 0: predicted = 0
                case 1: predicted = left
                case 2: predicted = up
                case 3: predicted = (left + up) / 2
                case 4:
                    let estimate = left + up - upLeft
                    let (a, b, c) = (abs(estimate - left), abs(estimate - up), abs(estimate - upLeft))
                    predicted = a <= b && a <= c ? left : (b <= c ? up : upLeft)
                default: throw PDFSignatureError.malformed("filtro PNG \(filter)")
                }
                row[index] = UInt8((Int(row[index]) + predicted) & 0xFF)
            }
            output += row
            previous = row
        }
        return output
    }
}
