import CocreaCore
import Foundation
import ZIPFoundation

/// The dossier's files in one ZIP, with an index (`expediente.txt`) of every item, text included,
/// in the words of `language` (the file names stay as the dossier knows them).
public enum DossierArchive {
    public static func zip(_ dossier: DossierDocument, language: Language = .es) throws -> Data {
        let words = language.words
        let archive = try Archive(data: Data(), accessMode: .create)
        var used = Set<String>()
        var index = words["zipDossierHeading", ["exercise": dossier.exerciseName, "territory": dossier.territory]] + "\n"
        index += words["pdfDossierGenerated", ["version": dossier.versionLabel.sentenceCased, "generatedAt": dossier.generatedAt]] + "\n\n\n"
        for (number, item) in dossier.items.enumerated() {
            index += "\(number + 1). \(item.kind): \(item.title)\n"
            index += "   " + words["zipDossierContributed", ["contributedBy": item.contributedBy, "createdAt": item.createdAt]] + "\n"
            if !item.source.isEmpty { index += "   " + words["pdfDossierItemSource", ["source": item.source]] + "\n" }
            if !item.body.isEmpty {
                index += "\n" + item.body.split(separator: "\n", omittingEmptySubsequences: false).map { "   \($0)" }.joined(separator: "\n") + "\n"
            }
            if let file = item.file {
                let name = unique("archivos/\(String(format: "%02d", number + 1))-\(file.name)", in: &used)
                try add(file.data, as: name, to: archive)
                index += "   " + words["zipDossierFile", ["name": name, "sha": file.sha256]] + "\n"
            }
            index += "\n"
        }
        try add(Data(index.utf8), as: "expediente.txt", to: archive)
        guard let data = archive.data else { throw CocoaError(.fileWriteUnknown) }
        return data
    }

    private static func add(_ data: Data, as path: String, to archive: Archive) throws {
        try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
            data.subdata(in: Int(position)..<Int(position) + size)
        }
    }

    private static func unique(_ name: String, in used: inout Set<String>) -> String {
        var candidate = name
        var counter = 2
        while used.contains(candidate) {
            candidate = "\(name)-\(counter)"
            counter += 1
        }
        used.insert(candidate)
        return candidate
    }
}
