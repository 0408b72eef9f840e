import Yams

/// Scenarios and their executors, with the reference's fields, defaults and limits.
extension PlanDecoder {
    static let commonScenarioKeys = ["executor", "startTime", "gracefulStop", "flow", "tags", "env", "http"]

    static let executorKeys: [ExecutorKind: [String]] = [
        .sharedIterations: ["vus", "iterations", "maxDuration"],
        .perVUIterations: ["vus", "iterations", "maxDuration"],
        .constantVUs: ["vus", "duration"],
        .rampingVUs: ["startVUs", "stages", "gracefulRampDown"],
        .constantArrivalRate: ["rate", "timeUnit", "duration", "preAllocatedVUs", "maxVUs"],
        .rampingArrivalRate: ["startRate", "timeUnit", "stages", "preAllocatedVUs", "maxVUs"],
    ]

    /// The reference's name for the flow option, pointed at LoadTree's one name.
    static let scenarioKeyHints = ["exec": "flow"]

    /// Decodes the `scenarios` mapping; `flowNames` are the flows the plan defines.
    func scenarios(_ node: Node, mark: Mark?, flowNames: [String]) -> [Scenario] {
        guard let all = fields(node, context: "\"scenarios\"", mark: mark) else { return [] }
        if all.entries.isEmpty {
            error(node.mark, "\"scenarios\" must define at least one scenario")
        }
        return all.entries.compactMap { entry in
            _ = checkName(entry.key, at: entry.keyNode.mark, what: "scenario")
            return scenario(name: entry.key, entry.value, mark: entry.keyNode.mark, flowNames: flowNames)
        }
    }

    func scenario(name: String, _ node: Node, mark: Mark?, flowNames: [String]) -> Scenario? {
        guard let f = fields(node, context: "scenario \"\(name)\"", mark: mark) else { return nil }
        let flow = nonEmptyString(f, "flow") ?? Scenario.defaultFlow
        checkFlow(flow, of: name, at: f.value("flow")?.mark ?? mark, flowNames: flowNames)
        guard f.has("executor") else {
            checkKeys(f, allowed: Self.commonScenarioKeys + Self.executorKeys.values.flatMap { $0 }, hints: Self.scenarioKeyHints)
            require(f, "executor")
            return nil
        }
        let kinds = ExecutorKind.allCases.map { ($0.rawValue, $0) }
        guard let kind = choice(f, "executor", kinds) else { return nil }
        checkKeys(f, allowed: Self.commonScenarioKeys + (Self.executorKeys[kind] ?? []), hints: Self.scenarioKeyHints) { key in
            let owners = ExecutorKind.allCases.filter { Self.executorKeys[$0]?.contains(key) == true }
            guard !owners.isEmpty else { return nil }
            return "\"\(key)\" does not apply to executor \(kind.rawValue) in \(f.what); it is an option of "
                + owners.map(\.rawValue).joined(separator: ", ")
        }
        let executor = executorConfig(kind, f)
        let startTime = duration(f, "startTime") ?? .zero
        let gracefulStop = duration(f, "gracefulStop") ?? Scenario.defaultGracefulStop
        let tags = stringMap(f, "tags") ?? [:]
        let env = stringMap(f, "env") ?? [:]
        let http = f.value("http").flatMap {
            httpOptions($0, what: "scenario \"\(name)\"", mark: f.keyMark("http"), allowsConnections: true)
        }
        guard let executor else { return nil }
        return Scenario(
            name: name, executor: executor, startTime: startTime, gracefulStop: gracefulStop,
            flow: flow, tags: tags, env: env, http: http ?? HTTPOptions())
    }

