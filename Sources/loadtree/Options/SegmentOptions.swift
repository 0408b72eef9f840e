import ArgumentParser
import LoadTreeCore

/// `--segment` and `--sequence`: which share of the test this invocation looks at.
struct SegmentOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The execution segment to compute, e.g. 0:1/3, 1/3:2/3, 25%, 0.5:1 (default: the whole test).",
            valueName: "segment"))
    var segment: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The execution segment sequence the segment belongs to, e.g. 0,1/3,2/3,1. Without it, a lone segment is filled with 0:from and to:1.",
            valueName: "points"))
    var sequence: String?

    /// The parsed segment, or `nil` when none was given.
    func parsedSegment() throws(ExitCode) -> ExecutionSegment? {
        guard let segment else { return nil }
        do { return try ExecutionSegment(parsing: segment) } catch {
            throw fail("error: invalid --segment \"\(segment)\": \(error)")
        }
    }

    /// The parsed sequence, or `nil` when none was given.
    func parsedSequence() throws(ExitCode) -> ExecutionSegmentSequence? {
        guard let sequence else { return nil }
        do { return try ExecutionSegmentSequence(parsing: sequence) } catch {
            throw fail("error: invalid --sequence \"\(sequence)\": \(error)")
        }
    }

    /// The tuple for a plan: `--segment` and `--sequence` override the plan's own
    /// `executionSegment` and `executionSegmentSequence`.
    func tuple(for plan: Plan, defaultingToFirstOfSequence: Bool = false) throws(ExitCode) -> ExecutionTuple {
        var options = self
        options.segment = segment ?? plan.executionSegment
        options.sequence = sequence ?? plan.executionSegmentSequence
        return try options.tuple(defaultingToFirstOfSequence: defaultingToFirstOfSequence)
    }

    /// The tuple for the given segment and sequence (the whole test when neither is given).
    /// Without `--segment`, `defaultingToFirstOfSequence` picks the sequence's first segment
    /// instead of the whole test (which is not an element of a split sequence).
    func tuple(defaultingToFirstOfSequence: Bool = false) throws(ExitCode) -> ExecutionTuple {
        let sequence = try parsedSequence()
        var segment = try parsedSegment()
        if segment == nil, defaultingToFirstOfSequence { segment = sequence?.segments.first }
        do { return try ExecutionTuple(segment: segment, sequence: sequence) } catch {
            throw fail("error: \(error)")
        }
    }
}
