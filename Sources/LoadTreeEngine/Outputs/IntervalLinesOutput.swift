import Foundation
import LoadTreeCore
import Synchronization

/// `--out json=FILE` at the root of a tree: the merged metrics of the whole tree as a time
/// series, one JSON line per series and interval
/// (`{"type":"Interval","metric":…,"data":{"time":…,"seconds":…,"tags":{…},"values":{…}}}`).
///
/// A tree's root never sees single samples (agents send aggregates up), so it writes what it
/// has: each interval's counts, rates and trend statistics, exactly as merged.
public final class IntervalLinesOutput: Sendable {
    private let handle: FileHandle
    private let last = Mutex<Int64>(0)
    private static let trendStats: [MetricAggregation] = [.avg, .min, .med, .max, .percentile(90), .percentile(95), .percentile(99)]

    /// Opens (truncates) `path`.
    public init(path: String) throws(OutputError) {
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path)
        else { throw .cannotOpen(path) }
        self.handle = handle
        last.withLock { $0 = WallClock.now() }
    }

    /// Writes one interval, stamped with the time it ends (now).
    public func write(_ interval: IntervalAggregate) {
        let now = WallClock.now()
        let previous = last.withLock { last in
            defer { last = now }
            return last
        }
        let length = Duration.nanoseconds(max(1, now - previous))
        let stamp = JSONLinesOutput.timestamp(now)
        var text = ""
        for key in interval.sortedKeys {
            guard let sink = interval.series[key] else { continue }
            let stats: [MetricAggregation] = switch sink.type {
            case .counter: [.count, .rate]
            case .gauge: [.value]
            case .rate: [.rate]
            case .trend: Self.trendStats
            }
            let values: [(String, JSONValue)] = stats.compactMap { stat in
                sink.value(of: stat, testDuration: length).map { (stat.description, JSONValue.double($0)) }
            }
            text += JSONValue.object([
                ("type", .string("Interval")), ("metric", .string(key.name.rawValue)),
                ("data", .object([
                    ("time", .string(stamp)), ("seconds", .double(Double(length.nanoseconds) / 1e9)),
                    ("tags", .object(key.tags.map { ($0.key, .string($0.value)) })),
                    ("values", .object(values)),
                ])),
            ]).serialized() + "\n"
        }
        try? handle.write(contentsOf: Data(text.utf8))
    }

    public func close() {
        try? handle.close()
    }
}
