import LoadTreeCore
import Synchronization

/// Where every sample of a node goes: one interval aggregate, drained once per interval by
/// whoever reports upward (the summary locally, the upstream link in a tree).
///
/// A `Mutex` rather than an actor: recording is a few nanoseconds of work done hundreds of
/// thousands of times a second from many VUs, and must not suspend.
public final class MetricsCollector: Sendable {
    private let state: Mutex<State>
    private let clock: RunClock
    private let output: (any SampleOutput)?

    private struct State: ~Copyable {
        var current: IntervalAggregate
        var total: IntervalAggregate
    }

    /// - Parameter output: receives every sample as well (`--out json=FILE`).
    public init(clock: RunClock, output: (any SampleOutput)? = nil) {
        self.clock = clock
        self.output = output
        self.state = Mutex(State(current: IntervalAggregate(start: 0), total: IntervalAggregate(start: 0)))
    }

    /// Records one sample. A sample whose type clashes with an existing series of the same
    /// name is dropped (the plan's validation prevents it).
    public func record(_ value: Double, _ key: SeriesKey, type: MetricType, kind: ValueKind = .default) {
        let now = clock.now()
        state.withLock { state in
            try? state.current.add(value, to: key, type: type, kind: kind, at: now)
        }
        output?.write([MetricSample(value, key, type: type, kind: kind)], at: now)
    }

    /// Records several samples under one lock (a request's timings).
    public func record(_ samples: [MetricSample]) {
        let now = clock.now()
        state.withLock { state in
            for sample in samples {
                try? state.current.add(sample.value, to: sample.key, type: sample.type, kind: sample.kind, at: now)
            }
        }
        output?.write(samples, at: now)
    }

    /// Ends the current interval: returns it and folds it into the running total.
    public func drainInterval() -> IntervalAggregate {
        let now = clock.now()
        return state.withLock { state in
            let finished = state.current.drain(at: now)
            try? state.total.merge(finished)
            return finished
        }
    }

    /// Everything recorded so far (the running total plus the open interval).
    public func snapshot() -> IntervalAggregate {
        state.withLock { state in
            var all = state.total
            try? all.merge(state.current)
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
