import LoadTreeCore
import Synchronization

/// Where every sample of a node goes: one interval aggregate, drained once per interval by
/// whoever reports upward (the summary locally, the upstream link in a tree).
///
/// A `Mutex` rather than an actor: recording is a few nanoseconds of work done hundreds of
/// thousands of times a second from many VUs, and must not suspend.
///
/// Series are registered once and then recorded by ``Series`` handle: the hot path (a request's
/// eleven samples) takes the lock once and indexes an array per sample, with no hashing of keys
/// and no copying of tag sets. Recording by ``SeriesKey`` registers on first use and is kept for
/// occasional samples.
public final class MetricsCollector: Sendable {
    /// A registered series: where its sink lives in the collector. Only valid with the
    /// collector that made it.
    public struct Series: Sendable, Hashable {
        /// The registration (key, type, kind).
        fileprivate let slot: Int
        /// Which typed store holds the sink, and where in it.
        fileprivate let store: MetricType
        fileprivate let index: Int
    }

    private let state: Mutex<State>
    private let clock: RunClock
    private let output: (any SampleOutput)?
    /// `output != nil`, kept apart: testing the existential for nil copies it under the lock.
    private let hasOutput: Bool

    private struct Registration: Sendable {
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

    /// The open interval's sinks, one typed array per metric type, so that a sample mutates
    /// its sink in place: no enum to unpack and put back (a trend's state is a few hundred
    /// bytes, which the `MetricSink` enum would move twice per sample).
    private struct State: ~Copyable {
        var slots: [SeriesKey: Int] = [:]
        var registrations: [Registration] = []
        var counters: [CounterSink] = []
        var gauges: [GaugeSink] = []
        var rates: [RateSink] = []
        var trends: [TrendSink] = []
        var intervalStart: Int64 = 0
        var total = IntervalAggregate(start: 0)

        /// The handle of `key`, registering it; nil when `key` already holds another type (or
        /// a trend of another unit).
        mutating func series(_ key: SeriesKey, type: MetricType, kind: ValueKind) -> Series? {
            if let slot = slots[key] {
                let registration = registrations[slot]
                guard registration.accepts(type: type, kind: kind) else { return nil }
                return Series(slot: slot, store: registration.type, index: registration.index)
            }
            let index: Int
            switch type {
            case .counter:
                index = counters.count
                counters.append(CounterSink())
            case .gauge:
                index = gauges.count
                gauges.append(GaugeSink())
            case .rate:
                index = rates.count
                rates.append(RateSink())
            case .trend:
                index = trends.count
                trends.append(TrendSink(kind: kind))
            }
            let slot = registrations.count
            registrations.append(Registration(key: key, type: type, kind: kind, index: index))
            slots[key] = slot
            return Series(slot: slot, store: type, index: index)
        }

        @inline(__always)
        mutating func add(_ value: Double, to series: Series, at time: Int64) {
            switch series.store {
            case .counter: counters[series.index].add(value, at: time)
            case .gauge: gauges[series.index].add(value, at: time)
            case .rate: rates[series.index].add(value)
            case .trend: trends[series.index].add(value)
            }
        }

        /// The sink of `registration` as the open interval holds it.
        func sink(_ registration: Registration) -> MetricSink {
            switch registration.type {
            case .counter: .counter(counters[registration.index])
            case .gauge: .gauge(gauges[registration.index])
            case .rate: .rate(rates[registration.index])
            case .trend: .trend(trends[registration.index])
            }
        }

        /// Empties the sink of `registration`.
        mutating func reset(_ registration: Registration) {
            switch registration.type {
            case .counter: counters[registration.index] = CounterSink()
            case .gauge: gauges[registration.index] = GaugeSink()
            case .rate: rates[registration.index] = RateSink()
            case .trend: trends[registration.index] = TrendSink(kind: registration.kind)
            }
        }

