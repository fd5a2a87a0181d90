import FluentKit
import SQLKit

/// An e.firma signature keeps what lets it be checked later without the network: its certificate with
/// the chain up to the trusted root, and the OCSP response that said it was not revoked (with when), or
/// none when revocation could not be checked and the operator does not require it.
struct AddEFirmaRevocation: AsyncMigration {
    func prepare(on database: Database) async throws {
        // One column at a time: SQLite alters a table by one column per statement.
        try await database.schema(Signature.schema).field("efirma_certificates", .data).update()
        try await database.schema(Signature.schema).field("efirma_ocsp", .data).update()
        try await database.schema(Signature.schema).field("revocation_checked_at", .datetime).update()
    }

    func revert(on database: Database) async throws {
        for field in ["revocation_checked_at", "efirma_ocsp", "efirma_certificates"] {
            try await database.schema(Signature.schema).deleteField(.key(.string(field))).update()
        }
    }
}
