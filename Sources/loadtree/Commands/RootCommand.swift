import ArgumentParser
import Foundation
import LoadTreeCore
import LoadTreeEngine
import LoadTreeNode

#if canImport(Glibc)
import Glibc
#endif

/// `loadtree root`: the coordinator of a test tree. To a user, the root *is* the run.
struct RootCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "root",
        abstract: "Coordinate a test run by a tree of relays and agents, and print its summary.",
        discussion: """
            Listens for relays and agents, waits until every zone of the topology has the agents \
            it expects (--join-timeout), shares the plan out with execution segments (zones \
            contiguous by share, agents by weight), then follows the run: merged progress, \
            thresholds on the merged metrics every 2 s (abortOnFail stops the whole tree), the \
            summary with per-zone figures (--out json=FILE: the merged metrics of every \
            interval as JSON lines), and the reference's exit codes (0, 99, 103 after \
            `loadtree abort`, 105 after Ctrl-C, 107 setup failed). When the root ends, every \
            node of the tree exits on its own.

            The tree speaks plaintext gRPC: run it on a private network or through a tunnel.
            """
    )

    @Argument(help: ArgumentHelp("The plan file (YAML or JSON).", valueName: "plan"))
    var plan: String

    @Option(help: ArgumentHelp("The topology file: zones, shares and expected agents.", valueName: "file"))
    var topology: String

    @Option(help: ArgumentHelp("Where children attach (HOST:PORT; :PORT for every interface).", valueName: "address"))
    var listen = ":6565"

    @Option(help: ArgumentHelp("How long to wait for the topology's agents.", valueName: "duration"))
    var joinTimeout = "60s"

    @Option(help: ArgumentHelp("How often agents send their metrics up.", valueName: "duration"))
    var metricInterval = "1s"

    @Option(help: ArgumentHelp("How far ahead the start instant is announced, so every agent starts together.", valueName: "duration"))
    var startLead = "500ms"

    @Option(help: ArgumentHelp("How long a node whose stream to its parent broke may take to come back before the test aborts (its load goes on meanwhile).", valueName: "duration"))
    var upstreamGrace = "10s"

    @OptionGroup var outputs: OutputOptions

    @Flag(name: .customLong("no-thresholds"), help: "Do not evaluate thresholds.")
    var noThresholds = false

    @Option(name: .customLong("env"), help: ArgumentHelp("Set an environment value for ${env.NAME}, sent to every agent (repeatable).", valueName: "NAME=VALUE"))
    var environment: [String] = []

    @Option(name: .customLong("var"), help: ArgumentHelp("Replace the plan's variable NAME on every agent (repeatable).", valueName: "NAME=VALUE"))
    var variables: [String] = []

    func run() async throws {
        let loaded = try loadPlan(plan)
        guard let text = try? String(contentsOfFile: plan, encoding: .utf8) else {
            throw fail("error: cannot read \(plan)")
        }
        let topologyValue: Topology
        do { topologyValue = try TopologyLoader.load(path: topology) } catch {
            throw fail("\(error)\n\(error.errors.count) error\(error.errors.count == 1 ? "" : "s") in \(topology)")
        }
        var intervals: IntervalLinesOutput?
        if let path = try outputs.jsonOutputPath() {
            do { intervals = try IntervalLinesOutput(path: path) } catch { throw fail("error: \(error)") }
        }
        defer { intervals?.close() }
        var env = ProcessInfo.processInfo.environment
        env.merge(try RunCommand.pairs(environment, option: "--env")) { $1 }
        let overrides = try RunCommand.pairs(variables, option: "--var")
        for name in overrides.keys where loaded.vars[name] == nil {
            throw fail("error: --var \(name): the plan has no variable \"\(name)\"")
        }
        let directory = (plan as NSString).deletingLastPathComponent
        let settings = RootSettings(
            plan: loaded, planText: text, planFileName: (plan as NSString).lastPathComponent,
            planDirectory: directory.isEmpty ? "." : directory, topology: topologyValue, environment: env,
            vars: overrides, metricInterval: try duration(metricInterval, option: "--metric-interval"),
            joinTimeout: try duration(joinTimeout, option: "--join-timeout"),
            startLead: try duration(startLead, option: "--start-lead"),
            upstreamGrace: try duration(upstreamGrace, option: "--upstream-grace"),
            thresholdsEnabled: !noThresholds, summary: try outputs.summaryOptions(), intervals: intervals)
        let code = try await RootRunner(settings: settings, listen: try parseAddress(listen, option: "--listen", defaultHost: "0.0.0.0"),
                                        outputs: outputs, planName: plan).run()
        throw ExitCode(code.rawValue)
    }
}
