import Foundation
import SwiftCSV

/// The public datasets of an exercise: their columns and what each means (the data dictionary),
/// and the CSV they are written as (UTF-8, RFC 4180 quoting, a header row).
public enum OpenDataset: String, Sendable, CaseIterable {
    case commitments, activities, progressHistory = "progress-history", conformity, signatures, roadmap, roundtables, proposals
    case progressVerifications = "progress-verifications"
    case progressReports = "progress-reports"
    case cocreationFigures = "cocreation-figures"

    public struct Column: Sendable, Codable {
        public var name: String
        public var type: String
        public var description: String

        /// A number Cocrea computes, written as a number; every other column is text.
        public var isNumber: Bool { type.hasPrefix("entero") }

        /// The column's Table Schema type, as its CSV cells are written (an empty cell is a missing value).
        public var fieldType: String {
            if isNumber { return "integer" }
            if type.hasPrefix("fecha") { return "date" }
            if type.hasPrefix("decimal") { return "number" }
            if type.hasPrefix("instante") { return "datetime" }
            if type.hasPrefix("booleano") { return "boolean" }
            return "string"
        }

        /// The values an enumerated column takes, as its dictionary type lists them (`a | b | c`).
        public var allowedValues: [String]? {
            fieldType == "string" && type.contains(" | ") ? type.components(separatedBy: " | ") : nil
        }
    }

    /// What the data dictionary says about every CSV (the JSON carries each value as stored).
    public static let csvFormat =
        "UTF-8, separado por comas (RFC 4180), con una fila de encabezados. Una celda de texto que empieza con "
        + "=, +, -, @, tabulador o retorno de carro lleva un apóstrofo (') al inicio, para que ninguna hoja de cálculo la ejecute "
        + "como fórmula; la versión JSON trae el valor sin él, y al importar activities.csv el apóstrofo se quita. "
        + "Las columnas numéricas (entero) van como números."

    public var description: String {
        switch self {
        case .commitments: "Compromisos del Plan de Acción Local, con su avance y su cumplimiento en la escala del MRI."
        case .activities: "Actividades de cada compromiso. La misma forma sirve para importar avances (activityId, status, progress, note, evidenceUrl)."
        case .progressHistory: "Cada reporte de avance de una actividad, en orden."
        case .progressVerifications:
            "Cada paso de la verificación de los reportes de avance por la sociedad civil del STL: verificación, observación con su motivo "
                + "y respuesta de quien reportó, en orden. Con nombre, sector y organización de quien lo dio; nunca su correo."
        case .progressReports:
            "Cada informe de avance emitido en los cortes de la hoja de ruta, con una fila por compromiso: su cumplimiento en la escala "
                + "del MRI congelado al emitirlo y, en el informe final, la valoración del STL «¿abrió el gobierno?» con su motivo."
        case .conformity: "Cada manifestación de conformidad con la versión firmada, cambios incluidos."
        case .signatures: "Quién firmó el plan, cuándo y cómo (sin direcciones IP ni navegadores, que no se publican)."
        case .roadmap: "Hoja de ruta del ejercicio: cada evento anunciado por adelantado, con sus fechas y lugar vigentes."
        case .roundtables: "Mesas de diálogo: fecha, lugar y etapa; al cerrar, la asistencia contada por sector (sin nombres)."
        case .proposals:
            "Propuestas ciudadanas recibidas en la consulta, con su respuesta razonada (resultado y motivo). El texto de una propuesta "
                + "oculta o aún sin moderar no se publica, ni el correo de quien propone."
        case .cocreationFigures:
            "Las cifras de la memoria de cocreación: lo que la consulta recibió, las respuestas por resultado, la asistencia "
                + "por sector en cada mesa y la conformidad por sector en cada versión del plan (conteos, nunca nombres ni correos)."
        }
    }

