/// Why a PDF could not be signed or read for verification, in Spanish for the person who sees it.
public enum PDFSignatureError: Error, CustomStringConvertible, Sendable {
    case malformed(String)
    case unsupported(String)
    case identity(String)

    public var description: String {
        switch self {
        case .malformed(let detail): "El PDF no se puede leer: \(detail)."
        case .unsupported(let detail): "El PDF tiene una estructura que Cocrea no firma: \(detail)."
        case .identity(let detail): "La identidad de firma de la instancia no es válida: \(detail)."
        }
    }
}
