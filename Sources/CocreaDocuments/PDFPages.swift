import CCairo
import Foundation

/// A4 pages drawn with cairo (PDF output, fonts embedded) and pango (Spanish text shaping and
/// wrapping). Text flows line by line, so long paragraphs break across pages cleanly and never run
/// into the footer.
final class PDFPages {
    static let pageWidth = 595.0
    static let pageHeight = 842.0
    static let margin = 56.0
    static let footerHeight = 36.0
    static let fontFamily = "DejaVu Sans"

    private final class Sink {
        var data = Data()
    }

    private let sink = Sink()
    private let surface: OpaquePointer
    private let cr: OpaquePointer
    /// The footer's left text and right text ("Página N de M") for a page.
    private let footer: (_ page: Int) -> (String, String)
    private(set) var pageNumber = 1
    private var y = margin

    var contentWidth: Double { Self.pageWidth - 2 * Self.margin }
    private var bottom: Double { Self.pageHeight - Self.margin - Self.footerHeight }

    init(title: String, footer: @escaping (_ page: Int) -> (String, String)) {
        let write: cairo_write_func_t = { closure, bytes, length in
            guard let closure, let bytes else { return CAIRO_STATUS_WRITE_ERROR }
            Unmanaged<Sink>.fromOpaque(closure).takeUnretainedValue().data.append(bytes, count: Int(length))
            return CAIRO_STATUS_SUCCESS
        }
        surface = cairo_pdf_surface_create_for_stream(write, Unmanaged.passUnretained(sink).toOpaque(), Self.pageWidth, Self.pageHeight)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Cocrea")
        cr = cairo_create(surface)
        self.footer = footer
    }

    /// Writes a block of text at the current position, wrapping to the content width and moving to
    /// a new page whenever the next line would enter the footer.
    func text(_ text: String, size: Double = 10, bold: Bool = false, gray: Double = 0.1, indent: Double = 0, spaceAfter: Double = 6) {
        guard !text.isEmpty else { return }
        let layout = pango_cairo_create_layout(cr)!
        defer { g_object_unref(UnsafeMutableRawPointer(layout)) }
        let description = pango_font_description_from_string("\(Self.fontFamily)\(bold ? " Bold" : "") \(size)")
        pango_layout_set_font_description(layout, description)
        pango_font_description_free(description)
        pango_layout_set_width(layout, Int32((contentWidth - indent) * Double(PANGO_SCALE)))
        pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR)
        pango_layout_set_text(layout, text, -1)
        cairo_set_source_rgb(cr, gray, gray, gray)
        for index in 0..<pango_layout_get_line_count(layout) {
            guard let line = pango_layout_get_line_readonly(layout, index) else { continue }
            var logical = PangoRectangle()
            pango_layout_line_get_pixel_extents(line, nil, &logical)
            let height = Double(logical.height)
            if y + height > bottom { newPage() ; cairo_set_source_rgb(cr, gray, gray, gray) }
            cairo_move_to(cr, Self.margin + indent, y - Double(logical.y))
            pango_cairo_show_layout_line(cr, line)
            y += height
        }
        y += spaceAfter
    }

    /// A thin rule across the page, as a separator between items.
    func rule(spaceAfter: Double = 8) {
        if y + 2 > bottom { newPage() }
        cairo_set_source_rgb(cr, 0.75, 0.78, 0.82)
        cairo_set_line_width(cr, 0.75)
        cairo_move_to(cr, Self.margin, y)
        cairo_line_to(cr, Self.pageWidth - Self.margin, y)
        cairo_stroke(cr)
        y += spaceAfter
    }

    /// Starts a new page unless the current one still has `height` points free.
    func keep(_ height: Double) {
        if y + height > bottom { newPage() }
    }

    func newPage() {
        drawFooter()
        cairo_show_page(cr)
        pageNumber += 1
        y = Self.margin
    }

    /// Closes the document and returns the PDF's bytes.
    func finish() -> Data {
        drawFooter()
        cairo_show_page(cr)
        cairo_destroy(cr)
        cairo_surface_finish(surface)
        cairo_surface_destroy(surface)
        return sink.data
    }

    private func drawFooter() {
        let saved = y
        y = Self.pageHeight - Self.margin - Self.footerHeight + 14
        cairo_set_source_rgb(cr, 0.75, 0.78, 0.82)
        cairo_set_line_width(cr, 0.5)
        cairo_move_to(cr, Self.margin, y - 6)
        cairo_line_to(cr, Self.pageWidth - Self.margin, y - 6)
        cairo_stroke(cr)
        let (left, right) = footer(pageNumber)
        let rightWidth = 90.0
        footerText(left, x: Self.margin, width: contentWidth - rightWidth - 8, alignment: PANGO_ALIGN_LEFT)
        footerText(right, x: Self.pageWidth - Self.margin - rightWidth, width: rightWidth, alignment: PANGO_ALIGN_RIGHT)
        y = saved
    }

    /// One line of footer text; what does not fit is cut with an ellipsis rather than wrapped.
    private func footerText(_ text: String, x: Double, width: Double, alignment: PangoAlignment) {
        let layout = pango_cairo_create_layout(cr)!
        defer { g_object_unref(UnsafeMutableRawPointer(layout)) }
        let description = pango_font_description_from_string("\(Self.fontFamily) 8")
        pango_layout_set_font_description(layout, description)
        pango_font_description_free(description)
        pango_layout_set_width(layout, Int32(width * Double(PANGO_SCALE)))
        pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_END)
        pango_layout_set_alignment(layout, alignment)
        pango_layout_set_text(layout, text, -1)
        cairo_set_source_rgb(cr, 0.3, 0.3, 0.3)
        cairo_move_to(cr, x, y)
        pango_cairo_show_layout(cr, layout)
    }

    /// Renders twice: once to count the pages, once with "Página N de M" knowing M.
    static func render(title: String, footer: @escaping (_ page: Int, _ total: Int) -> (String, String), body: (PDFPages) -> Void) -> Data {
        let counting = PDFPages(title: title) { footer($0, 0) }
        body(counting)
        _ = counting.finish()
        let total = counting.pageNumber
        let pages = PDFPages(title: title) { footer($0, total) }
        body(pages)
        return pages.finish()
    }
}
