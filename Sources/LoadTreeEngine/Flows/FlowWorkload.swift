import LoadTreeCore
import LoadTreeHTTP

/// The workload of a scenario: every iteration runs the scenario's flow — requests with their
/// checks and captures, sleeps and groups — over the VU's own keep-alive connections.
public struct FlowWorkload: Workload {
    /// What every VU of the scenario shares, read-only.
    public struct Context: Sendable {
        public var client: HTTPClient
        public var metrics: MetricsCollector
        public var clock: RunClock
        /// Plan `vars`, already rendered.
        public var vars: [String: String]
        public var environment: [String: String]
        /// Setup's captures, for `${setup.NAME}`.
        public var setup: [String: String]
        /// Data sources by name, with how each picks its row.
        public var data: [String: (table: DataTable, selection: DataSource.Selection)]
        /// Tags on every sample: the plan's, the scenario's and `scenario`.
        public var tags: TagSet

        public init(client: HTTPClient, metrics: MetricsCollector, clock: RunClock, vars: [String: String],
                    environment: [String: String], setup: [String: String],
                    data: [String: (table: DataTable, selection: DataSource.Selection)], tags: TagSet) {
            self.client = client
            self.metrics = metrics
            self.clock = clock
            self.vars = vars
            self.environment = environment
            self.setup = setup
            self.data = data
            self.tags = tags
        }
    }

    let flow: CompiledFlow
    let context: Context
    /// HTTP/2 connections shared by the scenario's VUs (`http: {connections: N}`), else nil.
    let pool: HTTP2ConnectionPool?

    /// A workload running `steps`; `http` holds the scenario's `http:` options (each request
    /// may override the version).
    public init(steps: [FlowStep], context: Context, http: HTTPOptions = HTTPOptions()) {
        self.flow = CompiledFlow(steps, http: http)
        self.context = context
        self.pool = http.connections.map { context.client.makeHTTP2Pool(connectionsPerHost: $0) }
    }

    /// A VU's own state: its connections, compiled regexes and cached series keys.
    public struct State {
        var session: HTTPSession
        let vu: VUIdentity
        let checks: [[CompiledCheck]]
        let captures: [[CompiledCapture]]
        var keys: [MetricsCacheKey: RequestMetrics] = [:]
        var checkSeries: [CheckCacheKey: [SeriesKey]] = [:]

        /// The `checks` series of a step's checks in a group, built once per VU.
        mutating func checkKeys(step: Int, group: String, base: TagSet) -> [SeriesKey] {
            let key = CheckCacheKey(step: step, group: group)
            if let cached = checkSeries[key] { return cached }
            let built = checks[step].compactMap { check in
                try? SeriesKey("checks", tags: base.setting("check", to: check.check.name).setting("group", to: group))
            }
            checkSeries[key] = built
            return built
        }
    }

    struct CheckCacheKey: Hashable {
        let step: Int
        let group: String
    }

    struct MetricsCacheKey: Hashable {
        let step: Int
        let status: Int
        let group: String
        let proto: String
        /// The failure's `error_code` (0 when the request got a response).
        var errorCode: Int = 0
    }

    /// Each VU runs on one of the HTTP client's event loops, where its connections live.
    public func vuExecutor() -> (any TaskExecutor)? {
        context.client.nextTaskExecutor()
    }

    public func makeState(for vu: VUIdentity) async -> State {
        let requests = flow.requests
        var checks = Array(repeating: [CompiledCheck](), count: flow.requestCount)
        var captures = Array(repeating: [CompiledCapture](), count: flow.requestCount)
        for request in requests {
            checks[request.index] = request.checks.map(CompiledCheck.init)
            captures[request.index] = request.captures.map(CompiledCapture.init)
        }
        return State(session: context.client.makeSessionOnCurrentLoop(sharing: pool), vu: vu, checks: checks, captures: captures)
    }

    public func iterate(_ state: inout State, _ iteration: IterationInfo) async throws {
        var scope = VariableScope(vars: context.vars, environment: context.environment, setup: context.setup, vu: state.vu.global)
        scope.iteration = iteration.inInstance
        for (name, source) in context.data where !source.table.rows.isEmpty {
            let count = Int64(source.table.rows.count)
            let row = switch source.selection {
            case .perIteration: iteration.inTest % count
            case .perVU: (state.vu.global - 1) % count
            }
            scope.rows[name] = source.table.rows[Int(row)]
        }
        let lateness = iteration.intendedStart.map { context.clock.now() - $0 }
        var runner = StepRunner(workload: self, lateness: lateness)
        try await runner.run(flow.steps, group: "", scope: &scope, state: &state)
    }

    /// Runs the steps once outside any scenario (setup, teardown) and returns the captures.
    public func runOnce() async throws -> [String: String] {
        var state = await makeState(for: VUIdentity(local: 0, global: 0))
        var scope = VariableScope(vars: context.vars, environment: context.environment, setup: context.setup, vu: 0)
        var runner = StepRunner(workload: self, lateness: nil)
        try await runner.run(flow.steps, group: "", scope: &scope, state: &state)
        await state.session.close()
        return scope.captures
    }
}
