/// The planned number of VUs from an instant on, relative to the scenario's start.
public struct VUStep: Sendable, Hashable {
    /// Nanoseconds since the scenario started.
    public let at: Int64
    public let vus: Int64

    public init(at: Int64, vus: Int64) {
        self.at = at
        self.vus = vus
    }
}

/// What an executor needs from an instant on: VUs it will surely use (`planned`) and VUs it
/// may start when the planned ones are busy (`unplanned`, arrival-rate executors only).
///
/// Summed over scenarios, these give the "max VUs" a node must be able to hold.
public struct ExecutionRequirement: Sendable, Hashable {
    /// Nanoseconds since the scenario (or, once merged, the test) started.
    public let at: Int64
    public let planned: Int64
    public let unplanned: Int64

    public init(at: Int64, planned: Int64, unplanned: Int64 = 0) {
        self.at = at
        self.planned = planned
        self.unplanned = unplanned
    }

    public var total: Int64 { planned + unplanned }
}

/// One iteration an arrival-rate executor starts: its global 0-based id (the same whichever
/// node runs it) and its start time in nanoseconds since the scenario started.
public struct IterationStart: Sendable, Hashable {
    public let id: Int64
    public let at: Int64

    public init(id: Int64, at: Int64) {
        self.id = id
        self.at = at
    }
}
