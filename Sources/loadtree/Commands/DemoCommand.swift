import ArgumentParser
import LoadTreeCore
import LoadTreeEngine
import LoadTreeHTTP
import LoadTreeNode
import Synchronization

/// `loadtree demo`: LoadTree end to end on any machine, with nothing to set up.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the embedded demo plan on a whole tree against the embedded test target.",
        discussion: """
            Starts the embedded test target on a free loopback port, then a tree in this \
            process: a root, two zone relays (eu-west 60%, us-east 40%) and four agents, \
            connected by real gRPC on loopback as separate machines would be. The root shares \
            the plan out with execution segments, shows the merged progress per zone, and \
            prints the summary of the whole tree (about 30 seconds). `--local` runs the same \
            plan as a tree of one node; `--print-plan` prints it (it is also examples/demo.yaml).
            """
    )

    @Flag(help: "Print the embedded demo plan and exit.")
    var printPlan = false

    @Flag(help: "Only show the plan and its zone shares; do not run it.")
    var dryRun = false

    @Flag(help: "Run the plan on this one node instead of a tree.")
    var local = false

    @OptionGroup var outputs: OutputOptions

    func run() async throws {
        if printPlan {
            print(DemoPlan.text)
            return
        }
        let plan = try loadPlan(text: DemoPlan.text, name: "demo.yaml")
        let whole = TestSchedule(scenarios: plan.scenarios, tuple: .full)
        print("LoadTree demo: the embedded plan (loadtree demo --print-plan).\n")
        print(try zoneTable(plan: plan, whole: whole))
        print("")
        if dryRun { return }

        let target: TargetServer
        do { target = try await TargetServer.start(host: "127.0.0.1", port: 0) } catch {
            throw fail("error: cannot start the demo target: \(error)", code: .genericError)
        }
        let base = "http://127.0.0.1:\(target.port)"
        print("demo target listening on \(base)")
        let code: RunExitCode
        if local {
            let configuration = TestRun.Configuration(
                plan: plan, planDirectory: ".", varOverrides: ["base": base], summary: try outputs.summaryOptions())
            code = try await LocalRunner(configuration: configuration, outputs: outputs, planName: "demo.yaml (embedded)").run()
        } else {
            let topology: Topology
            do { topology = try DemoTree.topology } catch { throw fail("error: \(error)", code: .genericError) }
            let settings = RootSettings(
                plan: plan, planText: DemoPlan.text, planFileName: "demo.yaml", planDirectory: ".", topology: topology,
                environment: [:], vars: ["base": base], joinTimeout: .seconds(30), summary: try outputs.summaryOptions())
            var runner = RootRunner(settings: settings, listen: NodeAddress(host: "127.0.0.1", port: 0), outputs: outputs,
                                    planName: "demo.yaml (embedded)")
            let members = MemberTasks()
            runner.onListening = { root in members.start { await DemoTree.run(root: root) } }
            code = try await runner.run()
            await members.wait()
        }
        await target.shutdown()
        throw ExitCode(code.rawValue)
    }

    private func zoneTable(plan: Plan, whole: TestSchedule) throws(ExitCode) -> String {
        let zones: [ExecutionTuple]
        do {
            let segments = try ExecutionSegment.full.split(weights: DemoTree.zones.map { Int64($0.share) })
            let sequence = try ExecutionSegmentSequence(segments: segments)
            zones = try segments.map { try ExecutionTuple(segment: $0, sequence: sequence) }
        } catch {
            throw fail("error: \(error)", code: .genericError)
        }
        var rows = [["scenario"] + DemoTree.zones.map { "\($0.zone) (\($0.share)%)" } + ["whole test"]]
        for (i, scenario) in whole.scenarios.enumerated() {
            let shares = zones.map { ExecutorSchedule(scenario: scenario.scenario, tuple: $0) }
            let figure = { (s: ExecutorSchedule) in
                let vus = s.maxVUs == 1 ? "1 VU" : "\(s.maxVUs) VUs"
                return s.iterations.map { "\(vus), \($0) it." } ?? vus
            }
            rows.append([plan.scenarios[i].name] + shares.map(figure) + [figure(scenario)])
        }
        return "  the test shared between the tree's two zones with execution segments:\n"
            + TextTable(rows: rows).lines.map { "    " + $0 }.joined(separator: "\n")
    }
}

/// The demo's relays and agents, started once the root listens and awaited after it ends.
final class MemberTasks: Sendable {
    private let task = Mutex<Task<Void, Never>?>(nil)

    func start(_ body: @escaping @Sendable () async -> Void) {
        task.withLock { $0 = Task { await body() } }
    }

    func wait() async {
        await task.withLock { $0 }?.value
    }
}
