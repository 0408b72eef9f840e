/// The stream tests must end even if an exchange hangs (a lost message would otherwise block
/// a `for await` forever): the body races a deadline.
struct TimedOut: Error, CustomStringConvertible {
    let limit: Duration
    var description: String { "the exchange did not finish within \(limit)" }
}

func withTimeout<T: Sendable>(
    _ limit: Duration,
    _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: limit)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else {
            throw TimedOut(limit: limit)
        }
        return value
    }
}
