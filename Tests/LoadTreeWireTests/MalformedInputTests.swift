import Foundation
import LoadTreeTestSupport
import LoadTreeWire
import SwiftProtobuf
import Testing

/// A parent must survive a bad peer: malformed bytes are an error to report (and a Rejection
/// to send), never a crash.
@Suite("Malformed wire input")
struct MalformedInputTests {
    /// Inputs that are not valid protobuf for `Up`, each with why.
    static let invalidUps: [(name: String, bytes: [UInt8])] = [
        ("truncated varint (field 9 ack, varint never ends)", [0x4A, 0x02, 0x08, 0xFF]),
        ("length prefix longer than the data", [0x0A, 0x10, 0x0A, 0x01]),
        ("field number 0", [0x00, 0x01]),
        ("wire type 7 does not exist", [0x0F, 0x00]),
        ("end group without a start", [0x0C]),
        ("a lone continuation byte", [0xFF]),
        ("invalid UTF-8 in hello.node_id", [0x0A, 0x04, 0x0A, 0x02, 0xC3, 0x28]),
    ]

    @Test("invalid bytes fail to parse with an error", arguments: 0..<invalidUps.count)
    func invalidBytesThrow(_ index: Int) {
        let (name, bytes) = Self.invalidUps[index]
        #expect(throws: (any Error).self, "\(name) must not parse") {
            _ = try Loadtree_V1_Up(serializedBytes: bytes)
        }
    }

    @Test("the error names the problem")
    func errorKinds() {
        #expect(throws: BinaryDecodingError.truncated) {
            _ = try Loadtree_V1_Up(serializedBytes: [0x0A, 0x10, 0x0A, 0x01] as [UInt8])
        }
        #expect(throws: BinaryDecodingError.invalidUTF8) {
            _ = try Loadtree_V1_Up(serializedBytes: [0x0A, 0x04, 0x0A, 0x02, 0xC3, 0x28] as [UInt8])
        }
    }

    /// Protobuf keeps a known field sent with the wrong wire type as an unknown field rather
    /// than failing; so a receiver sees an `Up` with no case set, which the .proto says to ignore
    /// (or reject, as a first message). This pins that behaviour down.
    @Test("a field with the wrong wire type parses to a message with no case set")
    func wrongWireTypeIsUnknown() throws {
        let parsed = try Loadtree_V1_Up(serializedBytes: [0x08, 0x01] as [UInt8])
        #expect(parsed.message == nil)
        #expect(parsed.unknownFields.data == Data([0x08, 0x01]))
    }

    /// Every strict prefix of a valid message either parses (protobuf allows stopping between
    /// fields) or throws; it never crashes, and it never parses to the full message.
    @Test("every truncation of a valid message parses or throws, never crashes")
    func truncations() throws {
        for sample in WireSamples.ups {
            let bytes: [UInt8] = try sample.serializedBytes()
            for length in 0..<bytes.count {
                let prefix = Array(bytes[..<length])
                if let parsed = try? Loadtree_V1_Up(serializedBytes: prefix) {
                    #expect(parsed != sample, "a \(length)-byte prefix of \(bytes.count) bytes parsed to the whole message")
                }
            }
        }
    }

    /// Random and mutated bytes (a fixed seed, so a failure replays): parsing returns or
    /// throws for all of them. Counts both outcomes so the test shows it exercised errors.
    @Test("random and bit-flipped bytes never crash the parser")
    func randomBytes() throws {
        var generator = SplitMix64(seed: 0x5EED_2026)
        var failures = 0
        var successes = 0
        let valid = try WireSamples.ups.map { try $0.serializedBytes() as [UInt8] }
            + WireSamples.downs.map { try $0.serializedBytes() as [UInt8] }
        for round in 0..<4_000 {
            var bytes: [UInt8]
            if round.isMultiple(of: 2) {
                let count = Int(generator.next() % 64)
                bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            } else {
                bytes = valid[Int(generator.next() % UInt64(valid.count))]
                for _ in 0..<(1 + generator.next() % 4) {
                    let position = Int(generator.next() % UInt64(bytes.count))
                    bytes[position] ^= UInt8(1) << (generator.next() % 8)
                }
            }
            do {
                _ = try Loadtree_V1_Up(serializedBytes: bytes)
                _ = try Loadtree_V1_Down(serializedBytes: bytes)
                successes += 1
            } catch {
                failures += 1
            }
        }
        #expect(failures + successes == 4_000)
        #expect(failures > 1_000, "expected most random inputs to be rejected, got \(failures)")
    }
}
