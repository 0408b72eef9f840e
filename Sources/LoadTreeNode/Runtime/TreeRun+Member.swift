import Foundation
import LoadTreeCore
import LoadTreeEngine
import LoadTreeWire

/// A relay's or an agent's part: attach (and re-attach within the grace), take the assignment,
/// run the local engine if any, and end with the tree.
extension TreeRun {

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
                    // A parent that refused us (a message of ours it could not use) will not
                    // take us back.
                    if case .rejected? = error as? UpstreamConnection.Failure { return failure }
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
            if !self.welcomed {
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
            self.markDone()
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

    func markDone() { done = true }

    /// After a stream ended: the parent's run id when it is worth attaching again (the test is
    /// assigned and still running here), nil when this node is done with its parent.
    func streamLost() async -> String? {
        guard !done, let node, !(await node.isFinished), let parentRunID else { return nil }
        return parentRunID
    }

    /// Attaches again until the grace runs out: the load goes on meanwhile, and once back the
    /// node sends what the parent may have missed. Returns why it gave up, or nil once the
    /// new stream has ended (the caller decides whether to go again).
    func reconnect(
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
                if !self.rewelcomed { attempt.cancel() }
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

    func makeHello() async -> Loadtree_V1_Hello {
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
    func handle(_ event: UpstreamConnection.Event, upstream: UpstreamConnection, assigned: AsyncStream<TreeAssignment>.Continuation) async {
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
            let node = makeNode(parent: upstream.link, children: children, metricInterval: assignment.metricInterval, releaseLeads: [:])
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

    func execute(_ assignment: TreeAssignment) async -> MemberOutcome {
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
            // A relay follows the run's phases as its subtree passes them (`loadtree status`).
            let phases = Task {
                try await node.released(RunBarrier.setupDone)
                self.enter(.running)
                try await node.released(RunBarrier.executionDone)
                self.enter(.stopping)
            }
            try? await node.released(TreeBarrier.finished)
            phases.cancel()
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
    func runEngine(_ assignment: TreeAssignment, node: RelayNode) async throws -> TestRun.Result {
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

    func enter(_ phase: RunPhase) { self.phase = phase }
}
