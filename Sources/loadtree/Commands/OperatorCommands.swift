import ArgumentParser
import Foundation
import LoadTreeCore
import LoadTreeNode
import LoadTreeWire
import SwiftProtobuf

/// `loadtree status ADDR`: where a tree's run is, from its root (or a relay, for its subtree).
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the phase, the attached nodes and what is missing of a running tree.")

    @Argument(help: ArgumentHelp("The root's (or a relay's) address, HOST:PORT.", valueName: "address"))
    var address: String

    @Flag(help: "Print the status as JSON.")
    var json = false

    func run() async throws {
        let target = try parseAddress(address, option: "address", defaultHost: "127.0.0.1")
        let reply: Loadtree_V1_StatusReply
        do { reply = try await TreeNetwork.status(of: target) } catch {
            throw fail("error: no answer from \(target): \(error)", code: .genericError)
        }
        if json {
            print(try reply.jsonString())
            return
        }
        print("node \(reply.nodeID), run \(reply.runID): \(RunPhase(wire: reply.phase))")
        print("  elapsed: \(DurationText.format(.milliseconds(reply.elapsedNs / 1_000_000)))")
        print("  agents: \(reply.agentsAttached)" + (reply.agentsExpected > 0 ? " of \(reply.agentsExpected) expected" : ""))
        for child in reply.children {
            print("  child \(child.nodeID): \(child.role == .relay ? "relay" : "agent") in \(child.zone), \(child.agentsInSubtree) agent\(child.agentsInSubtree == 1 ? "" : "s")")
        }
        for missing in reply.missing { print("  missing: \(missing)") }
        if reply.hasAbort { print("  aborted (\(reply.abort.exitCode)): \(reply.abort.reason)") }
    }
}

/// `loadtree abort ADDR`: stops a tree's run everywhere (teardown and the summary still happen).
struct AbortCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "abort",
        abstract: "Abort a running tree: every agent stops, teardown runs, the root exits with 103.")

    @Argument(help: ArgumentHelp("The root's (or a relay's) address, HOST:PORT.", valueName: "address"))
    var address: String

    @Option(help: ArgumentHelp("Why, shown on every node and in the root's output.", valueName: "text"))
    var reason = ""

    func run() async throws {
        let target = try parseAddress(address, option: "address", defaultHost: "127.0.0.1")
        let reply: Loadtree_V1_AbortReply
        do { reply = try await TreeNetwork.abort(target, reason: reason) } catch {
            throw fail("error: no answer from \(target): \(error)", code: .genericError)
        }
        print(reply.message)
        if !reply.accepted { throw ExitCode(1) }
    }
}
