import Foundation
import LoadTreeCore
import Synchronization

/// `--out json=FILE`: every sample as one JSON line, in the reference's shape
/// (`{"type":"Point","metric":…,"data":{"time":…,"value":…,"tags":{…}}}`), preceded once per
/// metric by a `{"type":"Metric",…}` line.
///
/// A request produces a dozen samples, so a line must cost little: everything fixed per series
/// (the metric's name, the tags) is rendered once and kept by the collector's series number,
/// the timestamp's date and time are rendered once per second, and a sample appends bytes.
/// Full blocks go to the file from a writer queue, never from the VU's event loop; at most a few
/// blocks wait there, so a disk slower than the run holds the VUs back rather than losing lines.
public final class JSONLinesOutput: SampleOutput {
    /// A series' line around its time and value.
    private struct Fragments {
        /// `{"type":"Point","metric":"NAME","data":{"time":"`
        let head: [UInt8]
        /// `,"tags":{…}}}` and the newline.
        let tail: [UInt8]
    }

    private struct State {
        var buffer: [UInt8] = []
        var declared: Set<String> = []
        /// By the collector's series number.
        var fragments: [Fragments?] = []
        /// Fragments of samples without a series number, by key.
        var unnumbered: [SeriesKey: Fragments] = [:]
        /// The second whose `YYYY-MM-DDTHH:MM:SS.` is in `secondText`.
        var second: Int64 = .min
        var secondText: [UInt8] = []
    }

    private let handle: FileHandle
    private let state = Mutex(State())
    /// Wall-clock nanoseconds since 1970 at the run clock's origin.
    private let epochOrigin: Int64
    private let writer = DispatchQueue(label: "loadtree.out.json")
    /// Blocks handed to the writer and not yet written.
    private let pending = DispatchSemaphore(value: JSONLinesOutput.maxPendingBlocks)
    private static let flushSize = 1 << 18
    private static let maxPendingBlocks = 8

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
        let epoch = epochOrigin + time
        let full: [UInt8]? = state.withLock { state in
            let second = epoch / 1_000_000_000
            if second != state.second {
                state.second = second
                state.secondText = Array(Self.secondText(second).utf8)
            }
            for sample in samples {
                let fragments = self.fragments(for: sample, in: &state)
                state.buffer += fragments.head
                state.buffer += state.secondText
                Self.appendDigits(Int((epoch % 1_000_000_000) / 1000), width: 6, to: &state.buffer)
                state.buffer += #"Z","value":"#.utf8
                state.buffer += JSONValue.double(sample.value).serialized().utf8
                state.buffer += fragments.tail
            }
            guard state.buffer.count >= Self.flushSize else { return nil }
            defer { state.buffer.removeAll(keepingCapacity: true) }
            return state.buffer
        }
        if let full { hand(full) }
    }

    /// Writes what is buffered and closes the file, once every block handed over is written.
    public func close() {
        let rest = state.withLock { state in
            defer { state.buffer = [] }
            return state.buffer
        }
        hand(rest)
        writer.sync {
            try? handle.close()
        }
    }

    /// Queues a block for the file; waits while too many are queued.
    private func hand(_ block: [UInt8]) {
        guard !block.isEmpty else { return }
        pending.wait()
        writer.async { [handle, pending] in
            try? handle.write(contentsOf: block)
            pending.signal()
        }
    }

    /// The series' fragments, rendered on its first sample; declares the metric on its first.
    private func fragments(for sample: MetricSample, in state: inout State) -> Fragments {
        if let id = sample.seriesID, id < state.fragments.count, let known = state.fragments[id] { return known }
        if sample.seriesID == nil, let known = state.unnumbered[sample.key] { return known }
        let name = sample.key.name.rawValue
        if !state.declared.contains(name) {
            state.declared.insert(name)
            state.buffer += JSONValue.object([
                ("type", .string("Metric")), ("metric", .string(name)),
                ("data", .object([("name", .string(name)), ("type", .string(sample.type.rawValue)), ("contains", .string(sample.kind.rawValue))])),
            ]).serialized().utf8
            state.buffer.append(0x0A)
        }
        let made = Fragments(
            head: Array((#"{"type":"Point","metric":"# + JSONValue.string(name).serialized() + #","data":{"time":""#).utf8),
            tail: Array((#","tags":"# + JSONValue.object(sample.key.tags.map { ($0.key, .string($0.value)) }).serialized() + "}}\n").utf8))
        if let id = sample.seriesID {
            if id >= state.fragments.count { state.fragments += Array(repeating: nil, count: id - state.fragments.count + 1) }
            state.fragments[id] = made
        } else {
            state.unnumbered[sample.key] = made
        }
        return made
    }

    /// `value` in `width` decimal digits, zero-padded (`value` must fit).
    private static func appendDigits(_ value: Int, width: Int, to buffer: inout [UInt8]) {
        let start = buffer.count
        buffer.append(contentsOf: repeatElement(0x30, count: width))
        var rest = value
        var index = start + width - 1
        while rest > 0, index >= start {
            buffer[index] = 0x30 + UInt8(rest % 10)
            rest /= 10
            index -= 1
        }
    }

    /// RFC 3339 in UTC with microseconds: `2026-11-23T14:05:45.123456Z`.
    static func timestamp(_ epochNanoseconds: Int64) -> String {
        var micros: [UInt8] = []
        appendDigits(Int((epochNanoseconds % 1_000_000_000) / 1000), width: 6, to: &micros)
        return secondText(epochNanoseconds / 1_000_000_000) + String(decoding: micros, as: UTF8.self) + "Z"
    }

    /// `YYYY-MM-DDTHH:MM:SS.` of a second since 1970, in UTC.
    private static func secondText(_ second: Int64) -> String {
        var time = time_t(second)
        var parts = tm()
        gmtime_r(&time, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.",
                      Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
                      Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
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
