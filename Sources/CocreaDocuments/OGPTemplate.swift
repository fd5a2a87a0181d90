import Foundation

/// A frozen plan version laid out as the Open Government Partnership's commitment template (plantilla
/// de compromiso de la Alianza para el Gobierno Abierto, AGA), as display-ready Spanish text: what the
/// Word document shows and what the API returns as JSON. A question of the template that the PAL has
/// no field for is `nil` — never an invented answer; the document says so in its cell, and officials
/// complete it before submitting.
public struct OGPTemplate: Codable, Sendable, Equatable {
    public var exerciseName: String
    public var territory: String
    /// The national OGP action plan the exercise aligns with, e.g. "2016-2018".
    public var nationalPlan: String
    public var versionNumber: Int
    /// SHA-256 of the version's canonical content.
    public var sha256: String
    /// As people in Mexico read it, e.g. "miércoles 25 de noviembre de 2026, 13:40".
    public var frozenAt: String
    /// Present once every actor signed; until then the document says the version is not the signed plan.
    public var sealedAt: String?
    public var commitments: [Commitment]

    public init(
        exerciseName: String, territory: String, nationalPlan: String, versionNumber: Int, sha256: String, frozenAt: String,
        sealedAt: String?, commitments: [Commitment]
    ) {
        self.exerciseName = exerciseName
        self.territory = territory
        self.nationalPlan = nationalPlan
        self.versionNumber = versionNumber
        self.sha256 = sha256
        self.frozenAt = frozenAt
        self.sealedAt = sealedAt
        self.commitments = commitments
    }

    public struct Commitment: Codable, Sendable, Equatable {
        public var number: Int
        public var title: String
        /// The PAL's category, labelled: "Transparencia en contrataciones públicas", "Alineado al plan nacional", "Local".
        public var category: String
        /// Calendar dates as dd/mm/aaaa.
        public var startsOn: String
        public var endsOn: String
        /// The lead implementing agency (institución responsable).
        public var leadInstitution: String
        /// The other institutions responsible for its activities, in the order they first appear.
        public var otherActors: [String]
        /// The national-plan commitment it aligns with (rule Q2), e.g. "Plan nacional 2016-2018 · MX0064 Datos abiertos…".
        public var nationalCommitment: String?
        /// The problem of the diagnosis it answers (rule Q3).
        public var diagnosisProblem: String?
        public var problem: Problem
        public var description: Description
        public var analysis: Analysis
        /// The activities of the PAL as the template's milestones (hitos).
        public var milestones: [Milestone]
        /// Información adicional, each nil when the PAL does not record it: the co-responsible
        /// organisations, the 2030 Agenda targets ("16.10 Garantizar el acceso público…"), the gender
        /// perspective, the assumptions and risks, and the budget ("$1,250,000.00 MXN · fuente: …").
        public var coResponsible: [String]?
        public var sdgTargets: [String]?
        public var genderPerspective: String?
        public var assumptions: String?
        public var budget: String?

        public init(
            number: Int, title: String, category: String, startsOn: String, endsOn: String, leadInstitution: String,
            otherActors: [String], nationalCommitment: String?, diagnosisProblem: String?, problem: Problem,
            description: Description, analysis: Analysis, milestones: [Milestone]
        ) {
            self.number = number
            self.title = title
            self.category = category
            self.startsOn = startsOn
            self.endsOn = endsOn
            self.leadInstitution = leadInstitution
            self.otherActors = otherActors
            self.nationalCommitment = nationalCommitment
            self.diagnosisProblem = diagnosisProblem
            self.problem = problem
            self.description = description
            self.analysis = analysis
            self.milestones = milestones
        }
    }

    /// Definición del problema.
    public struct Problem: Codable, Sendable, Equatable {
        /// ¿Qué problema busca atender el compromiso?
        public var statement: String?
        /// ¿Cuáles son las causas del problema? The PAL does not record them.
        public var causes: String?

        public init(statement: String?, causes: String?) {
            self.statement = statement
            self.causes = causes
        }
    }

    /// Descripción del compromiso.
    public struct Description: Codable, Sendable, Equatable {
        /// ¿Qué se ha hecho hasta ahora para resolver el problema? The PAL does not record it.
        public var doneSoFar: String?
        /// ¿Qué solución se propone?
        public var solution: String?
        /// ¿Qué resultados se quieren lograr? The commitment's objective, measured by its indicator.
        public var results: String?
        public var indicator: Indicator

        public init(doneSoFar: String?, solution: String?, results: String?, indicator: Indicator) {
            self.doneSoFar = doneSoFar
            self.solution = solution
            self.results = results
            self.indicator = indicator
        }
    }

    public struct Indicator: Codable, Sendable, Equatable {
        public var name: String?
        public var baseline: String?
        public var target: String?
        public var meansOfVerification: String?

        public init(name: String?, baseline: String?, target: String?, meansOfVerification: String?) {
            self.name = name
            self.baseline = baseline
            self.target = target
            self.meansOfVerification = meansOfVerification
        }
    }

    /// Análisis del compromiso: how it furthers each OGP value, the why the PAL records for it.
    public struct Analysis: Codable, Sendable, Equatable {
        public var transparency: String?
        public var accountability: String?
        public var participation: String?
        public var innovation: String?

        public init(transparency: String?, accountability: String?, participation: String?, innovation: String? = nil) {
            self.transparency = transparency
            self.accountability = accountability
            self.participation = participation
            self.innovation = innovation
        }
    }

    /// A row of the template's planning table (planificación del compromiso).
    public struct Milestone: Codable, Sendable, Equatable {
        public var title: String
        /// Productos esperados: the activity's deliverable.
        public var expectedOutputs: String?
        /// Fecha de inicio prevista, dd/mm/aaaa.
        public var startsOn: String?
        /// Fecha de finalización prevista, dd/mm/aaaa.
        public var dueOn: String
        /// The responsible person, as the PAL names them.
        public var responsible: String?
        public var institution: String?
        /// How the deliverable is verified.
        public var meansOfVerification: String?

        public init(
            title: String, expectedOutputs: String?, startsOn: String? = nil, dueOn: String, responsible: String?, institution: String?,
            meansOfVerification: String? = nil
        ) {
            self.title = title
            self.expectedOutputs = expectedOutputs
            self.startsOn = startsOn
            self.dueOn = dueOn
            self.responsible = responsible
            self.institution = institution
            self.meansOfVerification = meansOfVerification
        }

        /// Partes interesadas (responsables): "Person (Institution)", or whichever of the two the PAL has.
        public var stakeholders: String? {
            switch (responsible, institution) {
            case (let person?, let institution?): "\(person) (\(institution))"
            case (let person?, nil): person
            case (nil, let institution?): institution
            case (nil, nil): nil
            }
        }
    }

    /// A PAL field as the template's answer: blank counts as not recorded.
    public static func recorded(_ text: String?) -> String? {
        guard let trimmed = text?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else { return nil }
        return trimmed
    }
}