    func executorConfig(_ kind: ExecutorKind, _ f: Fields) -> ExecutorConfig? {
        let before = errorCount
        switch kind {
        case .sharedIterations, .perVUIterations:
            let vus = int(f, "vus", atLeast: 1) ?? 1
            let iterations = int(f, "iterations", atLeast: 1) ?? 1
            let maxDuration = positiveDuration(f, "maxDuration") ?? .seconds(600)
            if kind == .sharedIterations, errorCount == before, iterations < vus {
                error(f.value("iterations")?.mark ?? f.mark,
                      "\(f.describe("iterations")) (\(iterations)) must not be less than \"vus\" (\(vus)): "
                          + "every VU needs at least one iteration")
            }
            guard errorCount == before else { return nil }
            return kind == .sharedIterations
                ? .sharedIterations(.init(vus: vus, iterations: iterations, maxDuration: maxDuration))
                : .perVUIterations(.init(vus: vus, iterations: iterations, maxDuration: maxDuration))

        case .constantVUs:
            require(f, "duration")
            let vus = int(f, "vus", atLeast: 1) ?? 1
            let duration = positiveDuration(f, "duration")
            guard errorCount == before, let duration else { return nil }
            return .constantVUs(.init(vus: vus, duration: duration))

        case .rampingVUs:
            require(f, "stages")
            let startVUs = int(f, "startVUs", atLeast: 0) ?? 1
            let stages = f.value("stages").flatMap { self.stages($0, what: f.describe("stages"), start: startVUs) }
            let gracefulRampDown = duration(f, "gracefulRampDown") ?? .seconds(30)
            if errorCount == before, let stages, startVUs == 0, stages.allSatisfy({ $0.target == 0 }) {
                error(f.keyMark("stages"), "\(f.what) never runs a VU: \"startVUs\" or a stage's \"target\" must be greater than 0")
            }
            guard errorCount == before, let stages else { return nil }
            return .rampingVUs(.init(startVUs: startVUs, stages: stages, gracefulRampDown: gracefulRampDown))

        case .constantArrivalRate:
            require(f, "rate", "duration", "preAllocatedVUs")
            let rate = int(f, "rate", atLeast: 1)
            let timeUnit = positiveDuration(f, "timeUnit") ?? .seconds(1)
            let duration = positiveDuration(f, "duration")
            let preAllocated = int(f, "preAllocatedVUs", atLeast: 0)
            let maxVUs = int(f, "maxVUs", atLeast: 0)
            checkMaxVUs(f, preAllocated: preAllocated, maxVUs: maxVUs, before: before)
            guard errorCount == before, let rate, let duration, let preAllocated else { return nil }
            return .constantArrivalRate(.init(
                rate: rate, timeUnit: timeUnit, duration: duration, preAllocatedVUs: preAllocated, maxVUs: maxVUs))

        case .rampingArrivalRate:
            require(f, "stages", "preAllocatedVUs")
            let startRate = int(f, "startRate", atLeast: 0) ?? 0
            let timeUnit = positiveDuration(f, "timeUnit") ?? .seconds(1)
            let stages = f.value("stages").flatMap {
                self.stages($0, what: f.describe("stages"), start: startRate, unit: "iterations per time unit")
            }
            let preAllocated = int(f, "preAllocatedVUs", atLeast: 0)
            let maxVUs = int(f, "maxVUs", atLeast: 0)
            checkMaxVUs(f, preAllocated: preAllocated, maxVUs: maxVUs, before: before)
            if errorCount == before, let stages, startRate == 0, stages.allSatisfy({ $0.target == 0 }) {
                error(f.keyMark("stages"), "\(f.what) never starts an iteration: \"startRate\" or a stage's \"target\" must be greater than 0")
            }
            guard errorCount == before, let stages, let preAllocated else { return nil }
            return .rampingArrivalRate(.init(
                startRate: startRate, timeUnit: timeUnit, stages: stages, preAllocatedVUs: preAllocated, maxVUs: maxVUs))
        }
    }

    /// Reports a scenario whose flow the plan does not define.
    func checkFlow(_ flow: String, of scenario: String, at mark: Mark?, flowNames: [String]) {
        guard !flowNames.contains(flow) else { return }
        var message = "scenario \"\(scenario)\" runs flow \"\(flow)\", which the plan does not define"
        if let suggestion = Suggestion.closest(to: flow, among: flowNames) {
            message += "; did you mean \"\(suggestion)\"?"
        } else if flowNames.isEmpty {
            message += "; add it under \"flows\""
        } else {
            message += "; defined flows are " + flowNames.joined(separator: ", ")
        }
        error(mark, message)
    }

