import ArgumentParser
import Foundation
import LoadTreeCore
import LoadTreeEngine

#if canImport(Glibc)
import Glibc
#endif

/// Drives one ``TestRun`` for the command line: header, progress, signals, summary, exports.
struct LocalRunner {
    let configuration: TestRun.Configuration
    let outputs: OutputOptions
    let planName: String

    func run() async throws(ExitCode) -> RunExitCode {
        let clock = RunClock()
        var jsonOutput: JSONLinesOutput?
        if let path = try outputs.jsonOutputPath() {
            do { jsonOutput = try JSONLinesOutput(path: path, clock: clock) } catch {
                throw fail("error: \(error)")
            }
        }
        let run = TestRun(configuration, clock: clock, output: jsonOutput)
        var header = ["", "     plan: \(planName)", "  segment: \(configuration.tuple.segment) of \(configuration.tuple.sequence)", ""]
            + run.schedule.header.map { "  " + $0 } + [""]
        if configuration.plan.tls.insecureSkipVerify {
            header += ["  ⚠ \(TLSSettings.insecureWarning): any certificate is accepted", ""]
        }
        printError(header.joined(separator: "\n"))

        // The first SIGINT or SIGTERM stops the run gracefully; a second one exits at once (105).
        let signals = SignalWatcher { count in
            if count == 1 {
                printError("\nstopping: waiting for running iterations, teardown and the summary (Ctrl-C again to exit now)")
                run.interrupt()
            } else {
                exit(RunExitCode.externalAbort.rawValue)
            }
        }
        let display = ProgressDisplay(run: run, quiet: outputs.quiet)
        let displayTask = Task { await display.run() }
        let result = await run.run()
        displayTask.cancel()
        await displayTask.value
        signals.cancel()
        jsonOutput?.close()

        for error in result.errors { printError("error: \(error)") }
        if let reason = result.abortReason { printError("run stopped: \(reason)") }
        if !outputs.noSummary { print(result.summary.text) }
        if let path = outputs.summaryExport {
            do {
                try (result.summary.export.serialized(pretty: true) + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            } catch {
                printError("error: cannot write the summary export \"\(path)\": \(error.localizedDescription)")
                return .genericError
            }
        }
        return result.exitCode
    }
}
