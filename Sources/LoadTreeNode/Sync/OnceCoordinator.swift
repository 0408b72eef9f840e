/// A node's part in `once(id)`: exactly one leaf in the whole tree runs the body (setup,
/// teardown), and every node that asked receives its result.
///
/// The root picks the runner among those who asked; a relay asks upward once per id, passes a
/// "run it" down to one of the participants that asked, and caches the result so a zone asks
/// once. Like ``BarrierCombiner`` it only returns the messages to send.
public struct OnceCoordinator: Sendable {
    /// The result of a `once` body: its bytes, or the error it failed with.
    public enum Outcome: Hashable, Sendable {
        case value([UInt8])
        case failure(String)
    }

    public enum Action: Hashable, Sendable {
        /// Ask the parent for `id` (first request of a relay or agent).
        case askUpstream(String)
        /// `participant` must run the body of `id`.
        case run(String, at: Participant)
        /// Send the result of the body upward (non-root).
        case reportUpstream(String, Outcome)
        /// Hand the result to `participant`.
        case deliver(String, Outcome, to: Participant)
    }

    public let isRoot: Bool
    private var results: [String: Outcome] = [:]
    private var waiting: [String: [Participant]] = [:]
    private var runners: [String: Participant] = [:]
    private var asked: Set<String> = []
    /// Results this subtree sent upward and the parent has not answered yet (kept to send again
    /// after a reconnect).
    private var reported: [String: Outcome] = [:]

    public init(isRoot: Bool) {
        self.isRoot = isRoot
    }

    /// `participant` wants the result of `id`.
    public mutating func request(_ id: String, from participant: Participant) -> [Action] {
        if let result = results[id] { return [.deliver(id, result, to: participant)] }
        if waiting[id, default: []].contains(participant) || runners[id] == participant { return [] }
        waiting[id, default: []].append(participant)
        if isRoot {
            return runners[id] == nil ? assignRunner(id) : []
        }
        if asked.contains(id) { return [] }
        asked.insert(id)
        return [.askUpstream(id)]
    }

    /// The parent chose this subtree to run `id` (non-root): one waiting participant runs it.
    public mutating func runHere(_ id: String) -> [Action] {
        // A body that already ran here never runs again, even if the request is repeated.
        guard !isRoot, results[id] == nil, runners[id] == nil, reported[id] == nil else { return [] }
        return assignRunner(id)
    }

    /// The runner of `id` finished (or failed).
    public mutating func completed(_ id: String, _ outcome: Outcome, from participant: Participant) -> [Action] {
        guard runners[id] == participant, results[id] == nil else { return [] }
        if isRoot { return settle(id, outcome) }
        // The runner waits for the tree's answer like everyone else.
        runners[id] = nil
        waiting[id, default: []].insert(participant, at: 0)
        reported[id] = outcome
        return [.reportUpstream(id, outcome)]
    }

    /// The parent sent the result of `id` (non-root).
    public mutating func resultFromUpstream(_ id: String, _ outcome: Outcome) -> [Action] {
        guard !isRoot, results[id] == nil else { return [] }
        return settle(id, outcome)
    }

    /// A child is gone: if it was running a body, another waiting participant runs it.
    public mutating func lost(_ participant: Participant) -> [Action] {
        var actions: [Action] = []
        for id in waiting.keys.sorted() {
            waiting[id]?.removeAll { $0 == participant }
        }
        for (id, runner) in runners.sorted(by: { $0.key < $1.key }) where runner == participant {
            runners[id] = nil
            if isRoot || asked.contains(id) { actions += assignRunner(id) }
            if runners[id] == nil {
                let failure = Outcome.failure("\(participant) disconnected while running \(id)")
                actions += isRoot ? settle(id, failure) : [.reportUpstream(id, failure)]
            }
        }
        return actions
    }

    private mutating func assignRunner(_ id: String) -> [Action] {
        guard var queue = waiting[id], !queue.isEmpty else { return [] }
        let runner = queue.removeFirst()
        waiting[id] = queue
        runners[id] = runner
        return [.run(id, at: runner)]
    }

    /// What to send the parent again after a reconnect: open requests, and results not yet
    /// answered (the parent ignores what it already has).
    public func resyncUpstream() -> [Action] {
        asked.filter { results[$0] == nil }.sorted().map { id in
            reported[id].map { .reportUpstream(id, $0) } ?? .askUpstream(id)
        }
    }

    /// What to send child `participant` again after it reconnects: every result known here,
    /// and the bodies it was chosen to run.
    public func resync(for participant: Participant) -> [Action] {
        results.sorted { $0.key < $1.key }.map { .deliver($0.key, $0.value, to: participant) }
            + runners.filter { $0.value == participant }.keys.sorted().map { .run($0, at: participant) }
    }

    private mutating func settle(_ id: String, _ outcome: Outcome) -> [Action] {
        reported[id] = nil
        results[id] = outcome
        let everyone = (runners[id].map { [$0] } ?? []) + (waiting[id] ?? [])
        runners[id] = nil
        waiting[id] = nil
        return everyone.map { .deliver(id, outcome, to: $0) }
    }
}