    private func checkMaxVUs(_ f: Fields, preAllocated: Int64?, maxVUs: Int64?, before: Int) {
        if errorCount == before, let preAllocated, let maxVUs, maxVUs < preAllocated {
            error(f.value("maxVUs")?.mark,
                  "\(f.describe("maxVUs")) (\(maxVUs)) must not be less than \"preAllocatedVUs\" (\(preAllocated))")
        }
        if errorCount == before, (maxVUs ?? preAllocated ?? 1) == 0 {
            error(f.value("maxVUs")?.mark ?? f.value("preAllocatedVUs")?.mark,
                  "\(f.what) has no VU to run iterations: \"preAllocatedVUs\" or \"maxVUs\" must be greater than 0")
        }
    }

    /// A non-empty list of `{duration, target, progression}` stages. With `start` (the value
    /// before the first stage), every stage's curve is checked to stay non-negative; without
    /// it, every stage but the first.
    func stages(_ node: Node, what: String, start: Int64? = nil, unit: String = "VUs") -> [Stage]? {
        guard let items = list(node, what: what) else { return nil }
        guard !items.isEmpty else {
            error(node.mark, "\(what) must hold at least one stage")
            return nil
        }
        let before = errorCount
        var stages: [Stage] = []
        for (index, item) in items.enumerated() {
            guard let f = fields(item, context: "stage \(index + 1) of \(what)", mark: item.mark) else { continue }
            checkKeys(f, allowed: ["duration", "target", "progression"])
            require(f, "duration", "target")
            let progression = f.value("progression").flatMap { self.progression($0, what: f.describe("progression")) }
            if let duration = duration(f, "duration"), let target = int(f, "target", atLeast: 0) {
                stages.append(Stage(duration: duration, target: target, progression: progression ?? .linear))
            }
        }
        guard errorCount == before else { return nil }
        checkProgressionsNonNegative(node, stages, start: start, what: what, unit: unit)
        return errorCount == before ? stages : nil
    }

    /// A stage's `progression`: a name, `steps(n)` or `r = <expression of t>`. Expression
    /// syntax errors point at the column inside the expression.
    func progression(_ node: Node, what: String) -> StageProgression? {
        guard let text = string(node, what: what) else { return nil }
        do {
            return try StageProgression(parsing: text)
        } catch {
            var mark = node.mark
            if let offset = error.offset, let start = node.mark, case .scalar(let scalar) = node, !text.contains("\n") {
                let quoted = scalar.style == .singleQuoted || scalar.style == .doubleQuoted
                mark = Self.mark(line: start.line, column: start.column + offset + (quoted ? 1 : 0)) ?? start
            }
            self.error(mark, "\(what): \(error)")
            return nil
        }
    }

    /// Every stage's curve must keep VUs or the rate non-negative, given where the stage starts
    /// (the previous target, or `start` for the first stage).
    private func checkProgressionsNonNegative(_ stagesNode: Node, _ stages: [Stage], start: Int64?, what: String, unit: String) {
        guard case .sequence(let items) = stagesNode else { return }
        var previous = start
        for (index, stage) in stages.enumerated() {
            defer { previous = stage.target }
            guard let from = previous else { continue }
            if let (t, value) = stage.progression.firstNegative(from: from, to: stage.target) {
                var mark = index < items.count ? items[index].mark : stagesNode.mark
                if index < items.count, case .mapping(let mapping) = items[index] {
                    mark = mapping.first { $0.key.string == "progression" }?.value.mark ?? mark
                }
                error(mark, "\"progression\" in stage \(index + 1) of \(what) gives \(ProgressionError.format(value)) \(unit) "
                    + "at t = \(ProgressionError.format(t)) (from \(from) to \(stage.target)); the curve must never go below 0")
            }
        }
    }

    /// A position inside a scalar. Yams keeps `Mark`'s initialiser internal, so one is obtained
    /// by composing a document whose only node sits at that line and column (error path only).
    static func mark(line: Int, column: Int) -> Mark? {
        guard line >= 1, column >= 1 else { return nil }
        let text = String(repeating: "\n", count: line - 1) + String(repeating: " ", count: column - 1) + "x"
        return (try? Yams.compose(yaml: text))?.mark
    }
}
