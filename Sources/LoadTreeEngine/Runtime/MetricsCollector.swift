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
    /// A registered series: its slot in the collector. Only valid with the collector that made it.
    public struct Series: Sendable, Hashable {
        fileprivate let slot: Int
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

        /// Whether a sample of `type` and `kind` belongs here (same type; a trend's same unit).
        func accepts(type: MetricType, kind: ValueKind) -> Bool {
            type == self.type && (type != .trend || TrendHistogram.Unit(kind: kind) == TrendHistogram.Unit(kind: self.kind))
        }
    }

    private struct State: ~Copyable {
        var slots: [SeriesKey: Int] = [:]
        var registrations: [Registration] = []
        /// The open interval's sink per slot; nil until the slot's first sample of the interval.
        var sinks: [MetricSink?] = []
        var intervalStart: Int64 = 0
        var total = IntervalAggregate(start: 0)

        /// The slot of `key`, registering it; nil when `key` already holds another type (or a
        /// trend of another unit).
        mutating func slot(_ key: SeriesKey, type: MetricType, kind: ValueKind) -> Int? {
            if let slot = slots[key] {
                return registrations[slot].accepts(type: type, kind: kind) ? slot : nil
            }
            let slot = registrations.count
            registrations.append(Registration(key: key, type: type, kind: kind))
            sinks.append(nil)
            slots[key] = slot
            return slot
        }

        @inline(__always)
        mutating func add(_ value: Double, slot: Int, at time: Int64) {
            if sinks[slot] == nil { sinks[slot] = MetricSink(type: registrations[slot].type, kind: registrations[slot].kind) }
            sinks[slot]?.add(value: value, at: time)
        }

        /// The open interval as an aggregate; `reset` empties it.
        mutating func current(until end: Int64, reset: Bool) -> IntervalAggregate {
            var series: [SeriesKey: MetricSink] = [:]
            for slot in sinks.indices {
                guard let sink = sinks[slot] else { continue }
                if reset { sinks[slot] = nil }
                series[registrations[slot].key] = sink
            }
            return IntervalAggregate(start: intervalStart, end: Swift.max(end, intervalStart), series: series)
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
        state.withLock { $0.slot(key, type: type, kind: kind) }.map(Series.init(slot:))
    }

    /// Records one sample. A sample whose type clashes with an existing series of the same
    /// name is dropped (the plan's validation prevents it).
    public func record(_ value: Double, _ key: SeriesKey, type: MetricType, kind: ValueKind = .default) {
        let now = clock.now()
        state.withLock { state in
            if let slot = state.slot(key, type: type, kind: kind) { state.add(value, slot: slot, at: now) }
        }
        output?.write([MetricSample(value, key, type: type, kind: kind)], at: now)
    }

    /// Records several samples under one lock.
    public func record(_ samples: [MetricSample]) {
        let now = clock.now()
        state.withLock { state in
            for sample in samples {
                if let slot = state.slot(sample.key, type: sample.type, kind: sample.kind) {
                    state.add(sample.value, slot: slot, at: now)
                }
            }
        }
        output?.write(samples, at: now)
    }

    /// Records samples of registered series under one lock (a request's timings).
    public func record(_ samples: [(series: Series, value: Double)]) {
        let now = clock.now()
        let written: [MetricSample]? = state.withLock { state in
            for sample in samples { state.add(sample.value, slot: sample.series.slot, at: now) }
            guard hasOutput else { return nil }
            return samples.map { sample in
                let registration = state.registrations[sample.series.slot]
                return MetricSample(sample.value, registration.key, type: registration.type, kind: registration.kind)
            }
        }
        if let written, let output { output.write(written, at: now) }
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
