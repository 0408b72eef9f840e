import Foundation
import LoadTreeCore
import LoadTreeEngine
import LoadTreeWire

/// One process's part in a test tree, for every role: the root (children, no parent), a relay
/// (parent and children) and an agent (parent and a local engine). The same steps in the same
/// order for all: assemble the children, get the assignment (the root computes it), build the
/// ``RelayNode`` for it, pass it down, run the local engine if any, and end when the tree's
/// ``TreeBarrier/finished`` is released.
public actor TreeRun: TreeOperations {
    public let settings: NodeSettings
    /// The children's side, when this node takes children.
    public let hub: ChildHub?
    public nonisolated let runID: String

    private var node: RelayNode?
    private var phase = RunPhase.waitingForNodes
    private var expectedAgents: Int?
    private let clock = RunClock()
    private var startedAt: Int64?
    private var endedAt: Int64?
    private let aborts: AsyncStream<(String, RunExitCode)>
    private let abortsContinuation: AsyncStream<(String, RunExitCode)>.Continuation
    private var policy: (any JoinPolicy)?
    private var welcomed = false
    private var connectTimedOut = false
    /// The parent's run id, sent back when attaching again after a lost stream.
    private var parentRunID: String?
    private var rewelcomed = false
    /// How long a lost stream may take to come back (the root's setting).
    private var grace: Duration = .seconds(10)
    /// This node's part is over: a stream ending now is expected.
    private var done = false

    public init(settings: NodeSettings, hub: ChildHub?, runID: String = UUID().uuidString) {
        self.settings = settings
        self.hub = hub
        self.runID = runID
        (aborts, abortsContinuation) = AsyncStream.makeStream(of: (String, RunExitCode).self)
    }

    // MARK: - Root

    /// Runs the test as the root: waits for the topology's agents, shares the test out, follows
    /// it (thresholds on the merged metrics), and returns the summary of the whole tree.
    public func runRoot(_ root: RootSettings, onWaiting: @escaping @Sendable ([String]) -> Void = { _ in }) async -> RootOutcome {
        guard let hub else { preconditionFailure("a root takes children") }
        let policy = TopologyJoin(topology: root.topology)
        self.policy = policy
        expectedAgents = root.topology.expectedAgents
        do {
            try await Self.waitForChildren(hub, timeout: root.joinTimeout, onWaiting: onWaiting)
        } catch {
            phase = .aborted
            _ = await hub.seal()
            await hub.closeAll()
            return RootOutcome(failure: "\(error)", code: .genericError)
        }
        let children = await hub.seal()
        let assignment: TreeAssignment
        let split: SegmentAssignment
        do {
            split = try policy.assignment(for: children)
            assignment = try Self.assignment(root, split: split)
        } catch {
            phase = .aborted
            await hub.closeAll()
            return RootOutcome(failure: "cannot share the test out: \(error)", code: .invalidConfig)
        }
        var onInterval: (@Sendable (IntervalAggregate) -> Void)?
        if let output = root.intervals { onInterval = { output.write($0) } }
        let node = makeNode(parent: nil, children: children, releaseLeads: [RunBarrier.setupDone: root.startLead],
                            onInterval: onInterval)
        await hub.bind(node, grace: root.upstreamGrace)
        await hub.assign(assignment)
        phase = .starting

        let watch = ThresholdWatch(plan: root.plan, enabled: root.thresholdsEnabled)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.flushEvery(root.metricInterval, node: node) }
            group.addTask { await self.followPhases(node: node, watch: watch) }
            try? await node.released(TreeBarrier.finished)
            group.cancelAll()
        }
        await node.flushMetrics()
        await hub.closeAll()
        let end = endedAt ?? clock.now()
        let duration = Duration.nanoseconds(max(0, end - (startedAt ?? end)))
        let summary = SummaryReport(plan: root.plan, view: MetricsView(await node.totals), testDuration: duration,
                                    options: root.summary, thresholdsEnabled: root.thresholdsEnabled)
        let abort = await node.abortState
        phase = abort == nil ? .finished : .aborted
        var code = abort?.code ?? .success
        if code == .success, summary.thresholdsFailed { code = .thresholdsFailed }
        let leaves = Dictionary(uniqueKeysWithValues: children.flatMap(\.leaves).map { ($0.id, $0) })
        return RootOutcome(summary: summary, exitCode: code, abortReason: abort?.reason, errors: [],
                           agents: split.leaves.compactMap { leaves[$0.agent.id] }, start: await node.fleetStart)
    }

    /// The root's live view: time since the start and the merged metrics so far.
    public func live() async -> (phase: RunPhase, elapsed: Duration, totals: IntervalAggregate?) {
        let elapsed = startedAt.map { Duration.nanoseconds((endedAt ?? clock.now()) - $0) } ?? .zero
        guard let node else { return (phase, elapsed, nil) }
        await node.flushMetrics()
        return (phase, elapsed, await node.totals)
    }

    private func followPhases(node: RelayNode, watch: ThresholdWatch?) async {
        do {
            try await node.released(RunBarrier.setupDone)
            startedAt = clock.now()
            phase = .running
            let watcher = Task { await self.watchThresholds(watch, node: node) }
            defer { watcher.cancel() }
            try await node.released(RunBarrier.executionDone)
            endedAt = clock.now()
            phase = .stopping
        } catch {
            if startedAt != nil, endedAt == nil { endedAt = clock.now() }
        }
    }

    private func watchThresholds(_ watch: ThresholdWatch?, node: RelayNode) async {
        guard let watch, let startedAt else { return }
        while !Task.isCancelled {
            do { try await Task.sleep(for: ThresholdWatch.period) } catch { return }
            await node.flushMetrics()
            let elapsed = Duration.nanoseconds(clock.now() - startedAt)
            if let reason = watch.abortReason(MetricsView(await node.totals), elapsed: elapsed) {
                await node.abort(reason: reason, code: .thresholdsFailed)
                return
            }
        }
    }

    private static func waitForChildren(_ hub: ChildHub, timeout: Duration, onWaiting: @escaping @Sendable ([String]) -> Void) async throws {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                for await _ in hub.changes {
                    let missing = await hub.missing
                    if missing.isEmpty { return true }
                    onWaiting(missing)
                }
                return false
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return false
            }
            if try await group.next() == true {
                group.cancelAll()
                return
            }
            group.cancelAll()
            let missing = await hub.missing
            throw TreeRunError.joinTimedOut(after: timeout, missing: missing)
        }
    }

    static func assignment(_ root: RootSettings, split: SegmentAssignment) throws -> TreeAssignment {
        var files: [String: [UInt8]] = [:]
        for source in root.plan.data {
            // Agents find the file where the plan names it, under a directory of their own.
            guard !(source.file as NSString).isAbsolutePath, !source.file.split(separator: "/").contains("..") else {
                throw TreeRunError.dataFileOutsidePlan(source.file)
            }
            let path = (root.planDirectory as NSString).appendingPathComponent(source.file)
            guard let content = FileManager.default.contents(atPath: path) else {
                throw TreeRunError.unreadableDataFile(path)
            }
            files[source.file] = Array(content)
        }
        var environment: [String: String] = [:]
        for name in PlanEnvironment.referencedNames(in: root.planText) {
            if let value = root.environment[name] { environment[name] = value }
        }
        return TreeAssignment(
            planText: root.planText, planFileName: root.planFileName, sequence: split.sequence.description,
            leafSegments: Dictionary(uniqueKeysWithValues: split.leaves.map { ($0.agent.id, $0.segment.description) }),
            files: files, environment: environment, vars: root.vars, metricInterval: root.metricInterval,
            upstreamGrace: root.upstreamGrace)
    }

    // MARK: - Relays and agents

    /// Runs this node under a parent: joins through `attach` (which runs the stream until it
    /// ends), takes the assignment, runs its part and returns when the tree has finished — or
    /// when the parent is gone.
    public func runMember(
        upstream: UpstreamConnection, connectTimeout: Duration = .seconds(60),
        attach: @escaping @Sendable (UpstreamConnection, Loadtree_V1_Hello, @escaping @Sendable (UpstreamConnection.Event) async -> Void) async throws -> Void
    ) async -> MemberOutcome {
        let (assignments, assigned) = AsyncStream.makeStream(of: TreeAssignment.self)
        let hello = await makeHello()
        let forwarder = Task { [hub] in
            guard let hub else { return }
            for await children in hub.changes { upstream.sendSubtree(children.flatMap(\.leaves)) }
        }
        defer { forwarder.cancel() }
        // The first stream; after the assignment, a lost stream is re-attached within the
        // grace while the load goes on (see `reconnect`).
        let connection = Task { () -> String? in
            var hello = hello
            var failure: String?
            while true {
                do {
                    try await attach(upstream, hello) { event in await self.handle(event, upstream: upstream, assigned: assigned) }
                    failure = nil
                } catch {
                    failure = "\(error)"
                }
                guard let runID = await self.streamLost() else { return failure }
                hello.runID = runID
                if let unreachable = await self.reconnect(upstream: upstream, hello: hello, attach: attach, assigned: assigned) {
                    return unreachable
                }
            }
        }
        // A parent that never answers must not keep this process waiting forever.
        let watchdog = Task {
            try await Task.sleep(for: connectTimeout)
            if !(await self.welcomed) {
                self.connectTimedOut = true
                connection.cancel()
            }
        }
        defer { watchdog.cancel() }
        let work = Task { () -> MemberOutcome? in
            var iterator = assignments.makeAsyncIterator()
            guard let assignment = await iterator.next() else { return nil }
            let outcome = await self.execute(assignment)
            // Our part is over: ending our stream lets the parent end its side.
            await self.markDone()
            upstream.close()
            return outcome
        }
        var connectionError = await connection.value
        if connectTimedOut { connectionError = "no answer from the parent within \(DurationText.format(connectTimeout))" }
        assigned.finish()
        guard let node else {
            work.cancel()
            return MemberOutcome(exitCode: .genericError, message: connectionError ?? "the parent closed the connection before assigning a test")
        }
        if !(await node.isFinished) {
            await node.upstreamLost(reason: "lost the connection to the parent\(connectionError.map { ": \($0)" } ?? "")")
        }
        upstream.close()
        return await work.value ?? MemberOutcome(exitCode: .genericError, message: "no assignment")
    }

    private func markDone() { done = true }

    /// After a stream ended: the parent's run id when it is worth attaching again (the test is
    /// assigned and still running here), nil when this node is done with its parent.
    private func streamLost() async -> String? {
        guard !done, let node, !(await node.isFinished), let parentRunID else { return nil }
        return parentRunID
    }

    /// Attaches again until the grace runs out: the load goes on meanwhile, and once back the
    /// node sends what the parent may have missed. Returns why it gave up, or nil once the
    /// new stream has ended (the caller decides whether to go again).
    private func reconnect(
        upstream: UpstreamConnection, hello: Loadtree_V1_Hello,
        attach: @escaping @Sendable (UpstreamConnection, Loadtree_V1_Hello, @escaping @Sendable (UpstreamConnection.Event) async -> Void) async throws -> Void,
        assigned: AsyncStream<TreeAssignment>.Continuation
    ) async -> String? {
        let deadline = ContinuousClock.now + grace
        var lastError = "the stream ended"
        while ContinuousClock.now < deadline, !done {
            rewelcomed = false
            let attempt = Task {
                try await attach(upstream, hello) { event in await self.handle(event, upstream: upstream, assigned: assigned) }
            }
            // An attempt that is not welcomed before the deadline is given up.
            let timer = Task {
                try await Task.sleep(until: deadline)
                if !(await self.rewelcomed) { attempt.cancel() }
            }
            do {
                try await attempt.value
                timer.cancel()
                if rewelcomed { return nil }
            } catch {
                timer.cancel()
                if rewelcomed { return nil }
                // A parent that refuses us (its grace ran out, or it restarted) will not change its mind.
                if let failure = error as? UpstreamConnection.Failure, case .rejected = failure { return "\(failure)" }
                lastError = "\(error)"
            }
            try? await Task.sleep(for: .milliseconds(250))
        }
        if done { return nil }
        return "could not reconnect within \(DurationText.format(grace)): \(lastError)"
    }

    private func makeHello() async -> Loadtree_V1_Hello {
        let leaves = await hub?.children.flatMap(\.leaves) ?? []
        return .with {
            $0.nodeID = settings.id
            $0.zone = settings.zone
            $0.weight = settings.weight
            $0.role = hub == nil ? .agent : .relay
            $0.protocolVersion = WireVersion.current
            $0.agentsInSubtree = UInt32(clamping: hub == nil ? 1 : leaves.count)
            $0.leaves = leaves.map(\.wire)
            $0.software = "loadtree"
        }
    }

    /// Messages from the parent, in order. The node is built while handling the assignment,
    /// so that every message after it finds the node.
    private func handle(_ event: UpstreamConnection.Event, upstream: UpstreamConnection, assigned: AsyncStream<TreeAssignment>.Continuation) async {
        switch event {
        case .welcomed(let runID):
            if welcomed {
                // Back after a lost stream: the parent may have missed messages.
                rewelcomed = true
                await node?.resyncUpstream()
            } else {
                welcomed = true
                parentRunID = runID
            }
        case .assigned(let assignment):
            guard node == nil else { return }
            let children = await hub?.seal() ?? []
            let node = makeNode(parent: upstream.link, children: children, releaseLeads: [:])
            grace = assignment.upstreamGrace
            if let hub {
                await hub.bind(node, grace: assignment.upstreamGrace)
                await hub.assign(assignment)
            }
            phase = .starting
            assigned.yield(assignment)
        case .message(let message):
            await node?.received(message)
        }
    }

    private func execute(_ assignment: TreeAssignment) async -> MemberOutcome {
        guard let node else { return MemberOutcome(exitCode: .genericError, message: "no node") }
        let flusher = Task { await self.flushEvery(assignment.metricInterval, node: node) }
        defer { flusher.cancel() }
        var agentResult: TestRun.Result?
        if settings.runsLoad {
            do {
                agentResult = try await runEngine(assignment, node: node)
            } catch {
                await node.abort(reason: "\(settings.id): \(error)", code: .invalidConfig)
            }
            try? await node.signalAndWait(TreeBarrier.finished)
        } else {
            try? await node.released(TreeBarrier.finished)
        }
        // Children have their release; their streams end here.
        await hub?.closeAll()
        let finished = await node.isFinished
        let abort = await node.abortState
        phase = abort == nil ? .finished : .aborted
        guard finished else {
            return MemberOutcome(exitCode: .genericError, message: abort?.reason ?? "the tree did not finish", result: agentResult)
        }
        return MemberOutcome(exitCode: abort?.code ?? .success, message: abort.map { "the test was aborted: \($0.reason)" } ?? "the test finished",
                             result: agentResult)
    }

    /// The agent's part: its segment of the plan on the local engine, with the tree as coordinator.
    private func runEngine(_ assignment: TreeAssignment, node: RelayNode) async throws -> TestRun.Result {
        let directory = try PlanFiles.write(assignment.files, for: settings.id)
        defer { PlanFiles.remove(directory) }
        let plan = try PlanLoader.load(text: assignment.planText, fileName: assignment.planFileName, baseDirectory: directory)
        let tuple = try assignment.tuple(for: settings.id)
        let configuration = TestRun.Configuration(
            plan: plan, planDirectory: directory, tuple: tuple,
            environment: settings.environment.merging(assignment.environment) { $1 },
            varOverrides: assignment.vars, extraTags: assignment.tags,
            // The root judges thresholds on the merged metrics.
            thresholdsEnabled: false, httpThreads: settings.httpThreads,
            coordinator: NodeCoordinator(node: node, metricInterval: assignment.metricInterval))
        let run = TestRun(configuration)
        let aborts = self.aborts
        let stopper = Task {
            for await (reason, code) in aborts { run.stop(reason: reason, code: code) }
        }
        defer { stopper.cancel() }
        phase = .running
        let result = await run.run()
        // A failure here (setup failed, a barrier broke) is the whole test's: the root hears it.
        if let reason = result.abortReason, await node.abortState == nil {
            await node.abort(reason: "\(settings.id): \(reason)", code: result.exitCode)
        }
        return result
    }

    // MARK: - Shared

    private func makeNode(parent: UpStreamLink?, children: [JoinedChild], releaseLeads: [String: Duration],
                          onInterval: (@Sendable (IntervalAggregate) -> Void)? = nil) -> RelayNode {
        let continuation = abortsContinuation
        let node = RelayNode(id: settings.id, parent: parent, children: children.map(\.id), hasEngine: parent != nil && settings.runsLoad,
                             releaseLeads: releaseLeads, onAbort: { reason, code in continuation.yield((reason, code)) },
                             onInterval: onInterval)
        self.node = node
        return node
    }

    /// Sends what the subtree recorded upward (the root: into its totals) every interval.
    private func flushEvery(_ interval: Duration, node: RelayNode) async {
        while !Task.isCancelled {
            do { try await Task.sleep(for: interval) } catch { return }
            await node.flushMetrics()
        }
    }

    // MARK: - Operations

    public func status() async -> Loadtree_V1_StatusReply {
        let children = await hub?.children ?? []
        let missing = phase == .waitingForNodes ? await hub?.missing ?? [] : []
        let abort = await node?.abortState
        let elapsed = startedAt.map { (endedAt ?? clock.now()) - $0 } ?? 0
        return .with {
            $0.runID = runID
            $0.phase = phase.wire
            $0.protocolVersion = WireVersion.current
            $0.nodeID = settings.id
            $0.elapsedNs = elapsed
            $0.agentsAttached = UInt32(clamping: children.flatMap(\.leaves).count)
            $0.agentsExpected = UInt32(clamping: expectedAgents ?? 0)
            $0.children = children.map { child in
                .with {
                    $0.nodeID = child.id
                    $0.zone = child.zone
                    $0.role = child.role == .relay ? .relay : .agent
                    $0.agentsInSubtree = UInt32(clamping: child.leaves.count)
                }
            }
            $0.missing = missing
            if let abort {
                $0.abort = .with {
                    $0.reason = abort.reason
                    $0.exitCode = abort.code.rawValue
                }
            }
        }
    }

    public func abort(reason: String) async -> Bool {
        await abort(reason: reason, code: .stoppedByOperator)
    }

    /// Aborts the test from this node (an operator, Ctrl-C at the root).
    @discardableResult
    public func abort(reason: String, code: RunExitCode) async -> Bool {
        guard let node, !(await node.isFinished), await node.abortState == nil else { return false }
        await node.abort(reason: reason, code: code)
        return true
    }
}