    public var columns: [Column] {
        func c(_ name: String, _ type: String, _ description: String) -> Column { Column(name: name, type: type, description: description) }
        switch self {
        case .commitments:
            return [
                c("commitmentId", "uuid", "Identificador del compromiso"), c("title", "texto", "Título"),
                c("category", "procurement | nationalPlan | local", "Categoría (contrataciones, plan nacional, local)"),
                c("objective", "texto", "Objetivo"), c("indicator", "texto", "Indicador"), c("baseline", "texto", "Línea base"),
                c("target", "texto", "Meta"), c("meansOfVerification", "texto", "Medio de verificación"),
                c("startsOn", "fecha AAAA-MM-DD", "Inicio"), c("endsOn", "fecha AAAA-MM-DD", "Término"),
                c("leadInstitution", "texto", "Institución responsable"), c("progress", "entero 0–100", "Avance (promedio de sus actividades)"),
                c("completion", "noEvidence | notStarted | limited | substantial | complete", "Cumplimiento en la escala del MRI"),
                c(
                    "ogpValues", OGPValue.allCases.map(\.rawValue).joined(separator: " | ") + ", separados por espacios",
                    "Valores de gobierno abierto que atiende (el porqué de cada uno está en la versión JSON)"),
                c("sdgTargets", "claves de metas de la Agenda 2030 separadas por espacios", "Metas de los ODS a las que contribuye (p. ej. 16.10)"),
                c("genderPerspective", "texto", "Perspectiva de género: cómo se atiende, o por qué no aplica"),
                c("coResponsible", "texto, separadas por «; »", "Organizaciones corresponsables"),
                c("assumptions", "texto", "Supuestos y riesgos"),
                c("budgetAmount", "decimal (pesos MXN, con centavos)", "Presupuesto"), c("budgetSource", "texto", "Fuente del presupuesto"),
            ]
        case .activities:
            return [
                c("activityId", "uuid", "Identificador de la actividad"), c("commitmentId", "uuid", "Compromiso al que pertenece"),
                c("title", "texto", "Actividad"), c("responsible", "texto", "Persona responsable"),
                c("responsibleInstitution", "texto", "Institución responsable"), c("dueOn", "fecha AAAA-MM-DD", "Fecha de cumplimiento"),
                c("status", "notStarted | inProgress | completed", "Estado"), c("progress", "entero 0–100", "Avance"),
                c("note", "texto", "Nota del último reporte (al importar: nota del nuevo reporte)"),
                c("evidenceUrl", "URL", "Evidencia del último reporte (al importar: enlace a la evidencia)"),
                c("startsOn", "fecha AAAA-MM-DD", "Fecha de inicio"), c("deliverable", "texto", "Producto entregable"),
                c("meansOfVerification", "texto", "Medio de verificación del producto"),
            ]
        case .progressHistory:
            return [
                c("activityId", "uuid", "Actividad"), c("reportedAt", "instante RFC 3339 (UTC)", "Cuándo se reportó"),
                c("reportedBy", "texto", "Quién reportó"), c("status", "notStarted | inProgress | completed", "Estado reportado"),
                c("progress", "entero 0–100", "Avance reportado"), c("note", "texto", "Nota"), c("evidenceUrl", "URL", "Enlace a la evidencia"),
                c("evidenceFileUrl", "URL", "Archivo de evidencia subido con el reporte (descarga pública)"),
                c("evidenceFileSha256", "hex", "SHA-256 del archivo de evidencia"),
            ]
        case .progressVerifications:
            return [
                c("activityId", "uuid", "Actividad"),
                c("reportedAt", "instante RFC 3339 (UTC)", "Cuándo se reportó el avance que se verifica (su fila en progress-history)"),
                c("progress", "entero 0–100", "Avance reportado"),
                c("step", VerificationStep.allCases.map(\.rawValue).joined(separator: " | "), "Paso (verificó, observó, respondió)"),
                c("text", "texto", "Motivo de la observación, comentario de la verificación o respuesta"), c("name", "texto", "Quién dio el paso"),
                c("sector", "guarantor | institution | civilSociety", "Su sector"), c("organization", "texto", "Su organización"),
                c("at", "instante RFC 3339 (UTC)", "Cuándo"),
                c("state", VerificationState.allCases.map(\.rawValue).joined(separator: " | "), "Cómo quedó el reporte tras este paso"),
            ]
        case .progressReports:
            return [
                c("progressReportId", "uuid", "Identificador del informe"), c("number", "entero", "Número del informe, en el orden en que se emitió"),
                c("kind", ProgressReportKind.allCases.map(\.rawValue).joined(separator: " | "), "Tipo (de avance intermedio o final)"),
                c("issuedAt", "instante RFC 3339 (UTC)", "Cuándo se emitió"),
                c("reportSha256", "hex", "SHA-256 del contenido del informe (su JSON canónico), el que cubre su sello"),
                c("pdfUrl", "URL", "El PDF sellado del informe (descarga pública)"), c("commitmentId", "uuid", "Compromiso"),
                c("commitment", "texto", "Título del compromiso"), c("progress", "entero 0–100", "Avance del compromiso al emitir el informe"),
                c("completion", Completion.allCases.map(\.rawValue).joined(separator: " | "), "Cumplimiento en la escala del MRI al emitir el informe"),
                c(
                    "openedGovernment", OpenedGovernment.allCases.map(\.rawValue).joined(separator: " | "),
                    "«¿Abrió el gobierno?» según el STL (empeoró, no cambió, marginal, significativo, sobresaliente; solo en el informe final)"),
                c("openedGovernmentReason", "texto", "Motivo de esa valoración (solo en el informe final)"),
            ]
        case .conformity:
            return [
                c("memberName", "texto", "Integrante"), c("sector", "guarantor | institution | civilSociety", "Sector"),
                c("stance", "agree | agreeWithReservations | disagree", "Postura"), c("reason", "texto", "Motivo"),
                c("statedAt", "instante RFC 3339 (UTC)", "Cuándo"),
            ]
        case .signatures:
            return [
                c("name", "texto", "Integrante"), c("sector", "guarantor | institution | civilSociety", "Sector"),
                c("organization", "texto", "Organización"), c("signedAt", "instante RFC 3339 (UTC)", "Cuándo firmó"),
                c("method", "electronic | paper", "Firma electrónica con código o copia firmada a mano"),
            ]
        case .roadmap:
            return [
                c("eventId", "uuid", "Identificador del evento (el mismo aunque cambie de fecha)"),
                c(
                    "kind", RoadmapEventKind.allCases.map(\.rawValue).joined(separator: " | "),
                    "Tipo (arranque, consulta, mesa, firma, corte de avance)"),
                c("title", "texto", "Evento"), c("startsOn", "fecha AAAA-MM-DD", "Inicio"), c("endsOn", "fecha AAAA-MM-DD", "Término"),
                c("place", "texto", "Lugar"), c("firstAnnouncedAt", "instante RFC 3339 (UTC)", "Cuándo se anunció por primera vez"),
                c("announcedAt", "instante RFC 3339 (UTC)", "Cuándo se anunciaron sus fechas y lugar vigentes"),
                c("changes", "entero", "Veces que cambió de fecha, lugar o título desde su primer anuncio"),
            ]
        case .roundtables:
            return [
                c("roundtableId", "uuid", "Identificador de la mesa"), c("startsAt", "instante RFC 3339 (UTC)", "Inicio"),
                c("place", "texto", "Lugar"),
                c("stage", RoundtableStage.allCases.map(\.rawValue).joined(separator: " | "), "Etapa"),
                c("cancelled", "booleano (true o false)", "Cancelada"),
            ]
                + Presence.allCases.flatMap { presence in
                    Sector.allCases.map { sector in
                        c(
                            Self.attendanceColumn(presence, sector), "entero",
                            "Integrantes con asistencia «\(presence.label(.es))» del sector «\(sector.label(.es))» (al cerrar la mesa; vacía antes)")
                    }
                }
        case .proposals:
            return [
                c("proposalId", "uuid", "Identificador de la propuesta"), c("number", "entero", "Número, en el orden en que se recibió"),
                c("receivedAt", "instante RFC 3339 (UTC)", "Cuándo se recibió"),
                c("status", ProposalStatus.allCases.map(\.rawValue).joined(separator: " | "), "Estado (recibida, publicada, oculta)"),
                c("theme", "texto", "Tema (solo si está publicada)"), c("problem", "texto", "Problema (solo si está publicada)"),
                c("solution", "texto", "Solución propuesta (solo si está publicada)"),
                c("moderationReason", "texto", "Motivo público de la moderación (por qué se ocultó, por ejemplo)"),
                c("outcome", ProposalOutcome.allCases.map(\.rawValue).joined(separator: " | "), "Resultado de la respuesta razonada"),
                c("reason", "texto", "Motivo de la respuesta"),
                c("commitmentIds", "uuid separados por espacios", "Compromisos en que se convirtió"),
                c("mergedInto", "uuid", "Propuesta con la que se fusionó"), c("respondedAt", "instante RFC 3339 (UTC)", "Cuándo se respondió"),
            ]
        case .cocreationFigures:
            return [
                c(
                    "figure", CoCreationFigure.allCases.map(\.rawValue).joined(separator: " | "),
                    "Qué se cuenta (respuestas a encuestas, solicitudes de información, documentos públicos, propuestas por estado, "
                        + "respuestas por resultado, asistencia, conformidad, firmas, cambios a la hoja de ruta)"),
                c(
                    "category", "texto",
                    "El estado de las propuestas, el resultado de las respuestas (pending: publicada y aún sin respuesta), la asistencia "
                        + "o la postura contados (vacía si la cifra no se desglosa)"),
                c("sector", Sector.allCases.map(\.rawValue).joined(separator: " | "), "Sector (vacía si la cifra no es por sector)"),
                c("roundtableId", "uuid", "Mesa de diálogo (solo para la asistencia)"),
                c("planVersion", "entero", "Versión del plan (solo para la conformidad)"),
                c("value", "entero", "Cantidad"),
            ]
        }
    }

