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
                try await EventLoopSleep.sleep(nanoseconds: pause)
            case .group(let name, let inner):
                let path = group + "::" + name
                let began = context.clock.now()
                try await run(inner, group: path, scope: &scope, state: &state)
                if let series = state.groupDuration(path, base: context.tags, metrics: context.metrics) {
                    state.recorder.record(series, Double(context.clock.now() - began) / 1e6)
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
        // Every failed request carries its `error_code`, as in the reference: the failure's code
        // when it got no response (TLS verification, refused, timeout, ...), 1000 + status for a
        // 4xx or 5xx, so the summary can count failures by cause.
        let errorCode = response.errorCode
        let keys = state.requestMetrics(step: step, status: response.status, method: step.method, group: group,
                                        proto: response.proto, errorCode: errorCode, base: context.tags, metrics: context.metrics)
        state.samples.removeAll(keepingCapacity: true)
        keys.append(response, lateness: lateness, to: &state.samples)
        for hop in response.redirects {
            let hopKeys = state.requestMetrics(step: step, status: hop.status, method: hop.method, group: group,
                                               proto: response.proto, base: context.tags, metrics: context.metrics)
            hopKeys.append(hop, to: &state.samples)
        }
        var view = ResponseView(status: response.status, headers: response.headers, body: response.body ?? [], duration: response.timings.duration)
        let checks = state.checks[step.index]
        if !checks.isEmpty {
            let checkSeries = state.checkSeries(step: step.index, group: group, base: context.tags, metrics: context.metrics)
            for (check, series) in zip(checks, checkSeries) {
                let passed = response.error == nil && check.passes(&view)
                if let series { state.samples.append((series, passed ? 1 : 0)) }
            }
        }
        state.recorder.record(state.samples)
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
