import Histogram
import LoadTreeTestSupport
import PropertyBased
import Testing
@testable import LoadTreeCore

/// Histograms received from another node are decoded into their non-empty slots and merged
/// slot by slot (``SparseCounts``). That path must give exactly what the dense path gives:
/// decode-and-add into an accumulator equals decode to a full histogram, then add.
@Suite struct SparseMergeTests {
    /// A trend of random samples spread over the whole range (with clamping), some repeated.
    static func randomTrend(_ rng: inout SplitMix64, unit: TrendHistogram.Unit = .milliseconds) -> TrendHistogram {
        var trend = TrendHistogram(unit: unit)
        for _ in 0..<Int.random(in: 0...400, using: &rng) {
            let magnitude = Int.random(in: 0...33, using: &rng)
            let sample = Double.random(in: 0...1, using: &rng) * Double(UInt64(1) << magnitude) / 1000
            for _ in 0..<Int.random(in: 1...3, using: &rng) { trend.record(Int.random(in: 0..<30, using: &rng) == 0 ? -sample : sample) }
        }
        return trend
    }

    /// `trend` as a receiving node rebuilds it from the wire: sparse.
    static func received(_ trend: TrendHistogram) throws -> TrendHistogram {
        let (layout, counts) = try HDRCodec.decodeSlots(trend.encodedCompressed())
        return try TrendHistogram(unit: trend.unit, layout: layout, counts: counts, clampedCount: trend.clampedCount)
    }

    /// `trend` rebuilt through the full dense decode (the path before the sparse one).
    static func receivedDense(_ trend: TrendHistogram) throws -> TrendHistogram {
        try TrendHistogram(unit: trend.unit, histogram: HDRCodec.decode(trend.encodedCompressed()), clampedCount: trend.clampedCount)
    }

    @Test func decodeAndAddEqualsDecodeThenAdd() async {
        await propertyCheck(count: 150, input: Gen.uint64()) { seed in
            var rng = SplitMix64(seed: seed)
            let accumulator = Self.randomTrend(&rng)
            let incoming = Self.randomTrend(&rng)
            var sparsePath = accumulator
            try sparsePath.merge(Self.received(incoming))
            var densePath = accumulator
            try densePath.merge(Self.receivedDense(incoming))
            #expect(sparsePath == densePath, "seed \(seed)")
            #expect(sparsePath.histogram == densePath.histogram, "seed \(seed)")
            #expect(sparsePath.count == accumulator.count + incoming.count)
            // And received-into-received (two sparse sides) too.
            var bothSparse = try Self.received(accumulator)
            try bothSparse.merge(Self.received(incoming))
            #expect(bothSparse.histogram == densePath.histogram, "seed \(seed)")
        }
    }

    @Test func sparseAndDenseFormsEncodeToTheSameBytes() async {
        await propertyCheck(count: 150, input: Gen.uint64()) { seed in
            var rng = SplitMix64(seed: seed)
            let trend = Self.randomTrend(&rng)
            let sparse = try Self.received(trend)
            #expect(try sparse.encodedCompressed() == trend.encodedCompressed(), "seed \(seed)")
            #expect(try HDRCodec.encode(sparse.histogram) == HDRCodec.encode(trend.histogram), "seed \(seed)")
            #expect(sparse == trend && trend == sparse, "seed \(seed)")
            let ranks = (0..<8).map { _ in UInt64.random(in: 0...(trend.count + 2), using: &rng) }
            #expect(sparse.recordedValues(atRanks: ranks) == trend.recordedValues(atRanks: ranks), "seed \(seed)")
        }
    }

    /// Trends split across nodes, sent up as wire bytes and merged in a random tree (some
    /// merges of received trends, some of local ones), equal the trend that saw every sample.
    @Test func receivedTrendsMergeExactlyInAnyTree() async {
        await propertyCheck(count: 100, input: Gen.uint64()) { seed in
            var rng = SplitMix64(seed: seed)
            var whole = TrendSink(kind: .time)
            var parts = Array(repeating: TrendSink(kind: .time), count: Int.random(in: 1...6, using: &rng))
            for _ in 0..<Int.random(in: 0...300, using: &rng) {
                let sample = Double(Int.random(in: 0...5_000_000, using: &rng)) / 8
                whole.add(sample)
                parts[Int.random(in: 0..<parts.count, using: &rng)].add(sample)
            }
            let sent = try parts.map { part -> TrendSink in
                guard Bool.random(using: &rng) else { return part }
                return try TrendSink(histogram: Self.received(part.histogram), min: part.min, max: part.max, sum: part.sum)
            }
            let merged = try mergeInRandomTree(sent, using: &rng) { try $0.merge($1) }
            #expect(merged == whole, "seed \(seed)")
            #expect(merged?.percentiles([50, 90, 95, 99]) == whole.percentiles([50, 90, 95, 99]), "seed \(seed)")
        }
    }

