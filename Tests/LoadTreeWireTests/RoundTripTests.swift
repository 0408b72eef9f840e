import Foundation
import LoadTreeWire
import SwiftProtobuf
import Testing

/// Serialize → parse must give back the very same message, for every case of both stream
/// directions: the tree relies on nothing being lost between two nodes.
@Suite("Wire round trips")
struct RoundTripTests {
    @Test("every Up case survives serialize → parse", arguments: WireSamples.ups)
    func upRoundTrip(_ message: Loadtree_V1_Up) throws {
        #expect(message.message != nil)
        let bytes: [UInt8] = try message.serializedBytes()
        let parsed = try Loadtree_V1_Up(serializedBytes: bytes)
        #expect(parsed == message)
        #expect(parsed.message == message.message)
    }

    @Test("every Down case survives serialize → parse", arguments: WireSamples.downs)
    func downRoundTrip(_ message: Loadtree_V1_Down) throws {
        #expect(message.message != nil)
        let bytes: [UInt8] = try message.serializedBytes()
        let parsed = try Loadtree_V1_Down(serializedBytes: bytes)
        #expect(parsed == message)
        #expect(parsed.sequence == message.sequence)
    }

    /// The samples cover every oneof case: the field number that leads each serialized message
    /// (fields 1–15 encode their tag in one byte) runs over the whole oneof. Adding a case to
    /// the .proto without a sample fails here.
    @Test("the samples cover every oneof case of Up (1…13) and Down (2…13)")
    func samplesCoverEveryCase() throws {
        let upFields = try WireSamples.ups.map { message -> Int in
            let bytes: [UInt8] = try message.serializedBytes()
            return Int(bytes[0] >> 3)
        }
        #expect(upFields == Array(1...13))

        let downFields = try WireSamples.downs.map { message -> Int in
            var withoutSequence = message
            withoutSequence.sequence = 0
            let bytes: [UInt8] = try withoutSequence.serializedBytes()
            return Int(bytes[0] >> 3)
        }
        #expect(downFields == Array(2...13))
    }

    @Test("the fields of a metric batch arrive exactly")
    func metricBatchFields() throws {
        let up = Loadtree_V1_Up.with { $0.metricBatch = WireSamples.metricBatch }
        let parsed = try Loadtree_V1_Up(serializedBytes: try up.serializedBytes() as [UInt8])
        guard case .metricBatch(let batch) = parsed.message else {
            Issue.record("expected a metric batch, got \(String(describing: parsed.message))")
            return
        }
        #expect(batch.sender == "eu-1")
        #expect(batch.sequence == 7)
        #expect(batch.intervalStartNs == 1_000_000_000)
        #expect(batch.intervalEndNs == 2_000_000_000)
        #expect(batch.entries.map(\.name) == ["http_reqs", "vus", "checks", "http_req_duration", "data_sent"])
        #expect(batch.entries[0].tags.map { "\($0.key):\($0.value)" } == ["method:GET", "zone:eu-west"])
        #expect(batch.entries[0].counter.sum == 12)
        #expect(batch.entries[0].counter.firstTimeNs == 1_000_000_123)
        #expect(batch.entries[1].gauge.max == 8)
        #expect(batch.entries[2].rate.trues == 9)
        #expect(batch.entries[2].rate.total == 12)
        let trend = batch.entries[3]
        #expect(trend.kind == .time)
        #expect(trend.trend.unit == .milliseconds)
        #expect(trend.trend.hdrV2Compressed == Data([0x1C, 0x84, 0x93, 0x14, 0x00, 0x00, 0x00, 0x05, 0x78, 0x9C, 0xFF, 0x00]))
        #expect(trend.trend.min == 0.25)
        #expect(trend.trend.max == 1_234.5)
        #expect(trend.trend.sum == 4_321.75)
        #expect(trend.trend.clampedCount == 1)
        #expect(batch.entries[4].kind == .data)
        #expect(batch.entries[4].counter.firstTimeNs == -5)
    }

