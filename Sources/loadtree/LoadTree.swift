import ArgumentParser

/// The `loadtree` command: one binary for every role of a test tree.
@main
struct LoadTree: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loadtree",
        abstract: "A distributed load tester: one binary for the root, the relays and the agents.",
        discussion: """
            A plan (YAML or JSON) describes scenarios, flows and thresholds. Execution segments \
            split a plan's load between machines exactly, so every zone and agent knows its share.

            Exit codes follow the reference tool: 0 success, 99 thresholds failed, \
            104 invalid configuration, 105 interrupted.
            """,
        subcommands: [
            RunCommand.self,
            TargetCommand.self,
            DemoCommand.self,
            ValidateCommand.self,
            ScheduleCommand.self,
            SegmentsCommand.self,
        ]
    )
}
