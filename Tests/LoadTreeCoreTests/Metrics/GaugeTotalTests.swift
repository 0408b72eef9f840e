import LoadTreeCore
import LoadTreeTestSupport
import PropertyBased
import Testing

/// Gauges summed over a tree's sources: each source's latest value, summed, with the extremes
/// of the total at the aligned boundaries.
@Suite struct GaugeTotalTests {
    static let vus = try! SeriesKey("vus")
    static let second: Int64 = 1_000_000_000

    /// One report of `value` by a source, at the end of an interval ending at `end`.
    static func report(_ value: Double, end: Int64, from source: inout GaugeSource) -> GaugeTotal {
        var interval = IntervalAggregate(start: end - second)
        try! interval.add(value, to: vus, type: .gauge, at: end - 1)
        guard case .gaugeTotal(let total)? = source.totals(of: interval.drain(at: end)).series[vus] else {
            Issue.record("the source did not turn its gauge into a total")
            return GaugeTotal()
        }
        return total
    }

    @Test func fourAgentsOfTenVUsMakeForty() {
        var total = GaugeTotal()
        for _ in 0..<4 {
            var agent = GaugeSource(interval: .seconds(1))
            for end in [1, 2, 3] { total.merge(Self.report(10, end: Int64(end) * Self.second + 5, from: &agent)) }
        }
        #expect(total.value == 40)
        #expect(total.min == 40)
        #expect(total.max == 40)
    }

    @Test func theMaxIsThePeakOfTheTotalNotTheSumOfPeaks() {
        // Agent a peaks at 10 in the first second, agent b in the second: the total never
        // passed 12, although the agents' own peaks add up to 20.
        var a = GaugeSource(interval: .seconds(1))
        var b = GaugeSource(interval: .seconds(1))
        var total = GaugeTotal()
        total.merge(Self.report(10, end: Self.second, from: &a))
        total.merge(Self.report(2, end: Self.second, from: &b))
        total.merge(Self.report(2, end: 2 * Self.second, from: &a))
        total.merge(Self.report(10, end: 2 * Self.second, from: &b))
        total.merge(Self.report(0, end: 3 * Self.second, from: &a))
        #expect(total.max == 12)
        #expect(total.min == 10)
        // b's latest value carries on after it stopped reporting.
        #expect(total.value == 10)
    }

    @Test func aReportCountsAtTheBoundaryAtOrAfterItsEnd() {
        let source = GaugeSource(interval: .milliseconds(200))
        #expect(source.boundary(atOrAfter: 400_000_000) == 400_000_000)
        #expect(source.boundary(atOrAfter: 400_000_001) == 600_000_000)
        #expect(source.boundary(atOrAfter: 0) == 0)
        #expect(source.boundary(atOrAfter: -150_000_000) == 0)
        #expect(source.boundary(atOrAfter: -250_000_000) == -200_000_000)
    }

    @Test func stepsFromAPeerAreChecked() throws {
        #expect(throws: MetricSinkError.self) { try GaugeTotal(steps: [.init(at: 2, change: 1), .init(at: 2, change: 1)]) }
        #expect(throws: MetricSinkError.self) { try GaugeTotal(steps: [.init(at: 3, change: 1), .init(at: 2, change: 1)]) }
        #expect(throws: MetricSinkError.self) { try GaugeTotal(steps: [.init(at: 1, change: .nan)]) }
        #expect(try GaugeTotal(steps: [.init(at: 1, change: 3), .init(at: 2, change: -1)]).value == 2)
    }

    @Test func oneSourcesGaugeAndATotalDoNotMerge() throws {
        var local = IntervalAggregate(start: 0)
        try local.add(3, to: Self.vus, type: .gauge, at: 1)
        var tree = IntervalAggregate(start: 0)
        var source = GaugeSource(interval: .seconds(1))
        try tree.merge(source.totals(of: local))
        #expect(throws: MetricSinkError.gaugeForms(series: "vus")) { try tree.merge(local) }
        #expect(throws: MetricSinkError.gaugeForms(series: "vus")) { try tree.add(1, to: Self.vus, type: .gauge, at: 2) }
    }

    /// Any number of sources reporting at any instants, their reports merged in any tree:
    /// the total's figures are those of the definition, computed here directly.
    @Test func mergedInAnyTreeTheTotalIsTheDefinedFigure() async {
        await propertyCheck(count: 200, input: Gen.uint64()) { seed in
            var rng = SplitMix64(seed: seed)
            let spacing = Int64.random(in: 1...5, using: &rng) * 100
            var reports: [GaugeTotal] = []
            // (boundary, source, value) of every report, in each source's order.
            var log: [(at: Int64, source: Int, value: Double)] = []
            let sources = Int.random(in: 1...8, using: &rng)
            for s in 0..<sources {
                var source = GaugeSource(interval: .nanoseconds(spacing))
                var end = Int64.random(in: -300...300, using: &rng)
                for _ in 0..<Int.random(in: 1...12, using: &rng) {
                    end += Int64.random(in: 1...(3 * spacing), using: &rng)
                    let value = Double(Int.random(in: -5...40, using: &rng))
                    var interval = IntervalAggregate(start: end - 1)
                    try interval.add(value, to: Self.vus, type: .gauge, at: end - 1)
                    guard case .gaugeTotal(let total)? = source.totals(of: interval.drain(at: end)).series[Self.vus] else {
                        Issue.record("no total")
                        return
                    }
                    reports.append(total)
                    log.append((source.boundary(atOrAfter: end), s, value))
                }
            }
            // The definition: every source's latest value at each boundary with a report.
            let boundaries = Set(log.map(\.at)).sorted()
            let totals = boundaries.map { boundary in
                (0..<sources).reduce(0.0) { sum, s in sum + (log.last { $0.source == s && $0.at <= boundary }?.value ?? 0) }
            }
            let expectedValue = (0..<sources).reduce(0.0) { sum, s in sum + (log.last { $0.source == s }?.value ?? 0) }

            reports.shuffle(using: &rng)
            let merged = try #require(mergeInRandomTree(reports, using: &rng) { $0.merge($1) })
            #expect(merged.value == expectedValue, "seed \(seed)")
            #expect(merged.min == totals.min(), "seed \(seed)")
            #expect(merged.max == totals.max(), "seed \(seed)")
            // Grouping and order do not matter: the same steps whatever the tree.
            let other = try #require(mergeInRandomTree(reports.shuffled(using: &rng), using: &rng) { $0.merge($1) })
            #expect(other == merged, "seed \(seed)")
        }
    }
}
