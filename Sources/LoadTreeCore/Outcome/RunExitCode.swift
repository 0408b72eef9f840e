/// Process exit codes, the same numbers as the reference tool's so that CI pipelines and
/// operators that already react to them keep working.
public enum RunExitCode: Int32, Sendable, CaseIterable {
    /// The test ran and every threshold passed.
    case success = 0
    /// At least one threshold failed, including a run stopped by `abortOnFail`.
    case thresholdsFailed = 99
    /// `setup` did not finish within its timeout.
    case setupTimeout = 100
    /// `teardown` did not finish within its timeout.
    case teardownTimeout = 101
    /// Some other timeout ended the run.
    case genericTimeout = 102
    /// An operator stopped the run (`loadtree abort`).
    case stoppedByOperator = 103
    /// The plan, a threshold, a segment or an option is invalid.
    case invalidConfig = 104
    /// The run was interrupted by a signal (Ctrl-C, SIGTERM).
    case externalAbort = 105
    /// `setup` or `teardown` failed (the reference's script exception).
    case setupFailed = 107
    /// Anything else that went wrong.
    case genericError = 255
}
