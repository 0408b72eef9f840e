import LoadTreeCore

/// Every process of a test tree — root, relay or agent — is one `RelayNode`: an optional
/// parent link, children, and optionally a local engine. Barriers, shared data, metrics and
/// aborts are written once, here, and work at any depth.
///
/// The node is an actor: messages from the parent, from children and calls from the local
/// engine are handled one at a time. The sync decisions themselves live in the pure
/// ``BarrierCombiner`` and ``OnceCoordinator``; the node only routes their actions.
public actor RelayNode {
    public let id: String
    public let hasEngine: Bool
    /// The children this node waits for.
    public nonisolated let expectedChildren: Set<String>
    private let parent: (any NodeLink<UpMessage>)?
    private var children: [String: any NodeLink<DownMessage>] = [:]

    private var barriers: BarrierCombiner
    private var onces: OnceCoordinator
    private var barrierWaiters: [String: [CheckedContinuation<Void, any Error>]] = [:]
    private var onceWaiters: [String: [CheckedContinuation<OnceCoordinator.Outcome, Never>]] = [:]
    private var onceBodies: [String: @Sendable () async -> OnceCoordinator.Outcome] = [:]

    private var pending: IntervalAggregate
    private var outgoing = OutgoingBatches<IntervalAggregate>()
    private var incoming = IncomingBatches()
    /// At the root: everything the tree recorded.
    public private(set) var totals = IntervalAggregate(start: 0)

    private var abortReason: (reason: String, code: RunExitCode)?
    private let onAbort: @Sendable (String, RunExitCode) -> Void

    /// - Parameters:
    ///   - parent: the link to the parent; nil at the root.
    ///   - children: the ids of the children this node waits for (they attach with ``attach(_:link:)``).
    ///   - onAbort: called once when the test is aborted anywhere in the tree.
    public init(id: String, parent: (any NodeLink<UpMessage>)?, children: [String], hasEngine: Bool,
                onAbort: @escaping @Sendable (String, RunExitCode) -> Void = { _, _ in }) {
        self.id = id
        self.parent = parent
        self.hasEngine = hasEngine
        self.expectedChildren = Set(children)
        var participants = Set(children.map { Participant.child($0) })
        if hasEngine { participants.insert(.local) }
        barriers = BarrierCombiner(participants: participants, isRoot: parent == nil)
        onces = OnceCoordinator(isRoot: parent == nil)
        pending = IntervalAggregate(start: 0)
        self.onAbort = onAbort
    }

    public var isRoot: Bool { parent == nil }

    /// A child's link for messages down.
    public func attach(_ child: String, link: any NodeLink<DownMessage>) {
        children[child] = link
    }

    /// A child is gone. Its subtree's share of the load cannot be made up, and failing the
    /// whole test beats results that silently miss a zone: the test aborts everywhere.
    public func detach(_ child: String) {
        guard children.removeValue(forKey: child) != nil else { return }
        perform(barriers.lost(.child(child)))
        perform(onces.lost(.child(child)))
        abort(reason: "\(child) disconnected from \(id)", code: .genericError)
    }

    // MARK: - The local engine's calls

    /// Waits until every engine in the tree reached barrier `id`.
    public func signalAndWait(_ barrier: String) async throws {
        precondition(hasEngine, "only a node with an engine arrives at barriers")
        if let abortReason { throw NodeError.aborted(reason: abortReason.reason, code: abortReason.code) }
        try await withCheckedThrowingContinuation { continuation in
            barrierWaiters[barrier, default: []].append(continuation)
            perform(barriers.arrive(barrier, from: .local))
        }
    }

    /// Runs `body` once in the whole tree (on whichever engine is chosen) and returns its
    /// result here.
    public func once(_ key: String, _ body: @escaping @Sendable () async -> OnceCoordinator.Outcome) async -> OnceCoordinator.Outcome {
        await withCheckedContinuation { continuation in
            onceWaiters[key, default: []].append(continuation)
            onceBodies[key] = body
            perform(onces.request(key, from: .local))
        }
    }

    /// Adds an interval of the local engine's metrics to what goes up next.
    public func record(_ interval: IntervalAggregate) {
        mergeIntoPending(interval)
    }

    /// Sends what was recorded since the last flush upward as one batch (the root keeps it).
    public func flushMetrics() {
        let batch = pending.drain(at: pending.end)
        guard !batch.isEmpty else { return }
        guard let parent else {
            try? totals.merge(batch)
            return
        }
        let sequence = outgoing.enqueue(batch)
        parent.send(.metrics(sender: id, sequence: sequence, batch))
    }

    /// Batches sent but not yet acknowledged (to resend after a reconnect).
    public var unacknowledgedBatches: Int { outgoing.unacknowledged.count }

    /// Aborts the whole test from here (a failed abortOnFail threshold, an engine error).
    public func abort(reason: String, code: RunExitCode) {
        if let parent {
            parent.send(.abort(reason: reason, code: code))
        } else {
            abortEverywhere(reason: reason, code: code)
        }
    }

    // MARK: - Messages

    public func received(_ message: UpMessage, from child: String) {
        guard children[child] != nil else { return }
        switch message {
        case .barrierArrive(let barrier): perform(barriers.arrive(barrier, from: .child(child)))
        case .barrierFail(let barrier, let text): perform(barriers.failed(barrier, from: .child(child), message: text))
        case .onceAsk(let key): perform(onces.request(key, from: .child(child)))
        case .onceResult(let key, let outcome): perform(onces.completed(key, outcome, from: .child(child)))
        case .metrics(let sender, let sequence, let batch):
            if incoming.accept(sender: sender, sequence: sequence) { mergeIntoPending(batch) }
            // Acknowledged even when repeated: the sender must stop resending it.
            children[child]?.send(.metricsAck(sequence))
        case .abort(let reason, let code): abort(reason: reason, code: code)
        }
    }

    public func received(_ message: DownMessage) {
        switch message {
        case .barrierRelease(let barrier): perform(barriers.released(barrier))
        case .barrierFail(let barrier, let text): perform(barriers.failedUpstream(barrier, message: text))
        case .onceRun(let key): perform(onces.runHere(key))
        case .onceValue(let key, let outcome): perform(onces.resultFromUpstream(key, outcome))
        case .metricsAck(let sequence): outgoing.acknowledge(sequence)
        case .abort(let reason, let code): abortEverywhere(reason: reason, code: code)
        }
    }

    // MARK: - Routing the sync decisions

    private func perform(_ actions: [BarrierCombiner.Action]) {
        for action in actions {
            switch action {
            case .arriveUpstream(let barrier): parent?.send(.barrierArrive(barrier))
            case .failUpstream(let barrier, let text): parent?.send(.barrierFail(barrier, message: text))
            case .release(let barrier):
                for waiter in barrierWaiters.removeValue(forKey: barrier) ?? [] { waiter.resume() }
                for link in children.values { link.send(.barrierRelease(barrier)) }
            case .fail(let barrier, let text):
                for waiter in barrierWaiters.removeValue(forKey: barrier) ?? [] {
                    waiter.resume(throwing: NodeError.barrierFailed(barrier, message: text))
                }
                for link in children.values { link.send(.barrierFail(barrier, message: text)) }
            }
        }
    }

    private func perform(_ actions: [OnceCoordinator.Action]) {
        for action in actions {
            switch action {
            case .askUpstream(let key): parent?.send(.onceAsk(key))
            case .reportUpstream(let key, let outcome): parent?.send(.onceResult(key, outcome))
            case .run(let key, .local):
                guard let body = onceBodies[key] else { continue }
                Task {
                    let outcome = await body()
                    await self.localOnceFinished(key, outcome)
                }
            case .run(let key, .child(let child)): children[child]?.send(.onceRun(key))
            case .deliver(let key, let outcome, .local):
                onceBodies[key] = nil
                for waiter in onceWaiters.removeValue(forKey: key) ?? [] { waiter.resume(returning: outcome) }
            case .deliver(let key, let outcome, .child(let child)): children[child]?.send(.onceValue(key, outcome))
            }
        }
    }

    private func localOnceFinished(_ key: String, _ outcome: OnceCoordinator.Outcome) {
        perform(onces.completed(key, outcome, from: .local))
    }

    private func mergeIntoPending(_ batch: IntervalAggregate) {
        // Series of clashing types are a peer's error; the batch is dropped rather than
        // corrupting what others sent.
        try? pending.merge(batch)
    }

    private func abortEverywhere(reason: String, code: RunExitCode) {
        guard abortReason == nil else { return }
        abortReason = (reason, code)
        for link in children.values { link.send(.abort(reason: reason, code: code)) }
        for (barrier, waiters) in barrierWaiters {
            for waiter in waiters { waiter.resume(throwing: NodeError.aborted(reason: reason, code: code)) }
            barrierWaiters[barrier] = nil
        }
        onAbort(reason, code)
    }
}
