/// Spanish (es-MX) labels of the vocabulary, for pages, mail and PDFs; English second.

public enum Language: String, Sendable, CaseIterable {
    case es, en
}

public protocol Labelled {
    func label(_ locale: Language) -> String
}

extension Sector: Labelled {
    public func label(_ locale: Language) -> String {
        switch (self, locale) {
        case (.guarantor, .es): "Organismo garante"
        case (.guarantor, .en): "Guarantor body"
        case (.institution, .es): "Institución pública"
        case (.institution, .en): "Public institution"
        case (.civilSociety, .es): "Sociedad civil"
        case (.civilSociety, .en): "Civil society"
        }
    }
}

extension Role: Labelled {
    public func label(_ locale: Language) -> String {
        switch (self, locale) {
        case (.administrator, .es): "Administración del ejercicio"
        case (.administrator, .en): "Exercise administrator"
        case (.facilitator, .es): "Facilitación del STL"
        case (.facilitator, .en): "STL facilitator"
        case (.member, .es): "Integrante"
        case (.member, .en): "Member"
        }
    }
}

extension DossierItemKind: Labelled {
    public func label(_ locale: Language) -> String {
        switch (self, locale) {
        case (.capacityKit, .es): "Kit de capacidades"
        case (.capacityKit, .en): "Capacity kit"
        case (.problem, .es): "Problemática"
        case (.problem, .en): "Problem"
        case (.minimumCriterion, .es): "Criterio mínimo"
        case (.minimumCriterion, .en): "Minimum criterion"
        case (.solution, .es): "Solución"
        case (.solution, .en): "Solution"
        case (.preliminaryCommitment, .es): "Compromiso preliminar"
        case (.preliminaryCommitment, .en): "Preliminary commitment"
        case (.consultationFinding, .es): "Hallazgo de consulta pública"
        case (.consultationFinding, .en): "Public consultation finding"
        case (.informationRequests, .es): "Solicitudes de acceso a la información recurrentes"
        case (.informationRequests, .en): "Recurring information requests"
        case (.statistic, .es): "Estadística"
        case (.statistic, .en): "Statistic"
        case (.study, .es): "Estudio"
        case (.study, .en): "Study"
        }
    }
}

extension DeliveryState: Labelled {
    public func label(_ locale: Language) -> String {
        switch (self, locale) {
        case (.pending, .es): "En espera"
        case (.pending, .en): "Pending"
        case (.sending, .es): "Enviándose"
        case (.sending, .en): "Sending"
        case (.sent, .es): "Enviado"
        case (.sent, .en): "Sent"
        case (.failed, .es): "Fallido"
        case (.failed, .en): "Failed"
        case (.interrupted, .es): "Interrumpido"
        case (.interrupted, .en): "Interrupted"
        }
    }
}

extension CommitmentCategory: Labelled {
    public func label(_ language: Language) -> String {
        switch (self, language) {
        case (.procurement, .es): "Transparencia en contrataciones públicas"
        case (.procurement, .en): "Public procurement transparency"
        case (.nationalPlan, .es): "Alineado al plan de acción nacional"
        case (.nationalPlan, .en): "Aligned to the national action plan"
        case (.local, .es): "Problema local"
        case (.local, .en): "Local problem"
        }
    }
}

extension ActivityStatus: Labelled {
    public func label(_ language: Language) -> String {
        switch (self, language) {
        case (.notStarted, .es): "Sin iniciar"
        case (.notStarted, .en): "Not started"
        case (.inProgress, .es): "En curso"
        case (.inProgress, .en): "In progress"
        case (.completed, .es): "Concluida"
        case (.completed, .en): "Completed"
        }
    }
}

extension Stance: Labelled {
    public func label(_ language: Language) -> String {
        switch (self, language) {
        case (.agree, .es): "De acuerdo"
        case (.agree, .en): "Agree"
        case (.agreeWithReservations, .es): "De acuerdo con reservas"
        case (.agreeWithReservations, .en): "Agree with reservations"
        case (.disagree, .es): "En desacuerdo"
        case (.disagree, .en): "Disagree"
        }
    }
}

extension RoundtableStage: Labelled {
    public func label(_ language: Language) -> String {
        switch (self, language) {
        case (.scheduled, .es): "Programada"
        case (.scheduled, .en): "Scheduled"
        case (.introduction, .es): "Introducción"
        case (.introduction, .en): "Introduction"
        case (.analysis, .es): "Análisis de la problemática y soluciones"
        case (.analysis, .en): "Analysis of problems and solutions"
        case (.agreements, .es): "Acuerdos"
        case (.agreements, .en): "Agreements"
        case (.followUp, .es): "Seguimiento"
        case (.followUp, .en): "Follow-up"
        case (.closed, .es): "Concluida"
        case (.closed, .en): "Closed"
        }
    }
}

extension Presence: Labelled {
    public func label(_ language: Language) -> String {
        switch (self, language) {
        case (.present, .es): "Presente"
        case (.present, .en): "Present"
        case (.absent, .es): "Ausente"
        case (.absent, .en): "Absent"
        case (.represented, .es): "Representada"
        case (.represented, .en): "Represented"
        }
    }
}

extension InterventionKind: Labelled {
    public func label(_ language: Language) -> String {
        switch (self, language) {
        case (.doubt, .es): "Duda"
        case (.doubt, .en): "Doubt"
        case (.contribution, .es): "Aportación"
        case (.contribution, .en): "Contribution"
        case (.feedback, .es): "Retroalimentación"
        case (.feedback, .en): "Feedback"
        }
    }
}

extension DossierVisibility: Labelled {
    public func label(_ locale: Language) -> String {
        switch (self, locale) {
        case (.public, .es): "Pública"
        case (.public, .en): "Public"
        case (.stlOnly, .es): "Solo STL"
        case (.stlOnly, .en): "STL only"
        }
    }
}