    /// The roundtables' attendance column of one presence and sector: `presentCivilSociety`.
    public static func attendanceColumn(_ presence: Presence, _ sector: Sector) -> String {
        presence.rawValue + sector.rawValue.prefix(1).uppercased() + sector.rawValue.dropFirst()
    }

    /// The columns that identify a row, when there are such (Table Schema `primaryKey`).
    public var primaryKey: [String]? {
        switch self {
        case .commitments: ["commitmentId"]
        case .activities: ["activityId"]
        case .roadmap: ["eventId"]
        case .roundtables: ["roundtableId"]
        case .proposals: ["proposalId"]
        case .progressReports: ["progressReportId", "commitmentId"]
        case .progressHistory, .progressVerifications, .conformity, .signatures, .cocreationFigures: nil
        }
    }

    /// A column that points to another dataset's key (Table Schema `foreignKeys`).
    public struct Reference: Sendable, Equatable {
        public var column: String
        public var dataset: OpenDataset
        public var key: String
    }

    public var references: [Reference] {
        switch self {
        case .activities: [Reference(column: "commitmentId", dataset: .commitments, key: "commitmentId")]
        case .progressHistory, .progressVerifications: [Reference(column: "activityId", dataset: .activities, key: "activityId")]
        // A report's commitments are those of the version it followed, which a later version may have changed.
        case .commitments, .progressReports, .conformity, .signatures, .roadmap, .roundtables, .proposals, .cocreationFigures: []
        }
    }

