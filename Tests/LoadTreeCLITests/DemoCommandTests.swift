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
        #expect(result.stdout.contains("eu-west (50%)"))
        // 20 max VUs of the buyers split 10/6/4; smoke's 2 VUs go to the two largest zones.
        #expect(result.stdout.contains("buyers    10 VUs"))
        #expect(result.stdout.contains("smoke     1 VU, 3 it.      1 VU, 3 it.    0 VUs, 0 it."))
    }
}
