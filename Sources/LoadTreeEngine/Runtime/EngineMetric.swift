import LoadTreeCore

/// The names of the metrics the engine itself records.
enum EngineMetric {
    static let iterations = name("iterations")
    static let iterationDuration = name("iteration_duration")
    static let droppedIterations = name("dropped_iterations")
    static let vus = name("vus")
    static let vusMax = name("vus_max")

    private static func name(_ text: String) -> MetricName {
        guard let name = try? MetricName(text) else { preconditionFailure("built-in metric name \(text) is valid") }
        return name
    }
}
