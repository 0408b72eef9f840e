import Synchronization

/// Live counters of one scenario for the progress display: completed, interrupted and dropped
/// iterations. Atomics, read by the display while VUs update them.
public final class ScenarioProgress: Sendable {
    public let name: String
    private let completedCount = Atomic<Int64>(0)
    private let interruptedCount = Atomic<Int64>(0)
    private let droppedCount = Atomic<Int64>(0)
    private let activeCount = Atomic<Int64>(0)

    public init(name: String) {
        self.name = name
    }

    public var completedIterations: Int64 { completedCount.load(ordering: .relaxed) }
    public var interruptedIterations: Int64 { interruptedCount.load(ordering: .relaxed) }
    public var droppedIterations: Int64 { droppedCount.load(ordering: .relaxed) }
    /// VUs of this scenario that are active now.
    public var activeVUs: Int64 { activeCount.load(ordering: .relaxed) }

    func completed() { completedCount.add(1, ordering: .relaxed) }
    func interrupted() { interruptedCount.add(1, ordering: .relaxed) }
    func dropped() { droppedCount.add(1, ordering: .relaxed) }
    func vuActivated() { activeCount.add(1, ordering: .relaxed) }
    func vuDeactivated() { activeCount.subtract(1, ordering: .relaxed) }
}
