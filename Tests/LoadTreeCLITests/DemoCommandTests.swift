import Foundation
import Testing

@Suite struct DemoCommandTests {
    @Test func embeddedPlanIsTheExampleFile() throws {
        let result = try LoadTreeProcess.run(["demo", "--print-plan"])
        #expect(result.status == 0)
        let file = try String(contentsOf: TestFiles.packageRoot.appendingPathComponent("examples/demo.yaml"), encoding: .utf8)
        #expect(result.stdout == file, "run scripts/embed-demo.sh after editing examples/demo.yaml")
    }

    @Test func demoShowsTheHeaderAndTheZoneShares() throws {
        let result = try LoadTreeProcess.run(["demo"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("scenarios: (100.00%) 3 scenarios"))
        #expect(result.stdout.contains("eu-west (50%)"))
    }
}