/// How the root's run ended.
public struct RootOutcome: Sendable {
    /// Nil when the test never started (the tree did not assemble).
    public let summary: SummaryReport?
    public let exitCode: RunExitCode
    public let abortReason: String?
    public let errors: [String]
    /// The agents the test was shared among, in the order of the segment sequence.
    public let agents: [TreeLeaf]
    /// When the agents started their scenarios (nil when some never did).
    public let start: StartReport?

    init(summary: SummaryReport, exitCode: RunExitCode, abortReason: String?, errors: [String], agents: [TreeLeaf], start: StartReport?) {
        self.start = start
        self.summary = summary
        self.exitCode = exitCode
        self.abortReason = abortReason
        self.errors = errors
        self.agents = agents
    }

    init(failure: String, code: RunExitCode) {
        summary = nil
        exitCode = code
        abortReason = nil
        errors = [failure]
        agents = []
        start = nil
    }
}

/// How a relay's or an agent's part ended.
public struct MemberOutcome: Sendable {
    public let exitCode: RunExitCode
    public let message: String
    /// An agent's own run (its share of the metrics, its errors).
    public let result: TestRun.Result?

    init(exitCode: RunExitCode, message: String, result: TestRun.Result? = nil) {
        self.exitCode = exitCode
        self.message = message
        self.result = result
    }
}

/// Why a tree run could not go on.
public enum TreeRunError: Error, Sendable, Hashable, CustomStringConvertible {
    case joinTimedOut(after: Duration, missing: [String])
    case unreadableDataFile(String)
    case dataFileOutsidePlan(String)

    public var description: String {
        switch self {
        case .joinTimedOut(let after, let missing):
            "the tree did not assemble within \(DurationText.format(after)); missing: \(missing.joined(separator: "; "))"
        case .unreadableDataFile(let path): "cannot read the plan's data file \(path) to send it to the agents"
        case .dataFileOutsidePlan(let path):
            "data file \(path) is not inside the plan's directory; a tree ships data files to its agents by their path relative to the plan"
        }
    }
}
