import ArgumentParser
import LoadTreeCore
import LoadTreeNode

/// How a relay or an agent finds its place in a tree.
struct MemberOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The parent to attach to: the root or a relay (HOST:PORT).", valueName: "address"))
    var upstream: String

    @Option(help: ArgumentHelp("This node's id, unique in the tree (default: role-host-pid).", valueName: "id"))
    var id: String?

    @Option(help: ArgumentHelp("How long to wait for the parent to answer (it may start later).", valueName: "duration"))
    var connectTimeout = "60s"

    func upstreamAddress() throws(ExitCode) -> NodeAddress {
        try parseAddress(upstream, option: "--upstream", defaultHost: "127.0.0.1")
    }
}

/// Parses an address option, naming the option in the error.
func parseAddress(_ text: String, option: String, defaultHost: String) throws(ExitCode) -> NodeAddress {
    do { return try NodeAddress(parsing: text, defaultHost: defaultHost) } catch {
        throw fail("error: \(option): \(error)")
    }
}

/// Parses a duration option (`30s`, `500ms`), naming the option in the error.
func duration(_ text: String, option: String) throws(ExitCode) -> Duration {
    do { return try DurationText.parse(text) } catch {
        throw fail("error: \(option): \"\(text)\" is not a duration (e.g. 30s, 500ms, 1m)")
    }
}
