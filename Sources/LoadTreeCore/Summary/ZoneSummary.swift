/// The figures of one zone of a tree's run: every agent tags its samples with its `zone`, so
/// each zone's share of the test reads straight from the merged series, exactly as if that
/// zone had run alone.
public struct ZoneFigures: Sendable, Equatable {
    /// The zone (the value of the `zone` tag).
    public let zone: String
    /// `http_reqs` of the zone: requests made.
    public let requests: Double
    /// Requests per second of test time.
    public let requestRate: Double
    /// `http_req_failed` of the zone: the share of failed requests (nil without requests).
    public let failedRate: Double?
    /// Failed requests, and all requests counted by `http_req_failed`, behind ``failedRate``.
    public let failedRequests: UInt64
    public let failedOutOf: UInt64
    /// `http_req_duration` p(95) of the zone, in milliseconds (nil without requests).
    public let durationP95: Double?
    /// `iterations` of the zone: iterations completed.
    public let iterations: Double
    /// Iterations per second of test time.
    public let iterationRate: Double
}

extension SummaryReport {
    /// The tag that names a sample's zone.
    public static let zoneTag = "zone"

    /// One entry per zone, sorted by zone, when samples carry more than one zone; empty
    /// otherwise (a local run, or a tree of one zone, has nothing to break down).
    public var zones: [ZoneFigures] {
        let names = view.tagValues(Self.zoneTag)
        guard names.count > 1 else { return [] }
        let seconds = Double(testDuration.nanoseconds) / 1e9
        func perSecond(_ value: Double) -> Double { seconds > 0 ? value / seconds : 0 }
        return names.map { zone in
            let tags = TagSet([Self.zoneTag: zone])
            var requests = 0.0
            if case .counter(let c)? = view.sink("http_reqs", containing: tags) { requests = c.sum }
            var iterations = 0.0
            if case .counter(let c)? = view.sink("iterations", containing: tags) { iterations = c.sum }
            var failedRate: Double?
            var failed: (count: UInt64, outOf: UInt64) = (0, 0)
            if case .rate(let r)? = view.sink("http_req_failed", containing: tags) {
                failedRate = r.rate
                failed = (r.trues, r.total)
            }
            var p95: Double?
            if case .trend(let t)? = view.sink("http_req_duration", containing: tags) { p95 = t.percentile(95) }
            return ZoneFigures(
                zone: zone, requests: requests, requestRate: perSecond(requests), failedRate: failedRate,
                failedRequests: failed.count, failedOutOf: failed.outOf, durationP95: p95, iterations: iterations, iterationRate: perSecond(iterations))
        }
    }

    /// The ZONES block of the text summary (nothing for fewer than two zones).
    func zoneLines() -> [String] {
        let zones = self.zones
        guard !zones.isEmpty else { return [] }
        var lines = ["  █ ZONES", ""]
        for zone in zones {
            lines.append("    \(zone.zone)")
            lines.append(dotted("http_reqs", indent: 6) + pad(ValueFormat.number(zone.requests)) + " "
                + ValueFormat.rate(zone.requestRate, kind: .default))
            if let rate = zone.failedRate {
                lines.append(dotted("http_req_failed", indent: 6) + pad(ValueFormat.percent(rate))
                    + " \(zone.failedRequests) out of \(zone.failedOutOf)")
            }
            if let p95 = zone.durationP95 {
                lines.append(dotted("http_req_duration", indent: 6) + "p(95)="
                    + ValueFormat.value(p95, kind: .time, timeUnit: options.timeUnit))
            }
            lines.append(dotted("iterations", indent: 6) + pad(ValueFormat.number(zone.iterations)) + " "
                + ValueFormat.rate(zone.iterationRate, kind: .default))
            lines.append("")
        }
        return lines
    }

    /// The `zones` object of `--summary-export`: per zone, `http_reqs` (`count`, `rate`),
    /// `http_req_failed` (`value`, `passes`, `fails`), `http_req_duration` (`p(95)`, ms) and
    /// `iterations` (`count`, `rate`); nil for fewer than two zones (the key is then absent).
    var zonesExport: JSONValue? {
        let zones = self.zones
        guard !zones.isEmpty else { return nil }
        return .object(zones.map { zone in
            var fields: [(String, JSONValue)] = [
                ("http_reqs", .object([("count", .double(zone.requests)), ("rate", .double(zone.requestRate))])),
            ]
            if let rate = zone.failedRate {
                fields.append(("http_req_failed", .object([
                    ("value", .double(rate)),
                    // Named as the reference names a Rate's figures: passes are the trues.
                    ("passes", .double(Double(zone.failedRequests))),
                    ("fails", .double(Double(zone.failedOutOf - zone.failedRequests))),
                ])))
            }
            if let p95 = zone.durationP95 {
                fields.append(("http_req_duration", .object([("p(95)", .double(p95))])))
            }
            fields.append(("iterations", .object([("count", .double(zone.iterations)), ("rate", .double(zone.iterationRate))])))
            return (zone.zone, .object(fields))
        })
    }
}
