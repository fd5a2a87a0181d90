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
            throw CocreaError.ocdsFileTooLarge(name, bytes: data.count, maximumBytes: maximumBytes)
        }
        let json = try parse(data, name: name)
        guard case .object = json else {
            if case .array = json {
                throw CocreaError.ocdsLooseReleases(name)
            }
            throw CocreaError.ocdsNotAnObject(name)
        }
        if json["releases"] == nil {
            if json["records"] != nil {
                throw CocreaError.ocdsRecordPackage(name)
            }
            if json["ocid"] != nil {
                throw CocreaError.ocdsLooseRelease(name)
            }
        }
        if let count = json["releases"]?.array?.count, count > maximumReleases {
            throw CocreaError.ocdsTooManyReleases(name, count: count, maximum: maximumReleases)
        }
        let problems = PackageValidator.problems(in: json)
        guard problems.isEmpty else {
            let count = problems.count
            throw CocreaError.ocdsInvalid(name, problems: problems)
        }
        return ReleasePackage(
            uri: json["uri"]!.text!, publishedDate: OCDSDate.parse(json["publishedDate"]!.text!)!,
            publisherName: json["publisher"]!["name"]!.text!, version: "1.1",
            releases: json["releases"]!.array!.compactMap(Release.init))
    }

    private static func parse(_ data: Data, name: String) throws(CocreaError) -> JSONValue {
        let notJSON = CocreaError.ocdsNotJSON(name)
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
}
