import Foundation

/// The dossier as it is sent: what the PDF and the ZIP are made from.
public struct DossierDocument: Sendable {
    public struct Item: Sendable {
        public var kind: String
        public var title: String
        public var body: String
        public var source: String
        public var contributedBy: String
        public var createdAt: String
        public var file: File?

        public init(kind: String, title: String, body: String, source: String, contributedBy: String, createdAt: String, file: File?) {
            self.kind = kind
            self.title = title
            self.body = body
            self.source = source
            self.contributedBy = contributedBy
            self.createdAt = createdAt
            self.file = file
        }
    }

    public struct File: Sendable {
        public var name: String
        public var sha256: String
        public var data: Data

        public init(name: String, sha256: String, data: Data) {
            self.name = name
            self.sha256 = sha256
            self.data = data
        }
    }

    public var exerciseName: String
    public var territory: String
    /// "versión 2", or "borrador" when the current content was not sent yet.
    public var versionLabel: String
    public var generatedAt: String
    public var items: [Item]

    public init(exerciseName: String, territory: String, versionLabel: String, generatedAt: String, items: [Item]) {
        self.exerciseName = exerciseName
        self.territory = territory
        self.versionLabel = versionLabel
        self.generatedAt = generatedAt
        self.items = items
    }
}

extension String {
    /// "borrador sin enviar" → "Borrador sin enviar" (unlike `capitalized`, which capitalises every word).
    var sentenceCased: String {
        guard let first else { return self }
        return first.uppercased() + dropFirst()
    }
}
