import CocreaStore
import CocreaWeb
import FluentKit
import Testing

/// Models read on every signed-in request or plan read list their Fluent properties themselves instead of leaving
/// Fluent to find them by reflection. A property missing from a list would be neither read nor saved.
@Suite struct ListedFieldsTests {
    static let listed: [any Model.Type] = [
        User.self, APIToken.self, Exercise.self, Member.self, WebSession.self, Commitment.self, Activity.self, NationalCommitment.self,
        DossierItem.self,
    ]

    @Test func everyListedModelListsEachOfItsPropertiesInOrder() {
        for model in Self.listed {
            let instance = model.init()
            let listed = instance.properties.map { ObjectIdentifier($0 as AnyObject) }
            let reflected = Mirror(reflecting: instance).children.compactMap { $0.value as? any AnyProperty }.map { ObjectIdentifier($0 as AnyObject) }
            #expect(listed == reflected, "\(model).properties does not list what the model declares")
        }
    }
}
