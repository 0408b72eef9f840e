import ArgumentParser
import LoadTreeCore
import LoadTreeEngine
import LoadTreeHTTP

/// `loadtree demo`: LoadTree end to end on any machine, with nothing to set up.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the embedded demo plan against the embedded test target.",
        discussion: """
            Starts the embedded test target on a free loopback port, shows how the demo plan \
            would be shared between three zones (eu-west 50%, us-east 30%, on-prem 20%) with \
            execution segments, then runs it here for about 30 seconds and prints the summary. \
            `--print-plan` prints the plan (it is also examples/demo.yaml).
            """
    )

    @Flag(help: "Print the embedded demo plan and exit.")
    var printPlan = false

    @Flag(help: "Only show the plan and its zone shares; do not run it.")
    var dryRun = false

    @OptionGroup var outputs: OutputOptions

    /// The zones of the demo tree and their shares.
    static let zones: [(name: String, share: Int64)] = [("eu-west", 5), ("us-east", 3), ("on-prem", 2)]

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
        let configuration = TestRun.Configuration(
            plan: plan, planDirectory: ".", varOverrides: ["base": base], summary: try outputs.summaryOptions())
        let code = try await LocalRunner(configuration: configuration, outputs: outputs, planName: "demo.yaml (embedded)").run()
        await target.shutdown()
        throw ExitCode(code.rawValue)
    }

    private func zoneTable(plan: Plan, whole: TestSchedule) throws(ExitCode) -> String {
        let zones: [ExecutionTuple]
        do {
            let segments = try ExecutionSegment.full.split(weights: Self.zones.map(\.share))
            let sequence = try ExecutionSegmentSequence(segments: segments)
            zones = try segments.map { try ExecutionTuple(segment: $0, sequence: sequence) }
        } catch {
            throw fail("error: \(error)", code: .genericError)
        }
        var rows = [["scenario"] + Self.zones.map { "\($0.name) (\($0.share * 10)%)" } + ["whole test"]]
        for (i, scenario) in whole.scenarios.enumerated() {
            let shares = zones.map { ExecutorSchedule(scenario: scenario.scenario, tuple: $0) }
            let figure = { (s: ExecutorSchedule) in
                let vus = s.maxVUs == 1 ? "1 VU" : "\(s.maxVUs) VUs"
                return s.iterations.map { "\(vus), \($0) it." } ?? vus
            }
            rows.append([plan.scenarios[i].name] + shares.map(figure) + [figure(scenario)])
        }
        return "  the same test shared between three zones with execution segments:\n"
            + TextTable(rows: rows).lines.map { "    " + $0 }.joined(separator: "\n")
    }
}
