import Foundation
import LoadTreeCore
import LoadTreeEngine
import LoadTreeWire

/// The root's part: assemble the tree, share the test out, follow it, summarise it.
extension TreeRun {

    /// Runs the test as the root: waits for the topology's agents, shares the test out, follows
    /// it (thresholds on the merged metrics), and returns the summary of the whole tree.
    public func runRoot(_ root: RootSettings, onWaiting: @escaping @Sendable ([String]) -> Void = { _ in }) async -> RootOutcome {
        guard let hub else { preconditionFailure("a root takes children") }
        let policy = TopologyJoin(topology: root.topology)
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
        let node = makeNode(parent: nil, children: children, metricInterval: root.metricInterval, releaseLeads: [RunBarrier.setupDone: root.startLead],
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
        // The release of the end flushed already; after a failed end, what is left comes in here.
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

    /// The root's live view: time since the start and the merged metrics as of the last
    /// interval (only the interval timer flushes, so `--out json` intervals stay regular).
    public func live() async -> (phase: RunPhase, elapsed: Duration, totals: IntervalAggregate?) {
        let elapsed = startedAt.map { Duration.nanoseconds((endedAt ?? clock.now()) - $0) } ?? .zero
        guard let node else { return (phase, elapsed, nil) }
        return (phase, elapsed, await node.totals)
    }

    func followPhases(node: RelayNode, watch: ThresholdWatch?) async {
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

    func watchThresholds(_ watch: ThresholdWatch?, node: RelayNode) async {
        guard let watch, let startedAt else { return }
        while !Task.isCancelled {
            do { try await Task.sleep(for: ThresholdWatch.period) } catch { return }
            let elapsed = Duration.nanoseconds(clock.now() - startedAt)
            if let reason = watch.abortReason(MetricsView(await node.totals), elapsed: elapsed) {
                await node.abort(reason: reason, code: .thresholdsFailed)
                return
            }
        }
    }

    static func waitForChildren(_ hub: ChildHub, timeout: Duration, onWaiting: @escaping @Sendable ([String]) -> Void) async throws {
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
        // The plan's data files and its TLS CA file travel with it: agents need nothing else.
        var files: [String: [UInt8]] = [:]
        for file in root.plan.data.map(\.file) + [root.plan.tls.caFile].compactMap({ $0 }) {
            // Agents find the file where the plan names it, under a directory of their own.
            guard !(file as NSString).isAbsolutePath, !file.split(separator: "/").contains("..") else {
                throw TreeRunError.dataFileOutsidePlan(file)
            }
            let path = (root.planDirectory as NSString).appendingPathComponent(file)
            guard let content = FileManager.default.contents(atPath: path) else {
                throw TreeRunError.unreadableDataFile(path)
            }
            files[file] = Array(content)
        }
        var environment: [String: String] = [:]
        for name in PlanReferences.environmentNames(in: root.planText) {
            if let value = root.environment[name] { environment[name] = value }
        }
        return TreeAssignment(
            planText: root.planText, planFileName: root.planFileName, sequence: split.sequence.description,
            leafSegments: Dictionary(uniqueKeysWithValues: split.leaves.map { ($0.agent.id, $0.segment.description) }),
            files: files, environment: environment, vars: root.vars, metricInterval: root.metricInterval,
            upstreamGrace: root.upstreamGrace)
    }
}
