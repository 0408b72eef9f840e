import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

@Suite struct ScheduleCommandTests {
    static let plan = """
        flows:
          default:
            - request: {url: "http://127.0.0.1:8080/"}
        scenarios:
          ramp:
            executor: ramping-arrival-rate
            preAllocatedVUs: 3
            maxVUs: 3
            stages:
              - {duration: 5s, target: 1}
              - {duration: 1s, target: 1}
              - {duration: 5s, target: 0}
          users:
            executor: ramping-vus
            startVUs: 0
            stages:
              - {duration: 10s, target: 10}
              - {duration: 10s, target: 0}
            gracefulRampDown: 0s
          shared:
            executor: shared-iterations
            vus: 12
            iterations: 22
        """

    @Test func jsonOfOneSegment() throws {
        let result = try LoadTreeProcess.run([
            "schedule", try TestFiles.write(Self.plan), "--sequence", "0,1/3,2/3,1", "--segment", "2/3:1", "--json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try result.jsonObject()
        let scenarios = try #require(object["scenarios"] as? [String: [String: Any]])
        let ramp = try #require(scenarios["ramp"])
        #expect(ramp["executor"] as? String == "ramping-arrival-rate")
        #expect(ramp["vus"] as? [String: Int] == ["planned": 1, "max": 1])
        #expect(ramp["iterations"] as? Int == 2)
        let starts = try #require(ramp["starts"] as? [[String: Int]])
        #expect(starts.map { $0["id"] } == [2, 5])
        #expect(starts.map { ($0["at_ns"] ?? 0) / 1_000_000 } == [5499, 11000])
        let users = try #require(scenarios["users"])
        #expect(users["iterations"] is NSNull)
        let steps = try #require(users["vu_steps"] as? [[String: Int]])
        #expect(steps.map { [($0["at_ns"] ?? 0) / 1_000_000_000, $0["vus"] ?? -1] } == [
            [0, 0], [3, 1], [6, 2], [9, 3], [12, 2], [15, 1], [18, 0],
        ])
        #expect(users["requirements"] is [[String: Int]])
        #expect(scenarios["shared"]?["iterations"] as? Int == 7)
    }

    @Test func limitCapsTheStartsShown() throws {
        let result = try LoadTreeProcess.run(["schedule", try TestFiles.write(Self.plan), "--limit", "1", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let scenarios = try #require(try result.jsonObject()["scenarios"] as? [String: [String: Any]])
        #expect((scenarios["ramp"]?["starts"] as? [Any])?.count == 1)
        #expect(scenarios["ramp"]?["iterations"] as? Int == 6)
    }

    @Test func tableWithoutJSON() throws {
        let result = try LoadTreeProcess.run(["schedule", try TestFiles.write(Self.plan), "--scenario", "ramp"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("ramp (ramping-arrival-rate): 3 planned VUs, 3 max VUs, 6 iterations"))
        #expect(!result.stdout.contains("users"))
    }

    @Test func chartDrawsOneLinePerSegmentAndTheWhole() throws {
        let chartPath = try TestFiles.write("", name: "chart.svg")
        let result = try LoadTreeProcess.run(["schedule", try TestFiles.write(Self.plan), "--sequence", "0,1/3,2/3,1", "--chart", chartPath])
        #expect(result.status == 0, "\(result.stderr)")
        let svg = try String(contentsOfFile: chartPath, encoding: .utf8)
        #expect(svg.hasPrefix("<svg"))
        // Three scenarios, each with the whole test and three segments.
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 12)
        #expect(svg.contains("ramp (ramping-arrival-rate)"))
        #expect(svg.contains(">1/3:2/3</text>"))
        #expect(try XMLDocument(data: Data(svg.utf8)).rootElement()?.name == "svg")
    }

    @Test func unknownScenarioAndBadSegmentAreConfigErrors() throws {
        let path = try TestFiles.write(Self.plan)
        let unknown = try LoadTreeProcess.run(["schedule", path, "--scenario", "nope"])
        #expect(unknown.status == 104)
        #expect(unknown.stderr.contains("\"nope\""))
        let notInSequence = try LoadTreeProcess.run(["schedule", path, "--sequence", "0,1/2,1", "--segment", "0:1/3"])
        #expect(notInSequence.status == 104)
        #expect(notInSequence.stderr.contains("0:1/3"))
    }
}
