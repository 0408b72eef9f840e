import Testing
import LoadTreeCore

/// The reference's worked examples (k6-reference.md §4.1, §4.3).
@Suite struct SinkExampleTests {
    private func trend(_ values: [Double], kind: ValueKind) -> MetricSink {
        var sink = MetricSink(type: .trend, kind: kind)
        for (i, value) in values.enumerated() { sink.add(value: value, at: Int64(i)) }
        return sink
    }

    /// {10, 15, 20} ms: avg 15, min 10, med 15, max 20, p(90) 19, p(95) 19.5, p(99) 19.9.
    /// Time trends hold microseconds at 3 significant digits: 15 ms sits in a slot 8 µs wide,
    /// so interior order statistics may be off by up to 4 µs.
    @Test func trendPercentilesOfTheReferenceExampleInMilliseconds() throws {
        let sink = trend([20, 10, 15], kind: .time)
        let d = Duration.seconds(1)
        #expect(sink.value(of: .avg, testDuration: d) == 15)
        #expect(sink.value(of: .min, testDuration: d) == 10)
        #expect(sink.value(of: .max, testDuration: d) == 20)
        let expected: [(MetricAggregation, Double)] = [
            (.med, 15), (.percentile(90), 19), (.percentile(95), 19.5), (.percentile(99), 19.9),
            (.percentile(0), 10), (.percentile(100), 20), (.percentile(50), 15),
        ]
        for (aggregation, value) in expected {
            let actual = try #require(sink.value(of: aggregation, testDuration: d))
            #expect(abs(actual - value) <= 0.005, "\(aggregation) = \(actual), expected \(value)")
        }
    }

    /// Plain trends below 2048 have unit resolution, so the same example is exact.
    @Test func trendPercentilesOfTheReferenceExampleArePlainExact() throws {
        let sink = trend([15, 20, 10], kind: .default)
        let d = Duration.seconds(1)
        let expected: [(MetricAggregation, Double)] = [
            (.med, 15), (.percentile(90), 19), (.percentile(95), 19.5), (.percentile(99), 19.9),
            (.avg, 15), (.min, 10), (.max, 20),
        ]
        for (aggregation, value) in expected {
            let actual = try #require(sink.value(of: aggregation, testDuration: d))
            #expect(abs(actual - value) < 1e-9, "\(aggregation) = \(actual), expected \(value)")
        }
    }

    @Test func trendEdgeCases() {
        let d = Duration.seconds(1)
        let empty = MetricSink(type: .trend, kind: .time)
        for aggregation in [MetricAggregation.avg, .min, .max, .med, .percentile(95)] {
            #expect(empty.value(of: aggregation, testDuration: d) == nil)
        }
        let one = trend([42.5], kind: .time)
        #expect(one.value(of: .percentile(99.9), testDuration: d) == 42.5)
        #expect(one.value(of: .med, testDuration: d) == 42.5)
        #expect(one.value(of: .percentile(101), testDuration: d) == nil)
        #expect(one.value(of: .percentile(-1), testDuration: d) == nil)
        #expect(one.value(of: .count, testDuration: d) == nil)
        #expect(one.value(of: .rate, testDuration: d) == nil)
    }

    /// `checks` with 45 passes and 15 fails has rate 0.75.
    @Test func rateOfTheReferenceExample() throws {
        var sink = MetricSink(type: .rate)
        for i in 0..<60 { sink.add(value: i < 45 ? 1 : 0, at: Int64(i)) }
        #expect(sink.value(of: .rate, testDuration: .seconds(10)) == 0.75)
        guard case .rate(let rate) = sink else { Issue.record("not a rate sink"); return }
        #expect(rate.trues == 45)
        #expect(rate.falses == 15)
        #expect(MetricSink(type: .rate).value(of: .rate, testDuration: .seconds(1)) == nil)
    }

