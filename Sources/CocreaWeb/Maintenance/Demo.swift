import CocreaCore
import CocreaStore
import CocreaUseCases
import Fluent
import Vapor

/// A realistic Spanish demo exercise: a state guarantor, one institution, three civil-society
/// organisations, a facilitator, and the kickoff results in the dossier. Loading it twice does nothing.
public enum Demo {
    public static let exerciseName = "Ejercicio local de gobierno abierto Jalisco 2026"
    /// A second exercise whose dossier everyone received 12 days ago and whose table is today, so
    /// the live console can be tried at once (rule D10 already holds).
    public static let readyExerciseName = "Mesa de diálogo de Zapopan 2026 (lista para sesionar)"
    public static let administratorEmail = "admin@cocrea.example"
    /// Printed on start-up: the demo is for trying Cocrea, never for real data.
    public static let administratorPassword = "cocrea-demo-2026"

    struct Person {
        var name, email, organization: String
        var sector: Sector
        var role: Role
    }

    static let people = [
        Person(
            name: "Mtra. Adriana Velázquez Ruiz", email: "adriana.velazquez@itei.example",
            organization: "Instituto de Transparencia, Información Pública y Protección de Datos Personales del Estado de Jalisco",
            sector: .guarantor, role: .administrator),
        Person(
            name: "Lic. Jorge Ramírez Ochoa", email: "jorge.ramirez@stl-jalisco.example",
            organization: "Secretariado Técnico Local de Jalisco", sector: .guarantor, role: .facilitator),
        Person(
            name: "Dra. María Fernanda López Castañeda", email: "mf.lopez@salud-jalisco.example",
            organization: "Secretaría de Salud Jalisco", sector: .institution, role: .member),
        Person(
            name: "Carlos Mendoza Íñiguez", email: "carlos@observatorio-salud.example",
            organization: "Observatorio Ciudadano de Salud A.C.", sector: .civilSociety, role: .member),
        Person(
            name: "Lucía Hernández Paredes", email: "lucia@datosabiertos-gdl.example",
            organization: "Colectivo Datos Abiertos Guadalajara", sector: .civilSociety, role: .member),
        Person(
            name: "Rosa Elena Ortiz Medina", email: "rosa.ortiz@redmujeres.example",
            organization: "Red de Mujeres por la Transparencia A.C.", sector: .civilSociety, role: .member),
    ]

    struct Item {
        var kind: DossierItemKind
        var title, body, source: String
        var by: Int
    }

    static let items = [
        Item(
            kind: .problem, title: "Desabasto de medicamentos en centros de salud de la zona metropolitana",
            body:
                "En el evento de arranque, las organizaciones señalaron que en 2025 las recetas surtidas de forma incompleta superaron el 30 % en varios centros de salud de Guadalajara, Zapopan y Tlaquepaque, sin información pública sobre existencias.",
            source: "Relatoría del evento de arranque, 14 de octubre de 2026", by: 0),
        Item(
            kind: .minimumCriterion, title: "Avances publicados en formato abierto cada trimestre",
            body: "Todo compromiso publica sus avances y evidencias en datos abiertos (CSV) al menos una vez por trimestre.",
            source: "Relatoría del evento de arranque", by: 0),
        Item(
            kind: .solution, title: "Tablero público de abasto por unidad médica",
            body: "Publicar semanalmente las existencias de los 50 medicamentos de mayor demanda por unidad médica, con fecha de corte.",
            source: "Mesa de trabajo del evento de arranque", by: 0),
        Item(
            kind: .preliminaryCommitment, title: "Inventario mensual de medicamentos en datos abiertos",
            body: "La Secretaría de Salud publica cada mes el inventario por centro de salud y un canal para reportar desabasto.",
            source: "Relatoría del evento de arranque", by: 0),
        Item(
            kind: .statistic, title: "Quejas por falta de medicamentos, enero–septiembre de 2026",
            body: "1,284 quejas registradas en ventanilla y en línea; 61 % en la zona metropolitana.",
            source: "Dirección de Atención Ciudadana, Secretaría de Salud Jalisco", by: 2),
    ]

