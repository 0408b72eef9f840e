import Histogram
import LoadTreeCore
import LoadTreeTestSupport
import PropertyBased
import Testing

@Suite struct IntervalAggregateTests {
    private let reqs = try! SeriesKey("http_reqs")
    private let duration = try! SeriesKey("http_req_duration", tags: ["status": "200"])
    private let vus = try! SeriesKey("vus")

    @Test func addCreatesSinksAndRejectsTypeChanges() throws {
        var interval = IntervalAggregate(start: 1_000)
        try interval.add(1, to: reqs, type: .counter, at: 1_001)
        try interval.add(1, to: reqs, type: .counter, at: 1_002)
        try interval.add(12.5, to: duration, type: .trend, kind: .time, at: 1_003)
        #expect(interval.series.count == 2)
        #expect(interval.series[reqs]?.value(of: .count, testDuration: .seconds(1)) == 2)
        let before = interval
        #expect(throws: MetricSinkError.typeMismatch(series: "http_reqs", expected: .counter, found: .gauge)) {
            try interval.add(3, to: reqs, type: .gauge, at: 1_004)
        }
        #expect(throws: MetricSinkError.unitMismatch(.milliseconds, .plain)) {
            try interval.add(3, to: duration, type: .trend, kind: .data, at: 1_004)
        }
        #expect(interval == before)
        #expect(interval.sortedKeys == [duration, reqs])
    }

    @Test func drainReturnsTheIntervalAndStartsAnEmptyOne() throws {
        var interval = IntervalAggregate(start: 1_000)
        try interval.add(1, to: reqs, type: .counter, at: 1_500)
        try interval.merge(IntervalAggregate(start: 1_200, end: 2_100))
        let late = interval.drain(at: 2_000)
        #expect(late.end == 2_100)
        #expect(interval.start == 2_100)
        interval = IntervalAggregate(start: 1_000)
        try interval.add(1, to: reqs, type: .counter, at: 1_500)
        let batch = interval.drain(at: 2_000)
        #expect(batch.start == 1_000)
        #expect(batch.end == 2_000)
        #expect(batch.series.count == 1)
        #expect(interval.isEmpty)
        #expect(interval.start == 2_000)
        #expect(interval.end == 2_000)
    }

    @Test func mergeIsAtomicOnTypeMismatch() throws {
        var a = IntervalAggregate(start: 0)
        try a.add(1, to: reqs, type: .counter, at: 1)
        try a.add(5, to: vus, type: .gauge, at: 1)
        var b = IntervalAggregate(start: 0)
        try b.add(1, to: reqs, type: .counter, at: 2)
        try b.add(5, to: vus, type: .rate, at: 2)
        let before = a
        #expect(throws: MetricSinkError.typeMismatch(series: "vus", expected: .gauge, found: .rate)) {
            try a.merge(b)
        }
        #expect(a == before)
    }

    /// A trend whose count would pass 2^64 − 1 is refused before any series is merged.
    @Test func mergeIsAtomicOnTrendCountOverflow() throws {
        var histogram = TrendHistogram(unit: .plain).histogram
        histogram.record(5, count: UInt64.max - 1)
        let huge = try TrendSink(
            histogram: TrendHistogram(unit: .plain, histogram: histogram, clampedCount: 0), min: 5, max: 5, sum: 5)
        let key = try SeriesKey("big_trend")
        var a = IntervalAggregate(start: 0, end: 0, series: [key: .trend(huge), reqs: .counter(CounterSink())])
        var b = IntervalAggregate(start: 0)
        try b.add(1, to: reqs, type: .counter, at: 0)
        try b.add(5, to: key, type: .trend, at: 0)
        try b.add(5, to: key, type: .trend, at: 0)
        let before = a
        #expect(throws: MetricSinkError.self) { try a.merge(b) }
        #expect(a == before)
    }

    @Test func mergeWidensBounds() throws {
        var a = IntervalAggregate(start: 10, end: 20)
        try a.merge(IntervalAggregate(start: 5, end: 15))
        #expect(a.start == 5)
        #expect(a.end == 20)
        try a.merge(IntervalAggregate(start: 30, end: 40))
        #expect(a.start == 5)
        #expect(a.end == 40)
    }

    /// Agents each record a random share of the samples of several series; their intervals
    /// merged in a random tree equal the interval of one process that recorded everything.
    @Test func mergeInAnyTreeEqualsOneProcess() async {
        let keys: [(SeriesKey, MetricType, ValueKind)] = [
            (reqs, .counter, .default), (duration, .trend, .time), (vus, .gauge, .default),
            (try! SeriesKey("checks"), .rate, .default), (try! SeriesKey("size"), .trend, .data),
        ]
        await propertyCheck(count: 200, input: Gen.uint64()) { seed in
            var rng = SplitMix64(seed: seed)
            let agents = Int.random(in: 1...8, using: &rng)
            var parts = (0..<agents).map { _ in IntervalAggregate(start: Int64.random(in: 0...100, using: &rng)) }
            var whole = IntervalAggregate(start: 0)
            for _ in 0..<Int.random(in: 0...300, using: &rng) {
                let (key, type, kind) = keys[Int.random(in: 0..<keys.count, using: &rng)]
                let value = Double(Int.random(in: -10...100_000, using: &rng)) / 4
                let time = Int64.random(in: 0...50, using: &rng)
                try whole.add(value, to: key, type: type, kind: kind, at: time)
                try parts[Int.random(in: 0..<agents, using: &rng)].add(value, to: key, type: type, kind: kind, at: time)
            }
            let merged = try #require(try mergeInRandomTree(parts, using: &rng) { try $0.merge($1) })
            #expect(merged.series == whole.series, "seed \(seed)")
        }
    }
}
