import Foundation
import LoadTreeCore
import LoadTreeEngine

#if canImport(Glibc)
import Glibc
#endif

/// The live progress of a run on standard error: on a terminal, one bar per scenario redrawn
/// in place every 200 ms; otherwise one plain line every 5 s, fit for CI logs.
struct ProgressDisplay: Sendable {
    let run: TestRun
    let quiet: Bool

    func run() async {
        guard !quiet else { return }
        let terminal = isatty(STDERR_FILENO) == 1
        var drawn = 0
        while !Task.isCancelled {
            let snapshot = run.snapshot()
            if terminal {
                let lines = Self.bars(snapshot)
                var text = drawn > 0 ? "\u{1B}[\(drawn)A" : ""
                text += lines.map { "\u{1B}[2K" + $0 }.joined(separator: "\n") + "\n"
                printError(text, newline: false)
                drawn = lines.count
            } else if !snapshot.scenarios.isEmpty {
                printError(Self.line(snapshot))
            }
            do { try await Task.sleep(for: terminal ? .milliseconds(200) : .seconds(5)) } catch { break }
        }
        if terminal {
            printError(Self.bars(run.snapshot()).map { "\u{1B}[2K" + $0 }.joined(separator: "\n"), newline: true)
        }
    }

    static func line(_ s: RunSnapshot) -> String {
        let parts = s.scenarios.map { "\($0.name): \($0.activeVUs) VUs, \($0.completed) it." + ($0.dropped > 0 ? ", \($0.dropped) dropped" : "") }
        return "running (\(DurationText.format(.milliseconds(s.elapsed / 1_000_000)))), \(s.activeVUs) VUs: " + parts.joined(separator: "; ")
    }

    static func bars(_ s: RunSnapshot) -> [String] {
        var lines = ["running (\(DurationText.format(.milliseconds(s.elapsed / 1_000_000)))), \(s.activeVUs) active VUs" + (s.stopping.map { " — stopping: \($0)" } ?? "")]
        let width = 30
        for scenario in s.scenarios {
            let total = max(1, scenario.regularEnd - scenario.start)
            let done = min(max(0, s.elapsed - scenario.start), total)
            var fraction = Double(done) / Double(total)
            if let planned = scenario.plannedIterations, planned > 0 {
                fraction = max(fraction, Double(scenario.completed + scenario.dropped) / Double(planned))
            }
            fraction = min(1, fraction)
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "=", count: filled) + (filled < width ? ">" : "") + String(repeating: "-", count: max(0, width - filled - 1))
            let iterations = scenario.plannedIterations.map { "\(scenario.completed)/\($0)" } ?? "\(scenario.completed)"
            let elapsed = DurationText.format(.milliseconds(done / 1_000_000))
            let of = DurationText.format(.milliseconds(total / 1_000_000))
            lines.append("\(scenario.name) [\(bar)] \(scenario.activeVUs)/\(scenario.maxVUs) VUs  \(iterations) it.  \(elapsed)/\(of)"
                + (scenario.dropped > 0 ? "  \(scenario.dropped) dropped" : ""))
        }
        return lines
    }
}
