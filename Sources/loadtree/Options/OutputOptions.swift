import ArgumentParser
import Foundation
import LoadTreeCore

/// The output options of a run, the same for `loadtree run` and (later) the root of a tree.
struct OutputOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Write the end-of-test summary as JSON (the reference's shape, plus each trend's HDR histogram).", valueName: "file"))
    var summaryExport: String?

    @Option(name: .customLong("out"), help: ArgumentHelp("Also write every sample: json=FILE (JSON lines).", valueName: "json=file"))
    var out: [String] = []

    @Option(help: ArgumentHelp("Trend statistics in the summary, e.g. avg,med,p(99),p(99.9),max,count.", valueName: "stats"))
    var summaryTrendStats: String?

    @Option(help: ArgumentHelp("Show every duration of the summary in this unit: s, ms or us.", valueName: "unit"))
    var summaryTimeUnit: String?

    @Option(help: ArgumentHelp(
        "How much the end-of-test summary shows: compact (the whole test), full (also every group and scenario) or disabled.",
        valueName: "mode"))
    var summaryMode: String?

    @Flag(help: "Do not print the end-of-test summary (as --summary-mode disabled).")
    var noSummary = false

    @Flag(help: "No progress display.")
    var quiet = false

    func summaryOptions() throws(ExitCode) -> SummaryOptions {
        var options = SummaryOptions()
        if let summaryTrendStats {
            do { options.trendStats = try SummaryOptions.parseTrendStats(summaryTrendStats) } catch {
                throw fail("error: invalid --summary-trend-stats \"\(summaryTrendStats)\": \(error)")
            }
        }
        if let summaryTimeUnit {
            guard let unit = ValueFormat.TimeUnit(rawValue: summaryTimeUnit) else {
                throw fail("error: invalid --summary-time-unit \"\(summaryTimeUnit)\"; use s, ms or us")
            }
            options.timeUnit = unit
        }
        if let summaryMode {
            guard let mode = SummaryOptions.Mode(rawValue: summaryMode) else {
                let known = SummaryOptions.Mode.allCases.map(\.rawValue).joined(separator: ", ")
                let hint = summaryMode == "legacy" ? " (the reference's pre-1.0 layout is not offered)" : ""
                throw fail("error: invalid --summary-mode \"\(summaryMode)\"\(hint); use \(known)")
            }
            options.mode = mode
        }
        if noSummary { options.mode = .disabled }
        return options
    }

    /// The file of `--out json=FILE`, if given.
    func jsonOutputPath() throws(ExitCode) -> String? {
        var path: String?
        for value in out {
            guard value.hasPrefix("json="), value.count > 5 else {
                throw fail("error: unsupported --out \"\(value)\"; use json=FILE")
            }
            path = String(value.dropFirst(5))
        }
        return path
    }

    /// The end of a run for the user: its errors, why it stopped, the summary and its export.
    /// Returns the exit code (a failed export turns success into an error).
    func finish(summary: SummaryReport, errors: [String], abortReason: String?, code: RunExitCode) -> RunExitCode {
        for error in errors { printError("error: \(error)") }
        if let abortReason { printError("run stopped: \(abortReason)") }
        if summary.options.mode != .disabled { print(summary.text) }
        if let path = summaryExport {
            do {
                try (summary.export.serialized(pretty: true) + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            } catch {
                printError("error: cannot write the summary export \"\(path)\": \(error.localizedDescription)")
                return .genericError
            }
        }
        return code
    }
}
