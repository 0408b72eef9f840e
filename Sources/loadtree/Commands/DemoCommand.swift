import ArgumentParser
import LoadTreeCore

/// `loadtree demo`: shows what LoadTree does with a self-contained plan, on any machine.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Show LoadTree on its embedded demo plan.",
        discussion: """
            Validates the embedded demo plan, prints its execution header, then shows how the \
            same test is shared between three zones (eu-west 50%, us-east 30%, on-prem 20%) with \
            execution segments: each zone's VUs and iterations, which add up to the whole test \
            exactly. `--print-plan` prints the plan itself (it is also examples/demo.yaml).
            """
    )

    @Flag(help: "Print the embedded demo plan and exit.")
    var printPlan = false

    /// The zones of the demo tree and their shares.
    static let zones: [(name: String, share: Int64)] = [("eu-west", 5), ("us-east", 3), ("on-prem", 2)]

    func run() throws {
        if printPlan {
            print(DemoPlan.text)
            return
        }
        let plan = try loadPlan(text: DemoPlan.text, name: "demo.yaml")
        let whole = TestSchedule(scenarios: plan.scenarios, tuple: .full)
        print("LoadTree demo: the embedded plan (loadtree demo --print-plan), validated.\n")
        print(PlanOverview(plan: plan, schedule: whole).lines.joined(separator: "\n"))
        print("")
        print(try zoneTable(plan: plan, whole: whole))
        print("""

            Every zone runs exactly its own VUs and iterations, with the same global ids and \
            start times as a single machine would: try `loadtree schedule examples/demo.yaml \
            --sequence 0,1/2,4/5,1 --segment 1/2:4/5`.
            """)
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
        return "  shared between three zones:\n" + TextTable(rows: rows).lines.map { "    " + $0 }.joined(separator: "\n")
    }
}
