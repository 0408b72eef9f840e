/// One named workload of a plan: which executor drives it, when it starts, and which flow its
/// iterations run.
///
/// The executor decides *how much* load (VUs, iterations, arrival rate); the common options here
/// decide *when* and *what*. Values mirror the reference tool's scenario options so that a
/// user's existing numbers carry over unchanged.
public struct Scenario: Sendable, Equatable {
    /// The scenario's key in the plan's `scenarios` map.
    public var name: String
    /// How the scenario's load is shaped.
    public var executor: ExecutorConfig
    /// Offset from the start of the test at which this scenario begins (`startTime`).
    public var startTime: Duration
    /// How long running iterations may continue after the executor's own end (`gracefulStop`).
    public var gracefulStop: Duration
    /// The name of the flow every iteration runs (`flow`; the reference calls it `exec`).
    public var flow: String
    /// Tags added to every sample the scenario produces.
    public var tags: [String: String]
    /// Environment values visible to the scenario's flows as `${env.NAME}`.
    public var env: [String: String]
    /// `http:` options for every request of the scenario (a request may override them).
    public var http: HTTPOptions

    public init(
        name: String,
        executor: ExecutorConfig,
        startTime: Duration = .zero,
        gracefulStop: Duration = Scenario.defaultGracefulStop,
        flow: String = Scenario.defaultFlow,
        tags: [String: String] = [:],
        env: [String: String] = [:],
        http: HTTPOptions = HTTPOptions()
    ) {
        self.name = name
        self.executor = executor
        self.startTime = startTime
        self.gracefulStop = gracefulStop
        self.flow = flow
        self.tags = tags
        self.env = env
        self.http = http
    }

    /// The reference tool's default `gracefulStop`.
    public static let defaultGracefulStop: Duration = .seconds(30)
    /// The flow a scenario runs when it names none.
    public static let defaultFlow = "default"
}
