import CocreaCore
import CocreaStore
import CocreaTestSupport
import CocreaUseCases
import Fluent
import Foundation
import Testing
import Vapor

@testable import CocreaWeb

/// Accounts and password sign-in, without HTTP.
@Suite struct AccountUseCaseTests {
    @Test(arguments: TestDatabase.all)
    func anAdministratorSignsInWithTheirPassword(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            _ = try await AccountOperations.createAdministrator(
                email: "adriana.velazquez@itei.example", name: "Mtra. Adriana Velázquez Ruiz", password: "transparencia-jalisco-2026",
                on: app.useCases)
            let user = try await AccountOperations.passwordSignIn(
                email: " Adriana.Velazquez@itei.example ", password: "transparencia-jalisco-2026", from: "203.0.113.7", on: app.useCases)
            #expect(user.name == "Mtra. Adriana Velázquez Ruiz")
            #expect(user.isAdministrator)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aWrongPasswordIsRefusedWithoutSayingWhichPartWasWrong(database: TestDatabase) async throws {
        try await withCocrea(database) { app in
            _ = try await AccountOperations.createAdministrator(
                email: "adriana.velazquez@itei.example", name: "Mtra. Adriana Velázquez Ruiz", password: "transparencia-jalisco-2026",
                on: app.useCases)
            for (email, password) in [("adriana.velazquez@itei.example", "contraseña-equivocada"), ("nadie@itei.example", "transparencia-jalisco-2026")] {
                await #expect {
                    try await AccountOperations.passwordSignIn(email: email, password: password, from: "203.0.113.7", on: app.useCases)
                } throws: { isRefusal($0, .invalidCredentials) }
            }
        }
    }
}
