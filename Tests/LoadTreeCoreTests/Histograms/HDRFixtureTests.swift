import Foundation
import Histogram
import LoadTreeTestSupport
import Testing
@testable import LoadTreeCore

/// Interoperability with the reference Python implementation (`hdrh`): fixtures written by
/// `scripts/hdr-fixtures.py generate` (python-*) and by this codec (swift-*, checked by
/// `scripts/hdr-fixtures.py verify`).
@Suite struct HDRFixtureTests {
    struct Fixture: Decodable {
        var lowest: UInt64
        var highest: UInt64
        var digits: Int
        var values: [[UInt64]]
    }

    static let pythonNames = ["python-empty", "python-small", "python-k6-trend", "python-extremes", "python-wide", "python-latency"]
    static let swiftNames = ["swift-small", "swift-k6-trend", "swift-wide"]

    private func load(_ name: String) throws -> (text: String, fixture: Fixture) {
        let folder = try #require(Bundle.module.resourceURL).appendingPathComponent("Fixtures/hdr")
        let text = try String(contentsOf: folder.appendingPathComponent(name + ".txt"), encoding: .utf8)
        let json = try Data(contentsOf: folder.appendingPathComponent(name + ".json"))
        return (text, try JSONDecoder().decode(Fixture.self, from: json))
    }

    private func histogram(of fixture: Fixture) throws -> Histogram<UInt64> {
        let layout = try HDRLayout(lowestDiscernibleValue: fixture.lowest, highestTrackableValue: fixture.highest, significantDigits: fixture.digits)
        var histogram = layout.makeHistogram()
        for pair in fixture.values {
            try #require(pair.count == 2)
            let recorded = histogram.record(pair[0], count: pair[1])
            #expect(recorded)
        }
        return histogram
    }

    /// Swift decodes Python's bytes to the recorded counts, and Swift's own uncompressed
    /// encoding of the same histogram is byte-for-byte what Python compressed.
    @Test(arguments: pythonNames)
    func decodesPythonEncodings(name: String) throws {
        let (text, fixture) = try load(name)
        let decoded = try HDRCodec.decodeBase64(text)
        let expected = try histogram(of: fixture)
        #expect(decoded == expected)
        #expect(decoded.totalCount == fixture.values.reduce(0) { $0 + $1[1] })
        for pair in fixture.values {
            #expect(decoded.countForValue(pair[0]) == pair[1], "value \(pair[0])")
        }
        let compressed = try #require(Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)))
        let pythonPayload = try Zlib.inflate([UInt8](compressed)[8...], limit: 1 << 24)
        #expect(try HDRCodec.encode(expected) == pythonPayload)
        // Re-encoding what was decoded gives the same content again.
        #expect(try HDRCodec.decodeBase64(HDRCodec.encodeBase64(decoded)) == expected)
    }

    /// The committed swift-* fixtures (which Python's `verify` decodes) still match what this
    /// codec writes today, content and uncompressed bytes.
    @Test(arguments: swiftNames)
    func swiftEncodingsReadByPythonStayStable(name: String) throws {
        let (text, fixture) = try load(name)
        let expected = try histogram(of: fixture)
        let committed = try HDRCodec.decodeBase64(text)
        #expect(committed == expected)
        let compressed = try #require(Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)))
        let committedPayload = try Zlib.inflate([UInt8](compressed)[8...], limit: 1 << 24)
        #expect(try HDRCodec.encode(expected) == committedPayload)
    }
}

/// Writes the swift-* fixtures. Runs only when `LOADTREE_WRITE_HDR_FIXTURES` names the
/// fixture folder (`Tests/LoadTreeCoreTests/Fixtures/hdr`); then run
/// `python3 scripts/hdr-fixtures.py verify` to check that Python reads them.
@Suite struct HDRFixtureWriter {
    static let folder = ProcessInfo.processInfo.environment["LOADTREE_WRITE_HDR_FIXTURES"]

    @Test(.enabled(if: folder != nil)) func writeSwiftFixtures() throws {
        let folder = URL(fileURLWithPath: try #require(Self.folder))
        var rng = SplitMix64(seed: 20_261_123)
        var wide: [(UInt64, UInt64)] = []
        for _ in 0..<400 {
            let magnitude = UInt64.random(in: 0...32, using: &rng)
            wide.append((Swift.min(UInt64.random(in: 0...(1 << magnitude), using: &rng), 3_600_000_000),
                         UInt64.random(in: 1...(1 << UInt64.random(in: 0...50, using: &rng)), using: &rng)))
        }
        let sets: [String: [(UInt64, UInt64)]] = [
            "swift-small": [(0, 3), (1, 1), (3, 2), (10, 5), (2047, 1), (2048, 4)],
            "swift-k6-trend": [(10_000, 1), (15_000, 1), (20_000, 1)],
            "swift-wide": wide,
        ]
        for (name, values) in sets {
            var histogram = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: .three)
            for (value, count) in values { histogram.record(value, count: count) }
            try (HDRCodec.encodeBase64(histogram) + "\n").write(to: folder.appendingPathComponent(name + ".txt"), atomically: true, encoding: .utf8)
            var slots: [String] = []
            TrendHistogram.layout.forEachNonEmptySlot(of: histogram) { _, value, count in
                slots.append("[\(value),\(count)]")
                return true
            }
            let json = "{\"lowest\":1,\"highest\":3600000000,\"digits\":3,\"values\":[" + slots.joined(separator: ",") + "]}\n"
            try json.write(to: folder.appendingPathComponent(name + ".json"), atomically: true, encoding: .utf8)
        }
    }
}
