import Foundation
import Testing
import LoadTreeCore

/// Every plan shipped in `examples/` must load: they are what users copy first.
@Suite struct ExamplePlansTests {
    static let examples: [String] = {
        let directory = PlanTestSupport.packageRoot.appendingPathComponent("examples")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") || $0.hasSuffix(".json") }.sorted()
    }()

    @Test func examplesExist() {
        #expect(Self.examples.contains("demo.yaml"))
        #expect(Self.examples.count >= 3)
    }

    @Test(arguments: examples)
    func exampleLoads(name: String) throws {
        let path = PlanTestSupport.packageRoot.appendingPathComponent("examples").appendingPathComponent(name).path
        do {
            let plan = try PlanLoader.load(path: path)
            #expect(!plan.scenarios.isEmpty)
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func demoHasWhatItAdvertises() throws {
        let plan = try PlanLoader.load(path: PlanTestSupport.packageRoot.appendingPathComponent("examples/demo.yaml").path)
        #expect(plan.scenarios.map(\.name) == ["browsers", "buyers", "smoke"])
        #expect(plan.scenarios.map(\.executor.kind) == [.rampingVUs, .rampingArrivalRate, .perVUIterations])
        #expect(plan.scenarios.map(\.flow) == ["browse", "checkout", "browse"])
        #expect(plan.setup.count == 1)
        #expect(plan.thresholds.flatMap(\.thresholds).filter(\.abortOnFail).map(\.source) == ["p(99.9)<1500"])
    }
}
