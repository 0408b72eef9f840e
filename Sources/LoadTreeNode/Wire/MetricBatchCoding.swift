import LoadTreeCore
import LoadTreeWire

/// Interval aggregates to and from the wire's `MetricBatch`: every series with its sink's
/// exact parts (trends as V2 HDR histograms, gauges as one source's sample or as steps of the
/// tree-wide total), so a parent merges exactly what its children recorded.
///
/// On a stream, each series is named in full once and by number afterwards
/// (``SeriesNumbering`` / ``SeriesDirectory``); a batch encoded without numbering stands alone.
///
/// Decoding treats the batch as untrusted: names are validated, every sink is rebuilt through
/// its checked initialiser, histograms are decoded with size limits, series numbers must be
/// defined, and a duplicate series or any inconsistency rejects the whole batch with a reason.
public enum MetricBatchCoding {
    /// Trend histograms whose uncompressed V2 form is at most this long travel uncompressed:
    /// DEFLATE would save well under a kilobyte and cost the receiver a zlib stream (set-up,
    /// window, inflate) per histogram, which was a tenth of a relay's merge.
    public static let uncompressedTrendLimit = 2048

    /// The most gauge steps one entry may carry (a relay forwards the boundaries of one flush).
    public static let gaugeStepLimit = 1 << 16

    /// A batch that names every series in full.
    public static func encode(_ aggregate: IntervalAggregate, sender: String, sequence: UInt64) throws(MetricBatchError) -> Loadtree_V1_MetricBatch {
        var standalone = SeriesNumbering(enabled: false)
        return try encode(aggregate, sender: sender, sequence: sequence, numbering: &standalone)
    }

    /// A batch for a stream whose series are numbered by `numbering`: series new on the stream
    /// are defined in this batch, the others referred to by number. On error `numbering` is
    /// unchanged (no number is taken that the stream never saw defined).
    public static func encode(
        _ aggregate: IntervalAggregate, sender: String, sequence: UInt64, numbering: inout SeriesNumbering
    ) throws(MetricBatchError) -> Loadtree_V1_MetricBatch {
        var working = numbering
        let batch = try encode(aggregate, sender: sender, sequence: sequence, working: &working)
        numbering = working
        return batch
    }

    private static func encode(
        _ aggregate: IntervalAggregate, sender: String, sequence: UInt64, working numbering: inout SeriesNumbering
    ) throws(MetricBatchError) -> Loadtree_V1_MetricBatch {
        var batch = Loadtree_V1_MetricBatch()
        batch.sender = sender
        batch.sequence = sequence
        batch.intervalStartNs = aggregate.start
        batch.intervalEndNs = aggregate.end
        for key in aggregate.sortedKeys {
            guard let sink = aggregate.series[key], !sink.isEmpty else { continue }
            var entry = Loadtree_V1_MetricEntry()
            let kind: Loadtree_V1_ValueKind = if case .trend(let t) = sink, t.histogram.unit == .milliseconds { .time } else { .default }
            if let numbered = numbering.number(for: key) {
                entry.seriesID = numbered.id
                if numbered.isNew {
                    batch.series.append(.with {
                        $0.id = numbered.id
                        $0.name = key.name.rawValue
                        $0.tags = wireTags(key.tags)
                        $0.kind = kind
                    })
                }
            } else {
                entry.name = key.name.rawValue
                entry.tags = wireTags(key.tags)
                entry.kind = kind
            }
            try fill(&entry, with: sink, key: key)
            batch.entries.append(entry)
        }
        return batch
    }

    private static func wireTags(_ tags: TagSet) -> [Loadtree_V1_Tag] {
        tags.map { tag in
            var wire = Loadtree_V1_Tag()
            wire.key = tag.key
            wire.value = tag.value
            return wire
        }
    }

