import CocreaTestSupport
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import CocreaWeb

/// The plain sign-in page is rendered once per language and handed to each visitor with their own
/// form token: never another visitor's, the one their form cookie holds, and a made-up cookie's value
/// escaped as any rendered page escapes it.
@Suite struct SignInPageTests {
    @Test func everyVisitorGetsTheSignInPageWithTheirOwnFormToken() async throws {
        try await withCocrea(.sqlite) { app in
            let fixture = try await Fixture.make(on: app)
            func token(in page: String) throws -> String {
                let start = try #require(page.range(of: #"name="csrf" value=""#))
                return String(page[start.upperBound...].prefix { $0 != "\"" })
            }

            let ana = Browser(app: app)
            let first = try await ana.get("/login").body.string
            let again = try await ana.get("/login").body.string
            let beto = try await Browser(app: app).get("/login").body.string
            #expect(try token(in: first) == ana[cookie: "cocrea_form"])
            #expect(try token(in: again) == ana[cookie: "cocrea_form"], "the token of the visitor's form cookie")
            #expect(try token(in: beto) != token(in: first))
            #expect(beto.replacingOccurrences(of: try token(in: beto), with: "") == first.replacingOccurrences(of: try token(in: first), with: ""))
            #expect(first.components(separatedBy: try token(in: first)).count == 3, "both forms carry it")
            #expect(try await ana.signIn(email: fixture.members["facilitator"]!.email, password: Fixture.password).status == .seeOther)

            let forger = Browser(app: app)
            forger[cookie: "cocrea_form"] = #"x"><script>alert(1)</script>"#
            let forged = try await forger.get("/login").body.string
            #expect(!forged.contains("<script>alert(1)</script>"))
            #expect(forged.contains("&lt;script&gt;"))
        }
    }
}
