import Foundation
import LoadTreeHTTP
import Testing

/// `loadtree run` with `http: {version: "2"}` against the embedded target's h2c: the `proto`
/// tag reaches samples and the summary export, and the plan option's errors have positions.
@Suite(.serialized) struct HTTP2RunTests {
    static let plan = """
        vars: {base: "http://127.0.0.1:1"}
        flows:
          default:
            - request:
                method: POST
                url: ${base}/echo
                body: hello over h2
                checks: [{status: 200}, {body_contains: hello over h2}]
            - request: {url: "${base}/json", http: {version: "1.1"}}
        scenarios:
          h2:
            executor: shared-iterations
            vus: 4
            iterations: 20
            http: {version: "2", connections: 1}
        thresholds:
          "http_reqs{proto:HTTP/2.0}": ["count==20"]
          "http_reqs{proto:HTTP/1.1}": ["count==20"]
          checks: ["rate==1"]
        """

    @Test func protoTagsReachSamplesAndTheSummaryExport() async throws {
        let target = try await TargetServer.start(host: "127.0.0.1", port: 0)
        defer { Task { await target.shutdown() } }
        let planPath = try TestFiles.write(Self.plan)
        let exportPath = planPath + ".summary.json"
        let jsonPath = planPath + ".samples.jsonl"
        let result = try LoadTreeProcess.run([
            "run", planPath, "--var", "base=http://127.0.0.1:\(target.port)", "--summary-export", exportPath,
            "--out", "json=\(jsonPath)", "--quiet",
        ])
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        let data = try Data(contentsOf: URL(fileURLWithPath: exportPath))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let metrics = try #require(json["metrics"] as? [String: [String: Any]])
        #expect(metrics["http_reqs{proto:HTTP/2.0}"]?["count"] as? Double == 20)
        #expect(metrics["http_reqs{proto:HTTP/1.1}"]?["count"] as? Double == 20)
        #expect(metrics["checks"]?["value"] as? Double == 1)
        let lines = try String(contentsOfFile: jsonPath, encoding: .utf8).split(separator: "\n")
        let durations = lines.filter { $0.contains(#""type":"Point""#) && $0.contains(#""metric":"http_req_duration""#) }
        #expect(durations.filter { $0.contains(#""proto":"HTTP/2.0""#) }.count == 20)
        // 4 VUs shared one HTTP/2 connection (plus one HTTP/1.1 connection per VU).
        #expect(target.acceptedConnections <= 5)
    }

    @Test func badHTTPOptionsAreReportedWithPositions() throws {
        let plan = """
            flows:
              default:
                - request: {url: "http://127.0.0.1:1/", http: {version: "3", connections: 2}}
            scenarios:
              s: {executor: shared-iterations, http: {version: "1.1", connections: 4}}
            """
        let result = try LoadTreeProcess.run(["validate", try TestFiles.write(plan)])
        #expect(result.status == 104)
        let output = result.stdout + result.stderr
        #expect(output.contains(#"plan.yaml:3:61: error: unknown value "3" for"#), "\(output)")
        #expect(output.contains("\"connections\" is a scenario option"))
        #expect(output.contains("shares HTTP/2 connections, but \"version\" is \"1.1\""))
    }
}
