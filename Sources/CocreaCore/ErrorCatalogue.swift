import Foundation

/// The catalogue of errors: every error Cocrea answers with is built here, from its `ErrorCode` and
/// its Spanish message, so a code, its status and what a person reads are written once. Where a
/// message takes values, the entry takes them; where a rule composes the explanation itself (a
/// request file, an OCDS package, rule D10), the entry takes that sentence.
extension CocreaError {
    // MARK: Requests and sessions

    public static func validation(_ errors: [FieldError]) -> CocreaError {
        let summary = errors.map(\.message).joined(separator: " ")
        return CocreaError(.validationFailed, "Revisa los datos: \(summary)", fieldErrors: errors)
    }

    public static func invalidBody(_ detail: String) -> CocreaError {
        CocreaError(.invalidBody, "No pudimos leer la solicitud: \(detail)")
    }

    /// A 4xx that Vapor answered itself (the web edge keeps Vapor's status).
    public static let badRequest = CocreaError(.badRequest, "La solicitud no es válida.")

    public static let routeNotFound = CocreaError(.notFound, "No existe esa dirección en Cocrea.")

    public static func notFound(_ what: String) -> CocreaError {
        CocreaError(.notFound, "No encontramos \(what).")
    }

    public static let methodNotAllowed = CocreaError(.methodNotAllowed, "Esa dirección no admite este método.")

    public static let payloadTooLarge = CocreaError(.payloadTooLarge, "El envío es demasiado grande.")

    public static let unsupportedMediaType = CocreaError(
        .unsupportedMediaType, "Tipo de contenido no admitido: envía JSON o un formulario.")

    public static let formExpected = CocreaError(
        .unsupportedMediaType, "Envía el formulario como application/x-www-form-urlencoded.")

    public static let requestTimeout = CocreaError(
        .requestTimeout, "El envío tardó demasiado en llegar. Revisa tu conexión e inténtalo de nuevo.")

    public static let uploadsBusy = CocreaError(
        .uploadsBusy, "Cocrea está recibiendo muchos archivos en este momento. Vuelve a enviar el tuyo en unos segundos.",
        facts: ["retryAfter": .int(10)])

    public static let databaseUnavailable = CocreaError(
        .databaseUnavailable,
        "La base de datos no responde en este momento. Nada de esta solicitud se guardó; inténtalo de nuevo en unos segundos.",
        facts: ["retryAfter": .int(5)])

    public static let internalError = CocreaError(
        .internalError, "Algo falló de nuestro lado. El error quedó registrado; inténtalo de nuevo en unos minutos.")

    public static let notAuthenticated = CocreaError(.notAuthenticated, "Inicia sesión para continuar.")

    public static let invalidToken = CocreaError(.invalidToken, "El token de acceso no es válido o fue revocado.")

    public static let invalidCredentials = CocreaError(.invalidCredentials, "El correo o la contraseña no coinciden.")

    public static let linkExpired = CocreaError(
        .linkExpired, "El enlace ya se usó o caducó. Pide uno nuevo desde la página de acceso.")

    public static let tooManyAttempts = CocreaError(
        .tooManyAttempts, "Demasiados intentos de inicio de sesión. Espera 15 minutos e inténtalo de nuevo.")

    public static let csrf = CocreaError(
        .csrfFailed, "El formulario caducó o no viene de Cocrea. Vuelve a cargar la página e inténtalo de nuevo.")

    public static let forbidden = CocreaError(.forbidden, "Tu papel en este ejercicio no permite esta acción.")

    /// `kind` is the dossier item's kind and `contributor` the sector that contributes it, as people read them.
    public static func contributionForbidden(kind: String, contributor: String) -> CocreaError {
        CocreaError(.forbidden, "«\(kind)» lo aporta \(contributor) o la facilitación del STL.")
    }

    public static let recordingForOthersForbidden = CocreaError(
        .forbidden, "Solo la facilitación registra intervenciones a nombre de otra persona.")

    public static let metricsForbidden = CocreaError(
        .metricsForbidden, "Las métricas solo se leen desde esta máquina o con el token de COCREA_METRICS_TOKEN.")

    // MARK: Uploaded files

    public static let fileUnnamed = CocreaError(.fileInvalid, "El archivo no tiene nombre.")

