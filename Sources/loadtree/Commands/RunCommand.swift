import ArgumentParser
import Foundation
import LoadTreeCore
import LoadTreeEngine
import LoadTreeNode

/// `loadtree run`: a whole test on this machine — a tree of one node.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a plan on this machine and print the end-of-test summary.",
        discussion: """
            Prints the execution header, a live progress display, then the summary. Thresholds \
            are evaluated every 2 s during the run (a failed abortOnFail threshold stops it) and \
            at the end. Exit codes: 0 passed, 99 thresholds failed, 104 invalid plan, 105 \
            interrupted (Ctrl-C stops gracefully: teardown and summary still run; a second \
            Ctrl-C exits at once), 107 setup failed.

            With --segment and --sequence, only that share of the test runs, as one agent of a \
            tree would run it.
            """
    )

    @Argument(help: ArgumentHelp("The plan file (YAML or JSON).", valueName: "plan"))
    var plan: String

    @OptionGroup var segments: SegmentOptions

    @OptionGroup var outputs: OutputOptions

    @Flag(name: .customLong("no-thresholds"), help: "Do not evaluate thresholds.")
    var noThresholds = false

    @Option(name: .customLong("env"), help: ArgumentHelp("Set an environment value for ${env.NAME} (repeatable).", valueName: "NAME=VALUE"))
    var environment: [String] = []

    @Option(name: .customLong("var"), help: ArgumentHelp("Replace the plan's variable NAME (repeatable).", valueName: "NAME=VALUE"))
    var variables: [String] = []

    @Option(name: .customLong("tag"), help: ArgumentHelp("Add a tag to every sample, e.g. zone=eu-west (repeatable).", valueName: "NAME=VALUE"))
    var tags: [String] = []

    func run() async throws {
        let loaded = try loadPlan(plan)
        let tuple = try segments.tuple(for: loaded)
        var env = ProcessInfo.processInfo.environment
        env.merge(try Self.pairs(environment, option: "--env")) { $1 }
        let overrides = try Self.pairs(variables, option: "--var")
        for name in overrides.keys where loaded.vars[name] == nil {
            throw fail("error: --var \(name): the plan has no variable \"\(name)\"")
        }
        let directory = (plan as NSString).deletingLastPathComponent
        let configuration = TestRun.Configuration(
            plan: loaded, planDirectory: directory.isEmpty ? "." : directory, tuple: tuple, environment: env,
            varOverrides: overrides, extraTags: try Self.pairs(tags, option: "--tag"),
            summary: try outputs.summaryOptions(), thresholdsEnabled: !noThresholds,
            // A tree of one node: the same node code as every agent of a tree.
            coordinator: NodeCoordinator.singleNode())
        let code = try await LocalRunner(configuration: configuration, outputs: outputs, planName: plan).run()
        throw ExitCode(code.rawValue)
    }

    /// `NAME=VALUE` pairs of a repeatable option.
    static func pairs(_ values: [String], option: String) throws(ExitCode) -> [String: String] {
        var result: [String: String] = [:]
        for pair in values {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                throw fail("error: \(option) expects NAME=VALUE, found \"\(pair)\"")
            }
            result[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
        }
        return result
    }
}
