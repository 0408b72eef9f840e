import Foundation
import Yams

/// Reads a plan file (YAML, or JSON, which is YAML) into a validated ``Plan``.
///
/// The whole file is checked in one pass and every problem is reported with its
/// `file:line:column`, so a user fixes a plan in one round instead of one error per run.
public enum PlanLoader {
    /// The keys a plan may hold at the top level.
    static let topLevelKeys = [
        "scenarios", "vus", "duration", "iterations", "stages", "thresholds", "tags", "metrics",
        "vars", "data", "flows", "setup", "teardown", "executionSegment", "executionSegmentSequence",
        "tls",
    ]

    /// Loads the plan at `path`; data files are looked up next to it.
    public static func load(path: String) throws(PlanErrors) -> Plan {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PlanErrors([PlanError(file: path, line: 0, column: 0, message: "cannot read the plan file")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw PlanErrors([PlanError(file: path, line: 0, column: 0, message: "the plan file is not UTF-8 text")])
        }
        let directory = (path as NSString).deletingLastPathComponent
        return try load(text: text, fileName: path, baseDirectory: directory.isEmpty ? "." : directory)
    }

    /// Loads a plan from text. `fileName` is used in messages; with `baseDirectory`, data files
    /// are read (relative to it) so that `${data.NAME.COLUMN}` references can be checked.
    public static func load(text: String, fileName: String, baseDirectory: String? = nil) throws(PlanErrors) -> Plan {
        let decoder = PlanDecoder(file: fileName)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw PlanErrors([syntaxError(error, file: fileName)])
        }
        guard let root else {
            throw PlanErrors([PlanError(file: fileName, line: 0, column: 0, message: "the plan is empty; "
                + "expected a mapping with \"scenarios\" and \"flows\"")])
        }
        let plan = decode(root, decoder: decoder, baseDirectory: baseDirectory)
        guard decoder.errors.isEmpty, let plan else {
            let sorted = decoder.errors.enumerated().sorted { a, b in
                (a.element.line, a.element.column, a.offset) < (b.element.line, b.element.column, b.offset)
            }.map(\.element)
            throw PlanErrors(sorted)
        }
        return plan
    }

    private static func decode(_ root: Node, decoder d: PlanDecoder, baseDirectory: String?) -> Plan? {
        guard let top = d.fields(root, context: nil, mark: root.mark) else { return nil }
        // `x-…` keys are free for YAML anchors shared by several scenarios (`<<: *defaults`).
        let extensions = top.entries.map(\.key).filter { $0.hasPrefix("x-") }
        d.checkKeys(top, allowed: topLevelKeys + extensions, hints: ["scenario": "scenarios", "flow": "flows", "threshold": "thresholds"])

        let metrics = top.value("metrics").map { d.customMetrics($0, mark: top.keyMark("metrics")) } ?? []
        let vars = top.value("vars").map { d.vars($0, mark: top.keyMark("vars")) } ?? [:]
        let data = top.value("data").map { d.dataSources($0, mark: top.keyMark("data"), baseDirectory: baseDirectory) } ?? []

        var scope = ReferenceScope()
        scope.vars = Set(vars.keys)
        scope.dataColumns = Dictionary(data.map { ($0.0.name, $0.1) }, uniquingKeysWith: { a, _ in a })

        var setupScope = scope
        let setup = top.value("setup").map { d.steps($0, path: StepPath(owner: "setup", indices: []), scope: &setupScope) } ?? []
        scope.setupCaptures = top.has("setup") ? setupScope.captures : []

        var flows: [Flow] = []
        if let node = top.value("flows"), let all = d.fields(node, context: "\"flows\"", mark: top.keyMark("flows")) {
            for entry in all.entries {
                _ = d.checkName(entry.key, at: entry.keyNode.mark, what: "flow")
                var flowScope = scope
                let steps = d.steps(entry.value, path: StepPath(owner: "flow \"\(entry.key)\"", indices: []), scope: &flowScope)
                if case .sequence(let items) = entry.value, items.isEmpty {
                    d.error(entry.value.mark, "flow \"\(entry.key)\" has no steps")
                }
                flows.append(Flow(name: entry.key, steps: steps))
            }
        }
        var teardownScope = scope
        let teardown = top.value("teardown").map { d.steps($0, path: StepPath(owner: "teardown", indices: []), scope: &teardownScope) } ?? []

        let scenarios = self.scenarios(top, decoder: d, flowNames: flows.map(\.name))
        let thresholds = top.value("thresholds").map { d.thresholds($0, mark: top.keyMark("thresholds"), customMetrics: metrics) } ?? []
        let tags = d.stringMap(top, "tags") ?? [:]
        let segment = d.string(top, "executionSegment")
        let sequence = d.string(top, "executionSegmentSequence")
        checkSegments(segment: segment, sequence: sequence, top: top, decoder: d)
        let tls = top.value("tls").map { d.tlsSettings($0, mark: top.keyMark("tls"), baseDirectory: baseDirectory) } ?? TLSSettings()

        return Plan(
            scenarios: scenarios, thresholds: thresholds, tags: tags, metrics: metrics, vars: vars,
            data: data.map(\.0), flows: flows, setup: setup, teardown: teardown,
            executionSegment: segment, executionSegmentSequence: sequence, tls: tls)
    }

