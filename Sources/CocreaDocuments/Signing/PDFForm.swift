import CocreaCore
import Foundation

/// Where a form field sits: a page (0-based) and a rectangle in PDF points, origin at the page's
/// lower-left corner.
public struct PDFFieldBox: Sendable, Equatable {
    public let name: String
    public let page: Int
    public let x, y, width, height: Double

    public init(name: String, page: Int, x: Double, y: Double, width: Double, height: Double) {
        self.name = name
        self.page = page
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }
}

/// The PAL's form: read-only text fields placed once, before anyone signs, and filled later by
/// incremental updates that validators accept after a signature (pyHanko's default policy allows
/// filling existing fields and adding signature fields; new annotations or page content it does not).
/// Each operation appends one update and keeps the file PDF/A-2b: every widget has an appearance
/// (empty until filled, vector outlines after), and nothing asks the viewer to draw one.
public enum PDFForm {
    /// Room reserved for a signature's CMS: a timestamp token with its authority's chain fits.
    public static let defaultCapacity = 32768
    static let byteRangePlaceholder = "/ByteRange [0 0000000000 0000000000 0000000000]"
    /// Fields a file may hold, and pages it may have, before it is taken for a trap.
    static let maximumFields = 20_000
    static let maximumPages = 20_000

    /// One incremental update: an /AcroForm with read-only (Ff bit 1), printable (F 4) text fields,
    /// empty, one widget per box, added to each page's /Annots.
    public static func addingFields(_ boxes: [PDFFieldBox], to pdf: Data) throws -> Data {
        var form = try Editor(pdf)
        for box in boxes { try form.addTextField(box) }
        return Data(try form.finish())
    }

    /// One incremental update that sets /V and a new appearance for each named field.
    public static func filling(_ values: [String: String], in pdf: Data) throws -> Data {
        var form = try Editor(pdf)
        try form.fill(values)
        return Data(try form.finish())
    }

    /// One incremental update: fills `values`, adds an invisible signature field `fieldName` (widget
    /// on the last page), a /Sig dictionary with `capacity` bytes reserved for /Contents, and puts
    /// there the CMS `sign` returns over the byte range.
    public static func signing(
        _ pdf: Data, filling values: [String: String], fieldName: String, subFilter: String, capacity: Int = defaultCapacity,
        signingTime: Date, name: String, reason: String, sign: ([UInt8]) throws -> Data
    ) throws -> Data {
        try signing(
            pdf, filling: values, fieldName: fieldName, subFilter: subFilter, capacity: capacity, signingTime: signingTime, name: name,
            reason: reason, sealManifest: nil, sign: sign)
    }

    /// As above; a `sealManifest` is written into the XMP metadata in the same update, so the
    /// signature covers it (the instance seal's manifest, docs/decisions.md §19).
    static func signing(
        _ pdf: Data, filling values: [String: String], fieldName: String, subFilter: String, capacity: Int, signingTime: Date,
        name: String, reason: String, sealManifest: Data?, sign: ([UInt8]) throws -> Data
    ) throws -> Data {
        guard (1...1_048_576).contains(capacity) else { throw PDFSignatureError.unsupported("espacio de firma de \(capacity) bytes") }
        guard subFilter.utf8.allSatisfy({ !PDFSyntax.isWhitespace($0) && !PDFSyntax.isDelimiter($0) }), !subFilter.isEmpty else {
            throw PDFSignatureError.unsupported("/SubFilter «\(subFilter)»")
        }
        var form = try Editor(pdf)
        try form.fill(values)
        let signatureStart = try form.addSignatureField(
            fieldName, subFilter: subFilter, capacity: capacity, signingTime: signingTime, name: name, reason: reason)
        if let sealManifest { try form.addSealManifest(sealManifest) }
        return try embed(try form.finish(), from: signatureStart, capacity: capacity, sign: sign)
    }

    /// Fills in the byte range of the signature dictionary written at `start` and the CMS over
    /// every byte but its `/Contents` value.
    private static func embed(_ file: [UInt8], from start: Int, capacity: Int, sign: ([UInt8]) throws -> Data) throws -> Data {
        var (bytes, hole) = try reserve(file, from: start, capacity: capacity)
        let cms = try sign(Array(bytes[0..<hole.lowerBound]) + Array(bytes[hole.upperBound...]))
        guard place(Array(cms), in: &bytes, hole: hole) else { throw PDFSignatureError.unsupported("la firma no cabe en el espacio reservado") }
        return Data(bytes)
    }

