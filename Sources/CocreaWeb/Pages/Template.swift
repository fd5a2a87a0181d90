/// A page template (`Resources/Views/<path>.leaf`) and the type of the model it renders, so a page
/// cannot hand a template another page's model.
struct Template<Model: Encodable & Sendable>: Sendable {
    let path: String

    init(_ path: String) {
        self.path = path
    }
}

/// Every page, in its feature's folder. A partial (`_name.leaf`) is not a page: it is included with
/// `#extend` and reads the model of the page that includes it. `PageTemplateTests` renders each of
/// these with a model that has every value and fails on a variable the model lacks, and on a
/// template file that is neither listed there nor a partial.
enum Templates {
    static let home = Template<Page.Empty>("shared/home")
    static let privacy = Template<Page.Empty>("shared/privacy")
    static let error = Template<Page.ErrorBody>("shared/error")

    static let login = Template<AuthPages.FormBody>("accounts/login")
    static let loginConfirm = Template<AuthPages.ConfirmBody>("accounts/login-confirm")
    static let deliveries = Template<OutboxPages.Body>("admin/deliveries")

    static let exercises = Template<WorkspacePages.ListBody>("workspace/exercises")
    static let exerciseNew = Template<WorkspacePages.NewBody>("workspace/exercise-new")
    static let exercise = Template<WorkspacePages.WorkspaceBody>("workspace/exercise")
    static let members = Template<WorkspacePages.WorkspaceBody>("workspace/members")

    static let dossier = Template<WorkspacePages.WorkspaceBody>("dossier/dossier")
    static let status = Template<DossierPages.StatusBody>("dossier/status")
    static let receipt = Template<DossierPages.ReceiptBody>("dossier/receipt")

    static let surveys = Template<SurveyPages.ListBody>("consultation/surveys")
    static let surveyBuilder = Template<SurveyPages.BuilderBody>("consultation/survey-builder")
    static let surveyResults = Template<SurveyPages.ResultsBody>("consultation/survey-results")
    static let surveyAnswer = Template<SurveyPages.AnswerBody>("consultation/survey-answer")
    static let surveyThanks = Template<SurveyPages.ThanksBody>("consultation/survey-thanks")
    static let requests = Template<RequestPages.Body>("consultation/requests")
    static let proposals = Template<ProposalPages.WorkspaceBody>("consultation/proposals")
    static let proposalsPublic = Template<ProposalPages.PublicBody>("consultation/proposals-public")
    static let proposalThanks = Template<ProposalPages.ThanksBody>("consultation/proposal-thanks")
    static let proposalConfirm = Template<ProposalPages.ConfirmBody>("consultation/proposal-confirm")

    static let roundtables = Template<DossierPages.TablesBody>("roundtables/roundtables")
    static let console = Template<ConsolePages.Body>("roundtables/console")
    static let minutes = Template<ConsolePages.MinutesBody>("roundtables/minutes")
    static let reading = Template<ConsolePages.ReadingBody>("roundtables/reading")

    static let plan = Template<PlanPages.Body>("plan/plan")
    static let planNarrative = Template<PlanNarrativePages.Body>("plan/narrative")

    static let sign = Template<SigningPages.SignBody>("signing/sign")
    static let verify = Template<SigningPages.VerifyBody>("signing/verify")
    static let planVersion = Template<SigningPages.VersionBody>("signing/plan-version")

    static let publicIndex = Template<PublicPages.IndexBody>("followup/public-index")
    static let publicExercise = Template<PublicPages.ExerciseBody>("followup/public-exercise")
    static let publicCommitment = Template<PublicCommitmentPages.CommitmentBody>("followup/public-commitment")
    static let followThanks = Template<PublicCommitmentPages.ThanksBody>("followup/follow-thanks")
    static let followLink = Template<PublicCommitmentPages.LinkBody>("followup/follow-link")
    static let progressReports = Template<ProgressReportPages.Body>("followup/progress-reports")
    static let publicProgressReports = Template<ProgressReportPages.PublicBody>("followup/public-progress-reports")
}
