import CocreaCore
import Foundation

/// An OCDS 1.1 release package, read and validated: what it says of itself and its releases.
///
/// Only release packages are accepted. A single release or a bare list of releases has no `uri`,
/// `publisher` or `publishedDate`, so nobody could tell who published the data or where; a record
/// package holds compiled records, which Cocrea compiles itself from the releases. Both are refused
/// with a message saying what to send instead.
public struct ReleasePackage: Sendable, Equatable {
    public var uri: String
    public var publishedDate: Date
    public var publisherName: String
    public var version: String
    public var releases: [Release]

    /// The largest package file accepted (the same as any other upload).
    public static let maximumBytes = UploadPolicy.maximumBytes
    public static let maximumReleases = 50_000

    /// Reads a package file. Refuses a file that is too large (413 `file_too_large`), is not JSON
    /// (415 `ocds_not_json`), holds too many releases (413 `ocds_too_many_releases`) or is not a
    /// release package (422 `ocds_not_release_package`); lists every problem of an invalid package
    /// by JSON path (422 `ocds_invalid`).
    public static func read(_ data: Data, name: String) throws(CocreaError) -> ReleasePackage {
        guard data.count <= maximumBytes else {
            throw CocreaError(status: 413, code: "file_too_large",
                              message: "«\(name)» pesa \(data.count / 1_048_576) MB; un paquete OCDS puede pesar hasta \(maximumBytes / 1_048_576) MB. Divide las entregas en varios paquetes.")
        }
        let json = try parse(data, name: name)
        guard case .object = json else {
            if case .array = json {
                throw notAPackage("«\(name)» es una lista de entregas suelta. Envía un paquete de entregas (release package): un objeto con uri, publishedDate, publisher, version y la lista en releases.")
            }
            throw notAPackage("«\(name)» no es un paquete de entregas OCDS: debe ser un objeto JSON con uri, publishedDate, publisher, version y releases.")
        }
        if json["releases"] == nil {
            if json["records"] != nil {
                throw notAPackage("«\(name)» es un paquete de registros (record package). Envía el paquete de entregas (release package) del que salió: Cocrea compila los procesos a partir de las entregas.")
            }
            if json["ocid"] != nil {
                throw notAPackage("«\(name)» es una entrega suelta. Envíala dentro de un paquete de entregas (release package) con uri, publishedDate, publisher y version.")
            }
        }
        if let count = json["releases"]?.array?.count, count > maximumReleases {
            throw CocreaError(status: 413, code: "ocds_too_many_releases",
                              message: "«\(name)» trae \(count) entregas; un paquete puede traer hasta \(maximumReleases). Divídelo en varios paquetes.")
        }
        let problems = PackageValidator.problems(in: json)
        guard problems.isEmpty else {
            let count = problems.count
            throw CocreaError(status: 422, code: "ocds_invalid",
                              message: "«\(name)» no es un paquete OCDS 1.1 válido: \(count == 1 ? "tiene un problema" : "tiene \(count) problemas"), cada uno con su ruta en el JSON. No se guardó nada.",
                              fieldErrors: problems)
        }
        return ReleasePackage(uri: json["uri"]!.text!, publishedDate: OCDSDate.parse(json["publishedDate"]!.text!)!,
                              publisherName: json["publisher"]!["name"]!.text!, version: "1.1",
                              releases: json["releases"]!.array!.compactMap(Release.init))
    }

    private static func parse(_ data: Data, name: String) throws(CocreaError) -> JSONValue {
        let notJSON = CocreaError(status: 415, code: "ocds_not_json",
                                  message: "«\(name)» no es un archivo JSON. Un paquete OCDS es un documento JSON en UTF-8 (.json).")
        // A JSON text starts with an object or a list here; anything else (a PDF, a spreadsheet, HTML) is refused at once.
        let body = data.starts(with: [0xEF, 0xBB, 0xBF]) ? data.dropFirst(3) : data[...]
        guard let first = body.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }), first == UInt8(ascii: "{") || first == UInt8(ascii: "[") else {
            throw notJSON
        }
        do {
            return try JSONDecoder().decode(JSONValue.self, from: Data(body))
        } catch {
            throw notJSON
        }
    }

    private static func notAPackage(_ message: String) -> CocreaError {
        CocreaError(status: 422, code: "ocds_not_release_package", message: message)
    }
}
