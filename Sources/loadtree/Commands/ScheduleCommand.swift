import ArgumentParser
import LoadTreeCore

/// `loadtree schedule`: what one segment of a plan will run, scenario by scenario.
struct ScheduleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Show what one segment of a plan runs: VUs, iterations, start times, VU steps.",
        discussion: """
            For every scenario: the planned and maximum VUs of the segment, the iterations it \
            runs (when fixed in advance), the start time and global id of each arrival-rate \
            iteration, and the VU steps and execution requirements of ramping-vus. Times are \
            nanoseconds from the scenario's start.

            Example: loadtree schedule plan.yaml --sequence 0,3/5,1 --segment 3/5:1 --limit 5 --json
            """
    )

    @Argument(help: ArgumentHelp("The plan file (YAML or JSON).", valueName: "plan"))
    var plan: String

    @OptionGroup var segments: SegmentOptions

    @Option(help: ArgumentHelp("Show at most this many iteration starts per scenario (default: all with --json, 10 otherwise).", valueName: "count"))
    var limit: Int?

    @Option(help: ArgumentHelp("Only this scenario.", valueName: "name"))
    var scenario: String?

    @Flag(help: "Print one JSON object instead of tables.")
    var json = false

    func run() throws {
        if let limit, limit < 0 {
            throw fail("error: --limit must be zero or more, found \(limit)")
        }
        let loaded = try loadPlan(plan)
        var scenarios = loaded.scenarios
        if let scenario {
            scenarios = scenarios.filter { $0.name == scenario }
            if scenarios.isEmpty {
                let names = loaded.scenarios.map(\.name).joined(separator: ", ")
                throw fail("error: the plan has no scenario \"\(scenario)\"; its scenarios are \(names)")
            }
        }
        let schedule = TestSchedule(scenarios: scenarios, tuple: try segments.tuple(for: loaded))
        let report = ScheduleReport(schedule: schedule, limit: limit ?? (json ? nil : 10))
        print(json ? report.json.serialized() : report.text)
    }
}
