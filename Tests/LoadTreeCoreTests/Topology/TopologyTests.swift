import Foundation
import PropertyBased
import Testing
@testable import LoadTreeCore

@Suite struct TopologyTests {
    private func agents(_ counts: [String: Int], weights: [String: [Int64]] = [:]) -> [String: [SegmentAssignment.Agent]] {
        counts.mapValues { _ in [] }.merging(counts.map { zone, count in
            (zone, (0..<count).map { SegmentAssignment.Agent(id: "\(zone)-\($0)", weight: weights[zone]?[$0] ?? 1) })
        }) { $1 }
    }

    @Test func zonesAreContiguousAndSizedByShare() throws {
        let topology = try TopologyLoader.load(text: """
            zones:
              eu-west: 60%
              on-prem:
                share: 40%
                zones:
                  dc1: {agents: 1}
                  dc2: {agents: 1}
            """, fileName: "t.yaml")
        let assignment = try SegmentAssignment(topology: topology, agents: agents(["eu-west": 3, "on-prem/dc1": 1, "on-prem/dc2": 1], weights: ["eu-west": [1, 1, 2]]))
        #expect(assignment.leaves.map(\.segment.description) == ["0:3/20", "3/20:3/10", "3/10:3/5", "3/5:4/5", "4/5:1"])
        #expect(assignment.sequence.description == "0,3/20,3/10,3/5,4/5,1")
        #expect(assignment.leaves.map { $0.zonePath.joined(separator: "/") } == ["eu-west", "eu-west", "eu-west", "on-prem/dc1", "on-prem/dc2"])
    }

    @Test func errorsNameFileLineAndColumn() {
        #expect {
            try TopologyLoader.load(text: "zones:\n  a: 60%\n  b: 30%\n", fileName: "t.yaml")
        } throws: { error in
            "\(error)".contains("t.yaml:3:6: error: the shares of \"zones\" sum to 90%, not 100%")
        }
        #expect {
            try TopologyLoader.load(text: "zones:\n  a: 60%\n  b: {agents: 2}\n", fileName: "t.yaml")
        } throws: { error in
            "\(error)".contains("give every zone a share or none")
        }
        #expect {
            try TopologyLoader.load(text: "zonez:\n  a: 100%\n", fileName: "t.yaml")
        } throws: { error in
            "\(error)".contains("t.yaml:1:1: error: unknown key \"zonez\"") && "\(error)".contains("did you mean \"zones\"?")
        }
        #expect {
            try TopologyLoader.load(text: "zones:\n  a: 12.5%\n", fileName: "t.yaml")
        } throws: { error in
            "\(error)".contains("t.yaml:2:6:") && "\(error)".contains("12.5%")
        }
    }

    @Test func aZoneWithoutAgentsIsAClearError() throws {
        let topology = try TopologyLoader.load(text: "zones:\n  a: 50%\n  b: 50%\n", fileName: "t.yaml")
        #expect(throws: AssignmentError.noAgents(zone: "b")) {
            try SegmentAssignment(topology: topology, agents: agents(["a": 2]))
        }
    }

    @Test func everyExampleTopologyLoadsAndAssigns() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("topology-examples")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }
        #expect(files.count == 5)
        for file in files {
            let topology = try TopologyLoader.load(path: folder.appendingPathComponent(file).path)
            let joined = Dictionary(uniqueKeysWithValues: topology.leafZones.map { leaf in
                (leaf.path.joined(separator: "/"), (0..<(leaf.zone.expectedAgents ?? 1)).map { SegmentAssignment.Agent(id: "\($0)") })
            })
            let assignment = try SegmentAssignment(topology: topology, agents: joined)
            #expect(assignment.leaves.count == topology.expectedAgents, "\(file)")
        }
    }

    /// For random three-zone splits and agent counts, the agents' arrival-rate iterations are
    /// exactly the whole test's: the same global ids, each once.
    @Test func agentsTogetherRunTheWholeSchedule() async {
        await propertyCheck(
            count: 60,
            input: Gen.int(in: 1...98), Gen.int(in: 1...4).array(of: 3...3), Gen.int(in: 1...40)
        ) { first, counts, maxVUs in
            let second = max(1, (100 - first) / 2)
            let third = 100 - first - second
            guard third >= 1 else { return }
            let topology = Topology(zones: [
                .init(name: "a", share: try? Rational(Int64(first), 100)),
                .init(name: "b", share: try? Rational(Int64(second), 100)),
                .init(name: "c", share: try? Rational(Int64(third), 100)),
            ])
            let joined = Dictionary(uniqueKeysWithValues: zip(["a", "b", "c"], counts).map { zone, count in
                (zone, (0..<count).map { SegmentAssignment.Agent(id: "\(zone)\($0)", weight: Int64($0 + 1)) })
            })
            guard let assignment = try? SegmentAssignment(topology: topology, agents: joined) else {
                Issue.record("no assignment for \(first)/\(second)/\(third) \(counts)")
                return
            }
            let scenario = Scenario(name: "s", executor: .constantArrivalRate(ConstantArrivalRate(
                rate: 200, duration: .seconds(1), preAllocatedVUs: 1, maxVUs: Int64(maxVUs))))
            let whole = Array(ExecutorSchedule(scenario: scenario, tuple: .full).iterationStarts() ?? IterationStartsEmpty.value)
            var union: [IterationStart] = []
            for leaf in assignment.leaves {
                guard let tuple = try? ExecutionTuple(segment: leaf.segment, sequence: assignment.sequence) else {
                    Issue.record("no tuple for \(leaf.segment)")
                    return
                }
                union += ExecutorSchedule(scenario: scenario, tuple: tuple).iterationStarts().map(Array.init) ?? []
            }
            #expect(union.sorted { $0.id < $1.id } == whole)
        }
    }
}

enum IterationStartsEmpty {
    static let value: IterationStarts = {
        let scenario = Scenario(name: "e", executor: .constantArrivalRate(ConstantArrivalRate(rate: 1, duration: .zero, preAllocatedVUs: 1)))
        guard let starts = ExecutorSchedule(scenario: scenario, tuple: .full).iterationStarts() else { preconditionFailure() }
        return starts
    }()
}