    /// A relay's accumulator: many received trends, each over its own range of values (so the
    /// window of slots grows on both sides), merged one after another, equal their dense sum
    /// in content, encoding and order statistics.
    @Test func aRelayAccumulatorOfReceivedTrendsEqualsTheDenseSum() async {
        await propertyCheck(count: 60, input: Gen.uint64()) { seed in
            var rng = SplitMix64(seed: seed)
            var accumulator = TrendHistogram(unit: .milliseconds)
            var dense = TrendHistogram.layout.makeHistogram()
            var clamped: UInt64 = 0
            for _ in 0..<Int.random(in: 1...30, using: &rng) {
                var child = TrendHistogram(unit: .milliseconds)
                let low = Double.random(in: 0...2_000, using: &rng)
                let width = Double.random(in: 0...500, using: &rng)
                for _ in 0..<Int.random(in: 0...200, using: &rng) { child.record(low + Double.random(in: 0...1, using: &rng) * width) }
                if Int.random(in: 0..<10, using: &rng) == 0 { child.record(-1) }
                dense.add(child.histogram)
                clamped += child.clampedCount
                try accumulator.merge(Self.received(child))
            }
            let expected = try TrendHistogram(unit: .milliseconds, histogram: dense, clampedCount: clamped)
            #expect(accumulator == expected, "seed \(seed)")
            #expect(accumulator.histogram == dense, "seed \(seed)")
            #expect(try accumulator.encodedCompressed() == expected.encodedCompressed(), "seed \(seed)")
            let ranks = (0..<8).map { _ in UInt64.random(in: 0...(expected.count + 2), using: &rng) }
            #expect(accumulator.recordedValues(atRanks: ranks) == expected.recordedValues(atRanks: ranks), "seed \(seed)")
            // Recording here after accumulating folds everything into the dense form.
            var recorded = accumulator
            recorded.record(12.5)
            dense.record(12_500)
            #expect(recorded.histogram == dense, "seed \(seed)")
        }
    }

    /// The middle of every slot, computed from the layout alone, is hdrhistogram-swift's.
    /// Accumulated counts are kept in 32-bit cells with the excess apart: slots passing
    /// 2^32 − 1, in received trends and in accumulators merged into each other, stay exact.
    @Test func slotCountsPastFourBillionStayExact() async {
        await propertyCheck(count: 100, input: Gen.uint64()) { seed in
            var rng = SplitMix64(seed: seed)
            let near: [UInt64] = [1, 5, (1 << 32) - 1, 1 << 32, (1 << 32) + 7, 3 << 32, (1 << 40) + 3]
            var expected: [Int: UInt64] = [:]
            func received() throws -> TrendHistogram {
                var counts = SparseCounts()
                var index = Int.random(in: 0..<40, using: &rng)
                for _ in 0..<Int.random(in: 1...12, using: &rng) {
                    let count = near[Int.random(in: 0..<near.count, using: &rng)]
                    counts.append(index: index, count: count)
                    expected[index, default: 0] += count
                    index += Int.random(in: 1...3, using: &rng)
                }
                return try TrendHistogram(unit: .plain, layout: TrendHistogram.layout, counts: counts, clampedCount: 0)
            }
            // Two accumulators of received trends, then one merged into the other (as the root
            // merges a relay's merged batch into its totals).
            var left = try received()
            for _ in 0..<Int.random(in: 1...4, using: &rng) { try left.merge(received()) }
            var right = try received()
            for _ in 0..<Int.random(in: 1...4, using: &rng) { try right.merge(received()) }
            try left.merge(right)
            var found: [Int: UInt64] = [:]
            left.forEachNonEmptySlot { index, _, count in
                found[index] = count
                return true
            }
            #expect(found == expected, "seed \(seed)")
            #expect(left.count == expected.values.reduce(0, +), "seed \(seed)")
            // The bytes sent up from the accumulator carry the same counts.
            let decoded = try HDRCodec.decodeSlots(left.encoded()).counts
            #expect(Dictionary(uniqueKeysWithValues: decoded.slots.map { ($0.index, $0.count) }) == expected, "seed \(seed)")
        }
    }

    @Test func slotMiddlesMatchTheLibrary() throws {
        for (lowest, digits) in [(UInt64(1), 3), (1, 2), (1000, 3), (1, 0)] {
            let layout = try HDRLayout(lowestDiscernibleValue: lowest, highestTrackableValue: 3_600_000_000, significantDigits: digits)
            let histogram = layout.makeHistogram()
            for index in 0..<layout.countsLength {
                let value = layout.value(atIndex: index)
                #expect(layout.medianValue(atIndex: index) == histogram.medianEquivalentForValue(value), "index \(index)")
            }
        }
    }

    @Test func anEmptyTrendAllocatesNoCountsUntilItRecords() throws {
        var trend = TrendHistogram(unit: .plain)
        #expect(trend.count == 0)
        #expect(try Self.received(trend) == trend)
        trend.record(5)
        var received = try Self.received(trend)
        received.record(7)
        #expect(received.count == 2)
        #expect(received.histogram.countForValue(5) == 1 && received.histogram.countForValue(7) == 1)
        received.reset()
        #expect(received == TrendHistogram(unit: .plain))
    }

    @Test func slotsOfAnotherLayoutAreRefused() throws {
        let layout = try HDRLayout(lowestDiscernibleValue: 1, highestTrackableValue: 1_000_000, significantDigits: 3)
        var histogram = layout.makeHistogram()
        histogram.record(42)
        let (decodedLayout, counts) = try HDRCodec.decodeSlots(HDRCodec.encodeCompressed(histogram))
        #expect(throws: MetricSinkError.self) {
            try TrendHistogram(unit: .plain, layout: decodedLayout, counts: counts, clampedCount: 0)
        }
        #expect(throws: MetricSinkError.self) {
            try TrendHistogram(unit: .plain, layout: TrendHistogram.layout, counts: SparseCounts(), clampedCount: 1)
        }
    }
}