    public static func fileEmpty(_ filename: String) -> CocreaError {
        CocreaError(.fileInvalid, "«\(filename)» está vacío.")
    }

    public static func fileTooLarge(_ filename: String, bytes: Int, maximumBytes: Int) -> CocreaError {
        CocreaError(.fileTooLarge, "«\(filename)» pesa \(bytes / 1_048_576) MB; el máximo es \(maximumBytes / 1_048_576) MB.")
    }

    public static func fileTypeNotAllowed(_ ext: String) -> CocreaError {
        CocreaError(
            .fileTypeNotAllowed,
            "No se admiten archivos «.\(ext)». Sube PDF, Word, Excel, OpenDocument, CSV, texto o imágenes PNG/JPEG.")
    }

    public static func fileContentMismatch(_ filename: String, ext: String) -> CocreaError {
        CocreaError(.fileContentMismatch, "El contenido de «\(filename)» no corresponde a un archivo .\(ext).")
    }

    public static let csvMissing = CocreaError(.validationFailed, "Falta el CSV (campo «file»).")

    public static func csvUnreadable(_ error: any Error) -> CocreaError {
        CocreaError(.csvInvalid, "El archivo no es un CSV legible: \(error).")
    }

    public static let csvEmpty = CocreaError(.csvInvalid, "El archivo está vacío.")

    public static let csvWithoutRows = CocreaError(.csvInvalid, "El archivo no tiene filas de datos.")

    public static func activitiesCSVColumnsMissing(_ missing: [String]) -> CocreaError {
        CocreaError(
            .csvInvalid,
            "Al CSV le faltan las columnas: \(missing.joined(separator: ", ")). Descarga actividades.csv y úsalo como plantilla.")
    }

    public static func csvRowsInvalid(_ problems: [FieldError]) -> CocreaError {
        CocreaError(
            .csvRowsInvalid,
            "No se importó nada: \(problems.count) \(problems.count == 1 ? "fila tiene" : "filas tienen") errores. Corrígelas y vuelve a subir el archivo.",
            fieldErrors: problems)
    }

    /// Progress rows naming activities of another exercise: `rows` are each row's line and activity.
    public static func progressRowsForeign(_ rows: [(line: Int, activity: String)]) -> CocreaError {
        CocreaError(
            .csvRowsInvalid,
            "No se importó nada: \(rows.count) \(rows.count == 1 ? "fila nombra" : "filas nombran") una actividad que no es de este ejercicio.",
            fieldErrors: rows.map { FieldError(field: "fila \($0.line)", message: "Fila \($0.line): la actividad \($0.activity) no es de este ejercicio.") })
    }

    public static let nationalCatalogueUnreadable = CocreaError(
        .invalidBody, "No pudimos leer el catálogo: se espera una lista JSON de {code, axis, title, source}.")

    public static let nationalCatalogueMediaType = CocreaError(
        .unsupportedMediaType, "Envía el catálogo como text/csv o application/json.")

    public static func nationalCatalogueColumnsMissing(_ missing: [String]) -> CocreaError {
        CocreaError(.csvInvalid, "Al CSV le faltan las columnas: \(missing.joined(separator: ", ")). Se esperan id, axis, title, source.")
    }

    public static func nationalCatalogueInvalid(_ problems: [FieldError]) -> CocreaError {
        CocreaError(.csvInvalid, "El catálogo tiene errores; no se cargó nada.", fieldErrors: problems)
    }

    // MARK: Workspace and dossier

    public static func memberExists(email: String, exercise: String) -> CocreaError {
        CocreaError(.memberExists, "\(email) ya es integrante de «\(exercise)».")
    }

    public static let dossierEmpty = CocreaError(
        .dossierEmpty, "El expediente no tiene insumos todavía; agrega al menos uno antes de enviarlo.")

    public static let noMembers = CocreaError(.noMembers, "El ejercicio no tiene integrantes a quienes enviar el expediente.")

    public static func dossierAlreadySent(version: Int) -> CocreaError {
        CocreaError(
            .dossierAlreadySent,
            "Todas las personas ya recibieron la versión \(version) del expediente. Si alguien no la ha abierto, envíale un recordatorio.")
    }

    public static let dossierNotSent = CocreaError(
        .dossierNotSent,
        "El expediente tiene cambios sin enviar: envíalo primero; los recordatorios son para quien no ha abierto la versión vigente.")

