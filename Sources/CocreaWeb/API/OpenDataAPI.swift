import CocreaCore
import CocreaStore
import CocreaUseCases
import Vapor

/// Open data: every public dataset as CSV (UTF-8) and JSON with its data dictionary, each exercise's
/// as a Frictionless Data Package, the instance's DCAT catalogue for data portals, and the same CSV
/// shape imported back to report progress in bulk.
struct OpenDataAPI {
    func register(app: RoutesBuilder, api: RoutesBuilder) {
        app.secured(.GET, "open-data", "catalog.json", policy: .open, use: catalog)
        app.secured(.GET, "open-data", ":exerciseID", ":file", policy: .open, use: dataset)
        api.secured(
            .POST, "exercises", ":exerciseID", "progress", "import", policy: .exercise(.facilitate),
            body: .collect(maxSize: "5mb"), use: importProgress)
    }

    struct DictionaryEntry: Content {
        var dataset: String
        var description: String
        var csv: String
        var csvFormat: String
        var json: String
        var columns: [OpenDataset.Column]
    }

    /// Every exercise whose open data is public, as CKAN's DCAT harvester reads a `data.json`.
    func catalog(req: Request, _: Authorized) async throws -> Response {
        try await req.application.publicCache.respond(to: req) {
            try Self.json(DCATCatalog(try await OpenDataOperations.catalogue(on: req.useCases), baseURL: req.application.options.baseURL))
        }
    }

    /// `{dataset}.csv`, `{dataset}.json`, `diccionario.json` or `datapackage.json`.
    func dataset(req: Request, _: Authorized) async throws -> Response {
        try await req.application.publicCache.respond(to: req) { try await render(req) }
    }

    private func render(_ req: Request) async throws -> Response {
        guard let exerciseID = req.parameters.get("exerciseID", as: UUID.self), let file = req.parameters.get("file") else {
            throw CocreaError.notFound(.dataset)
        }
        try await OpenDataOperations.requirePublic(exerciseID, on: req.useCases)
        let base = "/open-data/\(exerciseID.uuidString.lowercased())"
        if file == "diccionario.json" {
            let entries = OpenDataset.allCases.map {
                DictionaryEntry(
                    dataset: $0.rawValue, description: $0.description, csv: "\(base)/\($0.rawValue).csv", csvFormat: OpenDataset.csvFormat,
                    json: "\(base)/\($0.rawValue).json", columns: $0.columns)
            }
            return try await entries.encodeResponse(for: req)
        }
        if file == "datapackage.json" {
            let exercise = try await OpenDataOperations.description(of: exerciseID, on: req.useCases)
            return try Self.json(DataPackage(exercise, baseURL: req.application.options.baseURL))
        }
        let name = (file as NSString).deletingPathExtension
        let format = (file as NSString).pathExtension
        guard let dataset = OpenDataset(rawValue: name), format == "csv" || format == "json" else {
            throw CocreaError.datasetNotFound(available: OpenDataset.allCases.map(\.rawValue))
        }
        let rows = try await OpenDataOperations.rows(of: dataset, exercise: exerciseID, on: req.useCases)
        if format == "json" { return try await dataset.objects(rows).encodeResponse(for: req) }
        let response = Response(status: .ok, body: .init(string: dataset.csv(rows)))
        response.headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(dataset.rawValue).csv\"")
        return response
    }

    /// Plain JSON with its URLs unescaped, as harvesters and `frictionless` read it.
    private static func json(_ value: some Encodable) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let response = Response(status: .ok, body: .init(data: try encoder.encode(value)))
        response.headers.contentType = .json
        return response
    }

    struct ImportDTO: Content {
        var imported: Int
    }

    /// The body is the CSV itself (`text/csv`), or a multipart form with it in `file`.
    func importProgress(req: Request, authorized: Authorized) async throws -> Response {
        let text: String
        if req.headers.contentType?.type == "multipart" {
            guard let file = (try? req.content.decode(SigningAPI.PaperCopyForm.self))?.file else {
                throw CocreaError.csvMissing
            }
            text = String(decoding: file.data.readableBytesView, as: UTF8.self)
        } else {
            text = req.body.string ?? ""
        }
        let count = try await ProgressOperations.importProgress(csv: text, in: authorized.requireExercise(), on: req.useCases)
        return try await ImportDTO(imported: count).encodeResponse(status: .ok, for: req)
    }
}
