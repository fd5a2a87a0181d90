import CocreaCore
import CocreaDocuments
import CocreaStore
import FluentKit
import Foundation
import NIOPosix

/// What an actor gives to sign with their e.firma: the certificate (`.cer`), the encrypted private key
/// (`.key`) and its password. Held only for the request; none of it is stored or logged.
package struct EFirmaSigningInput: Sendable {
    package var certificate: Data
    package var privateKey: Data
    package var password: String

    package init(certificate: Data, privateKey: Data, password: String) {
        self.certificate = certificate
        self.privateKey = privateKey
        self.password = password
    }
}

extension SigningOperations {
    /// Signing with the actor's e.firma instead of the emailed code: the key opens with the password,
    /// belongs to the certificate, the certificate names the member (their RFC or CURP), is valid now
    /// and chains to the authorities the operator trusts. Its CAdES signature over the version's
    /// canonical content (whose SHA-256 is on every page) is kept with the certificate's RFC, issuer and
    /// serial. Its revocation is then asked of the authority's OCSP responder (`revocation`): a revoked or
    /// unknown certificate is refused, and the answer is kept with the signature. A wrong password counts
    /// as a wrong code (five lock the link); any other refusal records nothing.
    package static func signWithEFirma(
        token: String, input: EFirmaSigningInput, from client: SigningClient, on ctx: UseCaseContext
    ) async throws -> SignedDTO {
        let signature = try await signature(token: token, on: ctx.db)
        try checkOpen(signature)
        guard signature.planVersion.sealedAt == nil else { throw CocreaError.alreadySealed }
        let member = signature.member
        guard !(member.rfc ?? "").isEmpty || !(member.curp ?? "").isEmpty else { throw CocreaError.efirmaHolderUnregistered }
        guard !input.certificate.isEmpty else { throw CocreaError.efirmaNotCertificate }
        guard !input.privateKey.isEmpty else { throw CocreaError.efirmaNotKey }
        var v = CocreaCore.Validator()
        _ = v.required(input.password, field: "password", label: "fieldEFirmaPassword", maxLength: 256)
        try v.check()

        let now = ctx.now
        let content = Array(signature.planVersion.content.utf8)
        let trust = ctx.trust
        let made: Result<EFirma.Signature, CocreaError> = try await ctx.threadPool.runIfActive {
            // Without configured authorities no certificate can be shown to chain to one.
            guard let trust else { return .failure(CocreaError.efirmaUntrusted) }
            var password = Array(input.password.utf8)
            do {
                return .success(
                    try EFirma.sign(
                        content, certificate: Array(input.certificate), privateKey: Array(input.privateKey), password: &password,
                        rfc: member.rfc, curp: member.curp, trust: trust, at: now))
            } catch let refusal as CocreaError {
                return .failure(refusal)
            }
        }
        let revocation: EFirmaRevocation.Answer? =
            if case .success(let signed) = made, let trust { try await Self.revocation(of: signed, trust: trust, on: ctx) } else { nil }
        let identity = ctx.identity
        let baseURL = ctx.baseURL
        let awaitsTimestamp = ctx.timestampAuthority != nil
        let threadPool = ctx.threadPool
        let authority = ctx.timestampAuthority
        let fetchClient = ctx.fetchClient
        let logger = ctx.logger
        let ip = client.ipAddress
        let userAgent = client.userAgent.map { String($0.prefix(500)) }
        enum Outcome { case signed(SignedDTO), refused(CocreaError) }
        let outcome: Outcome = try await ctx.writer.write(on: ctx.db, actor: actor(of: member)) { tx, audit in
            guard let fresh = try await Signature.find(signature.id, on: tx) else { throw CocreaError.notFound(.signature) }
            try checkOpen(fresh)
            let signed: EFirma.Signature
            switch made {
            case .success(let value): signed = value
            case .failure(let refusal) where refusal.code == ErrorCode.efirmaPasswordWrong.rawValue:
                guard case .wrong(let wrongCodes, let remaining) = SigningCode.wrong(after: fresh.failedAttempts) else { return .refused(refusal) }
                fresh.failedAttempts = wrongCodes
                try await fresh.save(on: tx)
                try await audit.record(
                    "failEFirmaPassword", entity: "signature", id: fresh.id, exercise: member.$exercise.id,
                    before: Optional<String>.none, after: ["failedAttempts": fresh.failedAttempts], at: now)
                return .refused(SigningCode.passwordRefusal(remaining: remaining))
            case .failure(let refusal): return .refused(refusal)
            }
            guard let version = try await PlanVersion.find(fresh.$planVersion.id, on: tx) else { throw CocreaError.notFound(.planVersion) }
            guard version.sealedAt == nil else { throw CocreaError.alreadySealed }
            let certificate = signed.certificate
            fresh.signedAt = now
            fresh.method = "efirma"
            fresh.codeHash = nil
            fresh.codeExpiresAt = nil
            fresh.ipAddress = ip
            fresh.userAgent = userAgent
            fresh.certificateRFC = certificate.rfc
            fresh.certificateIssuer = certificate.issuerName
            fresh.certificateSerial = certificate.serialNumber
            fresh.efirmaCMS = Data(signed.cms)
            fresh.efirmaCertificates = Data(([certificate.der] + signed.chain).joined())
            fresh.efirmaOCSP = revocation.map { Data($0.der) }
            fresh.revocationCheckedAt = revocation?.producedAt
            try await fresh.save(on: tx)
            // The actor's own PDF signature, over the newest revision of the signing copy with their fields filled.
            let (copy, values) = try await signingCopy(of: version, marking: [try fresh.requireID()], baseURL: baseURL, threadPool: threadPool, on: tx)
            let fieldName = PlanPDF.FieldName.efirma(PlanDocumentOperations.fieldKey(of: try member.requireID()))
            let reason = "Firma con e.firma del Plan de Acción Local PAL v\(version.number) · \(version.sha256.prefix(8).uppercased())"
            let signedPDF = try await threadPool.runIfActive {
                var password = Array(input.password.utf8)
                return try EFirma.signPDF(
                    certificate: Array(input.certificate), privateKey: Array(input.privateKey), password: &password, at: now
                ) { cades in
                    try PDFForm.signing(
                        copy, filling: values, fieldName: fieldName, subFilter: "ETSI.CAdES.detached", signingTime: now, name: certificate.holderName,
                        reason: reason, sign: cades)
                }
            }
            try await keepSigningCopy(
                await stampingLastSignature(signedPDF, by: authority, client: fetchClient, at: now, logger: logger), of: version, on: tx)
            try await audit.record(
                "sign", entity: "signature", id: fresh.id, exercise: member.$exercise.id, before: Optional<String>.none,
                after: [
                    "member": member.name, "method": "efirma", "rfc": certificate.rfc ?? "", "issuer": certificate.issuerName,
                    "serial": certificate.serialNumber, "revocation": revocation == nil ? "unchecked" : "ocsp",
                ], at: now)
            // The key is gone after this request; the timestamp over the CMS's signature value needs none.
            if awaitsTimestamp { try await TimestampRequest(planVersionID: version.requireID(), signatureID: fresh.requireID(), now: now).create(on: tx) }
            if try await everyoneSigned(version, on: tx) {
                try await seal(
                    version, identity: identity, baseURL: baseURL, now: now, awaitsTimestamp: awaitsTimestamp, threadPool: threadPool, on: tx, audit: audit)
            }
            return .signed(SignedDTO(memberId: member.id!, signedAt: now, sealed: version.sealedAt != nil))
        }
        switch outcome {
        case .signed(let signed): return signed
        case .refused(let refusal): throw refusal
        }
    }

