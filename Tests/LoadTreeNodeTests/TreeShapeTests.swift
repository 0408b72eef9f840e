import LoadTreeCore
import LoadTreeEngine
import LoadTreeHTTP
import Synchronization
import Testing
@testable import LoadTreeNode

/// Whole trees of roots, relays and agents (as `loadtree root/relay/agent` run them) over gRPC
/// streams: depth 1, 2 and 3 and uneven shapes run one test as one machine would.
@Suite(.serialized, .timeLimit(.minutes(2))) struct TreeShapeTests {
    static let plan = """
        vars: {base: "http://127.0.0.1:1"}
        setup:
          - request:
              method: POST
              url: ${base}/login
              json: {user: tree}
              capture: {token: {json: $.token}}
        flows:
          default:
            - request: {url: "${base}/items", checks: [{status: 200}]}
            - request:
                method: POST
                url: ${base}/cart
                headers: {Authorization: "Bearer ${setup.token}"}
                json: {item: 1}
                checks: [{status: 201}]
        scenarios:
          shared: {executor: shared-iterations, vus: 10, iterations: 60}
        thresholds:
          checks: ["rate==1"]
        """

    static func settings(topology: Topology, base: String, plan: String = plan) throws -> RootSettings {
        RootSettings(
            plan: try PlanLoader.load(text: plan, fileName: "tree.yaml"), planText: plan, planFileName: "tree.yaml",
            planDirectory: ".", topology: topology, environment: [:], vars: ["base": base],
            metricInterval: .milliseconds(200), joinTimeout: .seconds(30), startLead: .milliseconds(100))
    }

    /// `vus` looping VUs, each requesting the target's items then sleeping 50 ms, for `duration`.
    static func steadyPlan(vus: Int, duration: String) -> String {
        steadyPlan(scenarios: ["steady: {executor: constant-vus, vus: \(vus), duration: \(duration)}"])
    }

    /// `scenarios` (one YAML line each) running VUs that request the target's items then sleep
    /// 50 ms.
    static func steadyPlan(scenarios: [String]) -> String {
        """
        vars: {base: "http://127.0.0.1:1"}
        flows:
          default:
            - request: {url: "${base}/items"}
            - sleep: 50ms
        scenarios:
        \(scenarios.map { "  " + $0 }.joined(separator: "\n"))
        """
    }

    static func count(_ view: MetricsView, _ metric: String) -> Double {
        view.sink(metric)?.value(of: .count, testDuration: .seconds(1)) ?? 0
    }

    /// The checks every shape must pass: the root's merged numbers are those of the whole
    /// test, each agent ran exactly its segment, setup ran once in the tree, and the root's
    /// trend histograms are the agents' merged bucket for bucket.
    static func expectOneTest(_ outcome: TreeHarness.Outcome, agents: [String]) throws {
        let root = outcome.root
        #expect(root.exitCode == .success, "\(root.errors) \(root.abortReason ?? "")")
        let summary = try #require(root.summary)
        #expect(Set(root.agents.map(\.id)) == Set(agents))
        // Every agent reported its start, once, through the tree.
        #expect(root.start?.agents == agents.count)
        #expect((root.start?.earliest ?? 1) <= (root.start?.latest ?? 0))
        #expect(count(summary.view, "iterations") == 60)
        // Two requests per iteration and one login in the whole tree.
        #expect(count(summary.view, "http_reqs") == 121)
        #expect(!summary.thresholdsFailed)

        let plan = try PlanLoader.load(text: Self.plan, fileName: "tree.yaml")
        var merged: [TagSet: MetricSink] = [:]
        var agentIterations = 0.0
        for agent in agents {
            let member = try #require(outcome.members[agent])
            #expect(member.exitCode == .success, "\(agent): \(member.message)")
            let result = try #require(member.result)
            let leaf = try #require(root.agents.first { $0.id == agent })
            #expect(result.summary.view.series("http_reqs").allSatisfy { $0.tags["zone"] == leaf.zone })
            // Exactly the iterations of its segment of the global sequence.
            let expected = ExecutorSchedule(scenario: plan.scenarios[0], tuple: result.tuple).iterations
            #expect(count(result.summary.view, "iterations") == Double(expected ?? -1), "\(agent)")
            agentIterations += count(result.summary.view, "iterations")
            for (tags, sink) in result.summary.view.series("http_req_duration") {
                if merged[tags] == nil { merged[tags] = sink } else { try merged[tags]?.merge(sink) }
            }
        }
        #expect(agentIterations == 60)
        let rootSeries = Dictionary(uniqueKeysWithValues: summary.view.series("http_req_duration").map { ($0.tags, $0.sink) })
        #expect(Set(rootSeries.keys) == Set(merged.keys))
        for (tags, sink) in merged {
            guard case .trend(let mine) = sink, case .trend(let theirs)? = rootSeries[tags] else {
                Issue.record("http_req_duration \(tags) is not a trend at the root")
                continue
            }
            #expect(theirs.histogram == mine.histogram, "\(tags)")
            #expect(theirs.min == mine.min && theirs.max == mine.max)
        }
    }

    @Test func depthOneWeightedAgents() async throws {
        let target = try await TargetServer.start(host: "127.0.0.1", port: 0)
        let topology = Topology(zones: [Topology.Zone(name: "local", expectedAgents: 3)])
        let outcome = try await TreeHarness.run(
            root: try Self.settings(topology: topology, base: "http://127.0.0.1:\(target.port)"),
            agents: [.init(id: "a1", parent: "root"), .init(id: "a2", parent: "root"), .init(id: "a3", weight: 2, parent: "root")])
        await target.shutdown()
        try Self.expectOneTest(outcome, agents: ["a1", "a2", "a3"])
        // Weights 1:1:2 of the whole test.
        let segments = outcome.members.compactMapValues { $0.result?.tuple.segment.description }
        #expect(segments == ["a1": "0:1/4", "a2": "1/4:1/2", "a3": "1/2:1"])
    }

    @Test func depthTwoZonesBehindRelays() async throws {
        let target = try await TargetServer.start(host: "127.0.0.1", port: 0)
        let topology = Topology(zones: [
            Topology.Zone(name: "eu", share: try Rational(3, 5), expectedAgents: 2),
            Topology.Zone(name: "us", share: try Rational(2, 5), expectedAgents: 1),
        ])
        let outcome = try await TreeHarness.run(
            root: try Self.settings(topology: topology, base: "http://127.0.0.1:\(target.port)"),
            relays: [.init(id: "r-eu", zone: "eu", parent: "root"), .init(id: "r-us", zone: "us", parent: "root", expect: 1)],
            agents: [.init(id: "a1", parent: "r-eu"), .init(id: "a2", parent: "r-eu"), .init(id: "a3", parent: "r-us")])
        await target.shutdown()
        try Self.expectOneTest(outcome, agents: ["a1", "a2", "a3"])
        #expect(outcome.members["r-eu"]?.exitCode == .success)
        // The zones' agents share the zone's range: eu 0..3/5, us 3/5..1.
        #expect(outcome.members["a3"]?.result?.tuple.segment.description == "3/5:1")
        let view = try #require(outcome.root.summary).view
        let perZone = Dictionary(uniqueKeysWithValues: view.series("iterations").compactMap { tags, sink in
            tags["zone"].map { ($0, sink.value(of: .count, testDuration: .seconds(1)) ?? 0) }
        })
        // 10 VUs striped 3, 3 and 4 over 3/10, 3/10 and 2/5; iterations follow the VUs.
        #expect(perZone == ["eu": 36, "us": 24])
    }

    @Test func depthThreeUnevenTree() async throws {
        let target = try await TargetServer.start(host: "127.0.0.1", port: 0)
        let topology = Topology(zones: [
            Topology.Zone(name: "cloud", share: try Rational(7, 10), zones: [
                Topology.Zone(name: "aws-eu", share: try Rational(1, 2), expectedAgents: 2),
                Topology.Zone(name: "gcp-us", share: try Rational(1, 2), expectedAgents: 1),
            ]),
            Topology.Zone(name: "on-prem", share: try Rational(3, 10), expectedAgents: 1),
        ])
        let outcome = try await TreeHarness.run(
            root: try Self.settings(topology: topology, base: "http://127.0.0.1:\(target.port)"),
            relays: [
                .init(id: "r-cloud", zone: "cloud", parent: "root"),
                .init(id: "r-aws", zone: "aws-eu", parent: "r-cloud"),
                .init(id: "r-gcp", zone: "gcp-us", parent: "r-cloud"),
            ],
            agents: [
                .init(id: "a1", parent: "r-aws"), .init(id: "a2", parent: "r-aws"), .init(id: "a3", parent: "r-gcp"),
                .init(id: "p1", zone: "on-prem", parent: "root"),
            ])
        await target.shutdown()
        try Self.expectOneTest(outcome, agents: ["a1", "a2", "a3", "p1"])
        #expect(outcome.members["p1"]?.result?.tuple.segment.description == "7/10:1")
    }

    /// `vus` and `vus_max` at the root are the agents' gauges summed, not one agent's: 12 VUs
    /// over four agents behind two relays show 12, and the largest total is 12 as well. As in a
    /// run on one machine (and the reference), the gauges are sampled while the VUs run, never
    /// after they all stopped: the root's `vus` does not end at 0 nor dip to it.
    @Test func theRootsVUGaugesSumTheAgents() async throws {
        let target = try await TargetServer.start(host: "127.0.0.1", port: 0)
        let plan = Self.steadyPlan(vus: 12, duration: "1500ms")
        let topology = Topology(zones: [Topology.Zone(name: "eu", expectedAgents: 2), Topology.Zone(name: "us", expectedAgents: 2)])
        let outcome = try await TreeHarness.run(
            root: try Self.settings(topology: topology, base: "http://127.0.0.1:\(target.port)", plan: plan),
            relays: [.init(id: "r-eu", zone: "eu", parent: "root"), .init(id: "r-us", zone: "us", parent: "root")],
            agents: [
                .init(id: "a1", parent: "r-eu"), .init(id: "a2", parent: "r-eu"),
                .init(id: "a3", parent: "r-us"), .init(id: "a4", parent: "r-us"),
            ])
        await target.shutdown()
        #expect(outcome.root.exitCode == .success, "\(outcome.root.errors) \(outcome.root.abortReason ?? "")")
        var agentVUs = 0.0
        for agent in ["a1", "a2", "a3", "a4"] {
            let view = try #require(outcome.members[agent]?.result).summary.view
            agentVUs += view.sink("vus_max")?.value(of: .value, testDuration: .seconds(1)) ?? 0
        }
        #expect(agentVUs == 12)
        let view = try #require(outcome.root.summary).view
        guard case .gaugeTotal(let vusMax)? = view.sink("vus_max"), case .gaugeTotal(let vus)? = view.sink("vus") else {
            Issue.record("the root's vus and vus_max are not tree-wide totals")
            return
        }
        #expect(vusMax.value == agentVUs)
        #expect(vusMax.max == agentVUs)
        // While the test ran, more than any one agent's 3 were active at once, and never more
        // than all 12. The last samples were taken while VUs still ran (a sample after the end
        // would end the total at 0, with a minimum of 0).
        #expect((vus.max ?? 0) > 3 && (vus.max ?? 0) <= 12, "\(vus.steps)")
        #expect((vus.value ?? 0) > 0 && (vus.min ?? 0) > 0, "\(vus.steps)")
        // Each zone's own total is its two agents'.
        let zones = view.series("vus_max").compactMap { tags, sink in tags["zone"].map { ($0, sink.value(of: .value, testDuration: .seconds(1)) ?? 0) } }
        #expect(Dictionary(uniqueKeysWithValues: zones) == ["eu": 6, "us": 6])
    }

    /// An agent whose scenarios ended while another's still run counts 0 VUs in the root's
    /// total from then on, as one machine running both would: a scenario of 1 VU lands on one
    /// of two agents, a shorter one of 2 VUs on both. 3 VUs while both run, then the long
    /// one's 1 to the end (not 2 with the other agent's last sample kept, nor 0).
    @Test func anAgentThatEndedEarlyCountsNoVUsWhileTheOthersRun() async throws {
        let target = try await TargetServer.start(host: "127.0.0.1", port: 0)
        let plan = Self.steadyPlan(scenarios: [
            "long: {executor: constant-vus, vus: 1, duration: 1600ms}",
            "short: {executor: constant-vus, vus: 2, duration: 400ms}",
        ])
        let topology = Topology(zones: [Topology.Zone(name: "local", expectedAgents: 2)])
        let outcome = try await TreeHarness.run(
            root: try Self.settings(topology: topology, base: "http://127.0.0.1:\(target.port)", plan: plan),
            agents: [.init(id: "a1", parent: "root"), .init(id: "a2", parent: "root")])
        await target.shutdown()
        #expect(outcome.root.exitCode == .success, "\(outcome.root.errors) \(outcome.root.abortReason ?? "")")
        let view = try #require(outcome.root.summary).view
        guard case .gaugeTotal(let vus)? = view.sink("vus") else {
            Issue.record("the root's vus is not a tree-wide total")
            return
        }
        #expect(vus.max == 3, "\(vus.steps)")
        #expect(vus.value == 1, "\(vus.steps)")
        #expect(vus.min == 1, "\(vus.steps)")
    }

    @Test func aBrokenStreamComesBackWithinTheGraceAndNothingIsLostOrCountedTwice() async throws {
        let target = try await TargetServer.start(host: "127.0.0.1", port: 0)
        let plan = """
            vars: {base: "http://127.0.0.1:1"}
            setup:
              - request: {method: POST, url: "${base}/login", json: {user: tree}}
            flows:
              default:
                - request: {url: "${base}/items"}
                - sleep: 20ms
            scenarios:
              steady: {executor: constant-vus, vus: 4, duration: 3s}
            """
        let topology = Topology(zones: [Topology.Zone(name: "eu", expectedAgents: 2), Topology.Zone(name: "us", expectedAgents: 1)])
        let relayPhases = PhaseLog()
        let watchRelay: @Sendable ([String: TreeRun]) async -> Void = { runs in
            // What `loadtree status` shows for the relay while its subtree runs.
            guard let relay = runs["r-eu"] else { return }
            while !Task.isCancelled {
                let phase = RunPhase(wire: await relay.status().phase)
                relayPhases.record(phase)
                if phase == .finished || phase == .aborted { return }
                try? await Task.sleep(for: .milliseconds(50))
            }
        }
        let outcome = try await TreeHarness.run(
            root: try Self.settings(topology: topology, base: "http://127.0.0.1:\(target.port)", plan: plan),
            relays: [.init(id: "r-eu", zone: "eu", parent: "root")],
            agents: [
                .init(id: "a1", parent: "r-eu", cutFirstStreamAfter: .milliseconds(1500)),
                .init(id: "a2", parent: "r-eu"),
                .init(id: "a3", zone: "us", parent: "root", cutFirstStreamAfter: .milliseconds(1500)),
            ],
            onMembers: watchRelay)
        await target.shutdown()
        #expect(outcome.root.exitCode == .success, "\(outcome.root.errors) \(outcome.root.abortReason ?? "")")
        for agent in ["a1", "a2", "a3"] {
            #expect(outcome.members[agent]?.exitCode == .success, "\(agent): \(outcome.members[agent]?.message ?? "")")
        }
        // Every request an agent made reached the root once, across the reconnects.
        let sent = ["a1", "a2", "a3"].reduce(0.0) { total, agent in
            total + Self.count(outcome.members[agent]?.result?.summary.view ?? MetricsView(IntervalAggregate(start: 0)), "http_reqs")
        }
        #expect(sent > 0)
        #expect(Self.count(try #require(outcome.root.summary).view, "http_reqs") == sent)
        #expect(relayPhases.all.contains(.running) && relayPhases.all.last == .finished, "\(relayPhases.all)")
    }

    @Test func aRefusedAgentStopsInsteadOfReconnectingAndTheTreeAborts() async throws {
        let target = try await TargetServer.start(host: "127.0.0.1", port: 0)
        let plan = Self.steadyPlan(vus: 2, duration: "6s")
        let topology = Topology(zones: [Topology.Zone(name: "eu", expectedAgents: 2)])
        var settings = try Self.settings(topology: topology, base: "http://127.0.0.1:\(target.port)", plan: plan)
        settings.upstreamGrace = .seconds(2)
        let outcome = try await TreeHarness.run(
            root: settings,
            agents: [
                .init(id: "a1", zone: "eu", parent: "root", refuseFirstStreamAfter: .milliseconds(1200)),
                .init(id: "a2", zone: "eu", parent: "root"),
            ])
        await target.shutdown()
        // A parent that refused a node will not take it back: the agent stops at once with the
        // parent's reason (not after failed reconnects, nor with "id already taken").
        let refused = try #require(outcome.members["a1"])
        #expect(refused.exitCode == .genericError)
        #expect(refused.message.contains("the parent rejected this node: refused for the test"), "\(refused.message)")
        // Its share is lost: once the grace is over the test aborts everywhere, naming it.
        #expect(outcome.root.exitCode == .genericError)
        #expect(outcome.root.abortReason?.contains("a1") == true, "\(outcome.root.abortReason ?? "")")
        #expect(outcome.members["a2"]?.exitCode != .success)
    }

    @Test func aFailedAbortOnFailThresholdStopsTheWholeTree() async throws {
        let target = try await TargetServer.start(host: "127.0.0.1", port: 0)
        let plan = """
            vars: {base: "http://127.0.0.1:1"}
            flows:
              default:
                - request: {url: "${base}/status/500"}
                - sleep: 100ms
            scenarios:
              steady: {executor: constant-vus, vus: 2, duration: 60s}
            thresholds:
              http_req_failed: [{threshold: "rate<0.5", abortOnFail: true}]
            """
        let topology = Topology(zones: [
            Topology.Zone(name: "eu", expectedAgents: 1), Topology.Zone(name: "us", expectedAgents: 1),
        ])
        let started = ContinuousClock.now
        let outcome = try await TreeHarness.run(
            root: try Self.settings(topology: topology, base: "http://127.0.0.1:\(target.port)", plan: plan),
            relays: [.init(id: "r-eu", zone: "eu", parent: "root")],
            agents: [.init(id: "a1", parent: "r-eu"), .init(id: "a2", zone: "us", parent: "root")])
        await target.shutdown()
        #expect(ContinuousClock.now - started < .seconds(50), "the 60 s test was not stopped")
        #expect(outcome.root.exitCode == .thresholdsFailed)
        #expect(outcome.root.abortReason?.contains("http_req_failed") == true)
        #expect(try #require(outcome.root.summary).thresholdsFailed)
        for member in ["r-eu", "a1", "a2"] {
            #expect(outcome.members[member]?.exitCode == .thresholdsFailed, "\(member): \(outcome.members[member]?.message ?? "")")
        }
    }

    @Test func anOperatorAbortEndsTheRunWith103AndTeardownStillRunsOnce() async throws {
        let target = try await TargetServer.start(host: "127.0.0.1", port: 0)
        let plan = """
            vars: {base: "http://127.0.0.1:1"}
            flows:
              default:
                - request: {url: "${base}/items"}
                - sleep: 100ms
            teardown:
              - request: {method: POST, url: "${base}/login", json: {user: teardown}}
            scenarios:
              steady: {executor: constant-vus, vus: 2, duration: 60s}
            """
        let topology = Topology(zones: [Topology.Zone(name: "local", expectedAgents: 2)])
        let outcome = try await TreeHarness.run(
            root: try Self.settings(topology: topology, base: "http://127.0.0.1:\(target.port)", plan: plan),
            agents: [.init(id: "a1", parent: "root"), .init(id: "a2", parent: "root")],
            onRoot: { root in
                Task {
                    try await waitUntil { await root.live().phase == .running }
                    try await Task.sleep(for: .seconds(1))
                    _ = await root.abort(reason: "aborted by an operator: bad deploy")
                }
            })
        await target.shutdown()
        #expect(outcome.root.exitCode == .stoppedByOperator)
        #expect(outcome.root.abortReason == "aborted by an operator: bad deploy")
        let view = try #require(outcome.root.summary).view
        let teardownLogins = view.series("http_reqs").filter { $0.tags["scenario"] == "teardown" }
            .reduce(0.0) { $0 + ($1.sink.value(of: .count, testDuration: .seconds(1)) ?? 0) }
        #expect(teardownLogins == 1)
    }

    @Test func aTreeThatDoesNotAssembleNamesWhatIsMissing() async throws {
        let topology = Topology(zones: [Topology.Zone(name: "eu", expectedAgents: 2), Topology.Zone(name: "us", expectedAgents: 1)])
        var settings = try Self.settings(topology: topology, base: "http://127.0.0.1:1")
        settings.joinTimeout = .milliseconds(800)
        let outcome = try await TreeHarness.run(root: settings, agents: [.init(id: "a1", zone: "eu", parent: "root")])
        #expect(outcome.root.summary == nil)
        #expect(outcome.root.errors == ["the tree did not assemble within 800ms; missing: zone eu: 1 of 2 agents; zone us: 0 of 1 agents"])
        #expect(outcome.members["a1"]?.exitCode == .genericError)
    }
}

/// The phases a node went through, as polled.
final class PhaseLog: Sendable {
    private let phases = Mutex<[RunPhase]>([])
    func record(_ phase: RunPhase) { phases.withLock { if $0.last != phase { $0.append(phase) } } }
    var all: [RunPhase] { phases.withLock { $0 } }
}