    /// Loads the demo exercise and returns it (existing or new). Its plan's catalogue is the one the
    /// migration `LoadBundledNationalCatalogues` already loaded, or the one an administrator put in its place.
    @discardableResult
    public static func load(on app: Application) async throws -> Exercise {
        if let existing = try await Exercise.query(on: app.db).filter(\.$name == exerciseName).first() {
            try await loadConsultation(into: existing.requireID(), on: app)
            try await loadReadyTable(on: app)
            return existing
        }
        let passwordHash = try await app.password.async.hash(administratorPassword)
        let kit = SimplePDF.document(
            title: "Kit de capacidades: guía de co-creación",
            lines: [
                "Mesas de diálogo para la creación de un Plan de Acción Local",
                "1. Acciones previas: el expediente, 10 días antes de la mesa.",
                "2. Introducción, análisis, acuerdos y seguimiento.",
                "3. Al menos cinco compromisos medibles a un año.",
            ])
        let now = app.options.now()
        let exercise = try await app.writer.write(on: app.db, actor: .system) { tx, audit in
            let admin: User
            if let existing = try await User.query(on: tx).filter(\.$email == administratorEmail).first() {
                admin = existing
            } else {
                admin = User(email: administratorEmail, name: "Administración de la demostración", passwordHash: passwordHash, isAdministrator: true)
                try await admin.create(on: tx)
                try await audit.created("user", id: admin.id, exercise: nil, ["email": admin.email, "isAdministrator": "true"])
            }
            let exercise = Exercise(
                name: exerciseName, territory: "Jalisco", timeZone: "America/Mexico_City",
                nationalPlan: CatalogueLoader.bundledPlan, sectorLabels: ["guarantor": "Organismo garante"])
            try await exercise.create(on: tx)
            try await audit.created("exercise", id: exercise.id, exercise: exercise.id, ExerciseDTO(exercise))
            var members: [Member] = []
            for person in people {
                let user: User
                if let existing = try await User.query(on: tx).filter(\.$email == person.email).first() {
                    user = existing
                } else {
                    user = User(email: person.email, name: person.name, passwordHash: passwordHash)
                    try await user.create(on: tx)
                }
                let member = Member(
                    exerciseID: exercise.id!, userID: user.id!, name: person.name, email: person.email,
                    sector: person.sector, organization: person.organization, role: person.role)
                try await member.create(on: tx)
                try await audit.created("member", id: member.id, exercise: exercise.id, MemberDTO(member))
                members.append(member)
            }
            let file = StoredFile(name: "kit-de-capacidades.pdf", mediaType: "application/pdf", data: kit, sha256: Hashing.sha256Hex(kit))
            try await file.create(on: tx)
            var all = [
                DossierItem(
                    exerciseID: exercise.id!, kind: .capacityKit, title: "Kit de capacidades: guía de co-creación",
                    body: "Guía para preparar y conducir las mesas de diálogo.", source: "Organismo garante",
                    contributedByMemberID: members[0].id, contributedBy: "\(members[0].name) (\(members[0].organization))",
                    fileID: file.id, createdAt: now)
            ]
            all += items.map { item in
                let member = members[item.by]
                return DossierItem(
                    exerciseID: exercise.id!, kind: item.kind, title: item.title, body: item.body, source: item.source,
                    contributedByMemberID: member.id, contributedBy: "\(member.name) (\(member.organization))", fileID: nil, createdAt: now)
            }
            for item in all {
                try await item.create(on: tx)
                try await audit.created("dossierItem", id: item.id, exercise: exercise.id, ["title": item.title, "kind": item.kind.rawValue])
            }
            return exercise
        }
        try await loadConsultation(into: exercise.requireID(), on: app)
        try await loadReadyTable(on: app)
        return exercise
    }
}

