import LoadTreeCore
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where every sample of a node goes: one interval aggregate, drained once per interval by
/// whoever reports upward (the summary locally, the upstream link in a tree).
///
/// Mutexes rather than an actor: recording is a few nanoseconds of work done hundreds of
/// thousands of times a second from many VUs, and must not suspend.
///
/// Series are registered once (``series(_:type:kind:)``) and then recorded by ``Series`` handle:
/// the hot path (a request's eleven samples) takes one lock and indexes an array per sample,
/// with no hashing of keys and no copying of tag sets.
///
/// The open interval is kept in **shards**, one per event-loop thread: a VU records through a
/// ``Recorder`` bound to the shard of the thread it runs on, so VUs on different cores never
/// contend for a lock nor write the same histogram (whose cache lines would otherwise bounce
/// between cores on every sample). Draining merges the shards, which is exact: merging sinks
/// is associative and commutative.
public final class MetricsCollector: Sendable {
    /// A registered series: where its sink lives in every shard. Only valid with the collector
    /// that made it.
    public struct Series: Sendable, Hashable {
        /// The registration (key, type, kind).
        fileprivate let slot: Int
        /// Which typed store holds the sink, and where in it.
        fileprivate let store: MetricType
        fileprivate let index: Int
        /// The kind, for a trend's recording unit when a shard creates the sink.
        fileprivate let kind: ValueKind
    }

    /// Records into one shard of the collector: a VU makes one on its own thread
    /// (``recorder()``) and keeps it for its life.
    public struct Recorder: Sendable {
        fileprivate let collector: MetricsCollector
        fileprivate let shard: Shard

        /// Records samples of registered series under one lock (a request's timings), taken
        /// at `time` on the run clock (default: now).
        public func record(_ samples: [(series: Series, value: Double)], at time: Int64? = nil) {
            let now = time ?? collector.clock.now()
            shard.state.withLock { state in
                for sample in samples { state.add(sample.value, to: sample.series, at: now) }
            }
            if collector.hasOutput { collector.writeOutput(samples, at: now) }
        }

        /// Records one sample of a registered series.
        public func record(_ series: Series, _ value: Double) {
            let now = collector.clock.now()
            shard.state.withLock { $0.add(value, to: series, at: now) }
            if collector.hasOutput { collector.writeOutput(CollectionOfOne((series, value)), at: now) }
        }
    }

    private let registry: Mutex<Registry>
    private let shards: [Shard]
    /// The shard of each thread that asked for a recorder (by `pthread_self`), handed out in
    /// turn, so that each event loop gets its own while there are enough.
    private let threadShards: Mutex<[UInt: Int]>
    private let totals: Mutex<Totals>
    private let clock: RunClock
    private let output: (any SampleOutput)?
    /// `output != nil`, kept apart: testing the existential for nil copies it.
    private let hasOutput: Bool

    fileprivate struct Registration: Sendable {
        let key: SeriesKey
        let type: MetricType
        let kind: ValueKind
        /// Index of the sink in the store of `type`.
        let index: Int

        /// Whether a sample of `type` and `kind` belongs here (same type; a trend's same unit).
        func accepts(type: MetricType, kind: ValueKind) -> Bool {
            type == self.type && (type != .trend || TrendHistogram.Unit(kind: kind) == TrendHistogram.Unit(kind: self.kind))
        }
    }

    /// Which series exist: the same slots in every shard.
    private struct Registry: Sendable {
        var slots: [SeriesKey: Int] = [:]
        var registrations: [Registration] = []
        var counts: [MetricType: Int] = [:]

        /// The handle of `key`, registering it; nil when `key` already holds another type (or
        /// a trend of another unit).
        mutating func series(_ key: SeriesKey, type: MetricType, kind: ValueKind) -> Series? {
            if let slot = slots[key] {
                let registration = registrations[slot]
                guard registration.accepts(type: type, kind: kind) else { return nil }
                return Series(slot: slot, store: registration.type, index: registration.index, kind: registration.kind)
            }
            let index = counts[type, default: 0]
            counts[type] = index + 1
            let slot = registrations.count
            registrations.append(Registration(key: key, type: type, kind: kind, index: index))
            slots[key] = slot
            return Series(slot: slot, store: type, index: index, kind: kind)
        }
    }