    /// `executionSegment` and `executionSegmentSequence` must parse, and the segment must be
    /// one of the (filled) sequence's segments.
    private static func checkSegments(segment: String?, sequence: String?, top: Fields, decoder d: PlanDecoder) {
        var parsedSegment: ExecutionSegment?
        var parsedSequence: ExecutionSegmentSequence?
        if let segment {
            do { parsedSegment = try ExecutionSegment(parsing: segment) } catch {
                d.error(top.value("executionSegment")?.mark, "invalid \"executionSegment\": \(error)")
            }
        }
        if let sequence {
            do { parsedSequence = try ExecutionSegmentSequence(parsing: sequence) } catch {
                d.error(top.value("executionSegmentSequence")?.mark, "invalid \"executionSegmentSequence\": \(error)")
            }
        }
        guard (segment == nil) == (parsedSegment == nil), (sequence == nil) == (parsedSequence == nil),
              segment != nil || sequence != nil else { return }
        do { _ = try ExecutionTuple(segment: parsedSegment ?? parsedSequence?.segments.first, sequence: parsedSequence) } catch {
            d.error(top.value("executionSegment")?.mark ?? top.value("executionSegmentSequence")?.mark, "\(error)")
        }
    }

    /// `scenarios`, or the reference's shortcuts (`vus`, `duration`, `iterations`, `stages`),
    /// with each scenario's flow checked against the plan's flows.
    private static func scenarios(_ top: Fields, decoder d: PlanDecoder, flowNames: [String]) -> [Scenario] {
        let shortcuts = ["vus", "duration", "iterations", "stages"].filter { top.has($0) }
        if let node = top.value("scenarios") {
            for key in shortcuts {
                d.error(top.keyMark(key), "\"\(key)\" cannot be combined with \"scenarios\"; "
                    + "set it inside a scenario instead")
            }
            return d.scenarios(node, mark: top.keyMark("scenarios"), flowNames: flowNames)
        }
        guard let (scenario, mark) = shortcutScenario(top, decoder: d) else { return [] }
        d.checkFlow(scenario.flow, of: scenario.name, at: mark, flowNames: flowNames)
        return [scenario]
    }

    /// The reference's shortcut options, turned into one scenario named `default`:
    /// `iterations` → shared-iterations, `duration` → constant-vus, `stages` → ramping-vus,
    /// nothing → per-vu-iterations with one iteration.
    private static func shortcutScenario(_ top: Fields, decoder d: PlanDecoder) -> (Scenario, Mark?)? {
        let before = d.errorCount
        let vus = d.int(top, "vus", atLeast: 0)
        let iterations = d.int(top, "iterations", atLeast: 1)
        let duration = d.duration(top, "duration")
        let stages = top.value("stages").flatMap { d.stages($0, what: "\"stages\"", start: vus ?? 1) }
        let mark = top.keyMark("iterations") ?? top.keyMark("duration") ?? top.keyMark("stages") ?? top.keyMark("vus") ?? top.mark
        if top.has("stages") {
            for other in ["iterations", "duration"] where top.has(other) {
                d.error(top.keyMark("stages"), "\"\(other)\" and \"stages\" cannot be used together; "
                    + "use scenarios to combine them")
            }
        }
        if !top.has("stages"), vus == 0 {
            d.error(top.value("vus")?.mark, "\"vus\" must be greater than 0, found 0")
        }
        if let duration, duration == .zero {
            d.error(top.value("duration")?.mark, "\"duration\" must be longer than 0s")
        }
        if let stages, (vus ?? 1) == 0, stages.allSatisfy({ $0.target == 0 }) {
            d.error(top.keyMark("stages"), "the plan never runs a VU: \"vus\" or a stage's \"target\" must be greater than 0")
        }
        guard d.errorCount == before else { return nil }
        let executor: ExecutorConfig
        if let stages {
            executor = .rampingVUs(RampingVUs(startVUs: vus ?? 1, stages: stages))
        } else if let iterations {
            let v = vus ?? 1
            if iterations < v {
                d.error(top.value("iterations")?.mark, "\"iterations\" (\(iterations)) must not be less than \"vus\" (\(v)): "
                    + "every VU needs at least one iteration")
                return nil
            }
            executor = .sharedIterations(SharedIterations(vus: v, iterations: iterations, maxDuration: duration ?? .seconds(600)))
        } else if let duration {
            executor = .constantVUs(ConstantVUs(vus: vus ?? 1, duration: duration))
        } else {
            executor = .perVUIterations(PerVUIterations(vus: vus ?? 1, iterations: 1))
        }
        return (Scenario(name: "default", executor: executor), mark)
    }

    private static func syntaxError(_ error: any Error, file: String) -> PlanError {
        if let yaml = error as? YamlError {
            switch yaml {
            case .scanner(let context, let problem, let mark, _),
                 .parser(let context, let problem, let mark, _),
                 .composer(let context, let problem, let mark, _):
                let where_ = context.map { " \($0.text)" } ?? ""
                return PlanError(file: file, line: mark.line, column: mark.column,
                                 message: "invalid YAML: \(problem)\(where_)")
            case .duplicatedKeysInMapping(let duplicates, let context):
                let keys = duplicates.map { "\"\($0)\"" }.joined(separator: ", ")
                return PlanError(file: file, line: context.mark.line, column: context.mark.column,
                                 message: "duplicate key \(keys): each key may appear only once in a mapping")
            default:
                break
            }
        }
        return PlanError(file: file, line: 0, column: 0, message: "invalid YAML: \(error)")
    }
}
