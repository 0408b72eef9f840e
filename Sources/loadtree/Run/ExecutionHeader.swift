import LoadTreeCore

/// What a run will do, printed before it starts by `loadtree run` (one machine's segment) and
/// by `loadtree root` (the whole tree): the reference's execution header, one line per
/// scenario, and the warning when TLS certificates go unchecked.
enum ExecutionHeader {
    /// The header's lines, indented, with a blank line after each block.
    static func lines(_ schedule: TestSchedule, plan: Plan) -> [String] {
        var lines = schedule.header.map { "  " + $0 } + [""]
        if plan.tls.insecureSkipVerify {
            lines += ["  ⚠ \(TLSSettings.insecureWarning): any certificate is accepted", ""]
        }
        return lines
    }
}
