import Foundation
import Testing

@Suite struct DemoCommandTests {
    @Test func embeddedPlanIsTheExampleFile() throws {
        let result = try LoadTreeProcess.run(["demo", "--print-plan"])
        #expect(result.status == 0)
        let file = try String(contentsOf: TestFiles.packageRoot.appendingPathComponent("examples/demo.yaml"), encoding: .utf8)
        #expect(result.stdout == file, "run scripts/embed-demo.sh after editing examples/demo.yaml")
    }

    @Test func dryRunShowsTheZoneShares() throws {
        let result = try LoadTreeProcess.run(["demo", "--dry-run"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("eu-west (60%)"))
        // 20 max VUs of the buyers split 12/8, and their iterations follow the VUs.
        #expect(result.stdout.contains("buyers    12 VUs, 121 it.  8 VUs, 81 it.  20 VUs, 202 it."))
        #expect(result.stdout.contains("smoke     1 VU, 3 it.      1 VU, 3 it.    2 VUs, 6 it."))
    }

    /// What `make run` shows: a root, two relays and four agents over gRPC on loopback.
    @Test(.timeLimit(.minutes(2))) func theDemoRunsOnAWholeTree() throws {
        let result = try LoadTreeProcess.run(["demo", "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("the test ran on 4 agents: eu-west-1 (eu-west), eu-west-2 (eu-west), us-east-1 (us-east), us-east-2 (us-east)"))
        #expect(result.stderr.contains("start skew across 4 agents"))
        #expect(result.stdout.contains("█ THRESHOLDS"))
        #expect(result.stdout.contains("http_reqs"))
    }
}