    /// The OCSP answer that the certificate of `signed` is not revoked. Revoked is refused with its date,
    /// unknown as untrusted; a responder that cannot be reached, or whose answer cannot be relied on, refuses
    /// the signature while the operator requires the check, and otherwise leaves it recorded as not checked.
    static func revocation(of signed: EFirma.Signature, trust: EFirmaTrust, on ctx: UseCaseContext) async throws -> EFirmaRevocation.Answer? {
        let policy = ctx.ocsp
        let now = ctx.now
        do {
            guard let issuer = signed.chain.first, let url = policy.url ?? signed.certificate.ocspURL else {
                throw EFirmaRevocation.Unusable("the certificate names no OCSP responder and COCREA_OCSP_URL is unset")
            }
            let query = try EFirmaRevocation.Query(certificate: signed.certificate.der, issuer: issuer)
            let response = try await policy.ask(query, at: url, client: ctx.fetchClient)
            let answer = try await ctx.threadPool.runIfActive { try EFirmaRevocation.answer(response, to: query, trust: trust, at: now) }
            switch answer.status {
            case .good: return answer
            case .revoked(let date): throw CocreaError.efirmaRevoked(on: date)
            case .unknown: throw CocreaError.efirmaUntrusted
            }
        } catch let unusable as EFirmaRevocation.Unusable {
            ctx.logger.warning("efirma.revocationUnchecked", metadata: ["serial": "\(signed.certificate.serialNumber)", "reason": "\(unusable)"])
            if policy.required { throw CocreaError.efirmaOCSPUnavailable }
            return nil
        }
    }

    /// `pdf` with a DSS of the version's e.firma signatures (their certificates, chains and OCSP answers),
    /// so they can be validated later without the network; it goes before the seal, which then covers it.
    static func withValidationData(_ pdf: Data, of version: PlanVersion, on tx: Database) async throws -> Data {
        let signatures = try await Signature.query(on: tx).filter(\.$planVersion.$id == version.requireID()).filter(\.$method == "efirma")
            .filter(\.$signedAt != nil).sort(\.$signedAt).all()
        return try PDFDSS.appending(
            certificates: signatures.flatMap { EFirmaCertificate.certificates(concatenated: $0.efirmaCertificates ?? Data()) },
            ocspResponses: signatures.compactMap { $0.efirmaOCSP.map(Array.init) }, to: pdf)
    }
}
