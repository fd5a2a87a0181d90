import CocreaCore
import Foundation
import Testing

/// Open data's CSV and the progress import that reads the same shape back.
@Suite struct OpenDataTests {
    static let activity = "6b1f9f3e-2c1a-4b0e-9d57-3f1e2a4c5b6d"

    @Test func csvQuotesCommasQuotesAndLineBreaks() {
        let csv = OpenDataset.conformity.csv([["Lucía Hernández", "civilSociety", "disagree", "Falta \"compras\", y\nseguimiento", "2026-11-25T18:00:00Z"]])
        #expect(csv.hasPrefix("memberName,sector,stance,reason,statedAt\r\n"))
        #expect(csv.contains("\"Falta \"\"compras\"\", y\nseguimiento\""))
    }

    @Test func everyDatasetHasADictionaryForEachColumn() {
        for dataset in OpenDataset.allCases {
            #expect(!dataset.columns.isEmpty)
            #expect(dataset.columns.allSatisfy { !$0.description.isEmpty && !$0.type.isEmpty })
        }
        #expect(OpenDataset.activities.columns.map(\.name).starts(with: ["activityId", "commitmentId"]))
    }

    @Test func importReadsTheActivitiesShape() throws {
        let rows = try ProgressImport.parse(
            csv:
                "activityId,commitmentId,title,status,progress,note,evidenceUrl\r\n\(Self.activity),x,Publicar,inProgress,40,\"Primer corte, enero\",https://datos.jalisco.gob.mx/abasto\r\n"
        )
        #expect(
            rows == [
                ProgressImportRow(
                    line: 2, activityID: UUID(uuidString: Self.activity)!, status: .inProgress, progress: 40,
                    note: "Primer corte, enero", evidenceURL: "https://datos.jalisco.gob.mx/abasto")
            ])
    }

    @Test func importReportsEveryBadRowAndReturnsNothing() {
        let csv = """
            activityId,status,progress,evidenceUrl
            \(Self.activity),completed,60,
            no-es-un-id,inProgress,10,
            \(Self.activity),hecho,140,ftp://x
            \(Self.activity),inProgress,10,https://datos.jalisco.gob.mx/\(String(repeating: "a", count: 500))
            """
        #expect {
            try ProgressImport.parse(csv: csv)
        } throws: { error in
            guard let error = error as? CocreaError else { return false }
            let messages = error.fieldErrors.map(\.message)
            return error.code == "csv_rows_invalid"
                && messages.contains("Fila 2, columna progress: una actividad concluida lleva 100 % de avance.")
                && messages.contains("Fila 3, columna activityId: no es un identificador de actividad válido.")
                && messages.filter { $0.hasPrefix("Fila 4,") }.count == 3
                && messages.contains("Fila 5, columna evidenceUrl: el enlace a la evidencia admite hasta 500 caracteres.")
        }
    }

    @Test func emptyFilesAndMissingColumnsAreRefused() {
        #expect(throws: CocreaError.self) { try ProgressImport.parse(csv: "") }
        #expect(throws: CocreaError.self) { try ProgressImport.parse(csv: "activityId,status\n\(Self.activity),inProgress\n") }
        #expect(throws: CocreaError.self) { try ProgressImport.parse(csv: "activityId,status,progress\n") }
    }
}
