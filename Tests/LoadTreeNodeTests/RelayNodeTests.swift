import LoadTreeCore
import Synchronization
import Testing
@testable import LoadTreeNode

/// Three levels in memory: a root with an engine, two relays, four agents.
@Suite struct RelayNodeTests {
    static let shape: [(id: String, parent: String?, engine: Bool)] = [
        ("root", nil, true), ("eu", "root", false), ("us", "root", false),
        ("a1", "eu", true), ("a2", "eu", true), ("a3", "us", true), ("a4", "us", true),
    ]
    static let engines = ["root", "a1", "a2", "a3", "a4"]

    @Test func everyEnginePassesTheBarriersTogether() async throws {
        let tree = await InMemoryTree(Self.shape)
        defer { tree.stop() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for engine in Self.engines {
                let node = try #require(tree.nodes[engine])
                group.addTask {
                    for barrier in ["init-done", "setup-done", "execution-done"] { try await node.signalAndWait(barrier) }
                }
            }
            try await group.waitForAll()
        }
    }

    @Test func theStartBarrierReleasesEveryEngineAtTheAnnouncedInstant() async throws {
        let tree = await InMemoryTree(Self.shape, releaseLeads: ["start": .milliseconds(300)])
        defer { tree.stop() }
        let times = try await withThrowingTaskGroup(of: (arrived: Int64, released: Int64).self) { group in
            for engine in Self.engines {
                let node = try #require(tree.nodes[engine])
                group.addTask {
                    let arrived = WallClock.now()
                    try await node.signalAndWait("start")
                    return (arrived, WallClock.now())
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        // The root names an instant 300 ms after the last arrival; nobody goes on before it,
        // however quickly the release reached them.
        let announced = (times.map(\.arrived).max() ?? 0) + 300_000_000
        #expect(times.count == Self.engines.count)
        #expect(times.allSatisfy { $0.released >= announced - 1_000_000 }, "\(times.map { $0.released - announced })")
    }

    @Test func onceRunsOneBodyInTheWholeTree() async throws {
        let tree = await InMemoryTree(Self.shape)
        defer { tree.stop() }
        let runs = Counter()
        let results = try await withThrowingTaskGroup(of: OnceCoordinator.Outcome.self) { group in
            for engine in Self.engines {
                let node = try #require(tree.nodes[engine])
                group.addTask {
                    await node.once("setup") {
                        runs.increment()
                        return .value(Array("token-\(engine)".utf8))
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(runs.value == 1)
        #expect(results.count == 5)
        #expect(Set(results).count == 1)
    }

    @Test func metricsMergeUpTheTreeExactlyAndOnce() async throws {
        let tree = await InMemoryTree(Self.shape)
        defer { tree.stop() }
        let key = try SeriesKey("http_reqs")
        for (i, engine) in Self.engines.enumerated() {
            var interval = IntervalAggregate(start: 0)
            for _ in 0...i { try interval.add(1, to: key, type: .counter, at: 1) }
            await tree.nodes[engine]?.record(interval)
        }
        let agents = ["a1", "a2", "a3", "a4"]
        for agent in agents { await tree.nodes[agent]?.flushMetrics() }
        // Every batch is kept by its sender until its parent acknowledges it.
        try await waitUntil { await tree.unacknowledged(agents) == 0 }
        for relay in ["eu", "us"] { await tree.nodes[relay]?.flushMetrics() }
        try await waitUntil { await tree.unacknowledged(["eu", "us"]) == 0 }
        await tree.nodes["root"]?.flushMetrics()
        let totals = await tree.nodes["root"]!.totals
        guard case .counter(let reqs)? = totals.series[key] else {
            Issue.record("no http_reqs at the root")
            return
        }
        #expect(reqs.sum == 15)  // 1 + 2 + 3 + 4 + 5
    }

    @Test func anAbortAnywhereReachesEveryNode() async throws {
        let tree = await InMemoryTree(Self.shape)
        defer { tree.stop() }
        await tree.nodes["a3"]?.abort(reason: "threshold failed", code: .thresholdsFailed)
        try await waitUntil { tree.aborts.all.count == Self.shape.count }
        #expect(Set(tree.aborts.all.values) == ["threshold failed"])
        // A barrier after the abort fails at once instead of hanging.
        await #expect(throws: NodeError.self) { try await tree.nodes["a1"]!.signalAndWait("teardown-done") }
    }

    @Test func aLostChildAbortsTheTestEverywhere() async throws {
        let tree = await InMemoryTree(Self.shape)
        defer { tree.stop() }
        let waiting = Task { try await tree.nodes["a1"]!.signalAndWait("b") }
        await tree.nodes["us"]?.detach("a4")
        for engine in ["a3", "root", "a2"] {
            guard let node = tree.nodes[engine] else { continue }
            Task { try? await node.signalAndWait("b") }
        }
        await #expect(throws: NodeError.self) { try await waiting.value }
        // Everyone but the lost agent itself.
        try await waitUntil { tree.aborts.all.count == Self.shape.count - 1 }
        #expect(tree.aborts.all["a1"] == "a4 disconnected from us")
        #expect(tree.aborts.all["a4"] == nil)
    }
}

extension InMemoryTree {
    func unacknowledged(_ ids: [String]) async -> Int {
        var total = 0
        for id in ids { total += await nodes[id]?.unacknowledgedBatches ?? 0 }
        return total
    }
}

/// Polls `condition` every 10 ms for at most 5 s.
func waitUntil(_ condition: () async -> Bool) async throws {
    for _ in 0..<500 {
        if await condition() { return }
        try await Task.sleep(for: .milliseconds(10))
    }
    Issue.record("condition not met within 5 s")
}

final class Counter: Sendable {
    private let count = Mutex(0)
    func increment() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
