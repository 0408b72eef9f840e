import Yams

/// The `thresholds` section: selector → list of expressions or `{threshold, abortOnFail,
/// delayAbortEval}` mappings, checked against the metric's type.
extension PlanDecoder {
    func thresholds(_ node: Node, mark: Mark?, customMetrics: [CustomMetric]) -> [MetricThresholds] {
        guard let all = fields(node, context: "\"thresholds\"", mark: mark) else { return [] }
        let metricNames = BuiltinMetric.all.map(\.name) + customMetrics.map(\.name)
        var result: [MetricThresholds] = []
        for entry in all.entries {
            let selector: MetricSelector
            do {
                selector = try MetricSelector.parse(entry.key)
            } catch {
                self.error(entry.keyNode.mark, error.description)
                continue
            }
            let type = BuiltinMetric.named(selector.name)?.type ?? customMetrics.first { $0.name == selector.name }?.type
            if type == nil {
                let suggestion = Suggestion.closest(to: selector.name, among: metricNames)
                error(entry.keyNode.mark, ThresholdError.unknownMetric(selector.name, suggestion: suggestion).description)
            }
            let what = "the thresholds of \"\(entry.key)\""
            let items: [Node]
            if case .scalar = entry.value { items = [entry.value] } else { items = list(entry.value, what: what) ?? [] }
            var thresholds: [Threshold] = []
            for item in items {
                guard let threshold = threshold(item, what: what) else { continue }
                if let type, !threshold.expression.aggregation.isSupported(by: type) {
                    let problem = ThresholdError.unsupportedAggregation(
                        expression: threshold.source, aggregation: threshold.expression.aggregation,
                        metric: selector.name, type: type)
                    error(item.mark, problem.description)
                    continue
                }
                thresholds.append(threshold)
            }
            result.append(MetricThresholds(selector: selector, thresholds: thresholds))
        }
        return result
    }

    private func threshold(_ node: Node, what: String) -> Threshold? {
        var sourceNode = node
        var abortOnFail = false
        var delay: Duration?
        if case .mapping = node {
            guard let f = fields(node, context: "a threshold of \(what)", mark: node.mark) else { return nil }
            checkKeys(f, allowed: ["threshold", "abortOnFail", "delayAbortEval"])
            require(f, "threshold")
            guard let value = f.value("threshold") else { return nil }
            sourceNode = value
            abortOnFail = bool(f, "abortOnFail") ?? false
            delay = duration(f, "delayAbortEval")
        }
        guard case .scalar(let scalar) = sourceNode, Self.tagName(sourceNode) == .str else {
            error(sourceNode.mark, "expected a threshold expression such as \"p(95)<500\" in \(what), "
                + "found \(Self.describe(sourceNode))")
            return nil
        }
        do {
            return try Threshold(parsing: scalar.string, abortOnFail: abortOnFail, delayAbortEval: delay)
        } catch {
            self.error(sourceNode.mark, error.description)
            return nil
        }
    }
}
