import CocreaCore
import CocreaDocuments
import CocreaStore
import CocreaUseCases
import Fluent
import Vapor

/// The PAL as a PDF, its signatures (rule S1), the sealed file, its sending to every actor and its verification.
struct SigningAPI {
    func register(_ api: RoutesBuilder) {
        api.secured(.GET, "plan-versions", ":planVersionID", "document.pdf", policy: .exercise(.viewWorkspace), use: document)
        api.secured(.GET, "plan-versions", ":planVersionID", "sealed.pdf", policy: .open, use: sealed)
        api.secured(.GET, "plan-versions", ":planVersionID", "signatures", policy: .exercise(.viewWorkspace), use: status)
        api.secured(.POST, "plan-versions", ":planVersionID", "signature-requests", policy: .exercise(.facilitate), use: request)
        api.secured(
            .POST, "plan-versions", ":planVersionID", "paper-copy", policy: .exercise(.facilitate),
            body: .collect(maxSize: "21mb"), use: paperCopy)
        api.secured(.POST, "plan-versions", ":planVersionID", "distribution", policy: .exercise(.facilitate), use: distribute)
        api.secured(.GET, "plan-versions", ":planVersionID", "distribution", policy: .exercise(.viewWorkspace), use: distribution)
        api.secured(.POST, "signing", ":token", "code", policy: .open, use: sendCode)
        api.secured(.POST, "signing", ":token", policy: .open, use: sign)
        api.secured(.POST, "signing", ":token", "efirma", policy: .open, body: .collect(maxSize: Self.eFirmaBodyLimit), use: signWithEFirma)
        api.secured(.GET, "verify", policy: .open, use: verifyHash)
        api.secured(.POST, "verify", policy: .open, body: .collect(maxSize: "21mb"), use: verifyFile)
    }

    func document(req: Request, authorized: Authorized) async throws -> Response {
        let version = try await ConformityOperations.version(
            req.parameters.get("planVersionID", as: UUID.self), in: authorized.requireExercise(), on: req.useCases)
        return try await Self.documentResponse(version, on: req)
    }

    static func documentResponse(_ version: PlanVersion, on req: Request) async throws -> Response {
        try await PlanDocumentOperations.pdf(of: version, on: req.useCases).response
    }

    func sealed(req: Request, _: Authorized) async throws -> Response {
        try await SigningOperations.sealedPDF(req.parameters.get("planVersionID", as: UUID.self), on: req.useCases).response
    }

    func status(req: Request, authorized: Authorized) async throws -> SigningStatusDTO {
        try await SigningOperations.status(
            of: try await ConformityOperations.version(req.parameters.get("planVersionID", as: UUID.self), in: authorized.requireExercise(), on: req.useCases),
            on: req.useCases)
    }

    func request(req: Request, authorized: Authorized) async throws -> Response {
        let context = authorized.requireExercise()
        let status = try await SigningOperations.request(
            try await ConformityOperations.version(req.parameters.get("planVersionID", as: UUID.self), in: context, on: req.useCases), in: context,
            on: req.useCases)
        return try await status.encodeResponse(status: .accepted, for: req)
    }

    func distribute(req: Request, authorized: Authorized) async throws -> Response {
        let context = authorized.requireExercise()
        let status = try await PlanDistributionOperations.distribute(
            try await ConformityOperations.version(req.parameters.get("planVersionID", as: UUID.self), in: context, on: req.useCases), in: context,
            on: req.useCases)
        return try await status.encodeResponse(status: .accepted, for: req)
    }

    func distribution(req: Request, authorized: Authorized) async throws -> PlanDistributionDTO {
        try await PlanDistributionOperations.status(
            of: try await ConformityOperations.version(req.parameters.get("planVersionID", as: UUID.self), in: authorized.requireExercise(), on: req.useCases),
            on: req.useCases)
    }

    struct PaperCopyForm: Content {
        var file: File?
    }

    /// The scanned copy and who signed it by hand: one `signedBy[]` field per member id (a lone
    /// `signedBy` field is read as a list of one rather than lose the file with it).
    struct PaperCopyUpload: Content {
        var file: File?
        var signedBy: [String]?

        init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            file = try container.decodeIfPresent(File.self, forKey: .file)
            signedBy =
                (try? container.decodeIfPresent([String].self, forKey: .signedBy))
                ?? (try? container.decodeIfPresent(String.self, forKey: .signedBy)).flatMap { $0.map { [$0] } }
        }
    }

    func paperCopy(req: Request, authorized: Authorized) async throws -> SigningStatusDTO {
        let context = authorized.requireExercise()
        let version = try await ConformityOperations.version(req.parameters.get("planVersionID", as: UUID.self), in: context, on: req.useCases)
        let form = try? req.content.decode(PaperCopyUpload.self)
        guard let file = form?.file, file.data.readableBytes > 0 else {
            throw CocreaError.signedCopyMissing
        }
        return try await SigningOperations.paperCopy(
            version, file: Data(file.data.readableBytesView), signedBy: form?.signedBy ?? [], in: context, on: req.useCases)
    }

    func sendCode(req: Request, _: Authorized) async throws -> SigningCodeDTO {
        try await SigningOperations.sendCode(token: req.parameters.get("token") ?? "", on: req.useCases)
    }

    func sign(req: Request, _: Authorized) async throws -> SignedDTO {
        let input = (try? req.content.decode(SigningInput.self)) ?? SigningInput(code: nil)
        return try await SigningOperations.sign(token: req.parameters.get("token") ?? "", input: input, from: req.signingClient, on: req.useCases)
    }

    /// A `.cer` and a `.key` of at most 16 KB each (`EFirmaCertificate.maximumFileSize`) and a password.
    static let eFirmaBodyLimit: ByteCount = "64kb"

    /// The e.firma's two files and its password, as a multipart form.
    struct EFirmaUpload: Content {
        var certificate: File?
        var privateKey: File?
        var password: String?

        /// What the use case reads; a part missing (or a body that is not a form) is an empty file, which it names.
        static func input(from req: Request) -> EFirmaSigningInput {
            let form = try? req.content.decode(EFirmaUpload.self)
            return EFirmaSigningInput(
                certificate: form?.certificate.map { Data($0.data.readableBytesView) } ?? Data(),
                privateKey: form?.privateKey.map { Data($0.data.readableBytesView) } ?? Data(), password: form?.password ?? "")
        }
    }

    func signWithEFirma(req: Request, _: Authorized) async throws -> SignedDTO {
        try await SigningOperations.signWithEFirma(
            token: req.parameters.get("token") ?? "", input: EFirmaUpload.input(from: req), from: req.signingClient, on: req.useCases)
    }

    func verifyHash(req: Request, _: Authorized) async throws -> Response {
        try req.answer(try await VerificationOperations.verify(sha256: req.query[String.self, at: "sha256"] ?? "", on: req.useCases))
    }

    func verifyFile(req: Request, _: Authorized) async throws -> Response {
        guard let file = (try? req.content.decode(PaperCopyForm.self))?.file, file.data.readableBytes > 0 else {
            throw CocreaError.pdfToVerifyMissing
        }
        return try req.answer(try await VerificationOperations.verify(file: Data(file.data.readableBytesView), on: req.useCases))
    }
}
