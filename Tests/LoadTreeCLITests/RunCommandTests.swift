import Foundation
import LoadTreeCore
import LoadTreeHTTP
import Testing

/// `loadtree run` end to end against the embedded target on loopback. Every run is bounded:
/// short schedules, and the binary's own graceful stops.
@Suite(.serialized) struct RunCommandTests {
    static func withTarget(_ body: (String) async throws -> Void) async throws {
        let target = try await TargetServer.start(host: "127.0.0.1", port: 0)
        do {
            try await body("http://127.0.0.1:\(target.port)")
        } catch {
            await target.shutdown()
            throw error
        }
        await target.shutdown()
    }

    static let plan = """
        vars:
          base: http://127.0.0.1:1
        setup:
          - request:
              method: POST
              url: ${base}/login
              json: {user: tester}
              capture:
                token: {json: $.token}
        flows:
          default:
            - request:
                url: ${base}/items
                checks:
                  - status: 200
                  - json: {path: $.count, exists: true}
            - group:
                name: cart
                steps:
                  - request:
                      method: POST
                      url: ${base}/cart
                      headers: {Authorization: "Bearer ${setup.token}"}
                      json: {item: 1}
                      checks: [{status: 201}]
        scenarios:
          shared:
            executor: shared-iterations
            vus: 2
            iterations: 10
        thresholds:
          http_req_duration: ["p(95)<5000"]
          checks: ["rate==1"]
        """

    /// Runs `plan` against the target at `base` with a summary export, and returns the
    /// process's result and the exported metrics.
    private func runExporting(_ plan: String, base: String) throws -> (LoadTreeProcess.Result, [String: [String: Any]]) {
        let exportPath = try TestFiles.write("", name: "export.json")
        let result = try LoadTreeProcess.run(["run", try TestFiles.write(plan), "--var", "base=\(base)", "--quiet", "--summary-export", exportPath])
        return (result, try export(exportPath))
    }

