import CocreaCore
import CocreaStore
import CocreaUseCases
import Fluent
import Vapor

/// Citizen proposals in pages: the public list and form (phone-sized, no account, no JavaScript), the
/// same form in kiosk mode (a tablet at a service window, starting over for the next person), the
/// confirmation of the proposer's email, and the STL's page to moderate and respond.
struct ProposalPages {
    func register(_ pages: RoutesBuilder) {
        pages.secured(.GET, "public", "exercises", ":exerciseID", "proposals", policy: .open) { req, _ in
            try await Self.renderPublic(req, kiosk: false, input: ProposalInput(), errors: [])
        }
        pages.secured(.POST, "public", "exercises", ":exerciseID", "proposals", policy: .open, csrf: .sameOrigin) { req, _ in
            try await Self.submit(req, kiosk: false)
        }
        pages.secured(.GET, "public", "exercises", ":exerciseID", "proposals", "kiosk", policy: .open) { req, _ in
            try await Self.renderPublic(req, kiosk: true, input: ProposalInput(), errors: [])
        }
        pages.secured(.POST, "public", "exercises", ":exerciseID", "proposals", "kiosk", policy: .open, csrf: .sameOrigin) { req, _ in
            try await Self.submit(req, kiosk: true)
        }
        pages.secured(.GET, "public", "proposals", "confirm", ":token", policy: .open, use: confirmation)
        pages.secured(.POST, "public", "proposals", "confirm", ":token", policy: .open, csrf: .sameOrigin, use: confirm)
        pages.secured(.GET, "exercises", ":exerciseID", "proposals", policy: .exercise(.viewWorkspace), use: workspace)
        pages.secured(.POST, "exercises", ":exerciseID", "proposals", ":proposalID", "moderation", policy: .exercise(.facilitate), use: moderate)
        pages.secured(.POST, "exercises", ":exerciseID", "proposals", ":proposalID", "response", policy: .exercise(.facilitate), use: respond)
    }

    // MARK: Public

    struct PublicItem: Encodable, Sendable {
        var number: Int
        var title: String
        var status: String
        var receivedOn: String
        var shown: Bool
        var hidden: Bool
        var awaiting: Bool
        var problem: String
        var solution: String
        var theme: String
        var hiddenReason: String
        var answered: Bool
        var outcome: String
        var reason: String
        var mergedWith: String
        /// The commitments it became, each linked to its public page (origin, progress, following it).
        var commitments: [CommitmentLink]
    }

    struct CommitmentLink: Encodable, Sendable {
        var title: String
        var url: String
    }

    struct PublicBody: Encodable, Sendable {
        var exerciseName: String
        var exerciseURL: String
        /// On a kiosk the page is only the form: no list, no way off it, no address remembered.
        var kiosk: Bool
        var action: String
        var open: Bool
        var openUntil: String
        var nextOpens: String
        var problem: String
        var solution: String
        var theme: String
        var email: String
        var honeypot: String
        var proposals: [PublicItem]
    }

    struct ThanksBody: Encodable, Sendable {
        var exerciseName: String
        var listURL: String
        var confirmationSent: Bool
        var kiosk: Bool
        /// The kiosk's empty form, which it goes back to by itself after a countdown (`Public/kiosk.js`).
        var again: String
    }

    struct ConfirmBody: Encodable, Sendable {
        var action: String
        var question: String
        var confirmed: Bool
        var listURL: String
    }

