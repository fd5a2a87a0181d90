import CocreaStore
import CocreaUseCases
import Vapor

struct SurveyIntakeKey: StorageKey {
    typealias Value = SurveyIntake
}

extension Application {
    var surveyIntake: SurveyIntake {
        guard let intake = storage[SurveyIntakeKey.self] else { fatalError("configure(_:options:) has not run") }
        return intake
    }

    func setUpSurveyIntake(rateLimit: Int) {
        let intake = SurveyIntake(rateLimit: rateLimit, database: { [unowned self] in self.db }, writer: writer)
        storage[SurveyIntakeKey.self] = intake
        lifecycle.use(SurveyIntakeLifecycle(intake: intake))
    }
}

/// On shutdown, lets the answers being written reach the database before it closes.
private struct SurveyIntakeLifecycle: LifecycleHandler {
    let intake: SurveyIntake

    func shutdownAsync(_ application: Application) async {
        await intake.stop()
    }
}