    /// `file` with the byte range of the signature dictionary written at `start` filled in, and where its
    /// `/Contents` value (angle brackets included) lies: every other byte is what the signature covers.
    static func reserve(_ file: [UInt8], from start: Int, capacity: Int) throws -> (bytes: [UInt8], hole: Range<Int>) {
        var bytes = file
        guard let range = PDFSyntax.firstRange(of: byteRangePlaceholder, in: bytes, from: start),
            let contents = PDFSyntax.firstRange(of: "/Contents <", in: bytes, from: range.upperBound)
        else {
            throw PDFSignatureError.malformed("no se encontró el espacio de la firma")
        }
        let holeStart = contents.upperBound - 1
        let holeEnd = holeStart + capacity * 2 + 2
        var byteRange = "/ByteRange [0 \(holeStart) \(holeEnd) \(bytes.count - holeEnd)]"
        byteRange += String(repeating: " ", count: byteRangePlaceholder.utf8.count - byteRange.utf8.count)
        bytes.replaceSubrange(range, with: Array(byteRange.utf8))
        return (bytes, holeStart..<holeEnd)
    }

    /// Writes `cms` in hexadecimal over the reserved `hole` (a `/Contents` string, angle brackets
    /// included), padded with zeros, so the one writer serves a new signature and a CMS rewritten in
    /// place; false, changing nothing, when it does not fit.
    static func place(_ cms: [UInt8], in bytes: inout [UInt8], hole: Range<Int>) -> Bool {
        let digits = (hole.lowerBound + 1)..<(hole.upperBound - 1)
        guard cms.count * 2 <= digits.count else { return false }
        var written = [UInt8](repeating: UInt8(ascii: "0"), count: digits.count)
        for (index, byte) in cms.enumerated() {
            (written[2 * index], written[2 * index + 1]) = Hex.digits(of: byte, uppercase: true)
        }
        bytes.replaceSubrange(digits, with: written)
        return true
    }

    /// One update being written: the form's fields and the pages whose annotations change.
    struct Editor {
        let file: PDFFile
        var update: PDFUpdate
        let root: Int
        let catalog: PDFDictionary
        /// The AcroForm's object, when it has one of its own, and its dictionary.
        let acroFormObject: Int?
        let acroForm: PDFDictionary?
        var fields: [Int]
        /// Each field's name and object, read once.
        var fieldsByName: [String: Int] = [:]
        let pages: [Int]
        var annotations: [Int: [Int]] = [:]
        var signed = false
        var newMetadata: Int?

        init(_ pdf: Data) throws {
            file = try PDFFile([UInt8](pdf))
            update = PDFUpdate(file)
            guard let root = file.trailer.reference("Root") else { throw PDFSignatureError.malformed("sin catálogo (/Root)") }
            self.root = root
            catalog = try file.dictionary(of: root)
            if let reference = catalog.reference("AcroForm") {
                acroFormObject = reference
                acroForm = try file.dictionary(of: reference)
            } else {
                acroFormObject = nil
                acroForm = catalog.dictionary("AcroForm")
            }
            fields = []
            if let acroForm, acroForm.has("Fields") {
                fields = try Self.references(acroForm, "Fields")
            }
            guard fields.count <= PDFForm.maximumFields else { throw PDFSignatureError.unsupported("más de \(PDFForm.maximumFields) campos") }
            for field in fields {
                let dictionary = try file.dictionary(of: field)
                guard let name = dictionary.bytes("T").flatMap(PDFSyntax.text(of:)) else { continue }
                fieldsByName[name] = field
            }
            pages = try Self.pages(of: file, catalog: catalog)
        }

        /// The leaves of the page tree in reading order.
        static func pages(of file: PDFFile, catalog: PDFDictionary) throws -> [Int] {
            guard let tree = catalog.reference("Pages") else { throw PDFSignatureError.malformed("sin árbol de páginas") }
            var pages: [Int] = []
            var visited = Set<Int>()
            var pending = [(node: tree, depth: 0)]
            while let (node, depth) = pending.popLast() {
                guard visited.insert(node).inserted else { throw PDFSignatureError.malformed("el árbol de páginas se repite") }
                guard depth <= 32, visited.count <= PDFForm.maximumPages else { throw PDFSignatureError.malformed("árbol de páginas demasiado grande") }
                let dictionary = try file.dictionary(of: node)
                switch dictionary.name("Type") {
                case "Page": pages.append(node)
                case "Pages": pending += dictionary.references("Kids").reversed().map { ($0, depth + 1) }
                default: throw PDFSignatureError.malformed("el objeto \(node) del árbol de páginas no es una página")
                }
            }
            guard !pages.isEmpty else { throw PDFSignatureError.malformed("árbol de páginas vacío") }
            return pages
        }

