/// The shape of a scenario's load, one case per executor of the reference tool.
///
/// Each case holds exactly the fields that executor accepts, with the reference's defaults
/// already applied by the plan parser, so that schedules never have to guess.
public enum ExecutorConfig: Sendable, Equatable {
    case sharedIterations(SharedIterations)
    case perVUIterations(PerVUIterations)
    case constantVUs(ConstantVUs)
    case rampingVUs(RampingVUs)
    case constantArrivalRate(ConstantArrivalRate)
    case rampingArrivalRate(RampingArrivalRate)

    /// The executor's name as written in a plan (`executor: ramping-vus`).
    public var kind: ExecutorKind {
        switch self {
        case .sharedIterations: .sharedIterations
        case .perVUIterations: .perVUIterations
        case .constantVUs: .constantVUs
        case .rampingVUs: .rampingVUs
        case .constantArrivalRate: .constantArrivalRate
        case .rampingArrivalRate: .rampingArrivalRate
        }
    }
}

/// Executor names exactly as the reference tool spells them.
public enum ExecutorKind: String, Sendable, CaseIterable, Equatable {
    case sharedIterations = "shared-iterations"
    case perVUIterations = "per-vu-iterations"
    case constantVUs = "constant-vus"
    case rampingVUs = "ramping-vus"
    case constantArrivalRate = "constant-arrival-rate"
    case rampingArrivalRate = "ramping-arrival-rate"
}

/// A fixed number of iterations shared by a pool of VUs; fast VUs take more of them.
public struct SharedIterations: Sendable, Equatable {
    public var vus: Int64
    public var iterations: Int64
    public var maxDuration: Duration

    public init(vus: Int64 = 1, iterations: Int64 = 1, maxDuration: Duration = .seconds(600)) {
        self.vus = vus
        self.iterations = iterations
        self.maxDuration = maxDuration
    }
}

/// Each VU runs exactly `iterations` iterations.
public struct PerVUIterations: Sendable, Equatable {
    public var vus: Int64
    public var iterations: Int64
    public var maxDuration: Duration

    public init(vus: Int64 = 1, iterations: Int64 = 1, maxDuration: Duration = .seconds(600)) {
        self.vus = vus
        self.iterations = iterations
        self.maxDuration = maxDuration
    }
}

/// A fixed number of VUs loop over the flow for a fixed duration.
public struct ConstantVUs: Sendable, Equatable {
    public var vus: Int64
    public var duration: Duration

    public init(vus: Int64 = 1, duration: Duration) {
        self.vus = vus
        self.duration = duration
    }
}

/// One stage of a ramping executor: move from the previous value to `target` over `duration`.
///
/// `target` is a VU count for `ramping-vus` and an iteration rate (per `timeUnit`) for
/// `ramping-arrival-rate`.
public struct Stage: Sendable, Equatable {
    public var duration: Duration
    public var target: Int64
    /// How the value moves from the previous stage's target to this one's.
    public var progression: StageProgression

    public init(duration: Duration, target: Int64, progression: StageProgression = .linear) {
        self.duration = duration
        self.target = target
        self.progression = progression
    }
}

/// The number of looping VUs follows the stages.
public struct RampingVUs: Sendable, Equatable {
    public var startVUs: Int64
    public var stages: [Stage]
    public var gracefulRampDown: Duration

    public init(startVUs: Int64 = 1, stages: [Stage], gracefulRampDown: Duration = .seconds(30)) {
        self.startVUs = startVUs
        self.stages = stages
        self.gracefulRampDown = gracefulRampDown
    }
}

/// Iterations start at a fixed rate (`rate` per `timeUnit`), whatever the target's latency.
public struct ConstantArrivalRate: Sendable, Equatable {
    public var rate: Int64
    public var timeUnit: Duration
    public var duration: Duration
    public var preAllocatedVUs: Int64
    public var maxVUs: Int64

    /// `maxVUs` defaults to `preAllocatedVUs`, as in the reference tool.
    public init(rate: Int64, timeUnit: Duration = .seconds(1), duration: Duration, preAllocatedVUs: Int64, maxVUs: Int64? = nil) {
        self.rate = rate
        self.timeUnit = timeUnit
        self.duration = duration
        self.preAllocatedVUs = preAllocatedVUs
        self.maxVUs = maxVUs ?? preAllocatedVUs
    }
}

/// The iteration start rate follows the stages.
public struct RampingArrivalRate: Sendable, Equatable {
    public var startRate: Int64
    public var timeUnit: Duration
    public var stages: [Stage]
    public var preAllocatedVUs: Int64
    public var maxVUs: Int64

    /// `maxVUs` defaults to `preAllocatedVUs`, as in the reference tool.
    public init(startRate: Int64 = 0, timeUnit: Duration = .seconds(1), stages: [Stage], preAllocatedVUs: Int64, maxVUs: Int64? = nil) {
        self.startRate = startRate
        self.timeUnit = timeUnit
        self.stages = stages
        self.preAllocatedVUs = preAllocatedVUs
        self.maxVUs = maxVUs ?? preAllocatedVUs
    }
}

extension ExecutorKind {
    /// Whether iterations start on a clock (`constant-arrival-rate`, `ramping-arrival-rate`)
    /// rather than whenever a looping VU is free.
    public var isArrivalRate: Bool { self == .constantArrivalRate || self == .rampingArrivalRate }
}
