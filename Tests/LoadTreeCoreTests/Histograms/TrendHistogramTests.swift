import Histogram
import Testing
import LoadTreeCore

@Suite struct TrendHistogramTests {
    @Test func samplesMapToRecordedIntegers() {
        #expect(TrendHistogram.recordedValue(for: 1.2345, unit: .milliseconds) == (1235, false))
        #expect(TrendHistogram.recordedValue(for: 0.0004, unit: .milliseconds) == (0, false))
        #expect(TrendHistogram.recordedValue(for: 3_600_000, unit: .milliseconds) == (3_600_000_000, false))
        #expect(TrendHistogram.recordedValue(for: 3_600_000.001, unit: .milliseconds) == (3_600_000_000, true))
        #expect(TrendHistogram.recordedValue(for: -0.1, unit: .milliseconds) == (0, true))
        #expect(TrendHistogram.recordedValue(for: .nan, unit: .milliseconds) == (0, true))
        #expect(TrendHistogram.recordedValue(for: 2.5, unit: .plain) == (3, false))
        #expect(TrendHistogram.recordedValue(for: 4e9, unit: .plain) == (3_600_000_000, true))
        #expect(TrendHistogram.Unit(kind: .time) == .milliseconds)
        #expect(TrendHistogram.Unit(kind: .data) == .plain)
    }

    @Test func layoutIsTheDocumentedOne() {
        let trend = TrendHistogram(unit: .milliseconds)
        #expect(trend.histogram.lowestDiscernibleValue == 1)
        #expect(trend.histogram.highestTrackableValue == 3_600_000_000)
        #expect(trend.histogram.numberOfSignificantValueDigits == .three)
        #expect(TrendHistogram.layout.countsLength == 23_552)
    }

    @Test func orderStatisticsAreNotValueAtPercentile() {
        var trend = TrendHistogram(unit: .plain)
        for value in [10.0, 15, 20] { trend.record(value) }
        #expect(trend.recordedValues(atRanks: [2, 0, 1, 5]) == [20, 10, 15, 20])
        // HdrHistogram's percentile is "the value at or below which p % fall": 20 for p(90),
        // where the reference interpolates to 19 (see SinkExampleTests).
        #expect(trend.histogram.valueAtPercentile(90) == 20)
    }

    @Test func rebuildingFromPartsChecksThem() throws {
        let other = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 1_000_000, numberOfSignificantValueDigits: .three)
        #expect(throws: MetricSinkError.self) { try TrendHistogram(unit: .plain, histogram: other, clampedCount: 0) }
        var trend = TrendHistogram(unit: .plain)
        trend.record(5)
        #expect(throws: MetricSinkError.self) { try TrendHistogram(unit: .plain, histogram: trend.histogram, clampedCount: 2) }
        #expect(try TrendHistogram(unit: .plain, histogram: trend.histogram, clampedCount: 1).count == 1)
        #expect(throws: MetricSinkError.self) { try TrendSink(histogram: trend, min: nil, max: nil, sum: 5) }
        #expect(throws: MetricSinkError.self) { try TrendSink(histogram: trend, min: 6, max: 5, sum: 5) }
        #expect(throws: MetricSinkError.self) { try TrendSink(histogram: TrendHistogram(unit: .plain), min: 1, max: 1, sum: 0) }
    }

    /// The path a trend takes up the tree: histogram through the codec, then parts back into
    /// a sink equal to the original.
    @Test func trendSinkSurvivesTheWire() throws {
        var sink = TrendSink(kind: .time)
        for value in [0.25, 1, 12.5, 99.75, 1500, 3_700_000] { sink.add(value) }
        let bytes = try HDRCodec.encodeCompressed(sink.histogram.histogram)
        let histogram = try TrendHistogram(
            unit: .milliseconds, histogram: HDRCodec.decode(bytes), clampedCount: sink.histogram.clampedCount)
        let rebuilt = try TrendSink(histogram: histogram, min: sink.min, max: sink.max, sum: sink.sum)
        #expect(rebuilt == sink)
        #expect(rebuilt.percentiles([50, 90, 95]) == sink.percentiles([50, 90, 95]))
    }

    /// Counts near 2^63 (which a peer may send) trap hdrhistogram-swift's own iterators; our
    /// percentiles, encoding and merge-overflow check must not.
    @Test func hugeCountsDoNotTrap() throws {
        var histogram = TrendHistogram(unit: .plain).histogram
        histogram.record(3_600_000_000, count: UInt64(Int64.max) - 1)
        histogram.record(7, count: 1)
        let trend = try TrendHistogram(unit: .plain, histogram: HDRCodec.decode(HDRCodec.encode(histogram)), clampedCount: 0)
        let sink = try TrendSink(histogram: trend, min: 7, max: 3_600_000_000, sum: 1e30)
        #expect(sink.percentile(0) == 7)
        #expect(sink.percentile(100) == 3_600_000_000)
        let p50 = try #require(sink.percentile(50))
        #expect(abs(p50 - 3_600_000_000) <= 3_600_000_000 / 2048)
        var doubled = trend
        try doubled.merge(trend)
        #expect(doubled.count == 2 * trend.count)
        #expect(throws: MetricSinkError.self) {
            var tripled = doubled
            try tripled.merge(trend)
        }
    }
}
