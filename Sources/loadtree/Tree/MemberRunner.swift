import ArgumentParser
import Foundation
import LoadTreeCore
import LoadTreeNode

#if canImport(Glibc)
import Glibc
#endif

/// Drives a relay or an agent for the command line: attaches to the parent, logs the
/// assignment and the end, and exits on its own when the tree finishes (0), when the test was
/// aborted (its code), or when the parent is gone (255): no orphaned load.
struct MemberRunner {
    let settings: NodeSettings
    let upstream: NodeAddress
    /// Where children attach, for a relay.
    let listen: NodeAddress?
    let policy: (any JoinPolicy)?
    let connectTimeout: Duration

    func run() async throws(ExitCode) -> RunExitCode {
        let hub = policy.map { ChildHub(policy: $0) }
        let tree = TreeRun(settings: settings, hub: hub)
        let role = hub == nil ? "agent" : "relay"
        let id = settings.id
        let upstream = self.upstream
        let connectTimeout = self.connectTimeout
        let signals = SignalWatcher { count in
            if count == 1 {
                printError("\n\(role) \(id): interrupted; aborting the test (Ctrl-C again to exit now)")
                Task {
                    if !(await tree.abort(reason: "\(role) \(id) was interrupted", code: .externalAbort)) {
                        exit(RunExitCode.externalAbort.rawValue)
                    }
                }
            } else {
                exit(RunExitCode.externalAbort.rawValue)
            }
        }
        defer { signals.cancel() }
        let attach = TreeNetwork.attach(to: upstream)
        let body: @Sendable () async -> MemberOutcome = {
            printError("\(role) \(id): attaching to \(upstream)")
            return await tree.runMember(upstream: UpstreamConnection(), connectTimeout: connectTimeout, attach: attach)
        }
        let outcome: MemberOutcome
        do {
            if let hub, let listen {
                let service = TreeService(hub: hub, runID: tree.runID, operations: tree)
                outcome = try await TreeNetwork.serve(service, on: listen) { bound in
                    printError("\(role) \(id): children attach at \(bound)")
                    return await body()
                }
            } else {
                outcome = await body()
            }
        } catch {
            throw fail("error: \(error)", code: .genericError)
        }
        if let result = outcome.result {
            printError("\(role) \(id): ran \(Int(result.summary.view.sink("iterations")?.value(of: .count, testDuration: .seconds(1)) ?? 0)) iterations, "
                + "\(Int(result.summary.view.sink("http_reqs")?.value(of: .count, testDuration: .seconds(1)) ?? 0)) requests")
            var seen = Set<String>()
            for error in result.errors where seen.insert(error).inserted { printError("\(role) \(id): error: \(error)") }
        }
        printError("\(role) \(id): \(outcome.message) (exit \(outcome.exitCode.rawValue))")
        return outcome.exitCode
    }
}
