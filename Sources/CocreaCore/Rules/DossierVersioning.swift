import Foundation

/// The dossier is sent by versions: the same content goes again under the version it was sent as
/// (to those who lack it); any item added, removed or changed is a new version, which everyone
/// receives again and which restarts rule D10.
public enum DossierVersioning {
    /// One dossier item as its version sees it: a change to any of these is a change of content.
    public struct Item: Sendable {
        public var id: UUID
        public var kind: DossierItemKind
        public var title: String
        public var body: String
        public var source: String
        /// The SHA-256 of its attached file, if any.
        public var fileSHA256: String?

        public init(id: UUID, kind: DossierItemKind, title: String, body: String, source: String, fileSHA256: String?) {
            self.id = id
            self.kind = kind
            self.title = title
            self.body = body
            self.source = source
            self.fileSHA256 = fileSHA256
        }
    }

    /// The text whose SHA-256 identifies the content: items in a fixed order, fields and items
    /// separated by characters no field can hold.
    public static func canonicalContent(_ items: [Item]) -> String {
        items.sorted { $0.id.uuidString < $1.id.uuidString }.map { item in
            [item.id.uuidString, item.kind.rawValue, item.title, item.body, item.source, item.fileSHA256 ?? ""]
                .joined(separator: "\u{1F}")
        }.joined(separator: "\u{1E}")
    }

    /// The latest sending of the dossier: its version and the hash of the content it carried.
    public struct Sent: Sendable, Equatable {
        public var version: Int
        public var contentSHA256: String

        public init(version: Int, contentSHA256: String) {
            self.version = version
            self.contentSHA256 = contentSHA256
        }
    }

    public enum Sending: Sendable, Equatable {
        /// The content changed (or was never sent): a new version with this number, for everyone.
        case newVersion(Int)
        /// The content is the one already sent: the same version, to whoever lacks it.
        case sameVersion(Int)
    }

    public static func sending(latest: Sent?, contentSHA256: String) -> Sending {
        guard let latest else { return .newVersion(1) }
        return latest.contentSHA256 == contentSHA256 ? .sameVersion(latest.version) : .newVersion(latest.version + 1)
    }

    /// The version in force: the latest sent, unless the content changed since (then none is).
    public static func currentVersion(latest: Sent?, contentSHA256: String) -> Int? {
        guard let latest, latest.contentSHA256 == contentSHA256 else { return nil }
        return latest.version
    }
}