    public static let receiptNotFound = CocreaError(
        .receiptNotFound, "Este enlace de acuse no existe. Revisa que lo copiaste completo.")

    public static let receiptExpired = CocreaError(
        .receiptExpired,
        "Este enlace caducó: los enlaces del expediente sirven 90 días. Entra a Cocrea con tu correo para consultarlo.")

    /// Rule D10 refuses the date; `explanation` is the rule's own account of why.
    public static func dossierWindow(_ explanation: String, holdingBack: [UUID], earliestValidDate: LocalDate?) -> CocreaError {
        CocreaError(
            .dossierWindow, explanation,
            facts: [
                "holdingBack": .strings(holdingBack.map(\.uuidString)),
                "earliestValidDate": earliestValidDate.map { .string($0.description) } ?? .null,
            ])
    }

    // MARK: Roundtables

    public static let roundtableCancelled = CocreaError(.roundtableCancelled, "Esta mesa fue cancelada.")

    /// `stage` is the table's stage and `expected` the next one, as people read them.
    public static func stageOutOfOrder(stage: String, expected: String) -> CocreaError {
        CocreaError(.stageOutOfOrder, "La mesa está en «\(stage)»; la etapa siguiente es \(expected).")
    }

    public static let dossierItemToPresentUnknown = CocreaError(
        .validationFailed, "Elige un insumo del expediente de este ejercicio.",
        fieldErrors: [FieldError(field: "dossierItemId", message: "Elige un insumo del expediente de este ejercicio.")])

    public static let roundtableNotInAnalysis = CocreaError(
        .roundtableNotInAnalysis, "Los insumos se presentan durante la etapa de «Análisis».")

    public static let roundtableNotScheduled = CocreaError(
        .roundtableNotScheduled, "Esta mesa ya no está programada (se canceló o ya comenzó); no se puede cambiar su fecha.")

    public static let roundtableNotInSession = CocreaError(
        .roundtableNotInSession, "La mesa no está en sesión (se abre pasando a «Introducción» y termina al concluir).")

    public static let minutesNotReady = CocreaError(.minutesNotReady, "La relatoría se genera al concluir la mesa.")

    // MARK: Plan

    /// `what` names the record with its article («este compromiso»).
    public static func revisionConflict(
        _ what: String, revision: Int, current: some Encodable & Sendable,
        submitted: some Encodable & Sendable
    ) -> CocreaError {
        CocreaError(
            .revisionConflict,
            "Otra persona cambió \(what) mientras lo editabas (ahora va en la revisión \(revision)). Revisa su versión, que va junto con la tuya, y vuelve a aplicar tus cambios.",
            facts: ["current": .value(current), "submitted": .value(submitted)])
    }

    /// `what` names the record with its article, capitalised («Este compromiso»).
    public static func progressReported(_ what: String) -> CocreaError {
        CocreaError(
            .progressReported,
            "\(what) ya tiene avances reportados, que son parte del seguimiento público del plan firmado: no se puede eliminar. Puedes cambiar su texto; el cambio se publica con la siguiente versión firmada."
        )
    }

    public static func planInvalid(_ problems: [PlanProblem]) -> CocreaError {
        let summary = problems.map(\.message).joined(separator: " ")
        return CocreaError(
            .planInvalid, "El plan aún no cumple las reglas y no puede congelarse: \(summary)",
            facts: ["problems": .value(problems)])
    }

    /// Rule R1 alone holds the freeze back: the plan meets Q1–Q3 and A1, but published proposals wait
    /// for their reasoned response (each listed, with every problem as `planInvalid` lists them).
    public static func proposalWithoutResponse(_ unanswered: [UnansweredProposal], problems: [PlanProblem]) -> CocreaError {
        struct Listed: Encodable, Sendable {
            var id: UUID
            var problem: String
        }
        let summary = problems.map(\.message).joined(separator: " ")
        return CocreaError(
            .proposalWithoutResponse, "El plan no puede congelarse mientras haya propuestas ciudadanas publicadas sin respuesta razonada: \(summary)",
            facts: ["proposals": .value(unanswered.map { Listed(id: $0.id, problem: $0.problem) }), "problems": .value(problems)])
    }

