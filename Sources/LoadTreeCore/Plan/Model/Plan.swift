/// A validated test plan: everything a run needs to know, with defaults filled in.
///
/// A `Plan` only exists once every part of the file has been checked (see ``PlanLoader``), so
/// the schedule, engine and outputs can rely on it without re-validating: flow names resolve,
/// thresholds match their metrics' types, durations are durations.
public struct Plan: Sendable, Equatable {
    /// The scenarios in file order (the order the reference prints and schedules them).
    public var scenarios: [Scenario]
    /// Thresholds per metric selector, in file order.
    public var thresholds: [MetricThresholds]
    /// Tags added to every sample of the run.
    public var tags: [String: String]
    /// Custom metrics the flows may emit, in file order.
    public var metrics: [CustomMetric]
    /// Plain variables visible to flows as `${name}`.
    public var vars: [String: String]
    /// Named data files whose rows flows read as `${data.NAME.COLUMN}`.
    public var data: [DataSource]
    /// The flows scenarios run, in file order.
    public var flows: [Flow]
    /// Steps run once before the scenarios start; their captures are `${setup.NAME}`.
    public var setup: [FlowStep]
    /// Steps run once after the scenarios end, even after a failure.
    public var teardown: [FlowStep]
    /// `executionSegment`, kept as written; validated by the segment parser.
    public var executionSegment: String?
    /// `executionSegmentSequence`, kept as written; validated by the segment parser.
    public var executionSegmentSequence: String?
    /// How `https://` targets are verified (`tls:`).
    public var tls: TLSSettings

    public init(
        scenarios: [Scenario], thresholds: [MetricThresholds] = [], tags: [String: String] = [:],
        metrics: [CustomMetric] = [], vars: [String: String] = [:], data: [DataSource] = [],
        flows: [Flow] = [], setup: [FlowStep] = [], teardown: [FlowStep] = [],
        executionSegment: String? = nil, executionSegmentSequence: String? = nil, tls: TLSSettings = TLSSettings()
    ) {
        self.scenarios = scenarios
        self.thresholds = thresholds
        self.tags = tags
        self.metrics = metrics
        self.vars = vars
        self.data = data
        self.flows = flows
        self.setup = setup
        self.teardown = teardown
        self.executionSegment = executionSegment
        self.executionSegmentSequence = executionSegmentSequence
        self.tls = tls
    }

    /// The flow with this name, if the plan defines it.
    public func flow(named name: String) -> Flow? { flows.first { $0.name == name } }

    /// The type and kind of a metric name: a built-in one or one the plan declares.
    public func metricDefinition(named name: String) -> (type: MetricType, kind: ValueKind)? {
        if let builtin = BuiltinMetric.named(name) { return (builtin.type, builtin.kind) }
        if let custom = metrics.first(where: { $0.name == name }) { return (custom.type, custom.kind) }
        return nil
    }
}
