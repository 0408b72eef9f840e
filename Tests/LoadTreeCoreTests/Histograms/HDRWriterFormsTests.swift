import LoadTreeTestSupport
import PropertyBased
import Testing
@testable import LoadTreeCore

/// The V2 format lets writers put the same slots in many ways: a run of empty slots as one
/// negative word or several, or as zero counts (Java writes a lone empty slot so), zero counts
/// before the first slot or after the last, counts of one byte or nine. Whatever the form, a
/// node must decode exactly the slots sent and merge exactly those into a relay's window.
@Suite struct HDRWriterFormsTests {
    /// An uncompressed V2 encoding of the trend layout around `payload`.
    private static func encoding(payload: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = []
        func put<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) } }
        put(HDRCodec.encodingCookie)
        put(UInt32(payload.count))
        put(UInt32(0))
        put(UInt32(TrendHistogram.layout.significantDigits))
        put(TrendHistogram.layout.lowestDiscernibleValue)
        put(TrendHistogram.layout.highestTrackableValue)
        put(Double(1).bitPattern)
        return bytes + payload
    }

    /// Random slots and one of the many payloads that encode them.
    private static func randomPayload(_ rng: inout SplitMix64) -> (slots: [Int: UInt64], payload: [UInt8]) {
        let counts: [UInt64] = [1, 2, 5, 63, 64, 1_000, (1 << 32) - 1, 1 << 32, (1 << 40) + 3, (1 << 50) + 1]
        var slots: [Int: UInt64] = [:]
        var payload: [UInt8] = []
        var index = 0
        func word(_ value: Int64) { ZigZagLEB128.append(value, to: &payload) }
        /// Empty slots from `index` up to `target`, in some form.
        func skip(to target: Int) {
            while index < target {
                let run = Int.random(in: 1...(target - index), using: &rng)
                if Int.random(in: 0..<4, using: &rng) == 0 {
                    for _ in 0..<Swift.min(run, 3) { word(0) }
                    index += Swift.min(run, 3)
                } else {
                    word(-Int64(run))
                    index += run
                }
            }
        }
        let length = TrendHistogram.layout.countsLength
        var position = Int.random(in: 0..<200, using: &rng) == 0 ? 0 : Int.random(in: 0..<length / 2, using: &rng)
        for _ in 0..<Int.random(in: 0...40, using: &rng) {
            guard position < length else { break }
            skip(to: position)
            let count = Int.random(in: 0..<3, using: &rng) == 0
                ? counts[Int.random(in: 0..<counts.count, using: &rng)] : UInt64.random(in: 1...40, using: &rng)
            word(Int64(count))
            slots[position] = count
            index += 1
            position += Int.random(in: 1...(Int.random(in: 0..<2, using: &rng) == 0 ? 2 : 300), using: &rng)
        }
        // Trailing empty slots, as some writers leave them.
        if Int.random(in: 0..<3, using: &rng) == 0 { skip(to: Swift.min(length, index + Int.random(in: 1...50, using: &rng))) }
        return (slots, payload)
    }

    @Test func everyWayOfWritingTheSameSlotsDecodesAndMergesTheSame() async {
        await propertyCheck(count: 300, input: Gen.uint64()) { seed in
            var rng = SplitMix64(seed: seed)
            let (slots, payload) = Self.randomPayload(&rng)
            let (_, counts) = try HDRCodec.decodeSlots(Self.encoding(payload: payload))
            #expect(counts.totalCount == slots.values.reduce(0, +), "seed \(seed)")
            #expect(Dictionary(uniqueKeysWithValues: counts.slots.map { ($0.index, $0.count) }) == slots, "seed \(seed)")

            // Merged into a relay's window that already holds another child's slots: every
            // slot of both, nothing else.
            let (other, otherPayload) = Self.randomPayload(&rng)
            var window = CountsWindow()
            window.add(try HDRCodec.decodeSlots(Self.encoding(payload: otherPayload)).counts, countsLength: TrendHistogram.layout.countsLength)
            window.add(counts, countsLength: TrendHistogram.layout.countsLength)
            var merged: [Int: UInt64] = [:]
            window.forEachNonEmptySlot { merged[$0] = $1; return true }
            #expect(merged == other.merging(slots, uniquingKeysWith: +), "seed \(seed)")
            #expect(window.totalCount == counts.totalCount + other.values.reduce(0, +), "seed \(seed)")

            // The dense decode reads the same slots.
            let histogram = try HDRCodec.decode(Self.encoding(payload: payload))
            var dense: [Int: UInt64] = [:]
            TrendHistogram.layout.forEachNonEmptySlot(of: histogram) { index, _, count in dense[index] = count; return true }
            #expect(dense == slots, "seed \(seed)")
        }
    }

    @Test func aPayloadOfOnlyEmptySlotsHoldsNothing() throws {
        var payload: [UInt8] = []
        for word: Int64 in [-5, 0, 0, -1_000, 0] { ZigZagLEB128.append(word, to: &payload) }
        let (_, counts) = try HDRCodec.decodeSlots(Self.encoding(payload: payload))
        #expect(counts.isEmpty && counts.totalCount == 0)
    }

    @Test func theLastSlotOfTheLayoutIsReachableAndTheNextIsNot() throws {
        let length = TrendHistogram.layout.countsLength
        var last: [UInt8] = []
        ZigZagLEB128.append(-Int64(length - 1), to: &last)
        ZigZagLEB128.append(7, to: &last)
        let (_, counts) = try HDRCodec.decodeSlots(Self.encoding(payload: last))
        #expect(counts.slots == [SparseCounts.Slot(index: length - 1, count: 7)])
        var beyond: [UInt8] = []
        ZigZagLEB128.append(-Int64(length), to: &beyond)
        ZigZagLEB128.append(7, to: &beyond)
        #expect(throws: HDRCodecError.indexOutOfRange(index: length, countsLength: length)) {
            try HDRCodec.decodeSlots(Self.encoding(payload: beyond))
        }
    }
}
