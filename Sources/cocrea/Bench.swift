import ArgumentParser
import CocreaConsultation
import CocreaDocuments
import CocreaUseCases
import CocreaWeb
import Foundation

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Mediciones reproducibles.", subcommands: [PAL.self, Topics.self, Seed.self])

    /// The PAL rendered and sealed by Cocrea (cairo + pango + CMS) against Chromium's headless
    /// print-to-PDF of an equivalent HTML page, measured in the same run.
    struct PAL: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Renderiza y sella un PAL de 5 y de 200 compromisos, frente a Chromium.")

        @ArgumentParser.Option(help: "Repeticiones de Cocrea por tamaño.") var iterations = 15
        @ArgumentParser.Option(help: "Repeticiones de Chromium por tamaño.") var chromiumIterations = 3
        @ArgumentParser.Option(help: "El ejecutable de Chromium.") var chromium = "/usr/bin/chromium"
        @ArgumentParser.Option(help: "Escribe el informe en Markdown en este archivo.") var output: String?

        func run() async throws {
            let identity = try InstanceIdentity.generate(commonName: "Cocrea · medición").identity
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cocrea-bench-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            var rows: [String] = []
            for size in [5, 200] {
                let plan = BenchmarkPlan.make(commitments: size)
                var pages = 0
                let cocrea = try measure(iterations) {
                    let pdf = try PDFSeal.apply(
                        to: PlanPDF.render(plan), identity: identity, manifest: Data("{}".utf8), signingTime: Date(),
                        signerName: "Cocrea · medición", reason: "medición")
                    pages = pdf.count
                }
                let html = directory.appendingPathComponent("plan-\(size).html")
                try BenchmarkPlan.html(plan).write(to: html, atomically: true, encoding: .utf8)
                let printed = directory.appendingPathComponent("plan-\(size)-chromium.pdf")
                let chrome = try measure(chromiumIterations) {
                    try runChromium(html: html, pdf: printed)
                }
                let chromeBytes = (try? Data(contentsOf: printed).count) ?? 0
                let ratio = chrome.median / cocrea.median
                let target = size == 5 ? 0.100 : 3.0
                rows.append(
                    "| \(size) | \(ms(cocrea.median)) (p90 \(ms(cocrea.p90))) | \(ms(chrome.median)) | \(String(format: "%.1f×", ratio)) | \(cocrea.median < target ? "sí" : "NO") (< \(ms(target))) | \(ratio >= 10 ? "sí" : "NO") (≥ 10×) | \(pages / 1024) KB / \(chromeBytes / 1024) KB |"
                )
            }
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)
            var children = rusage()
            getrusage(RUSAGE_CHILDREN.rawValue, &children)
            let report = """
                ## PAL: render + seal (Cocrea) vs. Chromium --print-to-pdf

                Measured \(ISO8601DateFormatter().string(from: Date())) on \(ProcessInfo.processInfo.activeProcessorCount) cores; medians of \(iterations) (Cocrea) and \(chromiumIterations) (Chromium) runs.

                | commitments | Cocrea render + seal | Chromium print-to-pdf | Chromium / Cocrea | Cocrea under target | ≥ 10× faster | PDF size (Cocrea / Chromium) |
                |---|---|---|---|---|---|---|
                \(rows.joined(separator: "\n"))

                Peak memory: Cocrea process \(usage.ru_maxrss / 1024) MB; largest Chromium process \(children.ru_maxrss / 1024) MB.
                """
            print(report)
            if let output { try (report + "\n").write(toFile: output, atomically: true, encoding: .utf8) }
        }

        private func runChromium(html: URL, pdf: URL) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: chromium)
            process.arguments = [
                "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                "--print-to-pdf=\(pdf.path)", html.absoluteString,
            ]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { throw ValidationError("Chromium terminó con \(process.terminationStatus)") }
        }

        private func measure(_ count: Int, _ body: () throws -> Void) throws -> (median: Double, p90: Double) {
            var times: [Double] = []
            for _ in 0..<max(count, 1) {
                let start = DispatchTime.now().uptimeNanoseconds
                try body()
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            }
            times.sort()
            return (times[times.count / 2], times[min(times.count - 1, Int(Double(times.count) * 0.9))])
        }

        private func ms(_ seconds: Double) -> String { String(format: "%.0f ms", seconds * 1000) }
    }
}

