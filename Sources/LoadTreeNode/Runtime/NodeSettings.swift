import Foundation
import LoadTreeCore
import LoadTreeEngine

/// Who this process is in the tree, whatever its role.
public struct NodeSettings: Sendable {
    /// Unique in the whole tree (metrics are deduplicated and segments assigned by it).
    public var id: String
    /// The zone it says it belongs to (empty: its parent's).
    public var zone: String
    /// Its share inside the zone, relative to the other agents'.
    public var weight: UInt32
    /// Whether it runs load itself (an agent).
    public var runsLoad: Bool
    /// Event-loop threads for HTTP when it runs load.
    public var httpThreads: Int
    /// The process environment, under what the root sends.
    public var environment: [String: String]

    public init(id: String, zone: String = "", weight: UInt32 = 1, runsLoad: Bool,
                httpThreads: Int = ProcessorAffinity.usableCores,
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.id = id
        self.zone = zone
        self.weight = weight
        self.runsLoad = runsLoad
        self.httpThreads = httpThreads
        self.environment = environment
    }

    /// A default node id: the host name and the process id, unique on a fleet of hosts.
    public static func defaultID(prefix: String) -> String {
        "\(prefix)-\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)"
    }
}

/// What the root of a tree needs beyond ``NodeSettings``: the test and how to share it out.
public struct RootSettings: Sendable {
    public var plan: Plan
    /// The plan exactly as read: every agent parses the same text.
    public var planText: String
    public var planFileName: String
    /// Where the plan's data files are read from (to ship them to the agents).
    public var planDirectory: String
    public var topology: Topology
    /// The root's environment (with `--env`): `${env.NAME}` values the plan uses go to every agent.
    public var environment: [String: String]
    public var vars: [String: String]
    public var metricInterval: Duration
    /// How long to wait for the topology's agents before giving up.
    public var joinTimeout: Duration
    /// How far ahead of the start barrier's release the root names the start instant.
    public var startLead: Duration
    public var upstreamGrace: Duration
    public var thresholdsEnabled: Bool
    public var summary: SummaryOptions
    /// Receives the tree's merged metrics every interval (`--out json=FILE`).
    public var intervals: IntervalLinesOutput?

    public init(plan: Plan, planText: String, planFileName: String, planDirectory: String, topology: Topology,
                environment: [String: String] = ProcessInfo.processInfo.environment, vars: [String: String] = [:],
                metricInterval: Duration = .seconds(1), joinTimeout: Duration = .seconds(60),
                startLead: Duration = .milliseconds(500), upstreamGrace: Duration = .seconds(10),
                thresholdsEnabled: Bool = true, summary: SummaryOptions = SummaryOptions(), intervals: IntervalLinesOutput? = nil) {
        self.intervals = intervals
        self.plan = plan
        self.planText = planText
        self.planFileName = planFileName
        self.planDirectory = planDirectory
        self.topology = topology
        self.environment = environment
        self.vars = vars
        self.metricInterval = metricInterval
        self.joinTimeout = joinTimeout
        self.startLead = startLead
        self.upstreamGrace = upstreamGrace
        self.thresholdsEnabled = thresholdsEnabled
        self.summary = summary
    }
}
