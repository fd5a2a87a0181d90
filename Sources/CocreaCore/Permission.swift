/// What a person may do in one exercise, decided from their membership alone (deny by default).
public enum Permission: String, Sendable, CaseIterable {
    /// Read the exercise's private workspace: members, dossier, files.
    case viewWorkspace
    /// Invite members, change roles.
    case manageMembers
    /// Add an item to the dossier (further limited by `Access.mayContribute(_:)`).
    case contributeDossier
    /// Send the dossier to every member and remind who has not opened it: the facilitator or the guarantor.
    case distributeDossier
    /// Schedule and run tables, edit commitments.
    case facilitate
    /// State one's own conformity with the plan: members only, whatever else they may administer.
    case stateConformity
    /// Run the institution's public consultation: surveys and information-request imports.
    case consult
    /// Report an activity's progress, published at once: the institution that carries the plan out
    /// and the facilitation, not every member.
    case reportProgress
    /// Verify or observe a progress report: civil-society members of the STL only, whatever else they
    /// may administer (an instance administrator who is not one does not verify).
    case verifyProgress
}

/// One person's standing in one exercise.
public struct Access: Sendable, Equatable {
    public var isInstanceAdministrator: Bool
    /// Nil when the person is not a member of the exercise.
    public var role: Role?
    public var sector: Sector?

    public init(isInstanceAdministrator: Bool, role: Role?, sector: Sector?) {
        self.isInstanceAdministrator = isInstanceAdministrator
        self.role = role
        self.sector = sector
    }

    public static let outsider = Access(isInstanceAdministrator: false, role: nil, sector: nil)

    public func allows(_ permission: Permission) -> Bool {
        if permission == .stateConformity { return role != nil }
        if permission == .verifyProgress { return role != nil && sector == .civilSociety }
        if isInstanceAdministrator { return true }
        guard let role else { return false }
        switch permission {
        case .viewWorkspace: return true
        case .manageMembers, .facilitate: return role == .administrator || role == .facilitator
        case .contributeDossier: return role != .member || sector == .guarantor || sector == .institution
        case .distributeDossier: return role != .member || sector == .guarantor
        case .stateConformity: return true
        case .consult, .reportProgress: return role != .member || sector == .institution
        case .verifyProgress: return sector == .civilSociety
        }
    }

    /// The guarantor brings the kit and the kickoff results, the institution its consultation material;
    /// the administrator and the facilitator may add any kind on anyone's behalf.
    public func mayContribute(_ kind: DossierItemKind) -> Bool {
        if isInstanceAdministrator || role == .administrator || role == .facilitator { return true }
        guard role == .member, let sector else { return false }
        return kind.contributingSector == sector
    }
}
