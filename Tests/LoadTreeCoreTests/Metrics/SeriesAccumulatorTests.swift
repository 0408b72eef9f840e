import LoadTreeCore
import LoadTreeTestSupport
import PropertyBased
import Testing

@Suite struct SeriesAccumulatorTests {
    private let reqs = try! SeriesKey("http_reqs")
    private let duration = try! SeriesKey("http_req_duration", tags: ["status": "200"])
    private let vus = try! SeriesKey("vus")

    private func interval(start: Int64, end: Int64? = nil, _ samples: [(SeriesKey, MetricType, Double)]) throws -> IntervalAggregate {
        var interval = IntervalAggregate(start: start)
        for (key, type, value) in samples {
            try interval.add(value, to: key, type: type, kind: key == duration ? .time : .default, at: start)
        }
        return interval.drain(at: end ?? start)
    }

    /// Batches arriving one after another, with a drain between some of them: every drained
    /// interval equals what merging the same batches as intervals gives, and the slots stay.
    @Test func drainsWhatIntervalsMergedWouldHoldAndKeepsItsSlots() async {
        let keys: [(SeriesKey, MetricType)] = [
            (reqs, .counter), (duration, .trend), (vus, .gauge), (try! SeriesKey("checks"), .rate),
        ]
        await propertyCheck(count: 150, input: Gen.uint64()) { seed in
            var rng = SplitMix64(seed: seed)
            var accumulator = SeriesAccumulator(start: 0)
            var expected = IntervalAggregate(start: 0)
            for _ in 0..<Int.random(in: 1...12, using: &rng) {
                let start = Int64.random(in: 0...1_000, using: &rng)
                var samples: [(SeriesKey, MetricType, Double)] = []
                for _ in 0..<Int.random(in: 0...40, using: &rng) {
                    let (key, type) = keys[Int.random(in: 0..<keys.count, using: &rng)]
                    samples.append((key, type, Double(Int.random(in: 0...50_000, using: &rng)) / 8))
                }
                let batch = try interval(start: start, end: start + Int64.random(in: 0...500, using: &rng), samples)
                try accumulator.merge(batch)
                try expected.merge(batch)
                if Bool.random(using: &rng) {
                    let slots = accumulator.slotCount
                    let drained = accumulator.drain(at: expected.end)
                    let want = expected.drain(at: expected.end)
                    #expect(drained.series == want.series, "seed \(seed)")
                    #expect(drained.start == want.start && drained.end == want.end, "seed \(seed)")
                    #expect(accumulator.isEmpty)
                    #expect(accumulator.slotCount == slots, "a drain keeps every slot")
                    expected = IntervalAggregate(start: want.end)
                }
            }
            #expect(accumulator.drain(at: 0).series == expected.series, "seed \(seed)")
        }
    }

    @Test func aSlotIsTheSameSeriesForTheAccumulatorsLife() throws {
        var accumulator = SeriesAccumulator(start: 0)
        let first = accumulator.slot(for: reqs)
        let second = accumulator.slot(for: duration)
        #expect(first != second)
        try accumulator.merge(interval(start: 0, [(vus, .gauge, 3)]))
        _ = accumulator.drain(at: 10)
        #expect(accumulator.slot(for: reqs) == first)
        #expect(accumulator.slot(for: duration) == second)
        #expect(accumulator.key(at: second) == duration)
        #expect(accumulator.slotCount == 3)
        #expect(SeriesAccumulator().identity != SeriesAccumulator().identity)
    }

    /// A batch with one series of another type changes nothing, the series that would merge
    /// included.
    @Test func mergeIsAllOrNothing() throws {
        var accumulator = SeriesAccumulator(start: 0)
        try accumulator.merge(interval(start: 0, end: 10, [(reqs, .counter, 1), (vus, .gauge, 5)]))
        let clash = try interval(start: 20, end: 30, [(reqs, .counter, 1), (vus, .rate, 1)])
        #expect(throws: MetricSinkError.typeMismatch(series: "vus", expected: .gauge, found: .rate)) {
            try accumulator.merge(clash)
        }
        let drained = accumulator.drain(at: 10)
        #expect(drained.series[reqs]?.value(of: .count, testDuration: .seconds(1)) == 1)
        #expect(drained.end == 10, "the refused batch did not widen the bounds")
    }

    @Test func boundsCoverEveryMergedBatch() throws {
        var accumulator = SeriesAccumulator(start: 100)
        try accumulator.merge(interval(start: 50, end: 150, [(reqs, .counter, 1)]))
        try accumulator.merge(interval(start: 120, end: 400, [(reqs, .counter, 1)]))
        let drained = accumulator.drain(at: 300)
        #expect(drained.start == 50)
        #expect(drained.end == 400)
        #expect(accumulator.start == 400)
        #expect(accumulator.drain(at: 500).isEmpty)
    }
}