    /// The public follow-up's answer before a plan is sealed (it is private work until then).
    public static let notPublic = CocreaError(
        .notPublic, "Este ejercicio no tiene todavía un Plan de Acción Local firmado y publicado.")

    public static let notAMember = CocreaError(.notAMember, "Solo quienes integran el ejercicio manifiestan su conformidad.")

    public static let notPresent = CocreaError(
        .notPresent,
        "La conformidad la manifiestan quienes estuvieron en la mesa (en persona o representados); tu asistencia no quedó registrada así.")

    public static let conformityClosed = CocreaError(
        .conformityClosed, "La facilitación ya cerró la manifestación de conformidad de esta versión.")

    public static func conformitySuperseded(latest: Int) -> CocreaError {
        CocreaError(.versionSuperseded, "Hay una versión más reciente del plan (la \(latest)); manifiesta tu conformidad sobre esa.")
    }

    public static let conformityOpen = CocreaError(
        .conformityOpen, "Primero cierra la manifestación de conformidad de esta versión; después se firma.")

    // MARK: Signing

    public static func signingSuperseded(latest: Int) -> CocreaError {
        CocreaError(.versionSuperseded, "Hay una versión más reciente del plan (la \(latest)); se firma esa.")
    }

    /// The sealed PDF is asked for before every signature is in: there is no such document yet.
    public static let sealedPlanMissing = CocreaError(
        .notSealed, "Esta versión del plan aún no está sellada: faltan firmas.", kind: .notFound)

    public static let notSealedToDistribute = CocreaError(
        .notSealed, "El PAL se envía cuando ya está firmado por todas las personas y sellado.")

    public static let alreadyDistributed = CocreaError(
        .alreadyDistributed,
        "Todas las personas ya recibieron el PAL sellado de esta versión; el estado de cada envío está abajo.")

    public static let everyoneSigned = CocreaError(.alreadySigned, "Todas las personas ya firmaron esta versión del plan.")

    public static let alreadySignedByYou = CocreaError(
        .alreadySigned, "Ya firmaste esta versión del plan. No hace falta hacer nada más.")

    public static let alreadySealed = CocreaError(.alreadySealed, "Esta versión del plan ya está sellada.")

    public static let signedCopyTooLarge = CocreaError(.uploadTooLarge, "El archivo pasa de 20 MB.")

    public static let signedCopyMissing = CocreaError(
        .validationFailed, "Falta el PDF escaneado de la copia firmada (campo «file»).",
        fieldErrors: [FieldError(field: "file", message: "Sube el PDF escaneado de la copia firmada a mano.")])

    public static let signedCopyNotPDF = CocreaError(
        .invalidUpload, "La copia firmada debe ser el PDF escaneado del plan; este archivo no se puede leer como PDF.",
        fieldErrors: [FieldError(field: "file", message: "Sube el PDF escaneado de la copia firmada a mano.")])

    public static func signedCopyPagesMissing(pages: Int, planPages: Int) -> CocreaError {
        CocreaError(
            .invalidUpload,
            "La copia escaneada tiene \(pages) \(pages == 1 ? "página" : "páginas") y el plan tiene \(planPages): escanea todas las hojas rubricadas y la hoja de firmas.",
            fieldErrors: [FieldError(field: "file", message: "Faltan hojas en el PDF escaneado.")])
    }

    public static let pdfToVerifyMissing = CocreaError(
        .validationFailed, "Falta el PDF a verificar (campo «file»).",
        fieldErrors: [FieldError(field: "file", message: "Elige el PDF del plan que quieres verificar.")])

    /// `problem` is what the PDF reader found, when it says.
    public static func pdfUnreadable(_ problem: String?) -> CocreaError {
        let message = problem ?? "El archivo no es un PDF legible."
        return CocreaError(.pdfUnreadable, message, fieldErrors: [FieldError(field: "file", message: message)])
    }

    public static let sha256Malformed = CocreaError(
        .validationFailed, "La huella SHA-256 tiene 64 caracteres hexadecimales.",
        fieldErrors: [FieldError(field: "sha256", message: "Escribe los 64 caracteres de la huella SHA-256.")])

    public static let signingLinkNotFound = CocreaError(
        .signingLinkNotFound, "Este enlace de firma no existe o fue reemplazado por uno más reciente. Revisa tu correo más nuevo.")