        /// The annotations of `page`, as this update leaves them.
        mutating func annotations(of page: Int) throws -> [Int] {
            if let current = annotations[page] { return current }
            let dictionary = try file.dictionary(of: page)
            guard dictionary.has("Annots") else { return [] }
            return try Self.references(dictionary, "Annots")
        }

        /// An array that holds only references, or the file is refused: rewriting it from its
        /// references must not drop anything.
        static func references(_ dictionary: PDFDictionary, _ key: String) throws -> [Int] {
            guard let raw = dictionary.raw(key), raw.hasPrefix("[") else { throw PDFSignatureError.unsupported("/\(key) no es un arreglo directo") }
            let references = dictionary.references(key)
            guard raw.dropFirst().dropLast().split(whereSeparator: \.isWhitespace).count == references.count * 3 else {
                throw PDFSignatureError.unsupported("/\(key) con objetos directos")
            }
            return references
        }

        mutating func addTextField(_ box: PDFFieldBox) throws {
            try checkNew(box.name)
            guard box.page >= 0, box.page < pages.count else { throw PDFSignatureError.unsupported("el campo «\(box.name)» está fuera de las páginas") }
            let numbers = [box.x, box.y, box.width, box.height]
            guard numbers.allSatisfy({ $0.isFinite && abs($0) < 100_000 }), box.width > 0, box.height > 0 else {
                throw PDFSignatureError.unsupported("el rectángulo del campo «\(box.name)»")
            }
            let page = pages[box.page]
            let widget = update.newObject()
            let appearance = update.newObject()
            let rect = [box.x, box.y, box.x + box.width, box.y + box.height].map(PDFSyntax.number).joined(separator: " ")
            update.object(
                widget,
                "<< /Type /Annot /Subtype /Widget /FT /Tx /T \(PDFSyntax.textString(box.name)) /Ff 1 /F 4 /Rect [\(rect)] /P \(page) 0 R /AP << /N \(appearance) 0 R >> >>"
            )
            update.object(appearance, Self.formXObject(width: box.width, height: box.height, length: 0, compressed: false), stream: [])
            fields.append(widget)
            fieldsByName[box.name] = widget
            annotations[page] = try annotations(of: page) + [widget]
        }

        mutating func fill(_ values: [String: String]) throws {
            for (name, value) in values.sorted(by: { $0.key < $1.key }) {
                guard let field = fieldsByName[name] else { throw PDFSignatureError.unsupported("no hay un campo «\(name)»") }
                let dictionary = try file.dictionary(of: field)
                guard dictionary.name("FT") == "Tx" else { throw PDFSignatureError.unsupported("el campo «\(name)» no es de texto") }
                let rect = try Self.rectangle(dictionary)
                let (width, height) = (rect[2] - rect[0], rect[3] - rect[1])
                let stream = try PDFFieldAppearance.deflate(try PDFFieldAppearance.contentStream(value, width: width, height: height))
                let appearance = update.newObject()
                update.object(appearance, Self.formXObject(width: width, height: height, length: stream.count, compressed: true), stream: stream)
                update.object(field, dictionary.setting([("V", PDFSyntax.textString(value)), ("AP", "<< /N \(appearance) 0 R >>")]))
            }
        }

        /// A field's /Rect as [x1 y1 x2 y2], normalised; a box of a sane size or the file is refused.
        static func rectangle(_ dictionary: PDFDictionary) throws -> [Double] {
            guard let raw = dictionary.raw("Rect"), raw.hasPrefix("["), raw.hasSuffix("]") else {
                throw PDFSignatureError.malformed("campo sin /Rect")
            }
            let numbers = raw.dropFirst().dropLast().split(whereSeparator: \.isWhitespace).compactMap { Double($0) }
            guard numbers.count == 4, numbers.allSatisfy({ $0.isFinite && abs($0) < 100_000 }) else {
                throw PDFSignatureError.malformed("/Rect inválido")
            }
            let rect = [min(numbers[0], numbers[2]), min(numbers[1], numbers[3]), max(numbers[0], numbers[2]), max(numbers[1], numbers[3])]
            guard rect[2] - rect[0] >= 1, rect[3] - rect[1] >= 1 else { throw PDFSignatureError.unsupported("un campo sin área") }
            return rect
        }

