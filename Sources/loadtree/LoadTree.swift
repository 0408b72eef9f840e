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
            103 aborted by an operator, 104 invalid configuration, 105 interrupted, \
            107 setup failed.

            One machine: `loadtree run plan.yaml`. A tree: `loadtree root plan.yaml --topology \
            zones.yaml`, a `loadtree relay --upstream ROOT --zone Z` per zone (optional), and \
            `loadtree agent --upstream PARENT` on every load generator.
            """,
        subcommands: [
            RunCommand.self,
            RootCommand.self,
            RelayCommand.self,
            AgentCommand.self,
            StatusCommand.self,
            AbortCommand.self,
            TargetCommand.self,
            DemoCommand.self,
            ValidateCommand.self,
            ScheduleCommand.self,
            SegmentsCommand.self,
        ]
    )
}
