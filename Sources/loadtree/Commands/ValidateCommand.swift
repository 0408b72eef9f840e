import ArgumentParser
import LoadTreeCore

/// `loadtree validate`: checks a plan and says what it will do, before anything runs.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a plan and print its scenarios, or every error in it.",
        discussion: """
            Prints the execution header: each scenario with its executor and what it will do, the \
            most VUs the test needs at once and its longest duration. With --segment (and \
            --sequence), the figures are those of one segment of the test, as one zone or agent \
            would run it.

            An invalid plan prints one line per problem, as file:line:column: error: message, and \
            exits with code 104.
            """
    )

    @Argument(help: ArgumentHelp("The plan file (YAML or JSON).", valueName: "plan"))
    var plan: String

    @OptionGroup var segments: SegmentOptions

    func run() throws {
        let loaded = try loadPlan(plan)
        let tuple = try segments.tuple(for: loaded)
        let schedule = TestSchedule(scenarios: loaded.scenarios, tuple: tuple)
        print(PlanOverview(plan: loaded, schedule: schedule).lines.joined(separator: "\n"))
    }
}