    public static let signingLinkLocked = CocreaError(
        .signingLinkLocked,
        "El enlace se bloqueó tras cinco códigos incorrectos. Pide a la facilitación que te envíe un enlace nuevo.")

    public static let signingCodeExpired = CocreaError(
        .signingCodeExpired, "El código venció o no se ha pedido. Pide uno nuevo; llega a tu correo en un momento.",
        fieldErrors: [FieldError(field: "code", message: "Pide un código nuevo.")])

    public static func signingCodeWrong(remainingAttempts remaining: Int) -> CocreaError {
        CocreaError(
            .signingCodeWrong,
            "El código no es correcto. Te quedan \(remaining) \(remaining == 1 ? "intento" : "intentos") antes de que el enlace se bloquee.",
            fieldErrors: [FieldError(field: "code", message: "El código no es correcto.")],
            facts: ["remainingAttempts": .value(remaining)])
    }

    // MARK: Consultation

    public static let surveyNotPublished = CocreaError(.surveyNotPublished, "Solo se cierra una encuesta publicada.")

    public static let surveyNotDraft = CocreaError(
        .surveyNotDraft, "La encuesta ya se publicó: sus preguntas no cambian. Crea una nueva si necesitas otras.")

    public static let surveyClosed = CocreaError(
        .surveyClosed, "Esta encuesta ya cerró y no recibe más respuestas. ¡Gracias por tu interés!")

    public static let suspectedAutomation = CocreaError(
        .suspectedAutomation,
        "No registramos la respuesta: el campo «Sitio web» debe quedar vacío. Si eres una persona, bórralo y vuelve a enviarla.")

    public static func rateLimited(retryAfter seconds: Int) -> CocreaError {
        CocreaError(
            .rateLimited,
            "Llegaron demasiadas respuestas desde tu conexión en poco tiempo. Espera \(seconds) segundos y vuelve a intentarlo.",
            facts: ["retryAfter": .int(seconds)])
    }

    public static let duplicateResponse = CocreaError(
        .duplicateResponse, "Ya recibimos estas mismas respuestas hace un momento; no hace falta enviarlas de nuevo.")

    // MARK: Citizen proposals

    /// Proposals are received only while a consultation window of the roadmap is open.
    public static func consultationClosed(exercise: String, next: RoadmapEntry?, last: RoadmapEntry?) -> CocreaError {
        let when =
            if let next {
                "La próxima consulta pública abre el \(MexicanFormat.numeric(next.startsOn)) y cierra el \(MexicanFormat.numeric(next.endsOn))."
            } else if let last {
                "La consulta pública cerró el \(MexicanFormat.numeric(last.endsOn))."
            } else {
                "Su hoja de ruta no anuncia todavía una consulta pública."
            }
        return CocreaError(
            .consultationClosed, "«\(exercise)» no recibe propuestas hoy: solo se reciben mientras su consulta pública está abierta. \(when)",
            facts: ["opensOn": next.map { .string($0.startsOn.description) } ?? .null])
    }

    public static let proposalSuspectedAutomation = CocreaError(
        .suspectedAutomation,
        "No registramos la propuesta: el campo «Sitio web» debe quedar vacío. Si eres una persona, bórralo y vuelve a enviarla.")

    public static func proposalRateLimited(retryAfter seconds: Int) -> CocreaError {
        CocreaError(
            .rateLimited,
            "Llegaron demasiadas propuestas desde tu conexión en poco tiempo. Espera \(seconds) segundos y vuelve a intentarlo.",
            facts: ["retryAfter": .int(seconds)])
    }

    public static let duplicateProposal = CocreaError(
        .duplicateResponse, "Ya recibimos esta misma propuesta hace un momento; no hace falta enviarla de nuevo.")

    public static let proposalNotPublished = CocreaError(
        .proposalNotPublished, "Solo una propuesta publicada recibe respuesta razonada: publícala primero (u ocúltala con su motivo).")

    public static let noAnswers = CocreaError(
        .noAnswers, "Esa pregunta todavía no tiene respuestas: no hay evidencia que llevar al expediente.")

    /// `explanation` is the file reader's account of what is wrong with the file; `.tooLarge` when it is.
    public static func requestFileInvalid(_ explanation: String, kind: Kind = .invalid, facts: [String: Fact] = [:]) -> CocreaError {
        CocreaError(.requestFileInvalid, explanation, kind: kind, facts: facts)
    }

