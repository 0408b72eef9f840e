import LoadTreeCore
import LoadTreeTestSupport
import PropertyBased
import Testing

/// Merging is what makes the tree correct: samples split at random across N nodes and merged
/// in a random order and grouping must give exactly the sink one process would have kept.
@Suite struct SinkMergePropertyTests {
    struct Sample {
        var value: Double
        var time: Int64
    }

    /// Splits samples at random into 1...6 parts (some possibly empty), builds one sink per
    /// part, merges them in a random tree and compares with the sink that saw everything.
    private func checkSplitMerge(
        seed: UInt64, makeSample: (inout SplitMix64) -> Sample, makeSink: () -> MetricSink
    ) throws {
        var rng = SplitMix64(seed: seed)
        let samples = (0..<Int.random(in: 0...300, using: &rng)).map { _ in makeSample(&rng) }
        let partCount = Int.random(in: 1...6, using: &rng)
        var parts = Array(repeating: makeSink(), count: partCount)
        var whole = makeSink()
        for sample in samples {
            whole.add(value: sample.value, at: sample.time)
            parts[Int.random(in: 0..<partCount, using: &rng)].add(value: sample.value, at: sample.time)
        }
        let merged = try mergeInRandomTree(parts, using: &rng) { try $0.merge($1) }
        #expect(merged == whole, "seed \(seed)")
    }

    @Test func counterMergeIsExactAndAssociative() async {
        await propertyCheck(count: 200, input: Gen.uint64()) { seed in
            try checkSplitMerge(
                seed: seed,
                makeSample: { Sample(value: Double(Int.random(in: 0...1_000_000, using: &$0)), time: Int64.random(in: -1000...1000, using: &$0)) },
                makeSink: { MetricSink(type: .counter) })
        }
    }

    @Test func gaugeMergeIsExactAndAssociative() async {
        await propertyCheck(count: 200, input: Gen.uint64()) { seed in
            // Few distinct times, so ties between nodes are common.
            try checkSplitMerge(
                seed: seed,
                makeSample: { Sample(value: Double.random(in: -1e6...1e6, using: &$0), time: Int64.random(in: 0...20, using: &$0)) },
                makeSink: { MetricSink(type: .gauge) })
        }
    }

    @Test func rateMergeIsExactAndAssociative() async {
        await propertyCheck(count: 200, input: Gen.uint64()) { seed in
            try checkSplitMerge(
                seed: seed,
                makeSample: { Sample(value: [0, 1, -1, 0.5, 0].randomElement(using: &$0) ?? 0, time: 0) },
                makeSink: { MetricSink(type: .rate) })
        }
    }

    /// Trend samples are multiples of 1/8 ms (so the exact sum is order-independent) spread
    /// from below 0 to above one hour, so clamping is exercised too. Equality covers the whole
    /// histogram content, the clamped count and the exact min, max and sum.
    @Test func trendMergeIsExactAndAssociative() async {
        await propertyCheck(count: 200, input: Gen.uint64(), Gen.bool()) { seed, isTime in
            try checkSplitMerge(
                seed: seed,
                makeSample: { rng in
                    let magnitude = Double(Int.random(in: 0...33, using: &rng))
                    let raw = Int64(Double.random(in: 0...1, using: &rng) * Double(1 << Int(magnitude)))
                    let sign: Int64 = Int.random(in: 0..<20, using: &rng) == 0 ? -1 : 1
                    return Sample(value: Double(sign * raw) / 8, time: 0)
                },
                makeSink: { MetricSink(type: .trend, kind: isTime ? .time : .default) })
        }
    }

    /// Percentiles from the histogram stay within its resolution of the reference computed on
    /// the raw samples: half a slot (≤ value/2048) plus the microsecond rounding of time trends.
    @Test func trendPercentilesMatchTheRawReferenceWithinResolution() async {
        await propertyCheck(count: 200, input: Gen.uint64()) { seed in
            var rng = SplitMix64(seed: seed)
            let n = Int.random(in: 1...400, using: &rng)
            let values = (0..<n).map { _ in
                Double.random(in: 0...1, using: &rng) * pow10(Int.random(in: 0...6, using: &rng))
            }
            var sink = TrendSink(kind: .time)
            for value in values { sink.add(value) }
            let sorted = values.sorted()
            let ps = [0, 1, 25, 50, 90, 95, 99, 99.9, 100, Double.random(in: 0...100, using: &rng)]
            let batch = sink.percentiles(ps)
            #expect(sink.percentile(ps[9]) == batch[9])
            for (p, answer) in zip(ps, batch) {
                let h = p / 100 * Double(n - 1)
                let j = sorted[Int(h.rounded(.down))]
                let k = sorted[Int(h.rounded(.up))]
                let reference = j + (k - j) * (h - h.rounded(.down))
                let actual = try #require(answer)
                #expect(abs(actual - reference) <= abs(reference) / 2048 + 0.0005 + 1e-9,
                        "p(\(p)) = \(actual), reference \(reference), seed \(seed)")
            }
        }
    }

    private func pow10(_ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<exponent { result *= 10 }
        return result
    }
}