        static func formXObject(width: Double, height: Double, length: Int, compressed: Bool) -> String {
            "<< /Type /XObject /Subtype /Form /BBox [0 0 \(PDFSyntax.number(width)) \(PDFSyntax.number(height))] /Resources << >>"
                + (compressed ? " /Filter /FlateDecode" : "") + " /Length \(length) >>"
        }

        /// Writes the signature field and dictionary; returns where the dictionary starts.
        mutating func addSignatureField(
            _ name: String, subFilter: String, capacity: Int, signingTime: Date, name signer: String, reason: String
        ) throws -> Int {
            try addSignatureField(
                name, type: "Sig", subFilter: subFilter, capacity: capacity,
                details: " /M (\(PDFSeal.pdfDate(signingTime))) /Name \(PDFSyntax.textString(signer)) /Reason \(PDFSyntax.textString(reason))")
        }

        /// Writes a signature field whose value is a `/Type` dictionary (`Sig`, or `DocTimeStamp` for a
        /// document timestamp) with `details` after its `/Contents`; returns where the dictionary starts.
        mutating func addSignatureField(_ name: String, type: String, subFilter: String, capacity: Int, details: String) throws -> Int {
            try checkNew(name)
            guard let page = pages.last else { throw PDFSignatureError.malformed("árbol de páginas vacío") }
            let widget = update.newObject()
            let signature = update.newObject()
            update.object(
                widget,
                "<< /Type /Annot /Subtype /Widget /FT /Sig /T \(PDFSyntax.textString(name)) /F 132 /Rect [0 0 0 0] /P \(page) 0 R /V \(signature) 0 R >>")
            let start = update.bytes.count
            let contents = "<" + String(repeating: "0", count: capacity * 2) + ">"
            update.object(
                signature,
                "<< /Type /\(type) /Filter /Adobe.PPKLite /SubFilter /\(subFilter) \(PDFForm.byteRangePlaceholder) /Contents \(contents)\(details) >>"
            )
            fields.append(widget)
            fieldsByName[name] = widget
            annotations[page] = try annotations(of: page) + [widget]
            signed = true
            return start
        }

        /// A new revision of the XMP packet with the seal's manifest (a file without one gets its own).
        mutating func addSealManifest(_ manifest: Data) throws {
            let existing = catalog.reference("Metadata")
            let xmp = XMPPacket.addingSealManifest(manifest, to: try existing.map { try file.streamData(of: $0) })
            let metadata = existing ?? update.newObject()
            update.object(metadata, "<< /Type /Metadata /Subtype /XML /Length \(xmp.count) >>", stream: xmp)
            if existing == nil { newMetadata = metadata }
        }

        private func checkNew(_ name: String) throws {
            guard !name.isEmpty, !name.contains(".") else { throw PDFSignatureError.unsupported("el nombre de campo «\(name)»") }
            guard fieldsByName[name] == nil else { throw PDFSignatureError.unsupported("ya hay un campo «\(name)»") }
            guard fields.count < PDFForm.maximumFields else { throw PDFSignatureError.unsupported("más de \(PDFForm.maximumFields) campos") }
        }

        /// Writes the AcroForm, catalogue and pages this update changed, then closes it.
        mutating func finish() throws -> [UInt8] {
            let fieldsChanged = fields != (acroForm.map { $0.references("Fields") } ?? [])
            var catalogEntries: [(key: String, value: String)] = []
            if fieldsChanged || signed {
                var entries: [(key: String, value: String)] = [("Fields", "[" + fields.map { "\($0) 0 R" }.joined(separator: " ") + "]")]
                if signed { entries.append(("SigFlags", "3")) }
                let text = (acroForm ?? PDFDictionary.empty).setting(entries)
                // The form gets an object of its own, so later updates rewrite it and leave the catalogue alone.
                let number = acroFormObject ?? update.newObject()
                update.object(number, text)
                if acroFormObject == nil { catalogEntries.append(("AcroForm", "\(number) 0 R")) }
            }
            if let newMetadata { catalogEntries.append(("Metadata", "\(newMetadata) 0 R")) }
            if !catalogEntries.isEmpty { update.object(root, catalog.setting(catalogEntries)) }
            for (page, annotations) in annotations.sorted(by: { $0.key < $1.key }) {
                let list = "[" + annotations.map { "\($0) 0 R" }.joined(separator: " ") + "]"
                update.object(page, try file.dictionary(of: page).setting([("Annots", list)]))
            }
            return try update.finish()
        }
    }
}
