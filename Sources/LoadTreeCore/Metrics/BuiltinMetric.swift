/// The metrics LoadTree records on its own, with the reference tool's names, types and kinds,
/// so that thresholds and dashboards written for the reference carry over unchanged.
public struct BuiltinMetric: Sendable, Hashable {
    public let name: String
    public let type: MetricType
    public let kind: ValueKind

    public init(name: String, type: MetricType, kind: ValueKind = .default) {
        self.name = name
        self.type = type
        self.kind = kind
    }

    /// Every built-in metric, in the order the summary lists them.
    public static let all: [BuiltinMetric] = [
        .init(name: "checks", type: .rate),
        .init(name: "data_received", type: .counter, kind: .data),
        .init(name: "data_sent", type: .counter, kind: .data),
        .init(name: "dropped_iterations", type: .counter),
        .init(name: "group_duration", type: .trend, kind: .time),
        .init(name: "http_req_blocked", type: .trend, kind: .time),
        .init(name: "http_req_connecting", type: .trend, kind: .time),
        .init(name: "http_req_duration", type: .trend, kind: .time),
        // Latency measured from the instant the schedule intended the iteration to start, so
        // that coordinated omission shows (arrival-rate executors only).
        .init(name: "http_req_duration_intended", type: .trend, kind: .time),
        .init(name: "http_req_failed", type: .rate),
        .init(name: "http_req_receiving", type: .trend, kind: .time),
        .init(name: "http_req_sending", type: .trend, kind: .time),
        .init(name: "http_req_tls_handshaking", type: .trend, kind: .time),
        .init(name: "http_req_waiting", type: .trend, kind: .time),
        .init(name: "http_reqs", type: .counter),
        .init(name: "iteration_duration", type: .trend, kind: .time),
        .init(name: "iterations", type: .counter),
        .init(name: "vus", type: .gauge),
        .init(name: "vus_max", type: .gauge),
    ]

    private static let byName: [String: BuiltinMetric] = Dictionary(
        uniqueKeysWithValues: all.map { ($0.name, $0) })

    /// The built-in metric with this name, if there is one.
    public static func named(_ name: String) -> BuiltinMetric? { byName[name] }
}
