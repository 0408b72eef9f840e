import PropertyBased
import Testing
@testable import LoadTreeNode

@Suite struct SyncTests {
    /// root (no engine) → relays eu, us → agents; plus one agent directly under the root.
    static let shape: [(id: String, parent: String?, engine: Bool)] = [
        ("root", nil, false), ("eu", "root", false), ("us", "root", false),
        ("a1", "eu", true), ("a2", "eu", true), ("a3", "us", true), ("a4", "root", true),
    ]

    @Test func aBarrierReleasesOnlyWhenEveryEngineArrived() {
        var tree = SimulatedTree(Self.shape)
        for agent in ["a1", "a2", "a3"] { tree.engineArrives(agent, "setup-done") }
        while !tree.inFlight.isEmpty { tree.deliver(at: 0) }
        #expect(tree.engineReleased.isEmpty)
        tree.engineArrives("a4", "setup-done")
        while !tree.inFlight.isEmpty { tree.deliver(at: 0) }
        #expect(tree.engineReleased == ["a1": ["setup-done"], "a2": ["setup-done"], "a3": ["setup-done"], "a4": ["setup-done"]])
    }

    @Test func relaysReportOnceForTheirWholeSubtree() {
        var tree = SimulatedTree(Self.shape)
        tree.engineArrives("a1", "b")
        tree.engineArrives("a2", "b")
        tree.engineArrives("a2", "b")  // a repeat from a peer changes nothing
        tree.deliver(at: 0)
        tree.deliver(at: 0)
        #expect(tree.inFlight.map(\.0) == ["root"])
    }

    @Test func aFailureAnywhereFailsTheBarrierEverywhere() {
        var tree = SimulatedTree(Self.shape)
        tree.engineArrives("a1", "b")
        tree.engineFails("a3", "b", "engine crashed")
        while !tree.inFlight.isEmpty { tree.deliver(at: 0) }
        #expect(Set(tree.engineFailed.keys) == ["a1", "a2", "a3", "a4"])
        #expect(tree.engineFailed["a1"] == ["b: child us: child a3: this node: engine crashed"])
        #expect(tree.engineReleased.isEmpty)
    }

    @Test func aLostChildFailsPendingBarriers() {
        var combiner = BarrierCombiner(participants: [.local, .child("a")], isRoot: true)
        #expect(combiner.arrive("b", from: .local).isEmpty)
        #expect(combiner.arrive("b", from: .child("stranger")).isEmpty)
        #expect(combiner.lost(.child("a")) == [.fail("b", message: "child a disconnected")])
    }

    /// Any delivery order: every engine is released exactly once per barrier.
    @Test func anyOrderReleasesEveryEngineOnce() async {
        await propertyCheck(count: 200, input: Gen.int(in: 0...1000).array(of: 40...40)) { choices in
            var tree = SimulatedTree(Self.shape)
            var pendingEngines = tree.engines.flatMap { engine in ["x", "y"].map { (engine, $0) } }
            var choice = choices.makeIterator()
            while !pendingEngines.isEmpty || !tree.inFlight.isEmpty {
                let pick = choice.next() ?? 0
                if !pendingEngines.isEmpty, pick % 2 == 0 || tree.inFlight.isEmpty {
                    let (engine, barrier) = pendingEngines.remove(at: pick % pendingEngines.count)
                    tree.engineArrives(engine, barrier)
                } else {
                    tree.deliver(at: pick % tree.inFlight.count)
                }
            }
            for engine in tree.engines {
                #expect(tree.engineReleased[engine]?.sorted() == ["x", "y"])
            }
        }
    }

    /// Any request and delivery order: exactly one engine in the tree runs `setup`, and every
    /// engine that asked receives its result.
    @Test func onceRunsOnExactlyOneLeafAndReachesEveryone() async {
        await propertyCheck(count: 200, input: Gen.int(in: 0...1000).array(of: 60...60)) { choices in
            var tree = SimulatedTree(Self.shape)
            var asking = tree.engines
            var choice = choices.makeIterator()
            var finished = false
            while !asking.isEmpty || !tree.inFlight.isEmpty || !finished {
                let pick = choice.next() ?? 0
                let runner = tree.engineRuns.first { $0.value.contains("setup") }?.key
                if let runner, !finished, pick % 3 == 0 || (tree.inFlight.isEmpty && asking.isEmpty) {
                    tree.engineFinishesOnce(runner, "setup", .value([1, 2, 3]))
                    finished = true
                } else if !asking.isEmpty, pick % 3 == 1 || tree.inFlight.isEmpty {
                    tree.engineWantsOnce(asking.remove(at: pick % asking.count), "setup")
                } else if !tree.inFlight.isEmpty {
                    tree.deliver(at: pick % tree.inFlight.count)
                } else if runner == nil {
                    Issue.record("nobody runs setup")
                    return
                }
            }
            #expect(tree.engineRuns.values.flatMap { $0 }.count == 1)
            for engine in tree.engines {
                #expect(tree.engineResults[engine]?["setup"] == .value([1, 2, 3]))
            }
        }
    }

    @Test func batchesAreCountedOnceAndKeptUntilAcknowledged() {
        var outgoing = OutgoingBatches<String>()
        let first = outgoing.enqueue("a")
        let second = outgoing.enqueue("b")
        outgoing.acknowledge(first)
        #expect(outgoing.unacknowledged.map(\.batch) == ["b"])
        var incoming = IncomingBatches()
        let verdicts = [
            incoming.accept(sender: "a1", sequence: second), incoming.accept(sender: "a1", sequence: second),
            incoming.accept(sender: "a1", sequence: first), incoming.accept(sender: "a1", sequence: first),
            incoming.accept(sender: "a2", sequence: first),
        ]
        #expect(verdicts == [true, false, true, false, true])
    }
}
