import LoadTreeCore
import LoadTreeHTTP

/// Walks a flow's steps for one iteration: sends requests, records their metrics and checks,
/// keeps captures, sleeps and times groups.
struct StepRunner {
    let workload: FlowWorkload
    /// How late the iteration started against its schedule (arrival-rate executors only).
    let lateness: Int64?

    private var context: FlowWorkload.Context { workload.context }

    mutating func run(_ steps: [CompiledFlow.Step], group: String, scope: inout VariableScope, state: inout FlowWorkload.State) async throws {
        for step in steps {
            try Task.checkCancellation()
            switch step {
            case .request(let request):
                try await send(request, group: group, scope: &scope, state: &state)
            case .sleep(let minimum, let maximum):
                let span = maximum.nanoseconds - minimum.nanoseconds
                let pause = minimum.nanoseconds + (span > 0 ? Int64.random(in: 0...span) : 0)
                try await Task.sleep(for: .nanoseconds(pause))
            case .group(let name, let inner):
                let path = group + "::" + name
                let began = context.clock.now()
                try await run(inner, group: path, scope: &scope, state: &state)
                let tags = context.tags.setting("group", to: path)
                if let key = try? SeriesKey("group_duration", tags: tags) {
                    context.metrics.record(Double(context.clock.now() - began) / 1e6, key, type: .trend, kind: .time)
                }
            }
        }
    }

    private mutating func send(_ step: CompiledRequest, group: String, scope: inout VariableScope, state: inout FlowWorkload.State) async throws {
        let request: HTTPRequest
        do { request = try step.request(scope) } catch {
            throw FlowError.invalidRequest(step: step.nameTag, reason: "\(error)")
        }
        let response = await state.session.send(request)
        try Task.checkCancellation()
        // A request that got no response carries its `error_code`, as in the reference, so the
        // summary can count failures by cause (TLS verification, refused, timeout, ...).
        let errorCode = response.error?.errorCode ?? 0
        let key = FlowWorkload.MetricsCacheKey(step: step.index, status: response.status, group: group, proto: response.proto, errorCode: errorCode)
        let keys: RequestMetrics
        if let cached = state.keys[key] {
            keys = cached
        } else {
            keys = RequestMetrics(
                base: context.tags, name: step.nameTag, method: step.method, status: response.status, group: group, proto: response.proto,
                errorCode: errorCode)
            state.keys[key] = keys
        }
        var samples = keys.samples(response, lateness: lateness)
        for hop in response.redirects {
            let hopKey = FlowWorkload.MetricsCacheKey(step: step.index, status: hop.status, group: group, proto: response.proto)
            let hopKeys = state.keys[hopKey] ?? RequestMetrics(
                base: context.tags, name: step.nameTag, method: hop.method, status: hop.status, group: group, proto: response.proto)
            state.keys[hopKey] = hopKeys
            samples += hopKeys.samples(hop)
        }
        var view = ResponseView(status: response.status, headers: response.headers, body: response.body ?? [], duration: response.timings.duration)
        let checks = state.checks[step.index]
        if !checks.isEmpty {
            let checkKeys = state.checkKeys(step: step.index, group: group, base: context.tags)
            for (check, checkKey) in zip(checks, checkKeys) {
                let passed = response.error == nil && check.passes(&view)
                samples.append(MetricSample(passed ? 1 : 0, checkKey, type: .rate))
            }
        }
        context.metrics.record(samples)
        for capture in state.captures[step.index] {
            if let value = capture.value(from: &view) {
                scope.captures[capture.capture.variable] = value
            }
        }
    }
}

/// Why an iteration stopped early.
public enum FlowError: Error, Sendable, CustomStringConvertible {
    case invalidRequest(step: String, reason: String)

    public var description: String {
        switch self {
        case .invalidRequest(let step, let reason): "request \"\(step)\" could not be sent: \(reason)"
        }
    }
}