    /// One shard's part of the open interval: one typed array per metric type, so that a
    /// sample mutates its sink in place (a trend's state is a few hundred bytes, which the
    /// `MetricSink` enum would move twice per sample). Arrays grow when a series is first
    /// recorded here.
    fileprivate struct ShardState: ~Copyable {
        var counters: [CounterSink] = []
        var gauges: [GaugeSink] = []
        var rates: [RateSink] = []
        /// Nil until the series' first sample in this shard and interval: the unit comes from
        /// the recording series.
        var trends: [TrendSink?] = []

        @inline(__always)
        mutating func add(_ value: Double, to series: Series, at time: Int64) {
            switch series.store {
            case .counter:
                while counters.count <= series.index { counters.append(CounterSink()) }
                counters[series.index].add(value, at: time)
            case .gauge:
                while gauges.count <= series.index { gauges.append(GaugeSink()) }
                gauges[series.index].add(value, at: time)
            case .rate:
                while rates.count <= series.index { rates.append(RateSink()) }
                rates[series.index].add(value)
            case .trend:
                while trends.count <= series.index { trends.append(nil) }
                if case .none = trends[series.index] { trends[series.index] = TrendSink(kind: series.kind) }
                trends[series.index]?.add(value)
            }
        }

        /// Takes the sink of `registration` out of the shard (nil when empty); `reset` leaves
        /// an empty one behind.
        mutating func take(_ registration: Registration, reset: Bool) -> MetricSink? {
            let i = registration.index
            switch registration.type {
            case .counter:
                guard i < counters.count, !counters[i].isEmpty else { return nil }
                defer { if reset { counters[i] = CounterSink() } }
                return .counter(counters[i])
            case .gauge:
                guard i < gauges.count, !gauges[i].isEmpty else { return nil }
                defer { if reset { gauges[i] = GaugeSink() } }
                return .gauge(gauges[i])
            case .rate:
                guard i < rates.count, !rates[i].isEmpty else { return nil }
                defer { if reset { rates[i] = RateSink() } }
                return .rate(rates[i])
            case .trend:
                guard i < trends.count, let trend = trends[i], !trend.isEmpty else { return nil }
                if reset { trends[i] = nil }
                return .trend(trend)
            }
        }
    }

    fileprivate final class Shard: Sendable {
        let state = Mutex(ShardState())
    }

    private struct Totals: Sendable {
        var intervalStart: Int64 = 0
        var total = IntervalAggregate(start: 0)
    }

    /// - Parameters:
    ///   - output: receives every sample as well (`--out json=FILE`).
    ///   - shards: how many threads record at once (the HTTP client's event loops).
    public init(clock: RunClock, output: (any SampleOutput)? = nil, shards: Int = 1) {
        self.clock = clock
        self.output = output
        self.hasOutput = output != nil
        self.registry = Mutex(Registry())
        self.shards = (0..<max(1, shards)).map { _ in Shard() }
        self.threadShards = Mutex([:])
        self.totals = Mutex(Totals())
    }

    /// The handle for recording into `key`; nil when `key` already holds a different type (the
    /// plan's validation prevents it), whose samples are then dropped.
    public func series(_ key: SeriesKey, type: MetricType, kind: ValueKind = .default) -> Series? {
        registry.withLock { $0.series(key, type: type, kind: kind) }
    }

    /// A recorder into the shard of the calling thread. Call it on the thread that will
    /// record (a VU makes its recorder when it starts, on its event loop).
    public func recorder() -> Recorder {
        #if canImport(Darwin)
        let thread = UInt(bitPattern: pthread_self())
        #else
        let thread = UInt(pthread_self())
        #endif
        let count = shards.count
        let index = threadShards.withLock { map in
            if let known = map[thread] { return known }
            let next = map.count % count
            map[thread] = next
            return next
        }
        return Recorder(collector: self, shard: shards[index])
    }

