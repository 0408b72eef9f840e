import ArgumentParser
import Foundation
import LoadTreeCore
import LoadTreeEngine
import LoadTreeNode
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Drives the root of a tree for the command line: listens, reports who is missing, shows the
/// merged progress, handles Ctrl-C, and prints the summary of the whole tree.
struct RootRunner {
    let settings: RootSettings
    let listen: NodeAddress
    let outputs: OutputOptions
    let planName: String
    /// Called once the root listens (the demo starts its relays and agents then).
    var onListening: @Sendable (NodeAddress) async -> Void = { _ in }

    func run() async throws(ExitCode) -> RunExitCode {
        let hub = ChildHub(policy: TopologyJoin(topology: settings.topology))
        let tree = TreeRun(settings: NodeSettings(id: "root", runsLoad: false), hub: hub)
        let service = TreeService(hub: hub, runID: tree.runID, operations: tree)
        let settings = self.settings
        let outputs = self.outputs
        let planName = self.planName
        let onListening = self.onListening
        let outcome: RootOutcome
        do {
            outcome = try await TreeNetwork.serve(service, on: listen) { bound in
                let leaves = settings.topology.leafZones.map { path, zone in
                    "\(path.joined(separator: "/")) (\(zone.expectedAgents.map { "\($0) agent\($0 == 1 ? "" : "s")" } ?? "any agents"))"
                }
                // What the whole tree will run, as `loadtree run` shows it for one machine.
                let header = ["", "     plan: \(planName)", "     root: listening on \(bound), run \(tree.runID)",
                              "    zones: \(leaves.joined(separator: ", "))", ""]
                    + ExecutionHeader.lines(TestSchedule(scenarios: settings.plan.scenarios, tuple: .full), plan: settings.plan)
                printError(header.joined(separator: "\n"))
                // Ctrl-C: abort the tree gracefully (teardown, summary); a second one exits now.
                let signals = SignalWatcher { count in
                    if count == 1 {
                        printError("\nstopping the whole tree: waiting for teardown and the summary (Ctrl-C again to exit now)")
                        Task {
                            if !(await tree.abort(reason: "interrupted at the root", code: .externalAbort)) {
                                exit(RunExitCode.externalAbort.rawValue)
                            }
                        }
                    } else {
                        exit(RunExitCode.externalAbort.rawValue)
                    }
                }
                defer { signals.cancel() }
                await onListening(bound)
                let display = TreeProgress(tree: tree, quiet: outputs.quiet)
                let displayTask = Task { await display.run() }
                let waiting = WaitingReporter()
                let outcome = await tree.runRoot(settings) { missing in waiting.report(missing) }
                displayTask.cancel()
                await displayTask.value
                return outcome
            }
        } catch {
            throw fail("error: \(error)", code: .genericError)
        }
        guard let summary = outcome.summary else {
            for error in outcome.errors { printError("error: \(error)") }
            return outcome.exitCode
        }
        printError("the test ran on \(outcome.agents.count) agent\(outcome.agents.count == 1 ? "" : "s"): "
            + outcome.agents.map { "\($0.id) (\($0.zone))" }.joined(separator: ", "))
        if let start = outcome.start {
            printError("start skew across \(start.agents) agent\(start.agents == 1 ? "" : "s"): \(DurationText.format(start.skew)) (by their clocks)")
        }
        return outputs.finish(summary: summary, errors: outcome.errors, abortReason: outcome.abortReason, code: outcome.exitCode)
    }
}

/// Prints what the root still waits for, once per change and at most every 2 s.
final class WaitingReporter: Sendable {
    private let last = Mutex<(text: String, at: ContinuousClock.Instant?)>(("", nil))

    func report(_ missing: [String]) {
        let text = "waiting for: " + missing.joined(separator: "; ")
        let now = ContinuousClock.now
        let print = last.withLock { last -> Bool in
            guard last.text != text else { return false }
            if let at = last.at, now - at < .seconds(2), !last.text.isEmpty { return false }
            last = (text, now)
            return true
        }
        if print { printError(text) }
    }
}
