import Foundation

/// What the open data says about one public exercise, to describe it to data portals.
public struct OpenDataExercise: Sendable {
    public var id: UUID
    public var name: String
    public var territory: String
    /// The convener's organisations (the guarantor sector), as the public page names them.
    public var publishers: [String]
    /// When its open data became public (the exercise was published), and when it last changed.
    public var issued: Date
    public var modified: Date

    public init(id: UUID, name: String, territory: String, publishers: [String], issued: Date, modified: Date) {
        self.id = id
        self.name = name
        self.territory = territory
        self.publishers = publishers
        self.issued = issued
        self.modified = modified
    }

    var slug: String { id.uuidString.lowercased() }
    var title: String { "Datos abiertos del Plan de Acción Local: \(name)" }
    var summary: String {
        "Compromisos, actividades, avances y su verificación, informes de avance, conformidad, firmas, hoja de ruta, mesas de diálogo y propuestas ciudadanas con su respuesta "
            + "razonada del ejercicio de gobierno abierto "
            + "«\(name)» (\(territory)). Cada archivo trae su diccionario de datos."
    }
    var publisher: String { publishers.isEmpty ? name : publishers.joined(separator: ", ") }
    static let keywords = ["gobierno abierto", "plan de acción local", "compromisos", "participación ciudadana", "cocreación"]

    func url(_ baseURL: String, _ file: String) -> String { "\(baseURL)/open-data/\(slug)/\(file)" }
}

/// The licence the open data is published under: none was stated before, and CC BY 4.0 asks only
/// for attribution, as open-government data should.
public enum OpenDataLicense {
    public static let id = "CC-BY-4.0"
    public static let url = "https://creativecommons.org/licenses/by/4.0/"
    public static let title = "Creative Commons Atribución 4.0 Internacional"
}

/// An exercise's open data as a Frictionless Tabular Data Package: each CSV with its Table Schema,
/// read from the data dictionary, so `frictionless validate` checks the files against it.
public struct DataPackage: Codable, Sendable {
    public struct License: Codable, Sendable {
        public var name = OpenDataLicense.id
        public var path = OpenDataLicense.url
        public var title = OpenDataLicense.title
    }

    public struct Constraints: Codable, Sendable {
        public var `enum`: [String]
    }

    public struct Field: Codable, Sendable {
        public var name: String
        public var type: String
        public var format: String?
        public var title: String
        public var description: String
        public var constraints: Constraints?
    }

    public struct ForeignKey: Codable, Sendable {
        public struct Reference: Codable, Sendable {
            public var resource: String
            public var fields: [String]
        }

        public var fields: [String]
        public var reference: Reference
    }

    public struct Schema: Codable, Sendable {
        public var fields: [Field]
        public var primaryKey: [String]?
        public var foreignKeys: [ForeignKey]?
        /// An empty cell is a value the row does not have (a commitment without an end date, a table not yet closed).
        public var missingValues = [""]
    }

    public struct Resource: Codable, Sendable {
        public var name: String
        public var path: String
        public var profile = "tabular-data-resource"
        public var title: String
        public var description: String
        public var format = "csv"
        public var mediatype = "text/csv"
        public var encoding = "utf-8"
        public var schema: Schema
    }

    public var profile = "tabular-data-package"
    public var name: String
    public var id: String
    public var title: String
    public var description: String
    public var homepage: String
    public var language = "es-MX"
    public var keywords: [String]
    public var licenses = [License()]
    public var created: String
    public var modified: String
    public var resources: [Resource]

