/// Read access to everything recorded: one sink per metric, and per sub-metric (a metric
/// restricted to samples whose tags contain a selector's tags), merged from the series.
///
/// Thresholds and the summary read through it, so they see exactly the same numbers.
public struct MetricsView: Sendable {
    /// Every series, by metric name.
    private let byName: [String: [(tags: TagSet, sink: MetricSink)]]

    public init(_ aggregate: IntervalAggregate) {
        var byName: [String: [(tags: TagSet, sink: MetricSink)]] = [:]
        for (key, sink) in aggregate.series {
            byName[key.name.rawValue, default: []].append((key.tags, sink))
        }
        self.byName = byName
    }

    private init(byName: [String: [(tags: TagSet, sink: MetricSink)]]) {
        self.byName = byName
    }

    /// Only the series whose tags contain every one of `tags` (a group's or a scenario's part
    /// of the test).
    public func restricted(to tags: TagSet) -> MetricsView {
        var kept: [String: [(tags: TagSet, sink: MetricSink)]] = [:]
        for (name, series) in byName {
            let matching = series.filter { $0.tags.contains(tags) }
            if !matching.isEmpty { kept[name] = matching }
        }
        return MetricsView(byName: kept)
    }

    /// The names of every metric with at least one series, sorted.
    public var names: [String] { byName.keys.sorted() }

    /// The metric's samples over every series (nil when it has none).
    public func sink(_ name: String) -> MetricSink? {
        sink(name, containing: .empty)
    }

    /// The samples of series whose tags contain every one of `tags` (a sub-metric).
    public func sink(_ name: String, containing tags: TagSet) -> MetricSink? {
        var merged: MetricSink?
        for series in byName[name] ?? [] where series.tags.contains(tags) {
            if merged == nil {
                merged = series.sink
            } else {
                try? merged?.merge(series.sink, series: name)
            }
        }
        return merged
    }

    /// The distinct values of tag `key` over every series, sorted (the zones of a tree's run).
    public func tagValues(_ key: String) -> [String] {
        var values: Set<String> = []
        for series in byName.values.joined() {
            if let value = series.tags[key] { values.insert(value) }
        }
        return values.sorted()
    }

    /// Each series of a metric with its tags (for per-check and per-group figures).
    public func series(_ name: String) -> [(tags: TagSet, sink: MetricSink)] {
        byName[name] ?? []
    }
}
