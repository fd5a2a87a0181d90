import CCairo
import Foundation

/// A4 pages drawn with cairo (PDF output, fonts embedded, made PDF/A-2b by `PDFArchive`) and pango
/// (Spanish text shaping and wrapping). Text and table rows flow line by line, so long paragraphs and
/// tables break across pages cleanly and never run into the footer.
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

    /// Layouts kept for the whole render; released when the last pass is done.
    final class LayoutCache {
        struct Key: Hashable {
            var text: String
            var size: Double
            var bold: Bool
            var width: Double
            var lines: Int32
            var alignment: UInt32
        }

        var layouts: [Key: OpaquePointer] = [:]

        deinit {
            layouts.values.forEach { g_object_unref(UnsafeMutableRawPointer($0)) }
        }
    }

    private let cache: LayoutCache
    private let title: String
    private let sink = Sink()
    private let surface: OpaquePointer
    private let cr: OpaquePointer
    /// One pango context for the whole document: a context per layout costs more than the layout.
    private let pango: OpaquePointer
    private var fonts: [String: OpaquePointer] = [:]
    /// False on the pass that only counts pages: lines are laid out and measured, nothing is drawn.
    private let drawing: Bool
    private let footerHeight: Double
    private let footer: Footer
    private(set) var pageNumber = 1
    private var y = margin

    var contentWidth: Double { Self.pageWidth - 2 * Self.margin }
    private var bottom: Double { Self.pageHeight - Self.margin - footerHeight }

    init(title: String, footerHeight: Double, drawing: Bool = true, cache: LayoutCache = LayoutCache(), footer: @escaping Footer) {
        let write: cairo_write_func_t = { closure, bytes, length in
            guard let closure, let bytes else { return CAIRO_STATUS_WRITE_ERROR }
            Unmanaged<Sink>.fromOpaque(closure).takeUnretainedValue().data.append(bytes, count: Int(length))
            return CAIRO_STATUS_SUCCESS
        }
        surface = cairo_pdf_surface_create_for_stream(write, Unmanaged.passUnretained(sink).toOpaque(), Self.pageWidth, Self.pageHeight)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Cocrea")
        self.title = title
        cr = cairo_create(surface)
        pango = pango_cairo_create_context(cr)
        self.drawing = drawing
        self.cache = cache
        self.footerHeight = footerHeight
        self.footer = footer
    }

    // MARK: Flowing content

    /// Writes a block of text at the current position, wrapping to the content width and moving to
    /// a new page whenever the next line would enter the footer.
    func text(_ text: String, size: Double = 10, bold: Bool = false, gray: Double = 0.1, indent: Double = 0, spaceAfter: Double = 6) {
        guard !text.isEmpty else { return }
        let layout = makeLayout(text, size: size, bold: bold, width: contentWidth - indent)
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

    /// Reserves a box `height` points high across the content width (less `indent`) where the text
    /// flows now, on a new page when it does not fit there; returns the page (from 1) and the box.
    func reserve(_ height: Double, indent: Double = 0, spaceAfter: Double = 6) -> (page: Int, box: Rect) {
        keep(height)
        let box = Rect(x: Self.margin + indent, y: y, width: contentWidth - indent, height: height)
        y += height + spaceAfter
        return (pageNumber, box)
    }

    /// False on the pass that only counts pages, whose boxes are not those of the document.
    var isDrawing: Bool { drawing }

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

    /// Closes the document and returns the PDF's bytes, as PDF/A-2b when it was drawn (or
    /// `documentNotArchival` when they cannot be made so).
    func finish() throws -> Data {
        drawFooter()
        cairo_show_page(cr)
        fonts.values.forEach { pango_font_description_free($0) }
        if let qrImage { cairo_surface_destroy(qrImage) }
        g_object_unref(UnsafeMutableRawPointer(pango))
        cairo_destroy(cr)
        cairo_surface_finish(surface)
        cairo_surface_destroy(surface)
        guard drawing else { return sink.data }
        return try PDFArchive.conform(sink.data, title: title, created: Date())
    }

    // MARK: Drawing at a fixed place (footers)

    /// Text in a box of at most `lines` lines; what does not fit is cut with an ellipsis.
    func label(
        _ text: String, in box: Rect, size: Double = 8, bold: Bool = false, gray: Double = 0.3, lines: Int32 = 1, alignment: PangoAlignment = PANGO_ALIGN_LEFT
    ) {
        guard drawing else { return }
        let layout = makeLayout(text, size: size, bold: bold, width: box.width, lines: lines, alignment: alignment)
        cairo_set_source_rgb(cr, gray, gray, gray)
        cairo_move_to(cr, box.x, box.y)
        pango_cairo_show_layout(cr, layout)
    }

    func stroke(_ box: Rect, gray: Double = 0.45, width: Double = 0.6) {
        guard drawing else { return }
        cairo_set_source_rgb(cr, gray, gray, gray)
        cairo_set_line_width(cr, width)
        cairo_rectangle(cr, box.x, box.y, box.width, box.height)
        cairo_stroke(cr)
    }

    func fill(_ box: Rect, gray: Double) {
        guard drawing else { return }
        cairo_set_source_rgb(cr, gray, gray, gray)
        cairo_rectangle(cr, box.x, box.y, box.width, box.height)
        cairo_fill(cr)
    }

    func line(from start: (Double, Double), to end: (Double, Double), gray: Double = 0.75, width: Double = 0.5) {
        guard drawing else { return }
        cairo_set_source_rgb(cr, gray, gray, gray)
        cairo_set_line_width(cr, width)
        cairo_move_to(cr, start.0, start.1)
        cairo_line_to(cr, end.0, end.1)
        cairo_stroke(cr)
    }

    /// A QR code, `size` points wide. It is drawn as one small image, made once per document, so
    /// every page refers to the same image in the PDF instead of repeating hundreds of squares.
    func qrCode(_ code: QRCode, at origin: (Double, Double), size: Double) {
        guard drawing else { return }
        let image = qrImage ?? makeImage(code)
        qrImage = image
        cairo_save(cr)
        cairo_translate(cr, origin.0, origin.1)
        cairo_scale(cr, size / Double(code.width), size / Double(code.width))
        cairo_set_source_surface(cr, image, 0, 0)
        cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST)
        cairo_paint(cr)
        cairo_restore(cr)
    }

    private var qrImage: OpaquePointer?

    private func makeImage(_ code: QRCode) -> OpaquePointer {
        let image = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(code.width), Int32(code.width))!
        cairo_surface_flush(image)
        let stride = Int(cairo_image_surface_get_stride(image))
        let pixels = cairo_image_surface_get_data(image)!
        for row in 0..<code.width {
            let line = UnsafeMutableRawPointer(pixels + row * stride).assumingMemoryBound(to: UInt32.self)
            for column in 0..<code.width {
                line[column] = code.isDark(row: row, column: column) ? 0x000000 : 0xFFFFFF
            }
        }
        cairo_surface_mark_dirty(image)
        return image
    }

    // MARK: Rendering

    /// Lays out twice: once only to count the pages, once drawing, knowing the total (for "Página N de M").
    static func render(
        title: String, footerHeight: Double, footer: @escaping (_ pages: PDFPages, _ page: Int, _ total: Int, _ area: Rect) -> Void, body: (PDFPages) -> Void
    ) throws -> Data {
        let cache = LayoutCache()
        let counting = PDFPages(title: title, footerHeight: footerHeight, drawing: false, cache: cache) { _, _, _ in }
        body(counting)
        _ = try counting.finish()
        let total = counting.pageNumber
        let pages = PDFPages(title: title, footerHeight: footerHeight, cache: cache) { footer($0, $1, total, $2) }
        body(pages)
        return try pages.finish()
    }

    /// The plain footer: a rule, a text on the left and one on the right ("Página N de M").
    static func render(title: String, footer: @escaping (_ page: Int, _ total: Int) -> (String, String), body: (PDFPages) -> Void) throws -> Data {
        try render(
            title: title, footerHeight: 36,
            footer: { pages, page, total, area in
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

    /// A laid-out text, shared by both passes and by every page that repeats it (the footer's
    /// labels): shaping text is most of the cost of a page.
    private func makeLayout(
        _ text: String, size: Double, bold: Bool, width: Double, lines: Int32 = 0,
        alignment: PangoAlignment = PANGO_ALIGN_LEFT
    ) -> OpaquePointer {
        let key = LayoutCache.Key(text: text, size: size, bold: bold, width: width, lines: lines, alignment: alignment.rawValue)
        if let layout = cache.layouts[key] { return layout }
        let layout = pango_layout_new(pango)!
        let font = "\(Self.fontFamily)\(bold ? " Bold" : "") \(size)"
        let description = fonts[font] ?? pango_font_description_from_string(font)!
        fonts[font] = description
        pango_layout_set_font_description(layout, description)
        pango_layout_set_width(layout, Int32(max(width, 1) * Double(PANGO_SCALE)))
        pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR)
        if lines > 0 {
            pango_layout_set_height(layout, -lines)
            pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_END)
        }
        pango_layout_set_alignment(layout, alignment)
        pango_layout_set_text(layout, text, -1)
        cache.layouts[key] = layout
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
        guard drawing else { return }
        cairo_set_source_rgb(cr, gray, gray, gray)
        cairo_move_to(cr, x, y - line.baselineOffset)
        pango_cairo_show_layout_line(cr, line.pointer)
    }

    /// Draws one table row line by line across its cells, so a tall row continues on the next page.
    private func drawRow(_ cells: [String], widths: [Double], size: Double, bold: Bool, padding: Double, shaded: Bool, onBreak: () -> Void) {
        let layouts = zip(cells, widths).map { makeLayout($0, size: size, bold: bold, width: $1 - 2 * padding) }
        let cellLines = layouts.map(lines(of:))
        let depth = cellLines.map(\.count).max() ?? 0
        let lineHeights = (0..<depth).map { index in cellLines.compactMap { $0.indices.contains(index) ? $0[index].height : nil }.max() ?? 0 }
        if shaded {
            let height = lineHeights.reduce(0, +) + 2 * padding
            keep(height)
            fill(Rect(x: Self.margin, y: y, width: contentWidth, height: height), gray: 0.92)
        }
        if y + padding + (lineHeights.first ?? 0) > bottom {
            newPage()
            onBreak()
        }
        y += padding
        for (index, height) in lineHeights.enumerated() {
            if y + height > bottom {
                newPage()
                onBreak()
            }
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