    @Test("an assignment keeps its plan, segments, start parameters, files and environment")
    func assignmentFields() throws {
        let down = WireSamples.downs[2]
        let parsed = try Loadtree_V1_Down(serializedBytes: try down.serializedBytes() as [UInt8])
        guard case .assignment(let assignment) = parsed.message else {
            Issue.record("expected an assignment, got \(String(describing: parsed.message))")
            return
        }
        #expect(parsed.sequence == 1)
        #expect(assignment.segment == "1/4:1/2")
        #expect(assignment.sequence == "0,1/4,1/2,1")
        #expect(assignment.planFileName == "plan.yaml")
        #expect(assignment.planText.hasPrefix("scenarios:\n"))
        #expect(assignment.start.startAtUnixNs == 1_800_000_000_000_000_000)
        #expect(assignment.start.metricIntervalMs == 1_000)
        #expect(assignment.start.tags == ["zone": "eu-west", "env": "staging"])
        #expect(assignment.start.upstreamGraceMs == 10_000)
        #expect(assignment.leafSegments == ["eu-1": "1/4:3/8", "eu-2": "3/8:1/2"])
        #expect(assignment.files.map(\.path) == ["data/users.csv"])
        #expect(assignment.environment["BASE_URL"] == "http://127.0.0.1:8080")
    }

    @Test("shared data carries either bytes or an error")
    func dataResults() throws {
        let set = Loadtree_V1_DataSet.with { $0.id = "setup"; $0.error = "setup threw" }
        let parsedSet = try Loadtree_V1_DataSet(serializedBytes: try set.serializedBytes() as [UInt8])
        #expect(parsedSet.result == .error("setup threw"))

        let empty = Loadtree_V1_DataValue.with { $0.id = "setup"; $0.value = Data() }
        let parsedEmpty = try Loadtree_V1_DataValue(serializedBytes: try empty.serializedBytes() as [UInt8])
        // An empty value is still a value (the oneof remembers which case was set).
        #expect(parsedEmpty.result == .value(Data()))
    }

    @Test("status and abort messages round trip")
    func statusAndAbort() throws {
        let reply = Loadtree_V1_StatusReply.with {
            $0.runID = "run-42"
            $0.phase = .waitingForNodes
            $0.protocolVersion = WireVersion.current
            $0.nodeID = "root"
            $0.elapsedNs = 0
            $0.agentsAttached = 3
            $0.agentsExpected = 4
            $0.children = [
                .with {
                    $0.nodeID = "relay-eu"
                    $0.zone = "eu-west"
                    $0.role = .relay
                    $0.agentsInSubtree = 3
                    $0.peer = "ipv4:127.0.0.1:51234"
                    $0.lastAckedSequence = 12
                },
            ]
            $0.missing = ["zone on-prem: 0 of 1 agents"]
            $0.progress = WireSamples.progress
            $0.abort = WireSamples.abort
        }
        let parsedReply = try Loadtree_V1_StatusReply(serializedBytes: try reply.serializedBytes() as [UInt8])
        #expect(parsedReply == reply)

        let request = Loadtree_V1_AbortRequest.with { $0.reason = "aborted by operator" }
        #expect(try Loadtree_V1_AbortRequest(serializedBytes: try request.serializedBytes() as [UInt8]) == request)
        let abortReply = Loadtree_V1_AbortReply.with { $0.accepted = true; $0.message = "aborting" }
        #expect(try Loadtree_V1_AbortReply(serializedBytes: try abortReply.serializedBytes() as [UInt8]) == abortReply)
    }

    @Test("the protocol version is 2 and only 2 is supported (a version-1 peer would misread numbered series and gauge steps)")
    func version() {
        #expect(WireVersion.current == 2)
        #expect(WireVersion.supported == [2])
        #expect(WireVersion.isSupported(2))
        #expect(!WireVersion.isSupported(0))
        #expect(!WireVersion.isSupported(1))
        #expect(!WireVersion.isSupported(3))
    }
}
