import Foundation
import LoadTreeCore
import LoadTreeNode

#if canImport(Glibc)
import Glibc
#endif

/// The root's live view of the whole tree on standard error: elapsed time, merged iterations
/// and requests, and requests per zone. Redrawn in place on a terminal every second; one plain
/// line every 5 s otherwise (CI logs).
struct TreeProgress: Sendable {
    let tree: TreeRun
    let quiet: Bool

    func run() async {
        guard !quiet else { return }
        let terminal = isatty(STDERR_FILENO) == 1
        var drawn = false
        while !Task.isCancelled {
            let live = await tree.live()
            if let totals = live.totals, live.phase != .waitingForNodes {
                let line = Self.line(phase: live.phase, elapsed: live.elapsed, view: MetricsView(totals))
                if terminal {
                    printError((drawn ? "\u{1B}[1A\u{1B}[2K" : "") + line)
                    drawn = true
                } else {
                    printError(line)
                }
            }
            do { try await Task.sleep(for: terminal ? .seconds(1) : .seconds(5)) } catch { break }
        }
    }

    static func line(phase: RunPhase, elapsed: Duration, view: MetricsView) -> String {
        func count(_ sink: MetricSink?) -> Int { Int(sink?.value(of: .count, testDuration: .seconds(1)) ?? 0) }
        var zones: [String: Int] = [:]
        for (tags, sink) in view.series("http_reqs") {
            if let zone = tags["zone"] { zones[zone, default: 0] += count(sink) }
        }
        let perZone = zones.keys.sorted().map { "\($0) \(zones[$0] ?? 0)" }.joined(separator: ", ")
        return "\(phase) (\(DurationText.format(.milliseconds(elapsed.nanoseconds / 1_000_000)))): "
            + "\(count(view.sink("iterations"))) iterations, \(count(view.sink("http_reqs"))) requests"
            + (perZone.isEmpty ? "" : " — \(perZone)")
    }
}
