import CocreaConsultation
import CocreaCore
import Foundation
import FuzzInput
import ZIPFoundation

/// An information-request workbook. The first byte picks what the rest is: odd, the file as
/// uploaded (the ZIP reader's own input); even, the shared strings and the first sheet's XML
/// (NUL-separated), zipped here into a well-formed workbook so mutations reach the XML readers.
Fuzzer.run { (input: inout FuzzInput) in
    guard let mode = input.bytes.first else { return }
    let file: Data
    if mode & 1 == 1 {
        file = Data(input.bytes.dropFirst())
    } else {
        let first = input.field()
        let sharedStrings = Data(first.dropFirst())
        let sheet = Data(input.field())
        guard let workbook = zipped(["xl/sharedStrings.xml": sharedStrings, "xl/worksheets/sheet1.xml": sheet]) else { return }
        file = workbook
    }
    do {
        _ = try RequestFile.read(file, filename: "solicitudes.xlsx")
    } catch let error as CocreaError {
        guard error.kind != .failure, error.kind != .unavailable else {
            FuzzInput.violated("a bad workbook is refused as the sender's fault (a 4xx)", "\(error.kind)")
        }
    } catch {
        FuzzInput.violated("only CocreaError is thrown", "\(error)")
    }
}

private func zipped(_ parts: [String: Data]) -> Data? {
    guard let archive = try? Archive(data: Data(), accessMode: .create) else { return nil }
    for (path, contents) in parts.sorted(by: { $0.key < $1.key }) {
        do {
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(contents.count), compressionMethod: .deflate) { position, size in
                contents.subdata(in: Int(position)..<Int(position) + size)
            }
        } catch {
            return nil
        }
    }
    return archive.data
}
