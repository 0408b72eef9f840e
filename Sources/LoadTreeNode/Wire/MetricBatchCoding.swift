import LoadTreeCore
import LoadTreeWire

/// Interval aggregates to and from the wire's `MetricBatch`: every series with its sink's
/// exact parts (trends as V2-compressed HDR histograms), so a parent merges exactly what its
/// children recorded.
///
/// Decoding treats the batch as untrusted: names are validated, every sink is rebuilt through
/// its checked initialiser, histograms are decoded with size limits, and a duplicate series or
/// any inconsistency rejects the whole batch with a reason.
public enum MetricBatchCoding {
    public static func encode(_ aggregate: IntervalAggregate, sender: String, sequence: UInt64) throws(MetricBatchError) -> Loadtree_V1_MetricBatch {
        var batch = Loadtree_V1_MetricBatch()
        batch.sender = sender
        batch.sequence = sequence
        batch.intervalStartNs = aggregate.start
        batch.intervalEndNs = aggregate.end
        for key in aggregate.sortedKeys {
            guard let sink = aggregate.series[key], !sink.isEmpty else { continue }
            var entry = Loadtree_V1_MetricEntry()
            entry.name = key.name.rawValue
            entry.tags = key.tags.map { tag in
                var wire = Loadtree_V1_Tag()
                wire.key = tag.key
                wire.value = tag.value
                return wire
            }
            switch sink {
            case .counter(let c):
                var value = Loadtree_V1_CounterValue()
                value.sum = c.sum
                value.firstTimeNs = c.firstSampleTime ?? 0
                value.count = c.sampleCount
                entry.counter = value
            case .gauge(let g):
                var value = Loadtree_V1_GaugeValue()
                value.value = g.value ?? 0
                value.timeNs = g.time
                value.min = g.min ?? 0
                value.max = g.max ?? 0
                entry.gauge = value
            case .rate(let r):
                var value = Loadtree_V1_RateValue()
                value.trues = r.trues
                value.total = r.total
                entry.rate = value
            case .trend(let t):
                var value = Loadtree_V1_TrendValue()
                do { value.hdrV2Compressed = Data(try t.histogram.encodedCompressed()) } catch {
                    throw .histogram(series: key.description, reason: "\(error)")
                }
                value.min = t.min ?? 0
                value.max = t.max ?? 0
                value.sum = t.sum
                value.unit = t.histogram.unit == .milliseconds ? .milliseconds : .plain
                value.clampedCount = t.histogram.clampedCount
                entry.kind = t.histogram.unit == .milliseconds ? .time : .default
                entry.trend = value
            }
            batch.entries.append(entry)
        }
        return batch
    }

    public static func decode(_ batch: Loadtree_V1_MetricBatch) throws(MetricBatchError) -> IntervalAggregate {
        guard batch.intervalEndNs >= batch.intervalStartNs else {
            throw .malformed("interval ends before it starts")
        }
        var series: [SeriesKey: MetricSink] = [:]
        for entry in batch.entries {
            let key: SeriesKey
            var repeated: String?
            guard let tags = TagSet(distinctKeys: entry.tags.map { Tag($0.key, $0.value) }, repeatedKey: &repeated) else {
                throw .malformed("tag \(repeated ?? "") repeated in \(entry.name)")
            }
            do {
                key = try SeriesKey(entry.name, tags: tags)
            } catch {
                throw .malformed("\(error)")
            }
            guard series[key] == nil else { throw .malformed("series \(key) appears twice") }
            series[key] = try sink(entry, key: key)
        }
        return IntervalAggregate(start: batch.intervalStartNs, end: batch.intervalEndNs, series: series)
    }

    private static func sink(_ entry: Loadtree_V1_MetricEntry, key: SeriesKey) throws(MetricBatchError) -> MetricSink {
        do {
            switch entry.value {
            case .counter(let c):
                guard c.sum.isFinite else { throw MetricBatchError.malformed("counter \(key) is not finite") }
                return .counter(CounterSink(sum: c.sum, firstSampleTime: c.count > 0 ? c.firstTimeNs : nil, sampleCount: c.count))
            case .gauge(let g):
                return .gauge(try GaugeSink(value: g.value, time: g.timeNs, min: g.min, max: g.max))
            case .rate(let r):
                return .rate(try RateSink(trues: r.trues, total: r.total))
            case .trend(let t):
                let unit: TrendHistogram.Unit
                switch t.unit {
                case .milliseconds: unit = .milliseconds
                case .plain: unit = .plain
                default: throw MetricBatchError.malformed("trend \(key) has no unit")
                }
                // Kept sparse: merged slot by slot, never as a 188 KB counts array.
                let (layout, counts) = try HDRCodec.decodeSlots(Array(t.hdrV2Compressed))
                let trend = try TrendHistogram(unit: unit, layout: layout, counts: counts, clampedCount: t.clampedCount)
                let empty = trend.count == 0
                return .trend(try TrendSink(histogram: trend, min: empty ? nil : t.min, max: empty ? nil : t.max, sum: t.sum))
            case nil:
                throw MetricBatchError.malformed("series \(key) has no value")
            }
        } catch let error as MetricBatchError {
            throw error
        } catch {
            throw .invalidSink(series: key.description, reason: "\(error)")
        }
    }
}

import Foundation

/// Why a metric batch could not be encoded or was refused.
public enum MetricBatchError: Error, Sendable, Hashable, CustomStringConvertible {
    case histogram(series: String, reason: String)
    case malformed(String)
    case invalidSink(series: String, reason: String)

    public var description: String {
        switch self {
        case .histogram(let series, let reason): "cannot encode the histogram of \(series): \(reason)"
        case .malformed(let reason): "malformed metric batch: \(reason)"
        case .invalidSink(let series, let reason): "metric batch refused: series \(series): \(reason)"
        }
    }
}
