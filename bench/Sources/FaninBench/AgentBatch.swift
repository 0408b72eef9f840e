import Foundation
import LoadTreeCore

/// One second of a busy agent's metrics, as its engine would hand them to its node: 20 trend
/// series (five HTTP timings × four tag sets of scenario/status/zone/name, 400 samples each,
/// a few hundred distinct latencies per series), plus the counters, rates and gauges that go
/// with them. Each agent draws from its own seed, so the children of a relay do not all send
/// the same values.
enum AgentBatch {
    /// The four tag sets of the agent's requests.
    static func tagSets(zone: String) -> [TagSet] {
        [("GET /api/items", "200"), ("GET /api/items", "404"), ("POST /api/cart", "201"), ("GET /", "200")].map {
            TagSet(["scenario": "browse", "name": $0.0, "status": $0.1, "zone": zone, "method": String($0.0.prefix { $0 != " " })])
        }
    }

    /// The trend metrics recorded per request, with the median latency (ms) of each.
    static let trends: [(name: String, median: Double)] = [
        ("http_req_duration", 40), ("http_req_waiting", 35), ("http_req_receiving", 2),
        ("http_req_sending", 0.08), ("http_req_blocked", 0.02),
    ]

    static let samplesPerSeries = 400

    /// The interval one agent recorded in one second (nanoseconds `start`..`start` + 1 s).
    static func make(agent: Int, second: Int, zone: String = "eu-west") -> IntervalAggregate {
        var random = SplitMix(seed: UInt64(agent) &* 0x9E37_79B9 &+ UInt64(second))
        let start = Int64(second) * 1_000_000_000
        var interval = IntervalAggregate(start: start)
        for tags in tagSets(zone: zone) {
            for trend in trends {
                guard let key = try? SeriesKey(trend.name, tags: tags) else { continue }
                for _ in 0..<samplesPerSeries {
                    // Log-normal around the median (σ ≈ 0.5), in whole microseconds as measured.
                    let latency = (trend.median * random.logNormalFactor() * 1000).rounded() / 1000
                    try? interval.add(latency, to: key, type: .trend, kind: .time, at: start)
                }
            }
            if let key = try? SeriesKey("http_reqs", tags: tags) {
                for _ in 0..<samplesPerSeries { try? interval.add(1, to: key, type: .counter, at: start) }
            }
            if let key = try? SeriesKey("http_req_failed", tags: tags) {
                let failing = tags["status"] == "404"
                for _ in 0..<samplesPerSeries { try? interval.add(failing ? 1 : 0, to: key, type: .rate, at: start) }
            }
        }
        let plain = TagSet(["scenario": "browse", "zone": zone])
        let extras: [(String, MetricType, Double)] = [
            ("iterations", .counter, 400), ("data_sent", .counter, 180_000), ("data_received", .counter, 3_400_000),
            ("checks", .rate, 1), ("vus", .gauge, 50), ("vus_max", .gauge, 50),
        ]
        for (name, type, value) in extras {
            guard let key = try? SeriesKey(name, tags: plain) else { continue }
            try? interval.add(value, to: key, type: type, at: start + 500_000_000)
        }
        // As the agent's node sends them: its gauges as steps of the tree-wide totals.
        var gauges = GaugeSource(interval: .seconds(1))
        return gauges.totals(of: interval.drain(at: start + 1_000_000_000))
    }
}

/// A small deterministic generator (SplitMix64): the same batches on every run.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in (0, 1).
    mutating func unit() -> Double { (Double(next() >> 11) + 0.5) / Double(1 << 53) }

    /// exp(σ·N(0,1)) with σ = 0.5 (Box–Muller).
    mutating func logNormalFactor() -> Double {
        let normal = (-2 * log(unit())).squareRoot() * cos(2 * Double.pi * unit())
        return exp(0.5 * normal)
    }
}