    @Test func rateCountsAnyNonZeroAsTrue() throws {
        var rate = RateSink()
        for value in [0, -1, 0.5, 0, .nan, 2] { rate.add(value) }
        #expect(rate.trues == 4)
        #expect(rate.total == 6)
        #expect(throws: MetricSinkError.self) { try RateSink(trues: 3, total: 2) }
    }

    /// `http_reqs` count 3 over a 1 s run has rate 3; 10 over 4 s is 2.5 per second.
    @Test func counterCountAndRate() {
        var sink = MetricSink(type: .counter)
        for i in 0..<3 { sink.add(value: 1, at: Int64(100 - i)) }
        #expect(sink.value(of: .count, testDuration: .seconds(1)) == 3)
        #expect(sink.value(of: .rate, testDuration: .seconds(1)) == 3)
        #expect(sink.value(of: .rate, testDuration: .zero) == nil)
        guard case .counter(let counter) = sink else { Issue.record("not a counter sink"); return }
        #expect(counter.firstSampleTime == 98)
        #expect(counter.sampleCount == 3)

        var bytes = CounterSink()
        bytes.add(4, at: 10)
        bytes.add(6, at: 5)
        #expect(bytes.rate(over: .seconds(4)) == 2.5)
        #expect(bytes.firstSampleTime == 5)
        #expect(MetricSink(type: .counter).value(of: .count, testDuration: .seconds(1)) == 0)
    }

    /// `vus` {value 1, min 1, max 1}; the latest sample by time wins whatever the adding order.
    @Test func gaugeKeepsLatestByTimeAndExtremes() throws {
        var gauge = GaugeSink()
        gauge.add(5, at: 20)
        gauge.add(9, at: 10)
        gauge.add(1, at: 15)
        #expect(gauge.value == 5)
        #expect(gauge.time == 20)
        #expect(gauge.min == 1)
        #expect(gauge.max == 9)
        gauge.add(3, at: 20)  // same time, smaller value: the tie keeps the greater value
        #expect(gauge.value == 5)
        gauge.add(7, at: 20)
        #expect(gauge.value == 7)
        let sink = MetricSink.gauge(gauge)
        #expect(sink.value(of: .value, testDuration: .seconds(1)) == 7)
        #expect(MetricSink(type: .gauge).value(of: .value, testDuration: .seconds(1)) == nil)
        #expect(throws: MetricSinkError.self) { try GaugeSink(value: 5, time: 0, min: 6, max: 9) }
        #expect(throws: MetricSinkError.self) { try GaugeSink(value: 5, time: 0, min: nil, max: 9) }
        #expect(try GaugeSink(value: 5, time: 3, min: 1, max: 9).value == 5)
    }

    @Test func mergingDifferentTypesIsATypedError() {
        var counter = MetricSink(type: .counter)
        counter.add(value: 1, at: 0)
        let before = counter
        #expect(throws: MetricSinkError.typeMismatch(series: "x_y", expected: .counter, found: .gauge)) {
            try counter.merge(MetricSink(type: .gauge), series: "x_y")
        }
        #expect(counter == before)
        var timeTrend = MetricSink(type: .trend, kind: .time)
        #expect(throws: MetricSinkError.unitMismatch(.milliseconds, .plain)) {
            try timeTrend.merge(MetricSink(type: .trend, kind: .default))
        }
    }

    @Test func trendIgnoresNonFiniteAndCountsClampedSamples() throws {
        var sink = TrendSink(kind: .time)
        sink.add(.nan)
        sink.add(.infinity)
        #expect(sink.isEmpty)
        sink.add(-5)  // negative: recorded as 0, exact min stays -5
        sink.add(7_200_000)  // two hours: above the one-hour range
        sink.add(1)
        #expect(sink.count == 3)
        #expect(sink.histogram.clampedCount == 2)
        #expect(sink.min == -5)
        #expect(sink.max == 7_200_000)
        #expect(sink.sum == 7_199_996)
        #expect(sink.percentile(0) == -5)
        #expect(sink.percentile(100) == 7_200_000)
        #expect(sink.percentile(50) == 1)
    }
}