    /// Rows (one value per column, in order) as CSV text.
    public func csv(_ rows: [[String]]) -> String {
        CSVText.write(header: columns.map(\.name), rows: rows, numeric: Set(columns.indices.filter { columns[$0].isNumber }))
    }

    /// Rows as JSON objects keyed by column name.
    public func objects(_ rows: [[String]]) -> [[String: String]] {
        rows.map { Dictionary(uniqueKeysWithValues: zip(columns.map(\.name), $0)) }
    }
}

/// What a row of the co-creation figures counts.
public enum CoCreationFigure: String, Sendable, CaseIterable {
    case surveyAnswers, informationRequests, publicDocuments, proposals, responses, attendance, conformity, signatures, roadmapChanges
}

/// One row of a progress import: what the `activities` CSV says to report.
public struct ProgressImportRow: Sendable, Equatable {
    public var line: Int
    public var activityID: UUID
    public var status: ActivityStatus
    public var progress: Int
    public var note: String
    public var evidenceURL: String?

    public init(line: Int, activityID: UUID, status: ActivityStatus, progress: Int, note: String, evidenceURL: String?) {
        self.line = line
        self.activityID = activityID
        self.status = status
        self.progress = progress
        self.note = note
        self.evidenceURL = evidenceURL
    }
}

public enum ProgressImport {
    /// Reads the `activities` CSV shape; every bad row is reported at once, by line, and nothing is
    /// returned unless all rows are good (so nothing is half-applied).
    public static func parse(csv text: String) throws(CocreaError) -> [ProgressImportRow] {
        guard !text.trimmingWhitespace.isEmpty else {
            throw CocreaError.csvEmpty
        }
        let table: CSV<Named>
        do {
            table = try CSV<Named>(string: text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text, delimiter: .comma, loadColumns: false)
        } catch {
            throw CocreaError.csvUnreadable(error)
        }
        let missing = ["activityId", "status", "progress"].filter { !table.header.contains($0) }
        guard missing.isEmpty else {
            throw CocreaError.activitiesCSVColumnsMissing(missing)
        }
        var rows: [ProgressImportRow] = []
        var problems: [FieldError] = []
        for (index, row) in table.rows.enumerated() {
            let line = index + 2
            let id = UUID(uuidString: (row["activityId"] ?? "").trimmingWhitespace)
            var v = Validator()
            if id == nil { v.add(field: "activityId", "problemActivityIdInvalid") }
            let report = ProgressReport.validate(
                status: row["status"], progress: Int((row["progress"] ?? "").trimmingWhitespace),
                note: row["note"].map(CSVText.restored), evidenceURL: row["evidenceUrl"], into: &v)
            problems += v.errors.map {
                FieldError(
                    field: "fila \(line)", "problemRowColumn", ["line": .number(line), "column": .text($0.field), "problem": .continuing($0.text)])
            }
            if let id, let report {
                rows.append(
                    ProgressImportRow(
                        line: line, activityID: id, status: report.status, progress: report.progress,
                        note: report.note, evidenceURL: report.evidenceURL))
            }
        }
        guard problems.isEmpty else {
            throw CocreaError.csvRowsInvalid(problems)
        }
        guard !rows.isEmpty else { throw CocreaError.csvWithoutRows }
        return rows
    }
}