    private func export(_ path: String) throws -> [String: [String: Any]] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try #require(json["metrics"] as? [String: [String: Any]])
    }

    @Test func runsTheScheduleAndExportsTheSummary() async throws {
        try await Self.withTarget { base in
            let planPath = try TestFiles.write(Self.plan)
            let exportPath = planPath + ".summary.json"
            let jsonPath = planPath + ".samples.jsonl"
            let result = try LoadTreeProcess.run([
                "run", planPath, "--var", "base=\(base)", "--summary-export", exportPath, "--out", "json=\(jsonPath)", "--quiet",
                "--tag", "zone=eu-west",
            ])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("█ THRESHOLDS"))
            #expect(result.stdout.contains("✓ 'rate==1' rate=1"))
            let metrics = try export(exportPath)
            // 10 iterations of 2 requests, plus the setup's login.
            #expect(metrics["http_reqs"]?["count"] as? Double == 21)
            #expect(metrics["iterations"]?["count"] as? Double == 10)
            #expect(metrics["checks"]?["value"] as? Double == 1)
            #expect(metrics["checks"]?["passes"] as? Double == 30)
            let hdr = try #require(metrics["http_req_duration"]?["hdr"] as? String)
            #expect(try HDRCodec.decodeBase64(hdr).totalCount == 21)
            #expect(metrics["http_req_duration"]?["thresholds"] as? [String: Bool] == ["p(95)<5000": false])
            let lines = try String(contentsOfFile: jsonPath, encoding: .utf8).split(separator: "\n")
            #expect(lines.contains { $0.contains(#""type":"Point""#) && $0.contains(#""metric":"http_reqs""#) })
            // --tag reaches every sample.
            #expect(lines.filter { $0.contains(#""type":"Point""#) }.allSatisfy { $0.contains(#""zone":"eu-west""#) })
        }
    }

    @Test func aSegmentRunsItsShare() async throws {
        try await Self.withTarget { base in
            let planPath = try TestFiles.write(Self.plan)
            let exportPath = planPath + ".summary.json"
            let result = try LoadTreeProcess.run([
                "run", planPath, "--var", "base=\(base)", "--sequence", "0,1/2,1", "--segment", "1/2:1",
                "--summary-export", exportPath, "--quiet", "--no-summary",
            ])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(try export(exportPath)["iterations"]?["count"] as? Double == 5)
        }
    }

    /// The scenarios' clock starts after setup, as in the reference: a slow setup neither
    /// shortens a scenario nor makes its first arrival-rate iterations overdue (which would
    /// start them in one burst and drop those no VU is free for).
    @Test func aSlowSetupDoesNotEatIntoTheScenarios() throws {
        let plan = """
            setup:
              - sleep: 1500ms
            flows:
              default:
                - sleep: 10ms
              looping:
                - sleep: 100ms
            scenarios:
              paced:
                executor: constant-arrival-rate
                rate: 20
                duration: 1s
                preAllocatedVUs: 2
                maxVUs: 2
              loop:
                executor: constant-vus
                flow: looping
                vus: 1
                duration: 1s
            """
        let exportPath = try TestFiles.write("", name: "export.json")
        let result = try LoadTreeProcess.run(["run", try TestFiles.write(plan), "--quiet", "--summary-export", exportPath])
        #expect(result.status == 0, "\(result.stderr)")
        let metrics = try export(exportPath)
        #expect(metrics["dropped_iterations"] == nil, "\(metrics["dropped_iterations"] ?? [:])")
        // 20 paced iterations, plus about 10 of the looping VU (at least 5 on a slow machine;
        // a scenario clock started before setup would leave it none).
        let iterations = try #require(metrics["iterations"]?["count"] as? Double)
        #expect(iterations >= 25, "\(iterations) iterations")
    }

    @Test func summaryModes() async throws {
        try await Self.withTarget { base in
            let planPath = try TestFiles.write(Self.plan)
            let full = try LoadTreeProcess.run(["run", planPath, "--var", "base=\(base)", "--quiet", "--summary-mode", "full"])
            #expect(full.status == 0, "\(full.stderr)")
            #expect(full.stdout.contains("█ GROUP: cart"))
            #expect(full.stdout.contains("█ SCENARIO: shared"))
            let exportPath = planPath + ".summary.json"
            let disabled = try LoadTreeProcess.run([
                "run", planPath, "--var", "base=\(base)", "--quiet", "--summary-mode", "disabled", "--summary-export", exportPath,
            ])
            #expect(disabled.status == 0, "\(disabled.stderr)")
            #expect(!disabled.stdout.contains("█ TOTAL RESULTS"))
            // The export is still written.
            #expect(try export(exportPath)["iterations"]?["count"] as? Double == 10)
            let legacy = try LoadTreeProcess.run(["run", planPath, "--var", "base=\(base)", "--quiet", "--summary-mode", "legacy"])
            #expect(legacy.status == 104)
            #expect(legacy.stderr.contains("--summary-mode \"legacy\""))
        }
    }

    @Test func failedThresholdsExit99() async throws {
        try await Self.withTarget { base in
            let plan = Self.plan.replacingOccurrences(of: #"["p(95)<5000"]"#, with: #"["p(95)<0"]"#)
            let result = try LoadTreeProcess.run(["run", try TestFiles.write(plan), "--var", "base=\(base)", "--quiet"])
            #expect(result.status == 99)
            #expect(result.stdout.contains("✗ 'p(95)<0'"))
        }
    }

    @Test func abortOnFailStopsTheRunEarly() async throws {
        try await Self.withTarget { base in
            let plan = """
                vars: {base: "http://127.0.0.1:1"}
                flows:
                  default:
                    - request: {url: "${base}/status/500"}
                    - sleep: 50ms
                scenarios:
                  steady: {executor: constant-vus, vus: 2, duration: 60s, gracefulStop: 1s}
                thresholds:
                  http_req_failed:
                    - {threshold: "rate<0.01", abortOnFail: true}
                """
            let (result, metrics) = try runExporting(plan, base: base)
            #expect(result.status == 99)
            #expect(result.stderr.contains("run stopped: threshold 'rate<0.01' on http_req_failed failed (abortOnFail)"))
            // Stopped after a few seconds, not after the minute the scenario asks for.
            let iterations = try #require(metrics["iterations"]?["count"] as? Double)
            #expect(iterations < 600)
        }
    }

    @Test func interruptStopsGracefullyWithExit105() async throws {
        try await Self.withTarget { base in
            let plan = """
                vars: {base: "http://127.0.0.1:1"}
                flows:
                  default:
                    - request: {url: "${base}/"}
                    - sleep: 100ms
                scenarios:
                  steady: {executor: constant-vus, vus: 1, duration: 60s, gracefulStop: 1s}
                """
            let running = try LoadTreeProcess.start(["run", try TestFiles.write(plan), "--var", "base=\(base)", "--quiet"])
            try await Task.sleep(for: .seconds(2))
            running.process.interrupt()
            let result = running.wait()
            #expect(result.status == 105)
            #expect(result.stdout.contains("█ TOTAL RESULTS"))
        }
    }

    /// A refused connection and a target that never answers are failed requests, not a crash,
    /// and the run still ends on schedule.
    @Test func refusedAndHangingTargetsAreFailedRequests() async throws {
        try await Self.withTarget { base in
            let plan = """
                vars: {base: "http://127.0.0.1:1"}
                flows:
                  default:
                    - request: {url: "http://127.0.0.1:9/refused"}
                    - request: {url: "${base}/delay?ms=10000", timeout: 300ms}
                scenarios:
                  few: {executor: per-vu-iterations, vus: 2, iterations: 2}
                """
            let (result, metrics) = try runExporting(plan, base: base)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(metrics["http_reqs"]?["count"] as? Double == 8)
            #expect(metrics["http_req_failed"]?["value"] as? Double == 1)
            #expect(metrics["iterations"]?["count"] as? Double == 4)
            // Each hanging request gave up at its 300 ms timeout, not after the target's 10 s.
            let slowest = try #require(metrics["iteration_duration"]?["max"] as? Double)
            #expect(slowest < 5000)
        }
    }

    /// A 4xx or 5xx response is a failed request tagged `error_code` 1000 + status, as in the
    /// reference, so the summary and the export count failures by status beside network causes.
    @Test func errorStatusesAreCountedByErrorCode() async throws {
        try await Self.withTarget { base in
            let plan = """
                vars: {base: "http://127.0.0.1:1"}
                flows:
                  default:
                    - request: {url: "${base}/status/503"}
                    - request: {url: "${base}/status/404"}
                    - request: {url: "${base}/items"}
                    - request: {url: "http://127.0.0.1:9/refused"}
                scenarios:
                  few: {executor: shared-iterations, vus: 1, iterations: 3}
                """
            let planPath = try TestFiles.write(plan)
            let exportPath = planPath + ".summary.json"
            let result = try LoadTreeProcess.run(["run", planPath, "--var", "base=\(base)", "--summary-export", exportPath])
            #expect(result.status == 0, "\(result.stderr)")
            let metrics = try export(exportPath)
            #expect(metrics["http_req_failed"]?["passes"] as? Double == 9)
            #expect(metrics["http_req_failed{error_code:1503}"]?["passes"] as? Double == 3)
            #expect(metrics["http_req_failed{error_code:1404}"]?["passes"] as? Double == 3)
            #expect(metrics["http_req_failed{error_code:1212}"]?["passes"] as? Double == 3)
            // The successful requests carry no code: the three sub-metrics hold only failures.
            #expect(metrics.keys.filter { $0.hasPrefix("http_req_failed{") }.count == 3)
            let row = try #require(result.stdout.split(separator: "\n").first { $0.contains("{ error_code:1503 }") })
            #expect(row.contains("3 out of 3"))
        }
    }

    /// When the graceful stop runs out, requests still waiting for a response are cut off (the
    /// VU's connections are closed), for every executor kind: the run does not wait for the
    /// target's 10 s, and the cut iterations are not counted.
    @Test func hardStopCutsRequestsInFlight() async throws {
        try await Self.withTarget { base in
            let plan = """
                vars: {base: "http://127.0.0.1:1"}
                flows:
                  default:
                    - request: {url: "\(base)/delay?ms=10000", timeout: 60s}
                scenarios:
                  looping: {executor: constant-vus, vus: 2, duration: 300ms, gracefulStop: 0s}
                  arrivals: {executor: constant-arrival-rate, rate: 5, duration: 300ms, preAllocatedVUs: 2, gracefulStop: 0s}
                  ramping: {executor: ramping-vus, stages: [{duration: 300ms, target: 2}], gracefulRampDown: 0s, gracefulStop: 0s}
                """
            let started = ContinuousClock.now
            let (result, metrics) = try runExporting(plan, base: base)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(ContinuousClock.now - started < .seconds(8))
            #expect((metrics["iterations"]?["count"] as? Double ?? 0) == 0)
        }
    }

    /// The exported histogram holds the very samples the summary's figures come from.
    @Test func exportedHistogramMatchesTheSummaryFigures() async throws {
        try await Self.withTarget { base in
            let planPath = try TestFiles.write(Self.plan)
            let exportPath = planPath + ".summary.json"
            let result = try LoadTreeProcess.run([
                "run", planPath, "--var", "base=\(base)", "--summary-export", exportPath, "--quiet", "--no-summary",
                "--summary-trend-stats", "min,med,max,p(95),count",
            ])
            #expect(result.status == 0, "\(result.stderr)")
            let duration = try #require(try export(exportPath)["http_req_duration"])
            let histogram = try HDRCodec.decodeBase64(try #require(duration["hdr"] as? String))
            #expect(Double(histogram.totalCount) == duration["count"] as? Double)
            // Recorded in µs at 3 significant digits: equal within 0.1% (plus the 1 µs unit).
            func near(_ recorded: UInt64, _ ms: Double?) -> Bool {
                guard let ms else { return false }
                return abs(Double(recorded) / 1000 - ms) <= ms * 0.001 + 0.002
            }
            #expect(near(histogram.max, duration["max"] as? Double))
            #expect(near(histogram.min, duration["min"] as? Double))
            #expect(near(histogram.valueAtPercentile(50), duration["med"] as? Double))
        }
    }

    /// Every redirect hop is a request of its own, as in the reference.
    @Test func redirectHopsAreCountedAsRequests() async throws {
        try await Self.withTarget { base in
            let plan = """
                vars: {base: "http://127.0.0.1:1"}
                flows:
                  default:
                    - request: {url: "${base}/redirect/2", checks: [{status: 200}]}
                scenarios:
                  one: {executor: shared-iterations, vus: 1, iterations: 3}
                """
            let (result, metrics) = try runExporting(plan, base: base)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(metrics["http_reqs"]?["count"] as? Double == 9)
            #expect(metrics["checks"]?["passes"] as? Double == 3)
        }
    }

    @Test func badOptionsAreConfigErrors() throws {
        let path = try TestFiles.write(Self.plan)
        let unknownVar = try LoadTreeProcess.run(["run", path, "--var", "nope=1"])
        #expect(unknownVar.status == 104)
        #expect(unknownVar.stderr.contains("\"nope\""))
        let badOut = try LoadTreeProcess.run(["run", path, "--out", "csv=x"])
        #expect(badOut.status == 104)
        let badStats = try LoadTreeProcess.run(["run", path, "--summary-trend-stats", "p(101)"])
        #expect(badStats.status == 104)
    }
}
