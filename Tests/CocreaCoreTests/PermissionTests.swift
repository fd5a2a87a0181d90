import CocreaCore
import Testing

@Suite struct PermissionTests {
    @Test func outsiderMayDoNothing() {
        for permission in Permission.allCases {
            #expect(!Access.outsider.allows(permission))
        }
    }

    @Test func civilSocietyMemberReadsButDoesNotManage() {
        let access = Access(isInstanceAdministrator: false, role: .member, sector: .civilSociety)
        #expect(access.allows(.viewWorkspace))
        #expect(!access.allows(.manageMembers))
        #expect(!access.allows(.facilitate))
        #expect(!access.allows(.contributeDossier))
    }

    @Test func guarantorBringsKickoffResultsAndInstitutionBringsConsultation() {
        let guarantor = Access(isInstanceAdministrator: false, role: .member, sector: .guarantor)
        let institution = Access(isInstanceAdministrator: false, role: .member, sector: .institution)
        #expect(guarantor.mayContribute(.capacityKit))
        #expect(guarantor.mayContribute(.preliminaryCommitment))
        #expect(!guarantor.mayContribute(.informationRequests))
        #expect(guarantor.allows(.distributeDossier), "the guarantor sends the dossier")
        #expect(!institution.allows(.distributeDossier))
        #expect(institution.mayContribute(.consultationFinding))
        #expect(institution.mayContribute(.statistic))
        #expect(!institution.mayContribute(.capacityKit))
    }

    @Test func onlyMembersStateConformityEvenIfTheyAdministerTheInstance() {
        #expect(!Access(isInstanceAdministrator: true, role: nil, sector: nil).allows(.stateConformity))
        #expect(Access(isInstanceAdministrator: false, role: .member, sector: .civilSociety).allows(.stateConformity))
    }

    @Test func progressIsReportedByTheInstitutionTheFacilitationAndAdministrators() {
        #expect(Access(isInstanceAdministrator: false, role: .member, sector: .institution).allows(.reportProgress))
        #expect(Access(isInstanceAdministrator: false, role: .facilitator, sector: .guarantor).allows(.reportProgress))
        #expect(Access(isInstanceAdministrator: false, role: .administrator, sector: .civilSociety).allows(.reportProgress))
        #expect(Access(isInstanceAdministrator: true, role: nil, sector: nil).allows(.reportProgress))
        #expect(!Access(isInstanceAdministrator: false, role: .member, sector: .civilSociety).allows(.reportProgress))
        #expect(!Access(isInstanceAdministrator: false, role: .member, sector: .guarantor).allows(.reportProgress))
    }

    @Test func facilitatorManagesAndContributesAnyKind() {
        let facilitator = Access(isInstanceAdministrator: false, role: .facilitator, sector: .civilSociety)
        #expect(facilitator.allows(.manageMembers))
        #expect(facilitator.allows(.facilitate))
        #expect(DossierItemKind.allCases.allSatisfy(facilitator.mayContribute))
    }
}
