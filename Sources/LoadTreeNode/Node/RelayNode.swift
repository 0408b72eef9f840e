import LoadTreeCore
// For the one wire type a node takes as is: a child's metric batch, merged without first being
// rebuilt as an interval (see `received(_:from:directory:)`).
import LoadTreeWire

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
    private var releasedBarriers: Set<String> = []
    private var startReports: [Participant: StartReport] = [:]
    private var startReported = false
    private var startReportSent: StartReport?
    private var failedBarriers: [String: String] = [:]
    /// At the root, once every agent reported: when the fleet started.
    public private(set) var fleetStart: StartReport?

    /// What goes up at the next flush (at the root: into the totals).
    private var pending: SeriesAccumulator
    /// The local engine's gauges become steps of the tree-wide totals before they go up.
    private var gaugeSource: GaugeSource
    private var outgoing = OutgoingBatches<IntervalAggregate>()
    private var incoming = IncomingBatches()
    /// At the root: everything the tree recorded.
    public private(set) var totals = IntervalAggregate(start: 0)

    private var abortReason: (reason: String, code: RunExitCode)?
    private let onAbort: @Sendable (String, RunExitCode) -> Void
    /// Waiting for a barrier's release without arriving (the root's run watches the phases).
    private var observers: [String: [CheckedContinuation<Void, any Error>]] = [:]
    /// At the root: receives every merged interval before it joins the totals (time series).
    private let onInterval: (@Sendable (IntervalAggregate) -> Void)?
    /// At the root: how long after completion each barrier is released (the synchronised start).
    private let releaseLeads: [String: Duration]
    /// The release instants the parent chose, until the release is performed.
    private var releaseInstants: [String: Int64] = [:]
    /// The test is over (``TreeBarrier/finished`` released): children leaving is expected.
    public private(set) var isFinished = false
    /// The parent is gone: nothing more can be agreed with the tree.
    private var upstreamLostReason: String?

    /// - Parameters:
    ///   - parent: the link to the parent; nil at the root.
    ///   - children: the ids of the children this node waits for (they attach with ``attach(_:link:)``).
    ///   - releaseLeads: at the root, barriers released that long after they complete, at one
    ///     wall-clock instant everywhere (the start barrier: every leaf starts together).
    ///   - onAbort: called once when the test is aborted anywhere in the tree.
    ///   - onInterval: at the root, every merged interval before it joins the totals, its
    ///     gauges as the tree-wide totals so far.
    ///   - metricInterval: how often the engine reports: the spacing of the boundaries at
    ///     which gauges are summed over the tree (``GaugeTotal``).
    public init(id: String, parent: (any NodeLink<UpMessage>)?, children: [String], hasEngine: Bool,
                metricInterval: Duration = .seconds(1), releaseLeads: [String: Duration] = [:],
                onAbort: @escaping @Sendable (String, RunExitCode) -> Void = { _, _ in },
                onInterval: (@Sendable (IntervalAggregate) -> Void)? = nil) {
        self.releaseLeads = releaseLeads
        self.onInterval = onInterval
        self.id = id
        self.parent = parent
        self.hasEngine = hasEngine
        self.expectedChildren = Set(children)
        var participants = Set(children.map { Participant.child($0) })
        if hasEngine { participants.insert(.local) }
        barriers = BarrierCombiner(participants: participants, isRoot: parent == nil)
        onces = OnceCoordinator(isRoot: parent == nil)
        pending = SeriesAccumulator(start: 0)
        gaugeSource = GaugeSource(interval: metricInterval)
        self.onAbort = onAbort
    }

    public var isRoot: Bool { parent == nil }

    /// A child's link for messages down.
    public func attach(_ child: String, link: any NodeLink<DownMessage>) {
        children[child] = link
    }

    /// A child that lost its stream is back (within the grace): messages to it go to `link`,
    /// and what it may have missed is sent again (it ignores what it already has).
    public func reattach(_ child: String, link: any NodeLink<DownMessage>) {
        guard children[child] != nil else { return }
        children[child] = link
        for barrier in releasedBarriers.sorted() { link.send(.barrierRelease(barrier, at: nil)) }
        for (barrier, message) in failedBarriers.sorted(by: { $0.key < $1.key }) { link.send(.barrierFail(barrier, message: message)) }
        perform(onces.resync(for: .child(child)))
        if let abortReason { link.send(.abort(reason: abortReason.reason, code: abortReason.code)) }
    }

    /// The stream to the parent is back after a loss: everything the parent may have missed
    /// goes again — open barrier arrivals, once() requests and results, unacknowledged metric
    /// batches (counted once by their sequence numbers), the start report.
    public func resyncUpstream() {
        guard let parent else { return }
        // Metrics first: an arrival must not overtake the batches recorded before it.
        for (sequence, batch) in outgoing.unacknowledged { parent.send(.metrics(sender: id, sequence: sequence, batch)) }
        if let startReportSent { parent.send(.started(startReportSent)) }
        perform(barriers.resyncUpstream())
        perform(onces.resyncUpstream())
    }

    /// A child is gone. Its subtree's share of the load cannot be made up, and failing the
    /// whole test beats results that silently miss a zone: the test aborts everywhere, for
    /// `reason` (by default: the child disconnected).
    public func detach(_ child: String, reason: String? = nil) {
        guard children.removeValue(forKey: child) != nil, !isFinished else { return }
        perform(barriers.lost(.child(child)))
        perform(onces.lost(.child(child)))
        abort(reason: reason ?? "\(child) disconnected from \(id)", code: .genericError)
    }

    // MARK: - The local engine's calls

    /// Waits until every engine in the tree reached barrier `id`.
    public func signalAndWait(_ barrier: String) async throws {
        precondition(hasEngine, "only a node with an engine arrives at barriers")
        if let upstreamLostReason { throw NodeError.aborted(reason: upstreamLostReason, code: .genericError) }
        if let abortReason, barrier != TreeBarrier.finished {
            throw NodeError.aborted(reason: abortReason.reason, code: abortReason.code)
        }
        try await withCheckedThrowingContinuation { continuation in
            barrierWaiters[barrier, default: []].append(continuation)
            perform(barriers.arrive(barrier, from: .local))
        }
    }

    /// Waits until barrier `id` is released here, without taking part in it: how a node
    /// without an engine (the root of a tree) follows the run's phases. Throws when the
    /// barrier fails or the test is aborted (except for ``TreeBarrier/finished``).
    public func released(_ barrier: String) async throws {
        if let upstreamLostReason { throw NodeError.aborted(reason: upstreamLostReason, code: .genericError) }
        if let abortReason, barrier != TreeBarrier.finished {
            throw NodeError.aborted(reason: abortReason.reason, code: abortReason.code)
        }
        if releasedBarriers.contains(barrier) { return }
        try await withCheckedThrowingContinuation { continuation in
            observers[barrier, default: []].append(continuation)
        }
    }

    /// How the test was aborted, if it was.
    public var abortState: (reason: String, code: RunExitCode)? { abortReason }

    /// The connection to the parent is gone for good: every wait here fails at once, so the
    /// local run stops its load, and nothing more is expected from the tree.
    public func upstreamLost(reason: String) {
        guard upstreamLostReason == nil, !isFinished else { return }
        upstreamLostReason = reason
        for (_, waiters) in barrierWaiters.merging(observers, uniquingKeysWith: +) {
            for waiter in waiters { waiter.resume(throwing: NodeError.aborted(reason: reason, code: .genericError)) }
        }
        barrierWaiters = [:]
        observers = [:]
        for (key, waiters) in onceWaiters {
            for waiter in waiters { waiter.resume(returning: .failure(reason)) }
            onceBodies[key] = nil
        }
        onceWaiters = [:]
        for link in children.values { link.send(.abort(reason: reason, code: .genericError)) }
        if abortReason == nil {
            abortReason = (reason, .genericError)
            onAbort(reason, .genericError)
        }
    }

    /// Runs `body` once in the whole tree (on whichever engine is chosen) and returns its
    /// result here.
    public func once(_ key: String, _ body: @escaping @Sendable () async -> OnceCoordinator.Outcome) async -> OnceCoordinator.Outcome {
        if let upstreamLostReason { return .failure(upstreamLostReason) }
        return await withCheckedContinuation { continuation in
            onceWaiters[key, default: []].append(continuation)
            onceBodies[key] = body
            perform(onces.request(key, from: .local))
        }
    }

    /// Adds an interval of the local engine's metrics to what goes up next. Its gauges count
    /// as this node's report for the tree-wide totals (``GaugeSource``).
    public func record(_ interval: IntervalAggregate) {
        mergeIntoPending(gaugeSource.totals(of: interval))
    }

    /// Sends what was recorded since the last flush upward as one batch (the root keeps it).
    public func flushMetrics() {
        let batch = pending.drain(at: pending.end)
        guard !batch.isEmpty else { return }
        guard let parent else {
            try? totals.merge(batch)
            // A batch's gauge totals hold only the changes it brought; the time series shows
            // the tree-wide figures.
            onInterval?(batch.withGauges(of: totals))
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
        case .started(let report): reportStart(report, from: .child(child))
        }
    }

    /// A metric batch as child `child`'s stream carried it, merged straight into what goes up
    /// next (no interval is built in between: this is most of a relay's work). Its series
    /// definitions must already be in `directory`, the stream's table, which comes back with
    /// the stream's series resolved to this node's slots.
    ///
    /// - Throws: ``MetricBatchError`` for a batch that cannot be counted; nothing of it is
    ///   merged or acknowledged then (the caller refuses the child).
    public func received(
        _ batch: Loadtree_V1_MetricBatch, from child: String, directory: SeriesDirectory
    ) throws(MetricBatchError) -> SeriesDirectory {
        var directory = directory
        guard children[child] != nil else { return directory }
        if incoming.isNew(sender: batch.sender, sequence: batch.sequence) {
            try MetricBatchCoding.merge(batch, directory: &directory, into: &pending)
            _ = incoming.accept(sender: batch.sender, sequence: batch.sequence)
        }
        // Acknowledged even when repeated: the sender must stop resending it.
        children[child]?.send(.metricsAck(batch.sequence))
        return directory
    }

    /// When `participant`'s agents started. Once every participant reported, the node sends
    /// one report for its subtree upward; the root keeps the whole fleet's as ``fleetStart``.
    public func reportStart(_ report: StartReport, from participant: Participant) {
        guard barriers.participants.contains(participant), startReports[participant] == nil, !startReported else { return }
        startReports[participant] = report
        guard Set(startReports.keys).isSuperset(of: barriers.participants) else { return }
        startReported = true
        var all: StartReport?
        for report in startReports.values { all = all.map { $0.combined(with: report) } ?? report }
        guard let all else { return }
        if let parent {
            startReportSent = all
            parent.send(.started(all))
        } else {
            fleetStart = all
        }
    }

    public func received(_ message: DownMessage) {
        switch message {
        case .barrierRelease(let barrier, let at):
            if let at { releaseInstants[barrier] = at }
            perform(barriers.released(barrier))
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
            case .arriveUpstream(let barrier):
                // What the subtree recorded before arriving goes up first, on the same ordered
                // stream: when the root releases the last barrier it has every metric.
                flushMetrics()
                parent?.send(.barrierArrive(barrier))
            case .failUpstream(let barrier, let text): parent?.send(.barrierFail(barrier, message: text))
            case .release(let barrier):
                let at = releaseInstants.removeValue(forKey: barrier) ?? releaseLeads[barrier].map { WallClock.now() + $0.nanoseconds }
                for link in children.values { link.send(.barrierRelease(barrier, at: at)) }
                releasedBarriers.insert(barrier)
                if barrier == TreeBarrier.finished {
                    isFinished = true
                    if parent == nil { flushMetrics() }
                }
                let waiters = (barrierWaiters.removeValue(forKey: barrier) ?? []) + (observers.removeValue(forKey: barrier) ?? [])
                guard let at, at > WallClock.now() else {
                    for waiter in waiters { waiter.resume() }
                    continue
                }
                // Everyone goes on at the same instant, however long the release took to get here.
                Task {
                    try? await Task.sleep(for: .nanoseconds(at - WallClock.now()))
                    for waiter in waiters { waiter.resume() }
                }
            case .fail(let barrier, let text):
                failedBarriers[barrier] = text
                let waiters = (barrierWaiters.removeValue(forKey: barrier) ?? []) + (observers.removeValue(forKey: barrier) ?? [])
                for waiter in waiters { waiter.resume(throwing: NodeError.barrierFailed(barrier, message: text)) }
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
                    self.localOnceFinished(key, outcome)
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
        // Series of clashing types are an error of the engine or of an in-process child; the
        // batch is dropped rather than corrupting what others sent (a batch from the network
        // is refused instead, see `received(_:from:directory:)`).
        try? pending.merge(batch)
    }

    private func abortEverywhere(reason: String, code: RunExitCode) {
        guard abortReason == nil else { return }
        abortReason = (reason, code)
        for link in children.values { link.send(.abort(reason: reason, code: code)) }
        // Every wait ends, except for the end of the test, which still completes.
        for (barrier, waiters) in barrierWaiters where barrier != TreeBarrier.finished {
            for waiter in waiters { waiter.resume(throwing: NodeError.aborted(reason: reason, code: code)) }
            barrierWaiters[barrier] = nil
        }
        for (barrier, waiters) in observers where barrier != TreeBarrier.finished {
            for waiter in waiters { waiter.resume(throwing: NodeError.aborted(reason: reason, code: code)) }
            observers[barrier] = nil
        }
        onAbort(reason, code)
    }
}
