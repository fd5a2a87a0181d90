import CocreaUseCases
import Vapor

/// A dossier item sent as multipart/form-data, from the page's form or the API, with its upload in `file`.
struct DossierItemForm: Content {
    var kind: String?
    var title: String?
    var body: String?
    var source: String?
    /// The page's «solo STL» checkbox sends `stlOnly`.
    var visibility: String?
    var file: File?

    var input: DossierItemInput {
        DossierItemInput(kind: kind, title: title, body: body, source: source, visibility: visibility)
    }

    var upload: ExerciseOperations.Upload? { file?.upload }
}

extension File {
    /// The upload, unless the file field was left empty (browsers send an empty part for it).
    var upload: ExerciseOperations.Upload? {
        guard data.readableBytes > 0 || !filename.isEmpty else { return nil }
        return ExerciseOperations.Upload(filename: filename, bytes: Array(data.readableBytesView))
    }
}

/// A progress report as a form (page or multipart API call): every field is text, the evidence a file.
struct ProgressForm: Content {
    var status, progress, note, evidenceUrl: String?
    var file: File?

    static func decode(_ req: Request) throws -> (ProgressInput, ExerciseOperations.Upload?) {
        guard req.headers.contentType?.type == "multipart" || req.headers.contentType == .urlEncodedForm else {
            return (try req.content.decode(ProgressInput.self), nil)
        }
        let form = try req.content.decode(ProgressForm.self)
        let input = ProgressInput(
            status: form.status, progress: form.progress.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) },
            note: form.note, evidenceUrl: form.evidenceUrl?.isEmpty == true ? nil : form.evidenceUrl)
        return (input, form.file?.upload)
    }
}
