import CCairo
import CInflate
import Foundation

/// The appearance of a filled form field: its text as filled vector outlines, so the file carries no
/// font that is not embedded (PDF/A-2b forbids that in appearance streams too) and every viewer shows
/// the same glyphs. cairo and pango draw it on a one-page PDF the size of the field, in the PAL's
/// font; that page's content stream becomes the field's Form XObject.
enum PDFFieldAppearance {
    /// The largest text size, and the smallest one the text shrinks to before it is left to overflow.
    static let largestSize = 10.0
    static let smallestSize = 4.0

    private final class Sink {
        var bytes = [UInt8]()
    }

    /// The content stream (uncompressed) that draws `text` centred in a `width` × `height` box whose
    /// origin is its lower-left corner, wrapped and shrunk to fit.
    static func contentStream(_ text: String, width: Double, height: Double) throws -> [UInt8] {
        let sink = Sink()
        let write: cairo_write_func_t = { closure, bytes, length in
            guard let closure, let bytes else { return CAIRO_STATUS_WRITE_ERROR }
            Unmanaged<Sink>.fromOpaque(closure).takeUnretainedValue().bytes.append(contentsOf: UnsafeBufferPointer(start: bytes, count: Int(length)))
            return CAIRO_STATUS_SUCCESS
        }
        withExtendedLifetime(sink) {
            let surface = cairo_pdf_surface_create_for_stream(write, Unmanaged.passUnretained(sink).toOpaque(), width, height)
            let cr = cairo_create(surface)
            let context = pango_cairo_create_context(cr)
            let layout = pango_layout_new(context)
            let padding = min(2, width / 10, height / 10)
            pango_layout_set_width(layout, Int32(max(width - 2 * padding, 1) * Double(PANGO_SCALE)))
            pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR)
            pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER)
            pango_layout_set_text(layout, text, -1)
            let font = pango_font_description_from_string(PDFPages.fontFamily)
            var size = min(largestSize, max(height - 2 * padding, smallestSize))
            var logical = PangoRectangle()
            while true {
                pango_font_description_set_absolute_size(font, size * Double(PANGO_SCALE))
                pango_layout_set_font_description(layout, font)
                pango_layout_get_pixel_extents(layout, nil, &logical)
                if Double(logical.height) <= height - 2 * padding || size <= smallestSize { break }
                size = max(size * 0.9, smallestSize)
            }
            cairo_move_to(cr, padding, (height - Double(logical.height)) / 2)
            pango_cairo_layout_path(cr, layout)
            cairo_set_source_rgb(cr, 0.05, 0.1, 0.35)
            cairo_fill(cr)
            cairo_show_page(cr)
            pango_font_description_free(font)
            g_object_unref(UnsafeMutableRawPointer(layout))
            g_object_unref(UnsafeMutableRawPointer(context))
            cairo_destroy(cr)
            cairo_surface_finish(surface)
            cairo_surface_destroy(surface)
        }
        let file = try PDFFile(sink.bytes)
        guard let root = file.trailer.reference("Root"), let tree = try file.dictionary(of: root).reference("Pages"),
            let leaf = try file.dictionary(of: tree).references("Kids").first
        else { throw PDFSignatureError.unsupported("cairo no dibujó la apariencia del campo") }
        let page = try file.dictionary(of: leaf)
        guard let contents = page.reference("Contents") else { throw PDFSignatureError.unsupported("cairo no dibujó la apariencia del campo") }
        var stream = try file.streamData(of: contents)
        // cairo selects an opaque graphics state (`/a0 gs`, CA and ca 1) before it fills: it changes
        // nothing, so it goes, and the outlines need no resources at all.
        for state in try opaqueStates(of: page, in: file) {
            let operation = Array("/\(state) gs".utf8)
            while let range = PDFSyntax.firstRange(of: String(decoding: operation, as: UTF8.self), in: stream, from: 0) {
                stream.removeSubrange(range)
            }
        }
        guard !stream.contains(UInt8(ascii: "/")) else { throw PDFSignatureError.unsupported("la apariencia del campo usa recursos") }
        return stream
    }

    /// The names of the page's graphics states that only set full opacity.
    private static func opaqueStates(of page: PDFDictionary, in file: PDFFile) throws -> [String] {
        func resolve(_ dictionary: PDFDictionary, _ key: String) throws -> PDFDictionary? {
            if let reference = dictionary.reference(key) { return try file.dictionary(of: reference) }
            return dictionary.dictionary(key)
        }
        guard let resources = try resolve(page, "Resources"), let states = try resolve(resources, "ExtGState") else { return [] }
        return try states.keyNames.filter { name in
            guard let state = try resolve(states, name) else { return false }
            return state.keyNames.allSatisfy { key in key == "Type" || ((key == "CA" || key == "ca") && state.raw(key) == "1") }
        }
    }

    /// `data` compressed with zlib, for a `/FlateDecode` stream.
    static func deflate(_ data: [UInt8]) throws -> [UInt8] {
        var length = compressBound(uLong(data.count))
        var output = [UInt8](repeating: 0, count: Int(length))
        let status = output.withUnsafeMutableBufferPointer { target in
            data.withUnsafeBufferPointer { source in
                compress2(target.baseAddress, &length, source.baseAddress, uLong(source.count), Z_BEST_COMPRESSION)
            }
        }
        guard status == Z_OK else { throw PDFSignatureError.unsupported("zlib no comprimió la apariencia") }
        return Array(output.prefix(Int(length)))
    }
}