    public static let noValidRequestsLeft = CocreaError(
        .requestFileInvalid, "No queda ninguna solicitud válida que importar en el archivo.")

    /// `problems` are each invalid row's line and message.
    public static func requestRowsInvalid(_ problems: [(line: Int, message: String)], valid: Int, importID: UUID) -> CocreaError {
        let lines = Set(problems.map(\.line)).count
        return CocreaError(
            .requestRowsInvalid,
            "No se importó nada: \(lines) \(lines == 1 ? "fila tiene" : "filas tienen") problemas y \(valid) \(valid == 1 ? "es válida" : "son válidas"). Corrige el archivo y vuelve a subirlo, o acepta omitir las filas con problemas.",
            fieldErrors: problems.prefix(500).map { FieldError(field: "fila \($0.line)", message: $0.message) },
            facts: ["importId": .string(importID.uuidString), "validRows": .int(valid), "invalidRows": .int(lines)])
    }

    public static let importApplied = CocreaError(.importApplied, "Esa importación ya se aplicó.")

    public static let topicInDossier = CocreaError(.topicInDossier, "Ese tema ya está en el expediente.")

    // MARK: Procurement

    public static func notProcurementCommitment(_ title: String) -> CocreaError {
        CocreaError(
            .notProcurementCommitment,
            "«\(title)» no es el compromiso de contrataciones públicas; los paquetes OCDS se agregan a ese compromiso.")
    }

    /// `existingName` and `existingID` are those of the package already attached, when it is still there.
    public static func procurementPackageExists(sha256: String, existingName: String?, existingID: UUID?) -> CocreaError {
        CocreaError(
            .procurementPackageExists,
            "Este compromiso ya tiene ese mismo paquete (\(existingName.map { "se agregó como «\($0)», " } ?? "")con la misma huella SHA-256).",
            facts: ["packageId": existingID.map { .string($0.uuidString) } ?? .null, "sha256": .string(sha256)])
    }

    public static let procurementPackageMediaType = CocreaError(
        .unsupportedMediaType,
        "Envía el paquete como multipart/form-data (campo «file») o su dirección como JSON {\"url\": \"https://…\"}.")

    public static let urlFetchForbidden = CocreaError(
        .urlFetchForbidden, "Solo la administración de Cocrea puede traer un paquete desde una dirección; sube el archivo JSON.")

    public static func ocdsFetchFailed(_ url: String, reason: String) -> CocreaError {
        CocreaError(.ocdsFetchFailed, "No se pudo traer el paquete de \(url): \(reason)")
    }

    public static func ocdsFetchedTooLarge(_ url: String, maximumBytes: Int) -> CocreaError {
        CocreaError(.fileTooLarge, "El paquete de \(url) pesa más de \(maximumBytes / 1_048_576) MB, el máximo de un paquete OCDS.")
    }

    public static func ocdsFileTooLarge(_ name: String, bytes: Int, maximumBytes: Int) -> CocreaError {
        CocreaError(
            .fileTooLarge,
            "«\(name)» pesa \(bytes / 1_048_576) MB; un paquete OCDS puede pesar hasta \(maximumBytes / 1_048_576) MB. Divide las entregas en varios paquetes.")
    }

    public static func ocdsNotJSON(_ name: String) -> CocreaError {
        CocreaError(.ocdsNotJSON, "«\(name)» no es un archivo JSON. Un paquete OCDS es un documento JSON en UTF-8 (.json).")
    }

    public static func ocdsLooseReleases(_ name: String) -> CocreaError {
        CocreaError(
            .ocdsNotReleasePackage,
            "«\(name)» es una lista de entregas suelta. Envía un paquete de entregas (release package): un objeto con uri, publishedDate, publisher, version y la lista en releases."
        )
    }

    public static func ocdsNotAnObject(_ name: String) -> CocreaError {
        CocreaError(
            .ocdsNotReleasePackage,
            "«\(name)» no es un paquete de entregas OCDS: debe ser un objeto JSON con uri, publishedDate, publisher, version y releases.")
    }

    public static func ocdsRecordPackage(_ name: String) -> CocreaError {
        CocreaError(
            .ocdsNotReleasePackage,
            "«\(name)» es un paquete de registros (record package). Envía el paquete de entregas (release package) del que salió: Cocrea compila los procesos a partir de las entregas."
        )
    }

