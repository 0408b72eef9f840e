@testable import LoadTreeCore

/// Small builders that keep the schedule tests readable.
enum Fixture {
    static func tuple(_ segment: String?, _ sequence: String?) throws -> ExecutionTuple {
        try ExecutionTuple(
            segment: segment.map { try ExecutionSegment(parsing: $0) },
            sequence: sequence.map { try ExecutionSegmentSequence(parsing: $0) })
    }

    static func scenario(_ executor: ExecutorConfig, name: String = "s", gracefulStop: Duration = .seconds(30)) -> Scenario {
        Scenario(name: name, executor: executor, gracefulStop: gracefulStop)
    }

    static func stage(_ seconds: Int64, _ target: Int64) -> Stage {
        Stage(duration: .seconds(seconds), target: target)
    }

    static func starts(_ schedule: ExecutorSchedule) -> [IterationStart] {
        guard let starts = schedule.iterationStarts() else { return [] }
        return Array(starts)
    }

    /// Every segment of a sequence, as tuples.
    static func all(_ sequence: String) throws -> [ExecutionTuple] {
        let parsed = try ExecutionSegmentSequence(parsing: sequence)
        return try parsed.segments.map { try ExecutionTuple(segment: $0, sequence: parsed) }
    }
}
