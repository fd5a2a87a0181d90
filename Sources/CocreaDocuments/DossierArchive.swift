import Foundation
import ZIPFoundation

/// The dossier's files in one ZIP, with an index (`expediente.txt`) of every item, text included.
public enum DossierArchive {
    public static func zip(_ dossier: DossierDocument) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        var used = Set<String>()
        var index = """
            Expediente previo — \(dossier.exerciseName) (\(dossier.territory))
            \(dossier.versionLabel.sentenceCased) · generado el \(dossier.generatedAt)


            """
        for (number, item) in dossier.items.enumerated() {
            index += "\(number + 1). \(item.kind): \(item.title)\n"
            index += "   Aportado por \(item.contributedBy), \(item.createdAt)\n"
            if !item.source.isEmpty { index += "   Fuente: \(item.source)\n" }
            if !item.body.isEmpty {
                index += "\n" + item.body.split(separator: "\n", omittingEmptySubsequences: false).map { "   \($0)" }.joined(separator: "\n") + "\n"
            }
            if let file = item.file {
                let name = unique("archivos/\(String(format: "%02d", number + 1))-\(file.name)", in: &used)
                try add(file.data, as: name, to: archive)
                index += "   Archivo: \(name) (SHA-256 \(file.sha256))\n"
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
