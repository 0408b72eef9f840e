import Foundation
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

    @Option(help: ArgumentHelp("Also draw planned VUs or arrival rate over time as an SVG file; with --sequence, one line per segment.", valueName: "file.svg"))
    var chart: String?

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
        // With only --sequence, the table shows its first segment; the chart shows them all.
        let tuple = try segments.tuple(for: loaded, defaultingToFirstOfSequence: true)
        let schedule = TestSchedule(scenarios: scenarios, tuple: tuple)
        let report = ScheduleReport(schedule: schedule, limit: limit ?? (json ? nil : 10))
        print(json ? report.json.serialized() : report.text)
        if let chart {
            var tuples: [ExecutionTuple] = []
            for segment in tuple.sequence.segments where tuple.sequence.segments.count > 1 {
                do { tuples.append(try ExecutionTuple(segment: segment, sequence: tuple.sequence)) } catch {
                    throw fail("error: \(error)")
                }
            }
            let svg = SVGChart(chart: ScheduleChart(scenarios: scenarios, tuples: tuples)).svg
            do { try svg.write(toFile: chart, atomically: true, encoding: .utf8) } catch {
                throw fail("error: cannot write the chart \"\(chart)\": \(error.localizedDescription)", code: .genericError)
            }
        }
    }
}
