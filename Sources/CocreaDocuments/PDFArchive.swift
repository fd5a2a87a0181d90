import CCairo
import CocreaCore
import Crypto
import Foundation

/// Turns a PDF that cairo wrote into PDF/A-2b (ISO 19005-2, level B), the archival form public
/// records are kept in, with one incremental update: the XMP metadata that identifies it as PDF/A-2b,
/// an sRGB output intent (cairo paints in DeviceRGB and DeviceGray), an Info dictionary that says what
/// the XMP says, and a file identifier (cairo 1.16 writes none). cairo already embeds every font.
/// `Tests/support/pdfa_check.py` checks the result; docs/pdfa.md says what it covers.
enum PDFArchive {
    static let outputCondition = "sRGB IEC61966-2.1"

    /// `pdf` as PDF/A-2b. A PDF the update refuses is `documentNotArchival`, its reason kept for the
    /// log: never the bytes as they came, which would be served as a record without saying they are not PDF/A.
    static func conform(_ pdf: Data, title: String, created: Date) throws -> Data {
        do {
            return try update(pdf, title: title, created: created)
        } catch {
            throw CocreaError.documentNotArchival(reason: "\(error)")
        }
    }

    private static func update(_ pdf: Data, title: String, created: Date) throws -> Data {
        let file = try PDFFile([UInt8](pdf))
        guard let root = file.trailer.reference("Root") else { throw PDFSignatureError.malformed("sin catálogo (/Root)") }
        let catalog = try file.dictionary(of: root)
        for key in ["Metadata", "OutputIntents"] where catalog.has(key) {
            throw PDFSignatureError.unsupported("el catálogo ya tiene /\(key)")
        }
        let producer = "cairo \(String(cString: cairo_version_string())) (https://cairographics.org)"
        // Whole seconds, so the Info dictionary's dates and the XMP's are the same instant.
        let created = Date(timeIntervalSince1970: created.timeIntervalSince1970.rounded(.down))
        var update = PDFUpdate(file)
        let metadata = update.newObject()
        let profile = update.newObject()
        let xmp = XMPPacket.document(title: title, creator: "Cocrea", producer: producer, created: created)
        update.object(metadata, "<< /Type /Metadata /Subtype /XML /Length \(xmp.count) >>", stream: xmp)
        update.object(profile, "<< /N 3 /Length \(SRGBProfile.bytes.count) >>", stream: SRGBProfile.bytes)
        let info = file.trailer.reference("Info") ?? update.newObject()
        let date = PDFSeal.pdfDate(created)
        update.object(
            info,
            "<< /Title \(PDFSyntax.textString(title)) /Creator (Cocrea) /Producer \(PDFSyntax.textString(producer)) /CreationDate (\(date)) /ModDate (\(date)) >>"
        )
        for font in try cidFontsWithoutGlyphMap(in: file, catalog: catalog) {
            update.object(font, try file.dictionary(of: font).adding("/CIDToGIDMap /Identity"))
        }
        let condition = PDFSyntax.textString(outputCondition)
        update.object(
            root,
            catalog.adding(
                "/Metadata \(metadata) 0 R\n/OutputIntents [<< /Type /OutputIntent /S /GTS_PDFA1 /OutputConditionIdentifier \(condition) /Info \(condition) /DestOutputProfile \(profile) 0 R >>]"
            ))
        // PDF/A wants a file identifier; one derived from cairo's bytes changes whenever they do.
        let identifier = file.trailer.raw("ID") ?? "[<\(Self.identifier(pdf))> <\(Self.identifier(pdf))>]"
        return Data(try update.finish(id: identifier))
    }

    /// The TrueType CID fonts the pages use that lack /CIDToGIDMap. cairo numbers a subset's glyphs
    /// as its CIDs and leaves the map to its default, Identity, which PDF/A-2 (6.2.11.3.2) wants written.
    private static func cidFontsWithoutGlyphMap(in file: PDFFile, catalog: PDFDictionary) throws -> [Int] {
        func resolved(_ key: String, of dictionary: PDFDictionary) throws -> PDFDictionary? {
            if let number = dictionary.reference(key) { return try file.dictionary(of: number) }
            return dictionary.dictionary(key)
        }
        var found = Set<Int>()
        var visited = Set<Int>()
        var resources: [PDFDictionary] = []
        var nodes = catalog.reference("Pages").map { [$0] } ?? []
        while let node = nodes.popLast() {
            guard visited.insert(node).inserted else { continue }
            let dictionary = try file.dictionary(of: node)
            nodes += dictionary.references("Kids")
            if let pageResources = try resolved("Resources", of: dictionary) { resources.append(pageResources) }
        }
        while let resource = resources.popLast() {
            for number in try resolved("Font", of: resource)?.referencedObjects ?? [] where visited.insert(number).inserted {
                for descendant in try file.dictionary(of: number).references("DescendantFonts") {
                    let font = try file.dictionary(of: descendant)
                    if font.name("Subtype") == "CIDFontType2", !font.has("CIDToGIDMap") { found.insert(descendant) }
                }
            }
            for number in try resolved("XObject", of: resource)?.referencedObjects ?? [] where visited.insert(number).inserted {
                let xobject = try file.dictionary(of: number)
                if xobject.name("Subtype") == "Form", let formResources = try resolved("Resources", of: xobject) { resources.append(formResources) }
            }
        }
        return found.sorted()
    }