    public init(_ exercise: OpenDataExercise, baseURL: String) {
        name = "cocrea-\(exercise.slug)"
        id = exercise.url(baseURL, "datapackage.json")
        title = exercise.title
        description = exercise.summary
        homepage = "\(baseURL)/public/exercises/\(exercise.slug)"
        keywords = OpenDataExercise.keywords
        created = Self.instant(exercise.issued)
        modified = Self.instant(exercise.modified)
        resources = OpenDataset.allCases.map { dataset in
            Resource(
                name: dataset.rawValue, path: exercise.url(baseURL, "\(dataset.rawValue).csv"), title: dataset.rawValue,
                description: dataset.description,
                schema: Schema(
                    fields: dataset.columns.map { column in
                        Field(
                            name: column.name, type: column.fieldType, format: column.type == "uuid" ? "uuid" : nil, title: column.description,
                            description: "\(column.description). Tipo: \(column.type).", constraints: column.allowedValues.map(Constraints.init))
                    },
                    primaryKey: dataset.primaryKey,
                    foreignKeys: dataset.references.isEmpty
                        ? nil
                        : dataset.references.map {
                            ForeignKey(fields: [$0.column], reference: .init(resource: $0.dataset.rawValue, fields: [$0.key]))
                        }))
        }
    }

    static func instant(_ date: Date) -> String { date.formatted(.iso8601) }
}

/// The instance's catalogue of public exercises in the DCAT-US 1.1 JSON (`data.json`) that CKAN's
/// DCAT harvester (ckanext-dcat, which datos.gob.mx runs) reads: one dataset per exercise, each file a
/// distribution. No contact email: nothing personal is published.
public struct DCATCatalog: Encodable, Sendable {
    public struct Publisher: Encodable, Sendable {
        public var type = "org:Organization"
        public var name: String

        enum CodingKeys: String, CodingKey {
            case type = "@type"
            case name
        }
    }

    public struct Distribution: Encodable, Sendable {
        public var type = "dcat:Distribution"
        public var title: String
        public var description: String
        public var downloadURL: String
        public var mediaType: String
        public var format: String
        public var describedBy: String?
        public var describedByType: String?

        enum CodingKeys: String, CodingKey {
            case type = "@type"
            case title, description, downloadURL, mediaType, format, describedBy, describedByType
        }
    }

    public struct Dataset: Encodable, Sendable {
        public var type = "dcat:Dataset"
        public var title: String
        public var description: String
        public var identifier: String
        public var issued: String
        public var modified: String
        public var publisher: Publisher
        public var keyword: [String]
        public var landingPage: String
        public var accessLevel = "public"
        public var license = OpenDataLicense.url
        public var language = ["es-MX"]
        public var spatial: String
        public var distribution: [Distribution]

        enum CodingKeys: String, CodingKey {
            case type = "@type"
            case title, description, identifier, issued, modified, publisher, keyword, landingPage, accessLevel, license, language, spatial,
                distribution
        }
    }

    public var context = "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld"
    public var id: String
    public var type = "dcat:Catalog"
    public var conformsTo = "https://project-open-data.cio.gov/v1.1/schema"
    public var describedBy = "https://project-open-data.cio.gov/v1.1/schema/catalog.json"
    public var dataset: [Dataset]

    enum CodingKeys: String, CodingKey {
        case context = "@context"
        case id = "@id"
        case type = "@type"
        case conformsTo, describedBy, dataset
    }

    public init(_ exercises: [OpenDataExercise], baseURL: String) {
        id = "\(baseURL)/open-data/catalog.json"
        dataset = exercises.map { exercise in
            let dictionary = exercise.url(baseURL, "diccionario.json")
            return Dataset(
                title: exercise.title, description: exercise.summary, identifier: exercise.url(baseURL, "datapackage.json"),
                issued: DataPackage.instant(exercise.issued), modified: DataPackage.instant(exercise.modified),
                publisher: Publisher(name: exercise.publisher), keyword: OpenDataExercise.keywords,
                landingPage: "\(baseURL)/public/exercises/\(exercise.slug)", spatial: exercise.territory,
                distribution: [
                    Distribution(
                        title: "Paquete de datos (Frictionless Data Package)", description: "Los archivos CSV con su esquema de tabla.",
                        downloadURL: exercise.url(baseURL, "datapackage.json"), mediaType: "application/json", format: "JSON")
                ]
                    + OpenDataset.allCases.map { dataset in
                        Distribution(
                            title: "\(dataset.rawValue).csv", description: dataset.description,
                            downloadURL: exercise.url(baseURL, "\(dataset.rawValue).csv"), mediaType: "text/csv", format: "CSV",
                            describedBy: dictionary, describedByType: "application/json")
                    })
        }
    }
}
