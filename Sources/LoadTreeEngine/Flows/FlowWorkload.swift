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

    /// What the workload is made of, behind one reference: every iteration hands the
    /// workload to its step runner, and one retain is cheaper than one per field.
    private final class Parts: Sendable {
        let flow: CompiledFlow
        let context: Context
        /// HTTP/2 connections shared by the scenario's VUs (`http: {connections: N}`), else nil.
        let pool: HTTP2ConnectionPool?

        init(flow: CompiledFlow, context: Context, pool: HTTP2ConnectionPool?) {
            self.flow = flow
            self.context = context
            self.pool = pool
        }
    }

    private let parts: Parts
    var flow: CompiledFlow { parts.flow }
    var context: Context { parts.context }
    var pool: HTTP2ConnectionPool? { parts.pool }

    /// A workload running `steps`; `http` holds the scenario's `http:` options (each request
    /// may override the version).
    public init(steps: [FlowStep], context: Context, http: HTTPOptions = HTTPOptions()) {
        // Plan vars (unless a step captures over them), the environment and setup data are
        // fixed for the run: requests that use only those are built once.
        let captured = CompiledFlow.capturedNames(steps)
        let flow = CompiledFlow(steps, http: http) { reference in
            switch reference {
            case .variable(let name): captured.contains(name) ? nil : context.vars[name]
            case .env(let name): context.environment[name]
            case .setup(let name): context.setup[name]
            case .data, .vu, .iteration: nil
            }
        }
        let pool = http.connections.map { context.client.makeHTTP2Pool(connectionsPerHost: $0) }
        self.parts = Parts(flow: flow, context: context, pool: pool)
    }

    /// A VU's own state: its connections, compiled regexes and cached series handles.
    public struct State {
        var session: HTTPSession
        let vu: VUIdentity
        /// Where this VU's samples go: the collector's shard of the thread the VU runs on.
        let recorder: MetricsCollector.Recorder
        let checks: [[CompiledCheck]]
        let captures: [[CompiledCapture]]
        /// Every step's series by (status, group, method, protocol); `recent` holds each
        /// step's last one, which a load test hits nearly every time, without hashing.
        var keys: [MetricsCacheKey: RequestMetrics] = [:]
        var recent: [(key: MetricsCacheKey, metrics: RequestMetrics)?]
        var checkHandles: [CheckCacheKey: [MetricsCollector.Series?]] = [:]
        var groupSeries: [String: MetricsCollector.Series?] = [:]
        /// The samples of the request being recorded, kept to reuse its storage.
        var samples: [(series: MetricsCollector.Series, value: Double)] = []

        init(session: HTTPSession, vu: VUIdentity, recorder: MetricsCollector.Recorder, checks: [[CompiledCheck]],
             captures: [[CompiledCapture]]) {
            self.session = session
            self.vu = vu
            self.recorder = recorder
            self.checks = checks
            self.captures = captures
            self.recent = Array(repeating: nil, count: checks.count)
            self.samples.reserveCapacity(16)
        }

        /// The series of a request step's response, registered once per VU.
        mutating func requestMetrics(
            step: CompiledRequest, status: Int, method: String, group: String, proto: String, errorCode: Int = 0,
            base: TagSet, metrics: MetricsCollector
        ) -> RequestMetrics {
            let key = MetricsCacheKey(step: step.index, status: status, method: method, group: group, proto: proto, errorCode: errorCode)
            if let hit = recent[step.index], hit.key == key { return hit.metrics }
            let found = keys[key] ?? RequestMetrics(
                base: base, name: step.nameTag, method: method, status: status, group: group, proto: proto, errorCode: errorCode,
                metrics: metrics)
            keys[key] = found
            recent[step.index] = (key, found)
            return found
        }

        /// The `group_duration` series of group `path`, registered once per VU.
        mutating func groupDuration(_ path: String, base: TagSet, metrics: MetricsCollector) -> MetricsCollector.Series? {
            if let cached = groupSeries[path] { return cached }
            let series = (try? SeriesKey("group_duration", tags: base.setting("group", to: path)))
                .flatMap { metrics.series($0, type: .trend, kind: .time) }
            groupSeries[path] = series
            return series
        }

        /// The `checks` series of a step's checks in a group, registered once per VU.
        mutating func checkSeries(step: Int, group: String, base: TagSet, metrics: MetricsCollector) -> [MetricsCollector.Series?] {
            let key = CheckCacheKey(step: step, group: group)
            if let cached = checkHandles[key] { return cached }
            let built = checks[step].map { check -> MetricsCollector.Series? in
                guard let key = try? SeriesKey("checks", tags: base.setting("check", to: check.check.name).setting("group", to: group))
                else { return nil }
                return metrics.series(key, type: .rate)
            }
            checkHandles[key] = built
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
        let method: String
        let group: String
        let proto: String
        /// The `error_code` tag: the failure's code, or 1000 + status for a 4xx / 5xx (0 otherwise).
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
        return State(session: context.client.makeSessionOnCurrentLoop(sharing: pool), vu: vu, recorder: context.metrics.recorder(),
                     checks: checks, captures: captures)
    }

    /// One cancellation handler for the VU's life: cancelling closes its connections, which
    /// fails an in-flight request at once.
    public func live<R>(_ state: inout State, _ body: (inout State) async -> R) async -> R {
        let canceller = state.session.shareCancellation()
        defer { state.session.endSharedCancellation() }
        return await withTaskCancellationHandler {
            await body(&state)
        } onCancel: {
            canceller.cancel()
        }
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