        /// The open interval as an aggregate (series with samples only); `reset` empties it.
        mutating func current(until end: Int64, reset: Bool) -> IntervalAggregate {
            var series: [SeriesKey: MetricSink] = [:]
            for registration in registrations {
                let sink = sink(registration)
                guard !sink.isEmpty else { continue }
                if reset { self.reset(registration) }
                series[registration.key] = sink
            }
            return IntervalAggregate(start: intervalStart, end: Swift.max(end, intervalStart), series: series)
        }

        func sample(_ value: Double, of series: Series) -> MetricSample {
            let registration = registrations[series.slot]
            return MetricSample(value, registration.key, type: registration.type, kind: registration.kind)
        }
    }

    /// - Parameter output: receives every sample as well (`--out json=FILE`).
    public init(clock: RunClock, output: (any SampleOutput)? = nil) {
        self.clock = clock
        self.output = output
        self.hasOutput = output != nil
        self.state = Mutex(State())
    }

    /// The handle for recording into `key`; nil when `key` already holds a different type (the
    /// plan's validation prevents it), whose samples are then dropped.
    public func series(_ key: SeriesKey, type: MetricType, kind: ValueKind = .default) -> Series? {
        state.withLock { $0.series(key, type: type, kind: kind) }
    }

    /// Records one sample. A sample whose type clashes with an existing series of the same
    /// name is dropped (the plan's validation prevents it).
    public func record(_ value: Double, _ key: SeriesKey, type: MetricType, kind: ValueKind = .default) {
        let now = clock.now()
        state.withLock { state in
            if let series = state.series(key, type: type, kind: kind) { state.add(value, to: series, at: now) }
        }
        if hasOutput { output?.write([MetricSample(value, key, type: type, kind: kind)], at: now) }
    }

    /// Records several samples under one lock.
    public func record(_ samples: [MetricSample]) {
        let now = clock.now()
        state.withLock { state in
            for sample in samples {
                if let series = state.series(sample.key, type: sample.type, kind: sample.kind) {
                    state.add(sample.value, to: series, at: now)
                }
            }
        }
        if hasOutput { output?.write(samples, at: now) }
    }

    /// Records one sample of a registered series.
    public func record(_ series: Series, _ value: Double) {
        let now = clock.now()
        state.withLock { $0.add(value, to: series, at: now) }
        if hasOutput { writeOutput(CollectionOfOne((series, value)), at: now) }
    }

    /// Records samples of registered series under one lock (a request's timings), taken at
    /// `time` on the run clock (default: now).
    public func record(_ samples: [(series: Series, value: Double)], at time: Int64? = nil) {
        let now = time ?? clock.now()
        state.withLock { state in
            for sample in samples { state.add(sample.value, to: sample.series, at: now) }
        }
        if hasOutput { writeOutput(samples, at: now) }
    }

    /// Hands samples of registered series to the `--out` output (off the hot path: only
    /// when an output is set).
    private func writeOutput(_ samples: some Collection<(series: Series, value: Double)>, at now: Int64) {
        guard let output else { return }
        let written = state.withLock { state in samples.map { state.sample($0.value, of: $0.series) } }
        output.write(written, at: now)
    }

    /// Ends the current interval: returns it and folds it into the running total.
    public func drainInterval() -> IntervalAggregate {
        let now = clock.now()
        return state.withLock { state in
            let finished = state.current(until: now, reset: true)
            state.intervalStart = finished.end
            try? state.total.merge(finished)
            return finished
        }
    }

    /// Everything recorded so far (the running total plus the open interval).
    public func snapshot() -> IntervalAggregate {
        state.withLock { state in
            var all = state.total
            try? all.merge(state.current(until: state.intervalStart, reset: false))
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

    public init(_ value: Double, _ key: SeriesKey, type: MetricType, kind: ValueKind = .default) {
        self.value = value
        self.key = key
        self.type = type
        self.kind = kind
    }
}
