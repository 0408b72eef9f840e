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
        let header = ["", "     plan: \(planName)", "  segment: \(configuration.tuple.segment) of \(configuration.tuple.sequence)", ""]
            + ExecutionHeader.lines(run.schedule, plan: configuration.plan)
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

        return outputs.finish(summary: result.summary, errors: result.errors, abortReason: result.abortReason, code: result.exitCode)
    }
}
