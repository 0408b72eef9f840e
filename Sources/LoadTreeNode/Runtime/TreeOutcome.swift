import LoadTreeCore
import LoadTreeEngine

/// How the root's run ended.
public struct RootOutcome: Sendable {
    /// Nil when the test never started (the tree did not assemble).
    public let summary: SummaryReport?
    public let exitCode: RunExitCode
    public let abortReason: String?
    public let errors: [String]
    /// The agents the test was shared among, in the order of the segment sequence.
    public let agents: [TreeLeaf]
    /// When the agents started their scenarios (nil when some never did).
    public let start: StartReport?

    init(summary: SummaryReport, exitCode: RunExitCode, abortReason: String?, errors: [String], agents: [TreeLeaf], start: StartReport?) {
        self.start = start
        self.summary = summary
        self.exitCode = exitCode
        self.abortReason = abortReason
        self.errors = errors
        self.agents = agents
    }

    init(failure: String, code: RunExitCode) {
        summary = nil
        exitCode = code
        abortReason = nil
        errors = [failure]
        agents = []
        start = nil
    }
}

/// How a relay's or an agent's part ended.
public struct MemberOutcome: Sendable {
    public let exitCode: RunExitCode
    public let message: String
    /// An agent's own run (its share of the metrics, its errors).
    public let result: TestRun.Result?

    init(exitCode: RunExitCode, message: String, result: TestRun.Result? = nil) {
        self.exitCode = exitCode
        self.message = message
        self.result = result
    }
}