    /// Records one sample, registering its series if need be. A sample whose type clashes
    /// with an existing series of the same name is dropped (the plan's validation prevents
    /// it). For occasional samples: the hot path records by handle through a ``Recorder``.
    public func record(_ value: Double, _ key: SeriesKey, type: MetricType, kind: ValueKind = .default) {
        let now = clock.now()
        guard let series = registry.withLock({ $0.series(key, type: type, kind: kind) }) else { return }
        shards[0].state.withLock { $0.add(value, to: series, at: now) }
        if hasOutput { output?.write([MetricSample(value, key, type: type, kind: kind, seriesID: series.slot)], at: now) }
    }

    /// Records several samples, registering their series if need be.
    public func record(_ samples: [MetricSample]) {
        let now = clock.now()
        let handles = registry.withLock { registry in
            samples.map { registry.series($0.key, type: $0.type, kind: $0.kind) }
        }
        shards[0].state.withLock { state in
            for (sample, series) in zip(samples, handles) {
                if let series { state.add(sample.value, to: series, at: now) }
            }
        }
        if hasOutput {
            let numbered = zip(samples, handles).compactMap { sample, series in
                series.map { MetricSample(sample.value, sample.key, type: sample.type, kind: sample.kind, seriesID: $0.slot) }
            }
            output?.write(numbered, at: now)
        }
    }

    /// Records samples of registered series (outside any VU: into the first shard).
    public func record(_ samples: [(series: Series, value: Double)], at time: Int64? = nil) {
        Recorder(collector: self, shard: shards[0]).record(samples, at: time)
    }

    /// Hands samples of registered series to the `--out` output (off the hot path: only
    /// when an output is set).
    private func writeOutput(_ samples: some Collection<(series: Series, value: Double)>, at now: Int64) {
        guard let output else { return }
        let written = registry.withLock { registry in
            samples.map { sample in
                let registration = registry.registrations[sample.series.slot]
                return MetricSample(sample.value, registration.key, type: registration.type, kind: registration.kind,
                                    seriesID: sample.series.slot)
            }
        }
        output.write(written, at: now)
    }

    /// The open interval merged over all shards; `reset` empties it.
    private func current(from start: Int64, until end: Int64, reset: Bool) -> IntervalAggregate {
        let registrations = registry.withLock { $0.registrations }
        var series: [SeriesKey: MetricSink] = [:]
        for shard in shards {
            shard.state.withLock { state in
                for registration in registrations {
                    guard let sink = state.take(registration, reset: reset) else { continue }
                    if let index = series.index(forKey: registration.key) {
                        // Same registration, so same type and unit: cannot fail.
                        try? series.values[index].merge(sink)
                    } else {
                        series[registration.key] = sink
                    }
                }
            }
        }
        return IntervalAggregate(start: start, end: Swift.max(end, start), series: series)
    }

    /// Ends the current interval: returns it and folds it into the running total.
    public func drainInterval() -> IntervalAggregate {
        totals.withLock { totals in
            let finished = current(from: totals.intervalStart, until: clock.now(), reset: true)
            totals.intervalStart = finished.end
            try? totals.total.merge(finished)
            return finished
        }
    }

    /// Everything recorded so far (the running total plus the open interval).
    public func snapshot() -> IntervalAggregate {
        totals.withLock { totals in
            var all = totals.total
            try? all.merge(current(from: totals.intervalStart, until: totals.intervalStart, reset: false))
            return all
        }
    }
}

/// One sample waiting to be recorded.
public struct MetricSample: Sendable {
    public let value: Double
    public let key: SeriesKey
    public let type: MetricType
    public let kind: ValueKind
    /// The collector's number for the series, when the sample comes from a collector: equal
    /// for equal keys during a run, so an output can keep what it derives from a series (its
    /// rendered tags) in an array instead of hashing the key per sample.
    public let seriesID: Int?

    public init(_ value: Double, _ key: SeriesKey, type: MetricType, kind: ValueKind = .default, seriesID: Int? = nil) {
        self.value = value
        self.key = key
        self.type = type
        self.kind = kind
        self.seriesID = seriesID
    }
}
