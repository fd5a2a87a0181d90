/// Requests on four known topics, written the way people file them on the Plataforma Nacional de
/// Transparencia: a greeting or formula, the subject, a detail and sometimes a closing. Greetings,
/// closings and some details ("desglosado por colonia", "padrón") are shared across topics, as in
/// real files.
enum PlantedRequests {
    struct Topic {
        var name: String
        /// At least one of these must be among the words of the topic found for it.
        var characteristicWords: Set<String>
        var subjects: [String]
        var details: [String]
    }

    static let topics = [
        Topic(
            name: "obra pública y contratos", characteristicWords: ["obra", "contratos", "contrato"],
            subjects: [
                "los contratos de obra pública adjudicados por la Dirección de Obras Públicas en 2023",
                "el padrón de contratistas y el monto de cada contrato de pavimentación",
                "las licitaciones de obra para la rehabilitación de calles y banquetas",
                "los contratos por adjudicación directa para la construcción del mercado municipal",
                "el expediente de la licitación pública de la obra del puente vehicular",
            ],
            details: [
                "incluyendo el nombre de la empresa contratista y el monto contratado",
                "con las actas de fallo, las bitácoras de obra y las estimaciones pagadas",
                "así como los convenios modificatorios de plazo y monto de cada contrato",
                "y el avance físico y financiero de cada obra",
            ]),
        Topic(
            name: "becas y beneficiarios", characteristicWords: ["becas", "beca", "beneficiarios"],
            subjects: [
                "el padrón de beneficiarios del programa de becas para estudiantes de secundaria",
                "el número de becas otorgadas por escuela y el monto de cada beca",
                "los requisitos y la convocatoria de las becas de transporte para universitarios",
                "la lista de alumnos beneficiarios de la beca municipal de excelencia académica",
                "los criterios para asignar las becas escolares y cuántos estudiantes las recibieron",
            ],
            details: [
                "desglosado por colonia, sexo y grado escolar",
                "indicando el presupuesto ejercido en becas durante el ciclo escolar 2023-2024",
                "y cuántas solicitudes de beca fueron rechazadas y por qué motivo",
                "con la fecha de entrega de cada apoyo a los beneficiarios",
            ]),
        Topic(
            name: "nómina y sueldos", characteristicWords: ["sueldo", "sueldos", "nómina", "salario"],
            subjects: [
                "la nómina completa del Ayuntamiento con el sueldo bruto y neto de cada funcionario",
                "el sueldo mensual del presidente municipal, los regidores y el síndico",
                "el tabulador de sueldos y salarios de los servidores públicos de la administración",
                "cuánto ganan los directores de área, con su sueldo, compensaciones y aguinaldo",
                "la plantilla de personal de confianza y su salario quincenal",
            ],
            details: [
                "así como las prestaciones, bonos y compensaciones pagadas en 2024",
                "y el número de plazas de base, confianza y eventuales",
                "incluyendo los recibos de nómina timbrados del último trimestre",
                "con el puesto, la adscripción y el sueldo de cada servidor público",
            ]),
        Topic(
            name: "agua potable y tomas", characteristicWords: ["agua", "tomas", "potable"],
            subjects: [
                "el número de tomas de agua potable domiciliarias registradas en la colonia Las Águilas",
                "las tarifas del servicio de agua potable y alcantarillado vigentes",
                "los reportes de fugas de agua y el tiempo de reparación del organismo operador",
                "el calendario de tandeo y el suministro de agua en pipas a las colonias sin servicio",
                "la calidad del agua potable de los pozos municipales y los análisis de cloro residual",
            ],
            details: [
                "y cuántas tomas clandestinas se detectaron en el último año",
                "incluyendo el padrón de usuarios con adeudo en el pago del agua",
                "así como las inversiones en la red de agua potable y drenaje",
                "desglosado por colonia y por mes",
            ]),
    ]

    static let openings = [
        "Solicito", "Por medio de la presente solicito", "Quisiera conocer", "Requiero copia de",
        "Buenas tardes, quiero saber", "Favor de proporcionar",
    ]
    static let closings = [
        "", "Gracias.", "Atentamente, un ciudadano interesado.", "Solicito la información en formato Excel.",
        "Muchas gracias por su atención.",
    ]

    /// Twenty requests per topic (every subject with every detail), topics interleaved so that no
    /// topic is a contiguous block; with the planted topic of each.
    static func make() -> (texts: [String], topics: [Int]) {
        var texts: [String] = []
        var planted: [Int] = []
        for request in 0..<20 {
            for (index, topic) in topics.enumerated() {
                let opening = openings[(request + index) % openings.count]
                let closing = closings[(request * 3 + index) % closings.count]
                texts.append("\(opening) \(topic.subjects[request % 5]), \(topic.details[request / 5]). \(closing)")
                planted.append(index)
            }
        }
        return (texts, planted)
    }
}
