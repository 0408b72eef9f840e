import ArgumentParser
import LoadTreeCore
import LoadTreeNode

/// `loadtree relay`: a sub-coordinator, typically one per zone.
struct RelayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "relay",
        abstract: "Relay a zone of a tree: agents (or further relays) attach here, one stream goes up.",
        discussion: """
            A relay merges its children's metrics into one batch per interval, combines their \
            barrier arrivals, and fans the root's messages down, so the root's work does not grow \
            with the number of agents. Relays nest: --upstream may be another relay. Agents that \
            name no zone take the relay's. It exits on its own when the test ends.
            """
    )

    @OptionGroup var member: MemberOptions

    @Option(help: ArgumentHelp("Where children attach (HOST:PORT; :PORT for every interface).", valueName: "address"))
    var listen = ":6566"

    @Option(help: ArgumentHelp("The zone this relay serves (a zone of the root's topology).", valueName: "zone"))
    var zone: String

    @Option(help: ArgumentHelp("How many agents to take at most (default: as many as the topology wants).", valueName: "n"))
    var expect: Int?

    func run() async throws {
        if let expect, expect < 1 { throw fail("error: --expect must be at least 1") }
        guard !zone.isEmpty else { throw fail("error: --zone must name the zone this relay serves") }
        let settings = NodeSettings(id: member.id ?? NodeSettings.defaultID(prefix: "relay-\(zone)"), zone: zone, runsLoad: false)
        let code = try await MemberRunner(
            settings: settings, upstream: try member.upstreamAddress(),
            listen: try parseAddress(listen, option: "--listen", defaultHost: "0.0.0.0"),
            policy: ZoneJoin(zone: zone, expectedAgents: expect),
            connectTimeout: try duration(member.connectTimeout, option: "--connect-timeout")
        ).run()
        throw ExitCode(code.rawValue)
    }
}