    /// Anyone once the exercise is public; the form only while the consultation window is open.
    static func renderPublic(
        _ req: Request, kiosk: Bool, input: ProposalInput, errors: [FieldError], status: HTTPStatus = .ok
    ) async throws -> Response {
        let intake = try await ProposalOperations.intake(req.parameters.get("exerciseID", as: UUID.self), on: req.useCases)
        let words = req.words
        let proposals = kiosk ? [] : try await ProposalOperations.publicList(of: intake.exerciseID, on: req.useCases)
        let numbers = Dictionary(uniqueKeysWithValues: proposals.map { ($0.id, $0.number) })
        let commitments = kiosk ? [] : try await ProposalOperations.commitments(of: intake.exerciseID, on: req.useCases)
        let titles = Dictionary(uniqueKeysWithValues: commitments.compactMap { commitment in commitment.id.map { ($0, commitment.title) } })
        var openUntil = ""
        var nextOpens = ""
        switch intake.window {
        case .open(let window): openUntil = words["proposalsOpenUntil", ["date": MexicanFormat.numeric(window.endsOn)]]
        case .closed(let next, _): nextOpens = next.map { words["proposalsNextWindow", ["date": MexicanFormat.numeric($0.startsOn)]] } ?? ""
        }
        let id = intake.exerciseID.uuidString.lowercased()
        let body = PublicBody(
            exerciseName: intake.exerciseName, exerciseURL: "/public/exercises/\(id)", kiosk: kiosk,
            action: "/public/exercises/\(id)/proposals\(kiosk ? "/kiosk" : "")",
            open: !openUntil.isEmpty, openUntil: openUntil, nextOpens: nextOpens,
            problem: input.problem ?? "", solution: input.solution ?? "", theme: input.theme ?? "", email: input.email ?? "",
            honeypot: ProposalOperations.honeypotField,
            proposals: proposals.map { proposal in
                let response = proposal.response
                return PublicItem(
                    number: proposal.number, title: words["proposalNumber", ["number": "\(proposal.number)"]],
                    status: words["proposalStatus_\(proposal.status.rawValue)"],
                    receivedOn: words["proposalReceivedOn", ["date": MexicanFormat.numeric(proposal.receivedAt, in: intake.zone)]],
                    shown: proposal.status == .published, hidden: proposal.status == .hidden, awaiting: proposal.status == .received,
                    problem: proposal.problem ?? "", solution: proposal.solution ?? "", theme: proposal.theme ?? "",
                    hiddenReason: proposal.status == .hidden ? words["proposalHiddenReason", ["reason": proposal.moderationReason ?? ""]] : "",
                    answered: response != nil, outcome: response.map { words["proposalOutcome_\($0.outcome.rawValue)"] } ?? "",
                    reason: response?.reason ?? "",
                    mergedWith: response?.mergedInto.flatMap { numbers[$0] }.map { words["proposalMergedWith", ["number": "\($0)"]] } ?? "",
                    commitments: (response?.commitmentIds ?? []).compactMap { id in
                        titles[id].map { CommitmentLink(title: $0, url: "/public/commitments/\(id.uuidString.lowercased())") }
                    })
            })
        // No session and no CSRF token: proposing leaves nothing behind in the browser.
        return try await Page.render(
            Templates.proposalsPublic, title: words["proposalsTitle", ["exercise": intake.exerciseName]], body, errors: errors, status: status,
            forms: false, on: req)
    }

    static func submit(_ req: Request, kiosk: Bool) async throws -> Response {
        var form = try FormFields.parse(req)
        let honeypot = form.removeValue(forKey: ProposalOperations.honeypotField)?.first
        let input = ProposalInput(
            problem: form["problem"]?.first, solution: form["solution"]?.first, theme: form["theme"]?.first, email: form["email"]?.first,
            website: honeypot)
        let exerciseID = req.parameters.get("exerciseID", as: UUID.self)
        let receipt: ProposalReceiptDTO
        do {
            receipt = try await ProposalOperations.submit(input, to: exerciseID, client: req.clientAddress, kiosk: kiosk, on: req.useCases)
        } catch let error as CocreaError where error.kind != .notFound && error.status < 500 {
            let known = Set(["problem", "solution", "theme", "email"])
            let errors =
                error.fieldErrors.isEmpty
                ? [FieldError(field: "propuesta", message: error.message(req.words))]
                : error.fieldErrors.map { known.contains($0.field) ? $0 : FieldError(field: "propuesta", text: $0.text) }
            return try await renderPublic(req, kiosk: kiosk, input: input, errors: errors, status: HTTPStatus(statusCode: error.status))
        }
        let intake = try await ProposalOperations.intake(exerciseID, on: req.useCases)
        let list = "/public/exercises/\(receipt.exerciseId.uuidString.lowercased())/proposals"
        return try await Page.render(
            Templates.proposalThanks, title: req.words["proposalThanks"],
            ThanksBody(
                exerciseName: intake.exerciseName, listURL: list, confirmationSent: receipt.confirmationSent, kiosk: kiosk, again: list + "/kiosk"),
            forms: false, on: req)
    }

    /// Opening the link only shows a button: a mail scanner following links confirms nothing.
    func confirmation(req: Request, _: Authorized) async throws -> Response {
        let token = req.parameters.get("token") ?? ""
        let proposal = try await ProposalOperations.pendingConfirmation(token, on: req.useCases)
        return try await Self.renderConfirm(req, token: token, proposal: proposal, confirmed: false)
    }

    func confirm(req: Request, _: Authorized) async throws -> Response {
        let token = req.parameters.get("token") ?? ""
        let proposal = try await ProposalOperations.confirm(token, on: req.useCases)
        return try await Self.renderConfirm(req, token: token, proposal: proposal, confirmed: true)
    }

    private static func renderConfirm(_ req: Request, token: String, proposal: Proposal, confirmed: Bool) async throws -> Response {
        try await Page.render(
            Templates.proposalConfirm, title: req.words["proposalConfirmTitle"],
            ConfirmBody(
                action: "/public/proposals/confirm/\(token)",
                question: req.words["proposalConfirmBody", ["problem": ProposalRules.summary(proposal.problem)]], confirmed: confirmed,
                listURL: "/public/exercises/\(proposal.$exercise.id.uuidString.lowercased())/proposals"),
            forms: false, on: req)
    }

    // MARK: The STL's page

    struct Choice: Encodable, Sendable {
        var value: String
        var label: String
        var selected: Bool
    }

    struct WorkspaceItem: Encodable, Sendable {
        var id: UUID
        var number: Int
        var title: String
        var status: String
        var receivedOn: String
        var problem: String
        var solution: String
        var theme: String
        var moderationReason: String
        var notified: Bool
        var published: Bool
        var actions: [Choice]
        var outcomes: [Choice]
        var reason: String
        var commitments: [Choice]
        var mergeTargets: [Choice]
    }

