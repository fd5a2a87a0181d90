/// A fixture made once for the whole run, the first time a test asks for it, by a task of its own:
/// the tests that wait for it suspend instead of holding a thread of the cooperative pool, as a
/// `static let` made with external tools (keys, certificates) would.
public final class SharedFixture<Value: Sendable>: Sendable {
    private let making: Task<Value, any Error>

    public init(_ make: @escaping @Sendable () async throws -> Value) {
        making = Task(operation: make)
    }

    public var value: Value {
        get async throws { try await making.value }
    }
}
