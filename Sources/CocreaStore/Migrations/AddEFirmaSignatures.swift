import FluentKit
import SQLKit

/// A signature made with an e.firma keeps what identifies the certificate (the holder's RFC, the
/// issuing authority and the serial number) and the CMS it made; never the key or its password.
struct AddEFirmaSignatures: AsyncMigration {
    func prepare(on database: Database) async throws {
        // One column at a time: SQLite alters a table by one column per statement.
        try await database.schema(Signature.schema).field("certificate_rfc", .string).update()
        try await database.schema(Signature.schema).field("certificate_issuer", .string).update()
        try await database.schema(Signature.schema).field("certificate_serial", .string).update()
        try await database.schema(Signature.schema).field("efirma_cms", .data).update()
    }

    func revert(on database: Database) async throws {
        for field in ["efirma_cms", "certificate_serial", "certificate_issuer", "certificate_rfc"] {
            try await database.schema(Signature.schema).deleteField(.key(.string(field))).update()
        }
    }
}
