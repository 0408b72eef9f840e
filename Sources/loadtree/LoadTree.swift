import ArgumentParser
import LoadTreeCore

@main
struct LoadTree: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loadtree",
        abstract: "A distributed load tester: one binary for the root, the relays and the agents."
    )
}
