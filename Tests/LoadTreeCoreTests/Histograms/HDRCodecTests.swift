import Foundation
import Histogram
import LoadTreeTestSupport
import PropertyBased
import Testing
@testable import LoadTreeCore

@Suite struct HDRCodecTests {
    private func trendHistogram(_ values: [(UInt64, UInt64)]) -> Histogram<UInt64> {
        var histogram = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: .three)
        for (value, count) in values { histogram.record(value, count: count) }
        return histogram
    }

    /// Header and counts built by hand from the V2 specification.
    @Test func uncompressedBytesFollowTheSpecification() throws {
        let bytes = try HDRCodec.encode(trendHistogram([(1, 1), (3, 2), (9, 1)]))
        let header: [UInt8] = [
            0x1c, 0x84, 0x93, 0x13,  // cookie
            0, 0, 0, 6,  // payload length
            0, 0, 0, 0,  // normalizing index offset
            0, 0, 0, 3,  // significant digits
            0, 0, 0, 0, 0, 0, 0, 1,  // lowest discernible value
            0, 0, 0, 0, 0xd6, 0x93, 0xa4, 0x00,  // highest trackable value 3 600 000 000
            0x3f, 0xf0, 0, 0, 0, 0, 0, 0,  // conversion ratio 1.0
        ]
        // slot 0 empty (−1), 1×1, slot 2 empty (−1), 2×3, slots 4...8 empty (−5), 1×9
        let payload: [UInt8] = [0x01, 0x02, 0x01, 0x04, 0x09, 0x02]
        #expect(bytes == header + payload)
        #expect(try HDRCodec.encode(trendHistogram([])).count == 40)
    }

    @Test func zigZagLEB128KnownEncodings() {
        let cases: [(Int64, [UInt8])] = [
            (0, [0x00]), (-1, [0x01]), (1, [0x02]), (63, [0x7e]), (-64, [0x7f]), (64, [0x80, 0x01]),
            (8191, [0xfe, 0x7f]), (-8192, [0xff, 0x7f]),
            (.max, [0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
            (.min, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
        ]
        for (value, expected) in cases {
            var bytes: [UInt8] = []
            ZigZagLEB128.append(value, to: &bytes)
            #expect(bytes == expected, "\(value)")
            var offset = 0
            let decoded = expected.withUnsafeBufferPointer { ZigZagLEB128.read($0, at: &offset) }
            #expect(decoded == value)
            #expect(offset == expected.count)
        }
    }

    @Test func zigZagRoundTripsAnyInt64() async {
        await propertyCheck(count: 500, input: Gen.int64()) { value in
            var bytes: [UInt8] = []
            ZigZagLEB128.append(value, to: &bytes)
            #expect(bytes.count <= 9)
            var offset = 0
            #expect(bytes.withUnsafeBufferPointer { ZigZagLEB128.read($0, at: &offset) } == value)
            #expect(offset == bytes.count)
        }
    }

    /// Random values over the whole trackable range, with counts up to 2^56, survive every
    /// form exactly (the library's `==` compares every slot).
    @Test func roundTripIsLossless() async {
        await propertyCheck(count: 100, input: Gen.uint64()) { seed in
            var rng = SplitMix64(seed: seed)
            var values: [(UInt64, UInt64)] = []
            for _ in 0..<Int.random(in: 0...300, using: &rng) {
                let magnitude = UInt64.random(in: 0...32, using: &rng)
                let value = Swift.min(UInt64.random(in: 0...(1 << magnitude), using: &rng), 3_600_000_000)
                let count = UInt64.random(in: 1...(1 << UInt64.random(in: 0...56, using: &rng)), using: &rng)
                values.append((value, count))
            }
            let histogram = trendHistogram(values)
            let plain = try HDRCodec.decode(HDRCodec.encode(histogram))
            let compressed = try HDRCodec.decode(HDRCodec.encodeCompressed(histogram))
            let text = try HDRCodec.decodeBase64(HDRCodec.encodeBase64(histogram))
            for decoded in [plain, compressed, text] {
                #expect(decoded == histogram)
                #expect(decoded.totalCount == histogram.totalCount)
                #expect(decoded.highestTrackableValue == 3_600_000_000)
            }
        }
    }

    /// Other layouts (lowest > 1, 0 to 5 digits) round-trip too.
    @Test func roundTripOfOtherLayouts() async {
        await propertyCheck(count: 100, input: Gen.uint64()) { seed in
            var rng = SplitMix64(seed: seed)
            let digits = Int.random(in: 0...5, using: &rng)
            let lowest = UInt64.random(in: 1...1000, using: &rng)
            let highest = UInt64.random(in: (lowest * 2)...(1 << 45), using: &rng)
            let layout = try HDRLayout(lowestDiscernibleValue: lowest, highestTrackableValue: highest, significantDigits: digits)
            var histogram = layout.makeHistogram()
            for _ in 0..<Int.random(in: 0...100, using: &rng) {
                histogram.record(UInt64.random(in: 0...highest, using: &rng), count: UInt64.random(in: 1...1000, using: &rng))
            }
            let decoded = try HDRCodec.decode(HDRCodec.encodeCompressed(histogram))
            #expect(decoded == histogram)
            #expect(decoded.lowestDiscernibleValue == lowest)
            #expect(decoded.highestTrackableValue == highest)
            #expect(decoded.numberOfSignificantValueDigits.rawValue == Int8(digits))
        }
    }

    /// Java writes a lone empty slot as a 0 count rather than −1; both must decode.
    @Test func decodesZeroCountWords() throws {
        var bytes = try HDRCodec.encode(trendHistogram([]))
        bytes[7] = 4
        bytes += [0x00, 0x02, 0x00, 0x04]  // 0 at slot 0, 1×1, 0 at slot 2, 2×3
        let decoded = try HDRCodec.decode(bytes)
        #expect(decoded == trendHistogram([(1, 1), (3, 2)]))
    }

    @Test func countsAboveInt64MaxCannotBeEncoded() {
        let histogram = trendHistogram([(5, UInt64(Int64.max) + 1)])
        #expect(throws: HDRCodecError.countTooLarge(UInt64(Int64.max) + 1)) { try HDRCodec.encode(histogram) }
    }
}