    struct WorkspaceBody: Encodable, Sendable {
        var exercise: WorkspacePages.ExerciseView
        var publicURL: String
        /// In full, to type on the tablet at a service window.
        var kioskURL: String
        var canRespond: Bool
        var notice: String
        var proposals: [WorkspaceItem]
    }

    func workspace(req: Request, authorized: Authorized) async throws -> Response {
        try await Self.renderWorkspace(req, authorized.requireExercise(), notice: "", errors: [])
    }

    static func renderWorkspace(
        _ req: Request, _ context: ExerciseContext, notice: String, errors: [FieldError], status: HTTPStatus = .ok
    ) async throws -> Response {
        let words = req.words
        let proposals = try await ProposalOperations.list(of: context.exerciseID, on: req.useCases)
        let commitments = try await ProposalOperations.commitments(of: context.exerciseID, on: req.useCases)
        let items = proposals.map { proposal in
            let response = proposal.response
            return WorkspaceItem(
                id: proposal.id, number: proposal.number, title: words["proposalNumber", ["number": "\(proposal.number)"]],
                status: words["proposalStatus_\(proposal.status.rawValue)"],
                receivedOn: words["proposalReceivedOn", ["date": MexicanFormat.numeric(proposal.receivedAt, in: context.exercise.zone)]],
                problem: proposal.problem, solution: proposal.solution, theme: proposal.theme, moderationReason: proposal.moderationReason,
                notified: proposal.emailConfirmed, published: proposal.status == .published,
                actions: ModerationAction.allCases.map {
                    Choice(
                        value: $0.rawValue, label: words["moderationAction_\($0.rawValue)"],
                        selected: ($0 == .hide) == (proposal.status == .hidden))
                },
                outcomes: ProposalOutcome.allCases.map {
                    Choice(value: $0.rawValue, label: words["proposalOutcome_\($0.rawValue)"], selected: response?.outcome == $0)
                },
                reason: response?.reason ?? "",
                commitments: commitments.map {
                    Choice(value: $0.id!.uuidString.lowercased(), label: $0.title, selected: response?.commitmentIds.contains($0.id!) == true)
                },
                mergeTargets: proposals.filter { $0.id != proposal.id && $0.status == .published }.map {
                    Choice(
                        value: $0.id.uuidString.lowercased(), label: words["proposalNumber", ["number": "\($0.number)"]],
                        selected: response?.mergedInto == $0.id)
                })
        }
        let publicURL = "/public/exercises/\(context.exerciseID.uuidString.lowercased())/proposals"
        let body = WorkspaceBody(
            exercise: .init(context), publicURL: publicURL, kioskURL: "\(req.application.options.baseURL)\(publicURL)/kiosk",
            canRespond: context.access.allows(.facilitate), notice: notice, proposals: items)
        return try await Page.render(Templates.proposals, title: context.exercise.name, body, errors: errors, status: status, on: req)
    }

    func moderate(req: Request, authorized: Authorized) async throws -> Response {
        let context = authorized.requireExercise()
        let form = try FormFields.parse(req)
        let proposalID = req.parameters.get("proposalID", as: UUID.self)
        return try await Self.act(req, context, proposalID, notice: "proposalModerated") {
            _ = try await ProposalOperations.moderate(
                proposalID, ModerationInput(action: form["action"]?.first, reason: form["reason"]?.first), in: context, on: req.useCases)
        }
    }

    func respond(req: Request, authorized: Authorized) async throws -> Response {
        let context = authorized.requireExercise()
        let form = try FormFields.parse(req)
        let proposalID = req.parameters.get("proposalID", as: UUID.self)
        let input = ProposalResponseInput(
            outcome: form["outcome"]?.first, reason: form["reason"]?.first, commitmentIds: form["commitmentIds"] ?? [],
            mergedInto: form["mergedInto"]?.first)
        return try await Self.act(req, context, proposalID, notice: "proposalResponded") {
            _ = try await ProposalOperations.respond(proposalID, input, in: context, on: req.useCases)
        }
    }

    /// A refused form is shown again with its errors, each pointing at the proposal it concerns.
    private static func act(
        _ req: Request, _ context: ExerciseContext, _ proposalID: UUID?, notice: String, _ action: () async throws -> Void
    ) async throws -> Response {
        do {
            try await action()
        } catch let error as CocreaError where error.kind != .notFound && error.status < 500 {
            let anchor = "propuesta-\(proposalID?.uuidString.lowercased() ?? "")"
            let errors =
                error.fieldErrors.isEmpty
                ? [FieldError(field: anchor, message: error.message(req.words))] : error.fieldErrors.map { FieldError(field: anchor, text: $0.text) }
            return try await renderWorkspace(req, context, notice: "", errors: errors, status: HTTPStatus(statusCode: error.status))
        }
        return try await renderWorkspace(req, context, notice: req.words[notice], errors: [])
    }
}