extension Demo {
    /// The exercise ready for its table: dossier sent and received 12 days ago, the table today.
    static func loadReadyTable(on app: Application) async throws {
        guard try await Exercise.query(on: app.db).filter(\.$name == readyExerciseName).first() == nil else { return }
        let now = app.options.now()
        let received = now.addingTimeInterval(-12 * 86_400)
        try await app.writer.write(on: app.db, actor: .system) { tx, audit in
            let exercise = Exercise(
                name: readyExerciseName, territory: "Zapopan, Jalisco", timeZone: "America/Mexico_City",
                nationalPlan: CatalogueLoader.bundledPlan, sectorLabels: ["guarantor": "Organismo garante"])
            try await exercise.create(on: tx)
            try await audit.created("exercise", id: exercise.id, exercise: exercise.id, ExerciseDTO(exercise))
            var members: [Member] = []
            for person in people {
                guard let user = try await User.query(on: tx).filter(\.$email == person.email).first() else { continue }
                let member = Member(
                    exerciseID: exercise.id!, userID: user.id!, name: person.name, email: person.email,
                    sector: person.sector, organization: person.organization, role: person.role)
                try await member.create(on: tx)
                members.append(member)
            }
            for item in items {
                let member = members[item.by]
                try await DossierItem(
                    exerciseID: exercise.id!, kind: item.kind, title: item.title, body: item.body, source: item.source,
                    contributedByMemberID: member.id, contributedBy: "\(member.name) (\(member.organization))", fileID: nil,
                    createdAt: received.addingTimeInterval(-86_400)
                ).create(on: tx)
            }
            let (hash, count) = try await DossierOperations.contentHash(of: exercise.id!, on: tx)
            let distribution = DossierDistribution(
                exerciseID: exercise.id!, version: 1, contentSHA256: hash, itemCount: count,
                sentByUserID: nil, sentAt: received.addingTimeInterval(-3600))
            try await distribution.create(on: tx)
            for member in members {
                let receipt = Receipt(distributionID: distribution.id!, memberID: member.id!, tokenHash: Hashing.sha256Hex(Hashing.randomToken()))
                receipt.receivedAt = received
                try await receipt.create(on: tx)
            }
            let table = Roundtable(exerciseID: exercise.id!, startsAt: now.addingTimeInterval(3600), place: "Sala de Cabildo, Zapopan")
            try await table.create(on: tx)
            try await audit.created("roundtable", id: table.id, exercise: exercise.id, RoundtableDTO(table))
        }
    }
}

/// A small, valid one-page PDF with Latin-1 text (the demo's capacity kit, test attachments).
/// The plan's real PDF comes from cairo and pango.
public enum SimplePDF {
    public static func document(title: String, lines: [String]) -> Data {
        func escape(_ text: String) -> [UInt8] {
            let latin1 = text.data(using: .isoLatin1, allowLossyConversion: true) ?? Data()
            return latin1.flatMap { byte -> [UInt8] in
                switch byte {
                case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "\\"): [UInt8(ascii: "\\"), byte]
                default: [byte]
                }
            }
        }
        var stream: [UInt8] = Array("BT /F1 16 Tf 56 780 Td (".utf8) + escape(title) + Array(") Tj /F1 11 Tf".utf8)
        for line in lines {
            stream += Array(" 0 -22 Td (".utf8) + escape(line) + Array(") Tj".utf8)
        }
        stream += Array(" ET".utf8)
        let objects: [[UInt8]] = [
            Array("<< /Type /Catalog /Pages 2 0 R >>".utf8),
            Array("<< /Type /Pages /Kids [3 0 R] /Count 1 >>".utf8),
            Array("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>".utf8),
            Array("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".utf8),
            Array("<< /Length \(stream.count) >>\nstream\n".utf8) + stream + Array("\nendstream".utf8),
        ]
        var out: [UInt8] = Array("%PDF-1.4\n%\u{E2}\u{E3}\u{CF}\u{D3}\n".utf8)
        var offsets: [Int] = []
        for (index, object) in objects.enumerated() {
            offsets.append(out.count)
            out += Array("\(index + 1) 0 obj\n".utf8) + object + Array("\nendobj\n".utf8)
        }
        let xref = out.count
        out += Array("xref\n0 \(objects.count + 1)\n0000000000 65535 f \n".utf8)
        for offset in offsets { out += Array(String(format: "%010d 00000 n \n", offset).utf8) }
        out += Array("trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n".utf8)
        return Data(out)
    }
}