extension BenchCommand {
    /// Import and topic detection of an information-request file, timed apart, with each row's topic
    /// written out so that `Benchmarks/request_topics.py` can score it against the planted topics and
    /// against scikit-learn on the same file.
    struct Topics: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Importa un archivo de solicitudes y encuentra sus temas recurrentes, cronometrado.")

        @ArgumentParser.Option(help: "Archivo de solicitudes de acceso a la información (CSV o XLSX).") var input: String
        @ArgumentParser.Option(help: "Número de temas; 0 para elegirlo automáticamente.") var topics = 0
        @ArgumentParser.Option(help: "Escribe en este archivo JSON el tema de cada fila y los temas.") var labels: String?

        struct Output: Encodable {
            struct Topic: Encodable {
                var label: String
                var terms: [String]
                var size: Int
            }
            struct Seconds: Encodable {
                var read: Double
                var cluster: Double
                var total: Double
            }
            /// The topic of each valid row, in file order (-1: no usable words).
            var labels: [Int]
            var topics: [Topic]
            var rows: Int
            var problems: Int
            var seconds: Seconds
        }

        func run() throws {
            let start = DispatchTime.now().uptimeNanoseconds
            let report = try RequestFile.read(Data(contentsOf: URL(fileURLWithPath: input)), filename: (input as NSString).lastPathComponent)
            let read = DispatchTime.now().uptimeNanoseconds
            let detection = TopicModel.detect(report.rows.map(\.text), topicCount: topics == 0 ? nil : topics)
            let end = DispatchTime.now().uptimeNanoseconds
            let seconds = Output.Seconds(read: Double(read - start) / 1e9, cluster: Double(end - read) / 1e9, total: Double(end - start) / 1e9)
            if let labels {
                let output = Output(
                    labels: detection.assignments,
                    topics: detection.topics.map { .init(label: $0.label, terms: $0.terms, size: $0.members.count) },
                    rows: report.rows.count, problems: report.problems.count, seconds: seconds)
                try JSONEncoder().encode(output).write(to: URL(fileURLWithPath: labels))
            }
            print(
                String(
                    format: "%d solicitudes (%d filas con problemas), %d temas: lectura %.2f s, agrupación %.2f s, total %.2f s",
                    report.rows.count, report.problems.count, detection.topics.count, seconds.read, seconds.cluster, seconds.total))
        }
    }
}

/// A realistic plan of any size and the same content as an HTML page, for the comparison.
enum BenchmarkPlan {
    static func make(commitments count: Int) -> PlanDocument {
        let signers = [
            ("Mtra. Adriana Velázquez Ruiz", "Organismo garante", "ITEI"), ("Lic. Jorge Ramírez Ochoa", "Organismo garante", "STL Jalisco"),
            ("Dra. María Fernanda López Castañeda", "Institución pública", "Secretaría de Salud Jalisco"),
            ("Lucía Hernández Paredes", "Sociedad civil", "Datos Abiertos GDL"), ("Rosa Ortiz Medina", "Sociedad civil", "Red de Mujeres"),
            ("Mtro. Tomás Aguilar Reyes", "Organismo garante", "ITEI"),
        ].map { PlanDocument.Signer(name: $0.0, sector: $0.1, organization: $0.2) }
        let categories = ["Transparencia en contrataciones públicas", "Alineado al plan nacional", "Alineado al plan nacional", "Local", "Local"]
        return PlanDocument(
            exerciseName: "Ejercicio local de gobierno abierto Jalisco 2026", territory: "Jalisco", versionNumber: 1,
            sha256: String(repeating: "3fa9c01b", count: 8), frozenAt: "miércoles 25 de noviembre de 2026, 13:40",
            verificationURL: "https://cocrea.jalisco.gob.mx/verify/6b1f9f3e-2c1a-4b0e-9d57-3f1e2a4c5b6d", signers: signers,
            commitments: (1...count).map { number in
                PlanDocument.Commitment(
                    title: "Compromiso \(number): publicar el abasto de medicamentos por centro de salud",
                    category: categories[(number - 1) % categories.count], link: nil,
                    problem: "Las recetas surtidas de forma incompleta superaron el 30 % en los centros de salud de la región Altos Sur.",
                    description: "Tablero público mensual con existencias, recetas no surtidas y compras por unidad médica.",
                    objective: "Reducir las recetas no surtidas", indicator: "Porcentaje de recetas surtidas completas",
                    baseline: "70 % (2025)", target: "95 % (2027)", meansOfVerification: "Reporte mensual publicado en datos abiertos",
                    span: "15/01/2027 – 15/12/2027", leadInstitution: "Secretaría de Salud Jalisco",
                    activities: (1...3).map { activity in
                        .init(
                            title: "Actividad \(activity): integrar el inventario de farmacias al tablero", responsible: "Lic. Jorge Ramírez Ochoa",
                            institution: "Secretaría de Salud Jalisco", dueOn: "31/0\(activity + 2)/2027")
                    })
            })
    }