    private static func identifier(_ pdf: Data) -> String {
        SHA256.hash(data: pdf).prefix(16).map { String(format: "%02x", $0) }.joined()
    }
}

/// XMP metadata (ISO 16684-1) as PDF/A-2 reads it: UTF-8, uncompressed, in an xpacket without the
/// `bytes` and `encoding` attributes, with only predefined schemas or ones described in the packet.
enum XMPPacket {
    static let sealNamespace = "urn:cocrea:xmp:sello:1#"
    static let sealProperty = "cocrea:manifiestoSello"

    /// The document's packet: its PDF/A identification and what its Info dictionary says.
    static func document(title: String, creator: String, producer: String, created: Date) -> [UInt8] {
        let date = ISO8601DateFormatter().string(from: created)
        return packet(
            """
              <rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
               <pdfaid:part>2</pdfaid:part>
               <pdfaid:conformance>B</pdfaid:conformance>
              </rdf:Description>
              <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
               <dc:format>application/pdf</dc:format>
               <dc:title><rdf:Alt><rdf:li xml:lang="x-default">\(escaped(title))</rdf:li></rdf:Alt></dc:title>
              </rdf:Description>
              <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
               <xmp:CreatorTool>\(escaped(creator))</xmp:CreatorTool>
               <xmp:CreateDate>\(date)</xmp:CreateDate>
               <xmp:ModifyDate>\(date)</xmp:ModifyDate>
               <xmp:MetadataDate>\(date)</xmp:MetadataDate>
              </rdf:Description>
              <rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
               <pdf:Producer>\(escaped(producer))</pdf:Producer>
              </rdf:Description>

            """)
    }

    /// `xmp` (a packet, or nil for none) with the seal's manifest added, and the extension schema
    /// that describes its property, as PDF/A-2 requires of any schema it does not predefine.
    static func addingSealManifest(_ manifest: Data, to xmp: [UInt8]?) -> [UInt8] {
        let descriptions = """
              <rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
               <pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
                <pdfaSchema:schema>Sello de la instancia de Cocrea</pdfaSchema:schema>
                <pdfaSchema:namespaceURI>\(sealNamespace)</pdfaSchema:namespaceURI>
                <pdfaSchema:prefix>cocrea</pdfaSchema:prefix>
                <pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
                 <pdfaProperty:name>manifiestoSello</pdfaProperty:name>
                 <pdfaProperty:valueType>Text</pdfaProperty:valueType>
                 <pdfaProperty:category>internal</pdfaProperty:category>
                 <pdfaProperty:description>Quién firmó y qué versión selló Cocrea (JSON)</pdfaProperty:description>
                </rdf:li></rdf:Seq></pdfaSchema:property>
               </rdf:li></rdf:Bag></pdfaExtension:schemas>
              </rdf:Description>
              <rdf:Description rdf:about="" xmlns:cocrea="\(sealNamespace)">
               <\(sealProperty)>\(escaped(String(decoding: manifest, as: UTF8.self)))</\(sealProperty)>
              </rdf:Description>

            """
        guard let xmp, let end = PDFSyntax.lastRange(of: "</rdf:RDF>", in: xmp) else {
            return packet(descriptions)
        }
        var line = end.lowerBound
        while line > 0, xmp[line - 1] == UInt8(ascii: " ") { line -= 1 }
        return Array(xmp[..<line]) + Array(descriptions.utf8) + Array(xmp[line...])
    }

    /// The seal's manifest in the newest packet of `bytes` that carries one.
    static func sealManifest(in bytes: [UInt8]) -> Data? {
        guard let close = PDFSyntax.lastRange(of: "</\(sealProperty)>", in: bytes),
            let open = PDFSyntax.lastRange(of: "<\(sealProperty)>", in: Array(bytes[..<close.lowerBound]))
        else { return nil }
        return Data(unescaped(String(decoding: bytes[open.upperBound..<close.lowerBound], as: UTF8.self)).utf8)
    }

    private static func packet(_ descriptions: String) -> [UInt8] {
        Array(
            """
            <?xpacket begin="\u{FEFF}" id="W5M0MpCehiHzreSzNTczkc9d"?>
            <x:xmpmeta xmlns:x="adobe:ns:meta/">
             <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
            \(descriptions)  </rdf:RDF>
            </x:xmpmeta>
            <?xpacket end="w"?>
            """.utf8)
    }

    private static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    private static func unescaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
    }
}