    public static func ocdsLooseRelease(_ name: String) -> CocreaError {
        CocreaError(
            .ocdsNotReleasePackage,
            "«\(name)» es una entrega suelta. Envíala dentro de un paquete de entregas (release package) con uri, publishedDate, publisher y version.")
    }

    public static func ocdsTooManyReleases(_ name: String, count: Int, maximum: Int) -> CocreaError {
        CocreaError(.ocdsTooManyReleases, "«\(name)» trae \(count) entregas; un paquete puede traer hasta \(maximum). Divídelo en varios paquetes.")
    }

    public static func ocdsInvalid(_ name: String, problems: [FieldError]) -> CocreaError {
        let count = problems.count
        return CocreaError(
            .ocdsInvalid,
            "«\(name)» no es un paquete OCDS 1.1 válido: \(count == 1 ? "tiene un problema" : "tiene \(count) problemas"), cada uno con su ruta en el JSON. No se guardó nada.",
            fieldErrors: problems)
    }

    // MARK: Administration and the command line

    /// `state` is the delivery's state as people read it.
    public static func deliveryNotRetryable(state: String) -> CocreaError {
        CocreaError(.deliveryNotRetryable, "Solo se reenvía un correo fallido o interrumpido; este está «\(state)».")
    }

    public static func trustedProxiesInvalid(_ invalid: [String]) -> CocreaError {
        CocreaError(
            .invalidConfiguration,
            "COCREA_TRUSTED_PROXIES tiene valores que no son direcciones ni redes: \(invalid.joined(separator: ", ")).")
    }

    public static func resourcesMissing(searched places: [String]) -> CocreaError {
        CocreaError(
            .resourcesMissing,
            "No se encontraron los recursos de Cocrea (Resources/ y Public/). Se buscó en: " + places.joined(separator: ", ")
                + ". Indica su carpeta con COCREA_RESOURCES o con --resources.")
    }

    public static func catalogueMissing(_ path: String) -> CocreaError {
        CocreaError(.catalogueMissing, "No se encontró el catálogo del plan nacional en \(path).")
    }

    /// `reason` is the system's own (strerror).
    public static func dataDirectoryUnwritable(_ path: String, reason: String) -> CocreaError {
        CocreaError(.dataDirectoryUnwritable, "No se puede abrir \(path): \(reason).")
    }

    /// `purpose` says, in a sentence, why only one process may hold the folder.
    public static func dataDirectoryInUse(_ directory: String, holder pid: Int32?, purpose: String) -> CocreaError {
        let who = pid.map { "otro proceso de Cocrea (PID \($0))" } ?? "otro proceso de Cocrea"
        return CocreaError(
            .dataDirectoryInUse, "La carpeta de datos \(directory) está en uso por \(who). \(purpose)",
            facts: ["directory": .string(directory), "pid": pid.map { .int(Int($0)) } ?? .null])
    }

    public static let backupUnsupported = CocreaError(
        .backupUnsupported, "La copia de seguridad integrada es para SQLite; en PostgreSQL usa pg_dump.")

    public static func backupExists(_ destination: String) -> CocreaError {
        CocreaError(.backupExists, "Ya existe \(destination); elige otro nombre.")
    }

    public static func backupUnreadable(_ source: String) -> CocreaError {
        CocreaError(.backupCorrupt, "\(source) no es una base SQLite legible; no se restauró.")
    }

    public static let backupFailsIntegrityCheck = CocreaError(
        .backupCorrupt, "La copia no pasa la revisión de integridad de SQLite; no se restauró.")

    public static let backupNotCocrea = CocreaError(.backupNotCocrea, "El archivo no es una copia de Cocrea; no se restauró.")

    public static let restoreUnsupported = CocreaError(
        .restoreUnsupported, "La restauración integrada es para SQLite; en PostgreSQL usa pg_restore.")

    /// `reason` is the system's own (strerror).
    public static func restoreFailed(_ databasePath: String, reason: String) -> CocreaError {
        CocreaError(.restoreFailed, "No se pudo poner la copia en lugar de \(databasePath): \(reason).")
    }

    public static let noSealedPlan = CocreaError(.noSealedPlan, "Hace falta un ejercicio con el plan firmado para copiarlo.")
}
