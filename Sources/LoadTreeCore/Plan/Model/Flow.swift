/// What one iteration does: a named, ordered list of steps (DESIGN.md §2).
///
/// Flows are declarative so that every node of a tree runs exactly the same thing and the plan
/// can be validated completely before any load starts.
public struct Flow: Sendable, Equatable {
    /// The name scenarios refer to (`flow: browse`).
    public var name: String
    /// The steps, run in order.
    public var steps: [FlowStep]

    public init(name: String, steps: [FlowStep]) {
        self.name = name
        self.steps = steps
    }
}

/// One step of a flow: exactly one key in the plan (`request:`, `sleep:` or `group:`).
public indirect enum FlowStep: Sendable, Equatable {
    /// Send an HTTP request, check the response, capture values from it.
    case request(RequestStep)
    /// Think time.
    case sleep(SleepStep)
    /// A named group of steps; the reference's `group()`, timed as `group_duration`.
    case group(GroupStep)
}

/// Think time: a fixed pause (`sleep: 1s`) or a uniformly random one (`sleep: 1s..3s`).
public struct SleepStep: Sendable, Equatable {
    /// The shortest pause.
    public var minimum: Duration
    /// The longest pause; equal to ``minimum`` for a fixed pause.
    public var maximum: Duration

    public init(minimum: Duration, maximum: Duration) {
        self.minimum = minimum
        self.maximum = maximum
    }

    public init(_ fixed: Duration) {
        self.init(minimum: fixed, maximum: fixed)
    }
}

/// A named sequence of steps, reported as one group in the summary.
public struct GroupStep: Sendable, Equatable {
    /// The group's name (its `group` tag).
    public var name: String
    /// The steps inside the group.
    public var steps: [FlowStep]

    public init(name: String, steps: [FlowStep]) {
        self.name = name
        self.steps = steps
    }
}
