import Foundation
import LoadTreeCore
import Testing

/// The files in `deploy/` are copied by users as they are: they must stay in step with the
/// binary and with each other.
@Suite struct DeployFilesTests {
    static let kubernetes = TestFiles.packageRoot.appendingPathComponent("deploy/kubernetes")

    @Test func kubernetesPlanValidates() throws {
        let result = try LoadTreeProcess.run(["validate", Self.kubernetes.appendingPathComponent("plan.yaml").path])
        #expect(result.status == 0, "\(result.stderr)")
    }

    /// `zones.yaml` must be what `render.sh` makes of `topology.yaml`'s zones and agent counts:
    /// the root waits for exactly the topology's agents, and the agents Jobs start that many.
    @Test func renderedZonesMatchTheTopology() throws {
        let topology = try TopologyLoader.load(path: Self.kubernetes.appendingPathComponent("topology.yaml").path)
        let arguments = topology.leafZones.map { leaf in "\(leaf.path.joined(separator: "-"))=\(leaf.zone.expectedAgents ?? 1)" }
        #expect(arguments.count >= 2)
        let rendered = try Self.render(arguments)
        #expect(rendered.status == 0, "\(rendered.stderr)")
        let committed = try String(contentsOf: Self.kubernetes.appendingPathComponent("zones.yaml"), encoding: .utf8)
        #expect(rendered.stdout == committed, "run deploy/kubernetes/render.sh \(arguments.joined(separator: " ")) > deploy/kubernetes/zones.yaml")
    }

    @Test func renderRejectsAZoneThatCannotNameKubernetesObjects() throws {
        let rendered = try Self.render(["EU_West=2"])
        #expect(rendered.status == 2)
        #expect(rendered.stdout.isEmpty)
        #expect(rendered.stderr.contains("EU_West"))
    }

    /// Runs `render.sh` with `/bin/sh`, as its users do.
    static func render(_ arguments: [String]) throws -> LoadTreeProcess.Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = [kubernetes.appendingPathComponent("render.sh").path] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // The outputs are a few KB: well inside a pipe's buffer, so reading one after the other
        // cannot stall the script.
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return LoadTreeProcess.Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                                      stderr: String(decoding: stderr, as: UTF8.self))
    }
}
