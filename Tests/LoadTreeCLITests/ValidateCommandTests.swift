import Foundation
import Testing

@Suite struct ValidateCommandTests {
    static let plan = """
        flows:
          default:
            - request: {url: "http://127.0.0.1:8080/"}
        scenarios:
          browse:
            executor: constant-vus
            vus: 10
            duration: 1m
          buy:
            executor: ramping-arrival-rate
            preAllocatedVUs: 10
            maxVUs: 100
            startTime: 10s
            stages:
              - {duration: 30s, target: 50}
              - {duration: 1m, target: 50}
        thresholds:
          http_req_duration: ["p(95)<300"]
        """

    @Test func printsTheExecutionHeader() throws {
        let result = try LoadTreeProcess.run(["validate", try TestFiles.write(Self.plan)])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("scenarios: (100.00%) 2 scenarios, 110 max VUs, 2m10s max duration (incl. graceful stop):"))
        #expect(result.stdout.contains("* browse: 10 looping VUs for 1m0s (gracefulStop: 30s)"))
        #expect(result.stdout.contains("* buy: Up to 50.00 iterations/s for 1m30s over 2 stages (maxVUs: 10-100, startTime: 10s, gracefulStop: 30s)"))
        #expect(result.stdout.contains("http_req_duration: p(95)<300"))
    }

    @Test func segmentFiguresAreTheSegmentsShare() throws {
        let result = try LoadTreeProcess.run([
            "validate", try TestFiles.write(Self.plan), "--sequence", "0,1/4,1", "--segment", "0:1/4",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("scenarios: (25.00%) 2 scenarios, 28 max VUs"))
        #expect(result.stdout.contains("* browse: 3 looping VUs for 1m0s"))
    }

    @Test func invalidPlanListsEveryErrorWithItsPositionAndExits104() throws {
        let path = try TestFiles.write("""
            flows:
              default:
                - request: {url: "http://127.0.0.1:8080/"}
            scenarios:
              browse:
                executor: constant-vus
                vus: 10
                durration: 1m
            thresholds:
              http_req_duration: ["p(101)<300"]
            """)
        let result = try LoadTreeProcess.run(["validate", path])
        #expect(result.status == 104)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("\(path):8:5: error:"), "\(result.stderr)")
        #expect(result.stderr.contains("did you mean \"duration\"?"))
        #expect(result.stderr.contains("\(path):10:"), "\(result.stderr)")
        #expect(result.stderr.contains("p(101)"))
    }

    @Test func missingFileIsAClearError() throws {
        let result = try LoadTreeProcess.run(["validate", "/nonexistent/plan.yaml"])
        #expect(result.status == 104)
        #expect(result.stderr.contains("/nonexistent/plan.yaml"))
    }

    @Test func everyExamplePlanValidates() throws {
        for folder in ["examples", "topology-examples/plans"] {
            let examples = TestFiles.packageRoot.appendingPathComponent(folder)
            let files = try FileManager.default.contentsOfDirectory(atPath: examples.path)
                .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".json") }
            #expect(!files.isEmpty)
            for file in files {
                let result = try LoadTreeProcess.run(["validate", examples.appendingPathComponent(file).path])
                #expect(result.status == 0, "\(folder)/\(file): \(result.stderr)")
            }
        }
    }
}

@Suite struct PlanSegmentTests {
    @Test func planSegmentIsUsedAndCheckedWithItsPosition() throws {
        let base = """
            flows:
              default:
                - request: {url: "http://127.0.0.1:8080/"}
            vus: 10
            duration: 10s

            """
        let good = try LoadTreeProcess.run(["validate", try TestFiles.write(base + "executionSegment: \"0:1/2\"\n")])
        #expect(good.status == 0, "\(good.stderr)")
        #expect(good.stdout.contains("(50.00%)"))
        #expect(good.stdout.contains("5 looping VUs"))
        let path = try TestFiles.write(base + "executionSegment: \"12.5%\"\n")
        let bad = try LoadTreeProcess.run(["validate", path])
        #expect(bad.status == 104)
        #expect(bad.stderr.contains("\(path):6:19: error: invalid \"executionSegment\""), "\(bad.stderr)")
    }
}