    static func html(_ plan: PlanDocument) -> String {
        func escape(_ text: String) -> String {
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
        }
        let boxes = plan.signers.map { "<div class=box><small>Rúbrica: \(escape($0.name))</small></div>" }.joined()
        var body = "<h1>Plan de Acción Local</h1><p>\(escape(plan.exerciseName)) · \(escape(plan.territory))</p><table>"
        body += plan.signers.map { "<tr><td>\(escape($0.name))</td><td>\($0.sector)</td><td>\(escape($0.organization))</td></tr>" }.joined() + "</table>"
        for (number, commitment) in plan.commitments.enumerated() {
            body += "<h2>Compromiso \(number + 1). \(escape(commitment.title))</h2><table>"
            for (label, value) in [
                ("Categoría", commitment.category), ("Problema", commitment.problem), ("Descripción", commitment.description),
                ("Objetivo", commitment.objective), ("Indicador", commitment.indicator), ("Línea base", commitment.baseline),
                ("Meta", commitment.target), ("Medio de verificación", commitment.meansOfVerification), ("Periodo", commitment.span),
                ("Institución responsable", commitment.leadInstitution),
            ] {
                body += "<tr><th>\(label)</th><td>\(escape(value))</td></tr>"
            }
            body += "</table><table><tr><th>Actividad</th><th>Responsable</th><th>Institución</th><th>Fecha de cumplimiento</th></tr>"
            body += commitment.activities.map {
                "<tr><td>\(escape($0.title))</td><td>\(escape($0.responsible))</td><td>\(escape($0.institution))</td><td>\($0.dueOn)</td></tr>"
            }.joined()
            body += "</table>"
        }
        body += "<h2>Firmas (Anexo 2)</h2>" + plan.signers.map { "<p class=sign>\(escape($0.name))<br>\($0.sector) · \(escape($0.organization))</p>" }.joined()
        return """
            <!doctype html><html lang="es"><head><meta charset="utf-8"><title>PAL</title><style>
            @page { size: A4; margin: 20mm 20mm 35mm }
            body { font-family: "DejaVu Sans"; font-size: 10pt } table { width: 100%; border-collapse: collapse; margin-bottom: 8pt }
            td, th { border-bottom: 0.5pt solid #ccc; padding: 3pt; text-align: left; vertical-align: top } tr { break-inside: avoid }
            footer { position: fixed; bottom: -28mm; left: 0; right: 0; display: flex; gap: 4pt }
            .box { border: 0.6pt solid #777; height: 30pt; flex: 1 } .sign { margin-top: 30pt; border-top: 0.5pt solid #777 }
            </style></head><body><footer>\(boxes)</footer>\(body)</body></html>
            """
    }
}

extension BenchCommand {
    /// A national instance for `Benchmarks/scale.py`: copies of the first sealed exercise under other
    /// municipalities' names until the instance holds `--exercises` sealed ones.
    struct Seed: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Copia el ejercicio firmado hasta tener N ejercicios con plan firmado (medición de escala).")

        @ArgumentParser.Option(help: "Ejercicios con plan firmado al terminar.") var exercises: Int

        func run() async throws {
            do {
                let total = try await withApplication(exclusive: "Detén el servidor antes de sembrar ejercicios.") { app in
                    try await ScaleSeed.grow(to: exercises, on: app)
                }
                print("Ejercicios con plan firmado: \(total)")
            } catch { throw report(error) }
        }
    }
}
