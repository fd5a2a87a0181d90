import CCairo
import Foundation

/// A4 pages drawn with cairo (PDF output, fonts embedded) and pango (Spanish text shaping and
/// wrapping). Text and table rows flow line by line, so long paragraphs and tables break across
/// pages cleanly and never run into the footer.
final class PDFPages {
    static let pageWidth = 595.0
    static let pageHeight = 842.0
    static let margin = 56.0
    static let fontFamily = "DejaVu Sans"

    /// Draws the footer of one page inside `area` (the band between the content and the margin).
    typealias Footer = (_ pages: PDFPages, _ page: Int, _ area: Rect) -> Void

    struct Rect {
        var x: Double, y: Double, width: Double, height: Double
    }

    /// A table column: its share of the content width and its header.
    struct Column {
        var title: String
        var share: Double
    }

    private final class Sink {
        var data = Data()
    }

    private let sink = Sink()
    private let surface: OpaquePointer
    private let cr: OpaquePointer
    private let footerHeight: Double
    private let footer: Footer
    private(set) var pageNumber = 1
    private var y = margin

    var contentWidth: Double { Self.pageWidth - 2 * Self.margin }
    private var bottom: Double { Self.pageHeight - Self.margin - footerHeight }

    init(title: String, footerHeight: Double, footer: @escaping Footer) {
        let write: cairo_write_func_t = { closure, bytes, length in
            guard let closure, let bytes else { return CAIRO_STATUS_WRITE_ERROR }
            Unmanaged<Sink>.fromOpaque(closure).takeUnretainedValue().data.append(bytes, count: Int(length))
            return CAIRO_STATUS_SUCCESS
        }
        surface = cairo_pdf_surface_create_for_stream(write, Unmanaged.passUnretained(sink).toOpaque(), Self.pageWidth, Self.pageHeight)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Cocrea")
        cr = cairo_create(surface)
        self.footerHeight = footerHeight
        self.footer = footer
    }

    // MARK: Flowing content

    /// Writes a block of text at the current position, wrapping to the content width and moving to
    /// a new page whenever the next line would enter the footer.
    func text(_ text: String, size: Double = 10, bold: Bool = false, gray: Double = 0.1, indent: Double = 0, spaceAfter: Double = 6) {
        guard !text.isEmpty else { return }
        let layout = makeLayout(text, size: size, bold: bold, width: contentWidth - indent)
        defer { g_object_unref(UnsafeMutableRawPointer(layout)) }
        for line in lines(of: layout) {
            if y + line.height > bottom { newPage() }
            draw(line, x: Self.margin + indent, gray: gray)
            y += line.height
        }
        y += spaceAfter
    }

    /// A table whose rows break between lines when a page ends; the header is repeated on the new page.
    func table(_ columns: [Column], rows: [[String]], size: Double = 9, showHeader: Bool = true, spaceAfter: Double = 10) {
        let padding = 4.0
        let total = columns.map(\.share).reduce(0, +)
        let widths = columns.map { contentWidth * $0.share / total }
        let header = showHeader ? columns.map(\.title) : nil
        func drawHeader() {
            guard let header else { return }
            drawRow(header, widths: widths, size: size, bold: true, padding: padding, shaded: true, onBreak: {})
        }
        keep(size * 5)
        drawHeader()
        for row in rows {
            drawRow(row, widths: widths, size: size, bold: false, padding: padding, shaded: false, onBreak: drawHeader)
        }
        y += spaceAfter
    }

    /// A thin rule across the page, as a separator between items.
    func rule(spaceAfter: Double = 8) {
        if y + 2 > bottom { newPage() }
        line(from: (Self.margin, y), to: (Self.pageWidth - Self.margin, y), gray: 0.75, width: 0.75)
        y += spaceAfter
    }

    /// Moves down by `height` points, or to a new page when they are not there.
    func space(_ height: Double) {
        if y + height > bottom { newPage() } else { y += height }
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

    // MARK: Drawing at a fixed place (footers)

    /// Text in a box of at most `lines` lines; what does not fit is cut with an ellipsis.
    func label(_ text: String, in box: Rect, size: Double = 8, bold: Bool = false, gray: Double = 0.3, lines: Int32 = 1, alignment: PangoAlignment = PANGO_ALIGN_LEFT) {
        let layout = makeLayout(text, size: size, bold: bold, width: box.width)
        defer { g_object_unref(UnsafeMutableRawPointer(layout)) }
        pango_layout_set_height(layout, -lines)
        pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_END)
        pango_layout_set_alignment(layout, alignment)
        cairo_set_source_rgb(cr, gray, gray, gray)
        cairo_move_to(cr, box.x, box.y)
        pango_cairo_show_layout(cr, layout)
    }

    func stroke(_ box: Rect, gray: Double = 0.45, width: Double = 0.6) {
        cairo_set_source_rgb(cr, gray, gray, gray)
        cairo_set_line_width(cr, width)
        cairo_rectangle(cr, box.x, box.y, box.width, box.height)
        cairo_stroke(cr)
    }

    func fill(_ box: Rect, gray: Double) {
        cairo_set_source_rgb(cr, gray, gray, gray)
        cairo_rectangle(cr, box.x, box.y, box.width, box.height)
        cairo_fill(cr)
    }

