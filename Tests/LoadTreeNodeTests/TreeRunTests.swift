import LoadTreeCore
import LoadTreeEngine
import LoadTreeHTTP
import Testing
@testable import LoadTreeNode

/// Two agents run one test as one: each its own segment, setup once in the whole tree with its
/// token reaching both, lifecycle barriers passed together.
@Suite(.timeLimit(.minutes(1))) struct TreeRunTests {
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
          shared: {executor: shared-iterations, vus: 2, iterations: 10}
        """

    @Test func twoAgentsRunTheirSegmentsAndShareSetup() async throws {
        let target = try await TargetServer.start(host: "127.0.0.1", port: 0)
        let tree = await InMemoryTree([("root", nil, false), ("a1", "root", true), ("a2", "root", true)])
        defer { tree.stop() }
        let plan = try PlanLoader.load(text: Self.plan, fileName: "tree.yaml")
        let sequence = try ExecutionSegmentSequence(parsing: "0,1/2,1")
        let results = try await withThrowingTaskGroup(of: TestRun.Result.self) { group in
            for (index, agent) in ["a1", "a2"].enumerated() {
                let node = try #require(tree.nodes[agent])
                let tuple = try ExecutionTuple(segment: sequence.segments[index], sequence: sequence)
                let configuration = TestRun.Configuration(
                    plan: plan, planDirectory: ".", tuple: tuple, environment: [:],
                    varOverrides: ["base": "http://127.0.0.1:\(target.port)"], httpThreads: 1,
                    coordinator: NodeCoordinator(node: node))
                group.addTask { await TestRun(configuration).run() }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        await target.shutdown()
        func count(_ result: TestRun.Result, _ metric: String) -> Double {
            result.summary.view.sink(metric)?.value(of: .count, testDuration: .seconds(1)) ?? 0
        }
        #expect(results.map(\.exitCode) == [.success, .success], "\(results.flatMap(\.errors))")
        #expect(results.map { count($0, "iterations") } == [5, 5])
        // 20 requests of the iterations, plus one login in the whole tree.
        #expect(results.map { count($0, "http_reqs") }.reduce(0, +) == 21)
        for result in results {
            #expect(result.summary.view.sink("checks")?.value(of: .rate, testDuration: .seconds(1)) == 1)
        }
        // The agents' metrics reached the root, merged exactly, each batch once.
        try await waitUntil { await tree.unacknowledged(["a1", "a2"]) == 0 }
        let root = try #require(tree.nodes["root"])
        await root.flushMetrics()
        let totals = MetricsView(await root.totals)
        #expect(totals.sink("http_reqs")?.value(of: .count, testDuration: .seconds(1)) == 21)
        #expect(totals.sink("iterations")?.value(of: .count, testDuration: .seconds(1)) == 10)
    }
}