    private static func fill(_ entry: inout Loadtree_V1_MetricEntry, with sink: MetricSink, key: SeriesKey) throws(MetricBatchError) {
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
        case .gaugeTotal(let g):
            var value = Loadtree_V1_GaugeValue()
            value.stepAtNs = g.steps.map(\.at)
            value.stepChange = g.steps.map(\.change)
            entry.gauge = value
        case .rate(let r):
            var value = Loadtree_V1_RateValue()
            value.trues = r.trues
            value.total = r.total
            entry.rate = value
        case .trend(let t):
            var value = Loadtree_V1_TrendValue()
            do {
                let plain = try t.histogram.encoded()
                if plain.count <= uncompressedTrendLimit {
                    value.hdrV2 = Data(plain)
                } else {
                    value.hdrV2Compressed = Data(try HDRCodec.compress(plain))
                }
            } catch {
                throw .histogram(series: key.description, reason: "\(error)")
            }
            value.min = t.min ?? 0
            value.max = t.max ?? 0
            value.sum = t.sum
            value.unit = t.histogram.unit == .milliseconds ? .milliseconds : .plain
            value.clampedCount = t.histogram.clampedCount
            entry.trend = value
        }
    }

    /// Decodes a batch that names every series in full (numbers are refused as undefined).
    public static func decode(_ batch: Loadtree_V1_MetricBatch) throws(MetricBatchError) -> IntervalAggregate {
        var directory = SeriesDirectory()
        return try decode(batch, directory: &directory)
    }

    /// Decodes a batch of a stream whose series numbers `directory` holds, adding the batch's
    /// definitions to it first (they stay even when an entry is then refused: the sender will
    /// not define them again on this stream).
    public static func decode(_ batch: Loadtree_V1_MetricBatch, directory: inout SeriesDirectory) throws(MetricBatchError) -> IntervalAggregate {
        try define(batch, directory: &directory)
        var accumulator = SeriesAccumulator(start: batch.intervalStartNs)
        try merge(batch, directory: &directory, into: &accumulator)
        return accumulator.drain(at: batch.intervalEndNs)
    }

    /// Adds the series a batch defines to its stream's `directory` (before the batch is
    /// merged, and also for a batch that is not merged because it was already counted: the
    /// sender will not define those series again on this stream).
    ///
    /// - Throws: ``MetricBatchError/malformed(_:)`` for an invalid or out-of-order definition;
    ///   `directory` is then unchanged.
    public static func define(_ batch: Loadtree_V1_MetricBatch, directory: inout SeriesDirectory) throws(MetricBatchError) {
        guard !batch.series.isEmpty else { return }
        var definitions: [(id: UInt32, key: SeriesKey)] = []
        definitions.reserveCapacity(batch.series.count)
        for definition in batch.series {
            definitions.append((definition.id, try seriesKey(definition.name, definition.tags)))
        }
        try directory.define(definitions)
    }

    /// Merges a batch of a stream straight into `accumulator`, all or nothing: each entry goes
    /// to its series' slot (numbers resolved through `directory`, which caches the slots),
    /// with no interval built in between. The batch's definitions must already be in
    /// `directory` (``define(_:directory:)``).
    ///
    /// - Throws: ``MetricBatchError`` when the batch is malformed, or a series does not merge
    ///   with what `accumulator` holds (another type or trend unit); nothing is merged then.
    public static func merge(
        _ batch: Loadtree_V1_MetricBatch, directory: inout SeriesDirectory, into accumulator: inout SeriesAccumulator
    ) throws(MetricBatchError) {
        guard batch.intervalEndNs >= batch.intervalStartNs else {
            throw .malformed("interval ends before it starts")
        }
        var entries: [SeriesAccumulator.Entry] = []
        entries.reserveCapacity(batch.entries.count)
        var seen = Set<Int>(minimumCapacity: batch.entries.count)
        // By index: an entry (strings, tags, a value message) copied out of the array per
        // iteration showed in a relay's profile.
        let wireEntries = batch.entries
        for position in wireEntries.indices {
            let seriesID = wireEntries[position].seriesID
            let slot: Int
            if seriesID != 0 {
                guard wireEntries[position].name.isEmpty, wireEntries[position].tags.isEmpty else {
                    throw .malformed("an entry both names series \(wireEntries[position].name) and refers to series number \(seriesID)")
                }
                guard let known = directory.slot(seriesID, in: &accumulator) else {
                    throw .malformed("series number \(seriesID) is not defined on this stream")
                }
                slot = known
            } else {
                slot = accumulator.slot(for: try seriesKey(wireEntries[position].name, wireEntries[position].tags))
            }
            guard seen.insert(slot).inserted else { throw .malformed("series \(accumulator.key(at: slot)) appears twice") }
            let received = try sink(wireEntries[position]) { accumulator.key(at: slot) }
            entries.append(SeriesAccumulator.Entry(slot: slot, sink: received))
        }
        do {
            try accumulator.merge(entries, start: batch.intervalStartNs, end: batch.intervalEndNs)
        } catch {
            throw .conflicting("\(error)")
        }
    }

    private static func seriesKey(_ name: String, _ wireTags: [Loadtree_V1_Tag]) throws(MetricBatchError) -> SeriesKey {
        var repeated: String?
        guard let tags = TagSet(distinctKeys: wireTags.map { Tag($0.key, $0.value) }, repeatedKey: &repeated) else {
            throw .malformed("tag \(repeated ?? "") repeated in \(name)")
        }
        do {
            return try SeriesKey(name, tags: tags)
        } catch {
            throw .malformed("\(error)")
        }
    }

    private static func sink(_ entry: Loadtree_V1_MetricEntry, key: () -> SeriesKey) throws(MetricBatchError) -> MetricSink {
        do {
            switch entry.value {
            case .counter(let c):
                guard c.sum.isFinite else { throw MetricBatchError.malformed("counter \(key()) is not finite") }
                return .counter(CounterSink(sum: c.sum, firstSampleTime: c.count > 0 ? c.firstTimeNs : nil, sampleCount: c.count))
            case .gauge(let g):
                guard g.stepAtNs.isEmpty, g.stepChange.isEmpty else { return .gaugeTotal(try gaugeTotal(g, key: key)) }
                return .gauge(try GaugeSink(value: g.value, time: g.timeNs, min: g.min, max: g.max))
            case .rate(let r):
                return .rate(try RateSink(trues: r.trues, total: r.total))
            case .trend(let t):
                let unit: TrendHistogram.Unit
                switch t.unit {
                case .milliseconds: unit = .milliseconds
                case .plain: unit = .plain
                default: throw MetricBatchError.malformed("trend \(key()) has no unit")
                }
                guard t.hdrV2.isEmpty || t.hdrV2Compressed.isEmpty else {
                    throw MetricBatchError.malformed("trend \(key()) carries both hdr_v2 and hdr_v2_compressed")
                }
                // Kept sparse: merged slot by slot, never as a 188 KB counts array.
                let (layout, counts) = try HDRCodec.decodeSlots(t.hdrV2.isEmpty ? t.hdrV2Compressed : t.hdrV2)
                let trend = try TrendHistogram(unit: unit, layout: layout, counts: counts, clampedCount: t.clampedCount)
                let empty = trend.count == 0
                return .trend(try TrendSink(histogram: trend, min: empty ? nil : t.min, max: empty ? nil : t.max, sum: t.sum))
            case nil:
                throw MetricBatchError.malformed("series \(key()) has no value")
            }
        } catch let error as MetricBatchError {
            throw error
        } catch {
            throw .invalidSink(series: key().description, reason: "\(error)")
        }
    }

    private static func gaugeTotal(_ g: Loadtree_V1_GaugeValue, key: () -> SeriesKey) throws -> GaugeTotal {
        guard g.stepAtNs.count == g.stepChange.count else {
            throw MetricBatchError.malformed("gauge \(key()) has \(g.stepAtNs.count) step boundaries but \(g.stepChange.count) changes")
        }
        guard g.stepAtNs.count <= gaugeStepLimit else {
            throw MetricBatchError.malformed("gauge \(key()) carries \(g.stepAtNs.count) steps; at most \(gaugeStepLimit) per batch")
        }
        guard g.value == 0, g.timeNs == 0, g.min == 0, g.max == 0 else {
            throw MetricBatchError.malformed("gauge \(key()) mixes steps with a single source's value")
        }
        return try GaugeTotal(steps: zip(g.stepAtNs, g.stepChange).map { GaugeTotal.Step(at: $0, change: $1) })
    }
}

import Foundation

/// Why a metric batch could not be encoded or was refused.
public enum MetricBatchError: Error, Sendable, Hashable, CustomStringConvertible {
    case histogram(series: String, reason: String)
    case malformed(String)
    case invalidSink(series: String, reason: String)
    /// A series of the batch has another type (or trend unit) than the same series already
    /// merged from elsewhere.
    case conflicting(String)

    public var description: String {
        switch self {
        case .histogram(let series, let reason): "cannot encode the histogram of \(series): \(reason)"
        case .malformed(let reason): "malformed metric batch: \(reason)"
        case .invalidSink(let series, let reason): "metric batch refused: series \(series): \(reason)"
        case .conflicting(let error): "metric batch refused: it does not merge with what the other nodes sent: \(error)"
        }
    }
}
