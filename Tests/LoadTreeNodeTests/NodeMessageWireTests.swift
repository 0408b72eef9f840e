import LoadTreeCore
import LoadTreeWire
import SwiftProtobuf
import Testing
@testable import LoadTreeNode

@Suite struct NodeMessageWireTests {
    static func aggregate() throws -> IntervalAggregate {
        var interval = IntervalAggregate(start: 5)
        try interval.add(12.5, to: SeriesKey("http_req_duration", tags: ["zone": "eu"]), type: .trend, kind: .time, at: 6)
        try interval.add(1, to: SeriesKey("http_reqs"), type: .counter, at: 6)
        return interval.drain(at: 9)
    }

    @Test func everyUpMessageSurvivesTheWire() throws {
        let messages: [UpMessage] = [
            .barrierArrive("setup-done"), .barrierFail("setup-done", message: "boom"), .onceAsk("setup"),
            .onceResult("setup", .value([1, 2, 3])), .onceResult("setup", .failure("no token")),
            .metrics(sender: "a1", sequence: 4, try Self.aggregate()), .abort(reason: "thresholds", code: .thresholdsFailed),
            .started(StartReport(earliest: 1_800_000_000_000_000_000, latest: 1_800_000_000_002_000_000, agents: 3)),
        ]
        for message in messages {
            let bytes: [UInt8] = try message.wire().serializedBytes()
            #expect(try UpMessage(wire: Loadtree_V1_Up(serializedBytes: bytes)) == message)
        }
    }

    @Test func everyDownMessageSurvivesTheWire() throws {
        let messages: [DownMessage] = [
            .barrierRelease("b", at: nil), .barrierRelease("start", at: 1_800_000_000_000_000_000), .barrierFail("b", message: "a4 disconnected"), .onceRun("setup"),
            .onceValue("setup", .value([9])), .onceValue("setup", .failure("x")), .metricsAck(7),
            .abort(reason: "stopped", code: .stoppedByOperator),
        ]
        for message in messages {
            let bytes: [UInt8] = try message.wire.serializedBytes()
            #expect(DownMessage(wire: try Loadtree_V1_Down(serializedBytes: bytes)) == message)
        }
    }

    @Test func linkMessagesAreNotNodeMessages() throws {
        var up = Loadtree_V1_Up()
        up.hello = Loadtree_V1_Hello()
        #expect(try UpMessage(wire: up) == nil)
        var down = Loadtree_V1_Down()
        down.welcome = Loadtree_V1_Welcome()
        #expect(DownMessage(wire: down) == nil)
        // An exit code the reference does not know becomes the generic error.
        var abort = Loadtree_V1_Down()
        abort.abort = UpMessage.abort("x", .genericError)
        abort.abort.exitCode = 12345
        #expect(DownMessage(wire: abort) == .abort(reason: "x", code: .genericError))
    }
}
