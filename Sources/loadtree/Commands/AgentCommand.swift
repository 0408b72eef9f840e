import ArgumentParser
import LoadTreeCore
import LoadTreeNode

/// `loadtree agent`: runs its share of the load for a tree.
struct AgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Run load as part of a tree: attach to a root or relay and run the assigned segment.",
        discussion: """
            The agent needs nothing but its parent's address: the plan, its data files, the \
            execution segment and the start instant come from the root. Every sample is tagged \
            with the agent's zone. The agent exits on its own when the test ends: 0, the abort's \
            exit code when the test was aborted, 255 when it lost its parent (it stops its load \
            at once: no orphaned load).
            """
    )

    @OptionGroup var member: MemberOptions

    @Option(help: ArgumentHelp("The zone of this agent (default: its relay's zone, or the topology's only zone).", valueName: "zone"))
    var zone = ""

    @Option(help: ArgumentHelp("This agent's share inside its zone, relative to the others (an integer).", valueName: "n"))
    var weight: UInt32 = 1

    func run() async throws {
        guard weight >= 1 else { throw fail("error: --weight must be at least 1") }
        let settings = NodeSettings(id: member.id ?? NodeSettings.defaultID(prefix: "agent"), zone: zone, weight: weight, runsLoad: true)
        let code = try await MemberRunner(settings: settings, upstream: try member.upstreamAddress(), listen: nil, policy: nil,
                                     connectTimeout: try duration(member.connectTimeout, option: "--connect-timeout")).run()
        throw ExitCode(code.rawValue)
    }
}
