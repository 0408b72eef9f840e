import Foundation
import LoadTreeCore
import Synchronization

/// `--out json=FILE`: every sample as one JSON line, in the reference's shape
/// (`{"type":"Point","metric":…,"data":{"time":…,"value":…,"tags":{…}}}`), preceded once per
/// metric by a `{"type":"Metric",…}` line.
///
/// Lines are buffered and written in blocks; `close()` flushes the rest.
public final class JSONLinesOutput: SampleOutput {
    private struct State {
        var buffer: [UInt8] = []
        var declared: Set<String> = []
        var failed = false
    }

    private let handle: FileHandle
    private let state = Mutex(State())
    /// Wall-clock nanoseconds since 1970 at the run clock's origin.
    private let epochOrigin: Int64
    private static let flushSize = 1 << 18

    /// Opens (truncates) `path`.
    public init(path: String, clock: RunClock) throws(OutputError) {
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path)
        else { throw .cannotOpen(path) }
        self.handle = handle
        let wallNow = WallClock.now()
        self.epochOrigin = wallNow - clock.now()
    }

    public func write(_ samples: [MetricSample], at time: Int64) {
        let stamp = Self.timestamp(epochOrigin + time)
        var text = ""
        let full: [UInt8]? = state.withLock { state in
            for sample in samples {
                let name = sample.key.name.rawValue
                if !state.declared.contains(name) {
                    state.declared.insert(name)
                    text += JSONValue.object([
                        ("type", .string("Metric")), ("metric", .string(name)),
                        ("data", .object([("name", .string(name)), ("type", .string(sample.type.rawValue)), ("contains", .string(sample.kind.rawValue))])),
                    ]).serialized() + "\n"
                }
                text += JSONValue.object([
                    ("type", .string("Point")), ("metric", .string(name)),
                    ("data", .object([
                        ("time", .string(stamp)), ("value", .double(sample.value)),
                        ("tags", .object(sample.key.tags.map { ($0.key, .string($0.value)) })),
                    ])),
                ]).serialized() + "\n"
            }
            state.buffer += text.utf8
            guard state.buffer.count >= Self.flushSize else { return nil }
            defer { state.buffer.removeAll(keepingCapacity: true) }
            return state.buffer
        }
        if let full { try? handle.write(contentsOf: full) }
    }

    /// Writes what is buffered and closes the file.
    public func close() {
        let rest = state.withLock { state in
            defer { state.buffer = [] }
            return state.buffer
        }
        try? handle.write(contentsOf: rest)
        try? handle.close()
    }

    /// RFC 3339 in UTC with microseconds: `2026-11-23T14:05:45.123456Z`.
    static func timestamp(_ epochNanoseconds: Int64) -> String {
        let seconds = epochNanoseconds / 1_000_000_000
        let micros = (epochNanoseconds % 1_000_000_000) / 1000
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ",
                      Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
                      Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), Int(micros))
    }
}

/// Why an output could not be used.
public enum OutputError: Error, Sendable, CustomStringConvertible {
    case cannotOpen(String)

    public var description: String {
        switch self {
        case .cannotOpen(let path): "cannot write the output file \"\(path)\""
        }
    }
}