    func line(from start: (Double, Double), to end: (Double, Double), gray: Double = 0.75, width: Double = 0.5) {
        cairo_set_source_rgb(cr, gray, gray, gray)
        cairo_set_line_width(cr, width)
        cairo_move_to(cr, start.0, start.1)
        cairo_line_to(cr, end.0, end.1)
        cairo_stroke(cr)
    }

    /// A QR code's dark modules as filled squares, `size` points wide.
    func qrCode(_ code: QRCode, at origin: (Double, Double), size: Double) {
        let module = size / Double(code.width)
        cairo_set_source_rgb(cr, 0, 0, 0)
        for row in 0..<code.width {
            for column in 0..<code.width where code.isDark(row: row, column: column) {
                cairo_rectangle(cr, origin.0 + Double(column) * module, origin.1 + Double(row) * module, module, module)
            }
        }
        cairo_fill(cr)
    }

    // MARK: Rendering

    /// Renders twice: once to count the pages, once knowing the total (for "Página N de M").
    static func render(title: String, footerHeight: Double, footer: @escaping (_ pages: PDFPages, _ page: Int, _ total: Int, _ area: Rect) -> Void, body: (PDFPages) -> Void) -> Data {
        let counting = PDFPages(title: title, footerHeight: footerHeight) { footer($0, $1, 0, $2) }
        body(counting)
        _ = counting.finish()
        let total = counting.pageNumber
        let pages = PDFPages(title: title, footerHeight: footerHeight) { footer($0, $1, total, $2) }
        body(pages)
        return pages.finish()
    }

    /// The plain footer: a rule, a text on the left and one on the right ("Página N de M").
    static func render(title: String, footer: @escaping (_ page: Int, _ total: Int) -> (String, String), body: (PDFPages) -> Void) -> Data {
        render(title: title, footerHeight: 36, footer: { pages, page, total, area in
            let top = area.y + 8
            pages.line(from: (area.x, top), to: (area.x + area.width, top))
            let (left, right) = footer(page, total)
            let rightWidth = 90.0
            pages.label(left, in: Rect(x: area.x, y: top + 6, width: area.width - rightWidth - 8, height: 12))
            pages.label(right, in: Rect(x: area.x + area.width - rightWidth, y: top + 6, width: rightWidth, height: 12), alignment: PANGO_ALIGN_RIGHT)
        }, body: body)
    }

    // MARK: Private

    private struct Line {
        var pointer: UnsafeMutablePointer<PangoLayoutLine>
        var height: Double
        var baselineOffset: Double
    }

    private func makeLayout(_ text: String, size: Double, bold: Bool, width: Double) -> OpaquePointer {
        let layout = pango_cairo_create_layout(cr)!
        let description = pango_font_description_from_string("\(Self.fontFamily)\(bold ? " Bold" : "") \(size)")
        pango_layout_set_font_description(layout, description)
        pango_font_description_free(description)
        pango_layout_set_width(layout, Int32(max(width, 1) * Double(PANGO_SCALE)))
        pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR)
        pango_layout_set_text(layout, text, -1)
        return layout
    }

    private func lines(of layout: OpaquePointer) -> [Line] {
        (0..<pango_layout_get_line_count(layout)).compactMap { index in
            guard let line = pango_layout_get_line_readonly(layout, index) else { return nil }
            var logical = PangoRectangle()
            pango_layout_line_get_pixel_extents(line, nil, &logical)
            return Line(pointer: line, height: Double(logical.height), baselineOffset: Double(logical.y))
        }
    }

    private func draw(_ line: Line, x: Double, gray: Double) {
        cairo_set_source_rgb(cr, gray, gray, gray)
        cairo_move_to(cr, x, y - line.baselineOffset)
        pango_cairo_show_layout_line(cr, line.pointer)
    }

    /// Draws one table row line by line across its cells, so a tall row continues on the next page.
    private func drawRow(_ cells: [String], widths: [Double], size: Double, bold: Bool, padding: Double, shaded: Bool, onBreak: () -> Void) {
        let layouts = zip(cells, widths).map { makeLayout($0, size: size, bold: bold, width: $1 - 2 * padding) }
        defer { layouts.forEach { g_object_unref(UnsafeMutableRawPointer($0)) } }
        let cellLines = layouts.map(lines(of:))
        let depth = cellLines.map(\.count).max() ?? 0
        let lineHeights = (0..<depth).map { index in cellLines.compactMap { $0.indices.contains(index) ? $0[index].height : nil }.max() ?? 0 }
        if shaded {
            let height = lineHeights.reduce(0, +) + 2 * padding
            keep(height)
            fill(Rect(x: Self.margin, y: y, width: contentWidth, height: height), gray: 0.92)
        }
        if y + padding + (lineHeights.first ?? 0) > bottom { newPage(); onBreak() }
        y += padding
        for (index, height) in lineHeights.enumerated() {
            if y + height > bottom { newPage(); onBreak() }
            var x = Self.margin
            for (cell, width) in zip(cellLines, widths) {
                if cell.indices.contains(index) { draw(cell[index], x: x + padding, gray: 0.1) }
                x += width
            }
            y += height
        }
        y += padding
        line(from: (Self.margin, y), to: (Self.pageWidth - Self.margin, y), gray: 0.8, width: 0.5)
    }

    private func drawFooter() {
        let area = Rect(x: Self.margin, y: bottom, width: contentWidth, height: footerHeight)
        footer(self, pageNumber, area)
    }
}
