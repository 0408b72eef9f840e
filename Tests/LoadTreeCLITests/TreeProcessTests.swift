import Foundation
import LoadTreeHTTP
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A tree of separate `loadtree` processes on loopback: a root, relays and agents, as an
/// operator would start them on different machines.
@Suite(.serialized, .timeLimit(.minutes(3))) struct TreeProcessTests {
    /// A free loopback port (bound, read and released; the tree binds it right after).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw POSIXError(.EADDRINUSE) }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// The requests an agent says it sent ("agent a1: ran N iterations, M requests").
    static func requests(reportedIn stderr: String) -> Int? {
        guard let line = stderr.split(separator: "\n").first(where: { $0.contains(" ran ") }),
              let ran = line.range(of: "iterations, ") else { return nil }
        return Int(line[ran.upperBound...].prefix { $0.isNumber })
    }

    static func export(_ path: String) throws -> [String: [String: Any]] {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any]
        return try #require(json?["metrics"] as? [String: [String: Any]])
    }

    static let topology = """
        zones:
          eu: {share: 60%, agents: 2}
          us: {share: 40%, agents: 2}
        """

    @Test func aRootTwoRelaysAndFourAgentsRunOneTestAndExitOnTheirOwn() async throws {
        let target = try await TargetServer.start(host: "127.0.0.1", port: 0)
        let plan = try TestFiles.write("""
            vars: {base: "http://127.0.0.1:1"}
            flows:
              default:
                - request: {url: "${base}/items", checks: [{status: 200}]}
                - sleep: 20ms
            scenarios:
              steady: {executor: constant-vus, vus: 8, duration: 3s}
            thresholds:
              checks: ["rate==1"]
            """)
        let directory = (plan as NSString).deletingLastPathComponent
        let topology = (directory as NSString).appendingPathComponent("zones.yaml")
        try Self.topology.write(toFile: topology, atomically: true, encoding: .utf8)
        let exportPath = (directory as NSString).appendingPathComponent("summary.json")
        let seriesPath = (directory as NSString).appendingPathComponent("intervals.jsonl")
        let (rootPort, euPort, usPort) = (try Self.freePort(), try Self.freePort(), try Self.freePort())

        let root = try LoadTreeProcess.start([
            "root", plan, "--topology", topology, "--listen", "127.0.0.1:\(rootPort)", "--quiet",
            "--var", "base=http://127.0.0.1:\(target.port)", "--summary-export", exportPath, "--out", "json=\(seriesPath)",
        ])
        let relays = try [("r-eu", "eu", euPort), ("r-us", "us", usPort)].map { id, zone, port in
            try LoadTreeProcess.start(["relay", "--upstream", "127.0.0.1:\(rootPort)", "--listen", "127.0.0.1:\(port)", "--zone", zone, "--id", id])
        }
        let agents = try [("eu-1", euPort), ("eu-2", euPort), ("us-1", usPort), ("us-2", usPort)].map { id, port in
            try LoadTreeProcess.start(["agent", "--upstream", "127.0.0.1:\(port)", "--id", id])
        }
        let agentResults = agents.map { $0.wait() }
        let relayResults = relays.map { $0.wait() }
        let rootResult = root.wait()
        await target.shutdown()

        #expect(rootResult.status == 0, "\(rootResult.stderr)")
        #expect(relayResults.map(\.status) == [0, 0], "\(relayResults.map(\.stderr))")
        #expect(agentResults.map(\.status) == [0, 0, 0, 0], "\(agentResults.map(\.stderr))")
        let sent = agentResults.compactMap { Self.requests(reportedIn: $0.stderr) }
        #expect(sent.count == 4, "\(agentResults.map(\.stderr))")
        #expect(sent.allSatisfy { $0 > 0 })
        let metrics = try Self.export(exportPath)
        #expect(metrics["http_reqs"]?["count"] as? Double == Double(sent.reduce(0, +)))
        #expect(rootResult.stderr.contains("the test ran on 4 agents: eu-1 (eu), eu-2 (eu), us-1 (us), us-2 (us)"))
        // The root shows what the whole tree runs, as `loadtree run` does for one machine.
        #expect(rootResult.stderr.contains("scenarios: (100.00%) 1 scenario, 8 max VUs, 33s max duration (incl. graceful stop):"),
                "\(rootResult.stderr)")
        #expect(rootResult.stderr.contains("* steady: 8 looping VUs for 3s (gracefulStop: 30s)"), "\(rootResult.stderr)")
        // The root's time series: every interval of the merged metrics, adding up to the totals.
        let lines = try String(contentsOfFile: seriesPath, encoding: .utf8).split(separator: "\n")
        var requests = 0.0
        var zones = Set<String>()
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["type"] as? String == "Interval")
            guard object["metric"] as? String == "http_reqs", let data = object["data"] as? [String: Any] else { continue }
            requests += (data["values"] as? [String: Any])?["count"] as? Double ?? 0
            if let zone = (data["tags"] as? [String: String])?["zone"] { zones.insert(zone) }
        }
        #expect(requests == Double(sent.reduce(0, +)))
        #expect(zones == ["eu", "us"])
    }

    @Test func anAbortOnFailThresholdStopsEveryProcess() async throws {
        let target = try await TargetServer.start(host: "127.0.0.1", port: 0)
        let plan = try TestFiles.write("""
            vars: {base: "http://127.0.0.1:1"}
            flows:
              default:
                - request: {url: "${base}/status/500"}
                - sleep: 50ms
            scenarios:
              steady: {executor: constant-vus, vus: 4, duration: 2m}
            thresholds:
              http_req_failed: [{threshold: "rate<0.5", abortOnFail: true}]
            """)
        let topology = try TestFiles.write("zones:\n  local: {agents: 2}\n", name: "zones.yaml")
        let rootPort = try Self.freePort()
        let started = Date()
        let root = try LoadTreeProcess.start([
            "root", plan, "--topology", topology, "--listen", "127.0.0.1:\(rootPort)", "--quiet",
            "--var", "base=http://127.0.0.1:\(target.port)",
        ])
        let agents = try ["a1", "a2"].map { try LoadTreeProcess.start(["agent", "--upstream", "127.0.0.1:\(rootPort)", "--id", $0]) }
        let agentResults = agents.map { $0.wait() }
        let rootResult = root.wait()
        await target.shutdown()
        #expect(Date().timeIntervalSince(started) < 90, "the 2-minute test was not stopped")
        #expect(rootResult.status == 99, "\(rootResult.stderr)")
        #expect(rootResult.stderr.contains("threshold 'rate<0.5' on http_req_failed failed (abortOnFail)"), "\(rootResult.stderr)")
        #expect(agentResults.map(\.status) == [99, 99], "\(agentResults.map(\.stderr))")
    }

    @Test func agentsStopTheirLoadAndExitWhenTheRootDies() async throws {
        let target = try await TargetServer.start(host: "127.0.0.1", port: 0)
        let plan = try TestFiles.write("""
            vars: {base: "http://127.0.0.1:1"}
            flows:
              default:
                - request: {url: "${base}/items"}
                - sleep: 50ms
            scenarios:
              steady: {executor: constant-vus, vus: 2, duration: 2m}
            """)
        let topology = try TestFiles.write("zones:\n  local: {agents: 2}\n", name: "zones.yaml")
        let rootPort = try Self.freePort()
        let root = try LoadTreeProcess.start([
            "root", plan, "--topology", topology, "--listen", "127.0.0.1:\(rootPort)", "--upstream-grace", "1s",
            "--var", "base=http://127.0.0.1:\(target.port)",
        ])
        let agents = try ["a1", "a2"].map { try LoadTreeProcess.start(["agent", "--upstream", "127.0.0.1:\(rootPort)", "--id", $0]) }
        // Kill the root once the test runs, as `loadtree status` tells.
        var running = false
        for _ in 0..<200 where !running {
            try await Task.sleep(for: .milliseconds(100))
            let reply = try LoadTreeProcess.run(["status", "127.0.0.1:\(rootPort)"])
            running = reply.stdout.contains(": running")
        }
        #expect(running)
        kill(root.process.processIdentifier, SIGKILL)
        let killedAt = Date()
        let agentResults = agents.map { $0.wait() }
        _ = root.wait()
        let requestsBefore = target.requestsServed
        try await Task.sleep(for: .milliseconds(500))
        #expect(target.requestsServed == requestsBefore, "load went on after the agents exited")
        await target.shutdown()
        #expect(Date().timeIntervalSince(killedAt) < 30)
        #expect(agentResults.map(\.status) == [255, 255], "\(agentResults.map(\.stderr))")
        // They tried to come back for the grace the root set, then stopped.
        #expect(agentResults.allSatisfy { $0.stderr.contains("lost the connection to the parent: could not reconnect within 1s") },
                "\(agentResults.map(\.stderr))")
    }
}
