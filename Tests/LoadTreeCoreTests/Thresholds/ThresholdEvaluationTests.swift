import Testing
import LoadTreeCore

@Suite struct ThresholdEvaluationTests {
    /// The reference's Trend example: {10, 15, 20} has p(90) = 19, p(95) = 19.5.
    private func trend(_ aggregation: MetricAggregation) -> Double? {
        switch aggregation {
        case .percentile(90): 19
        case .percentile(95): 19.5
        case .avg, .med: 15
        case .min: 10
        case .max: 20
        default: nil
        }
    }

    @Test(arguments: [
        ("p(95)<20", true), ("p(95)<19.5", false), ("p(95)<=19.5", true),
        ("p(90)==19", true), ("avg>15", false), ("min>=10", true), ("max!=20", false),
        // No value for this aggregation: passes, as the reference does for an empty sink.
        ("p(99)<1", true),
    ])
    func evaluates(source: String, passed: Bool) throws {
        let outcome = try Threshold(parsing: source).evaluate(values: trend)
        #expect(outcome.passed == passed)
        #expect(outcome.source == source)
    }

    @Test func missingValueIsReportedAsNil() throws {
        let outcome = try Threshold(parsing: "rate<0.01").evaluate { _ in nil }
        #expect(outcome == ThresholdOutcome(source: "rate<0.01", observed: nil, passed: true))
    }

    @Test(arguments: [
        // abortOnFail, delayAbortEval (s), elapsed (s), passed, expected abort
        (true, nil as Int?, 1, false, true),
        (true, nil, 0, false, true),
        (true, 10, 5, false, false),
        (true, 10, 10, false, false),   // not strictly shorter than the elapsed time yet
        (true, 10, 11, false, true),
        (true, 0, 0, false, true),      // zero means unset
        (false, nil, 100, false, false),
        (true, nil, 100, true, false),
    ])
    func abortRule(abortOnFail: Bool, delay: Int?, elapsed: Int, passed: Bool, expected: Bool) throws {
        let threshold = try Threshold(parsing: "rate<0.01", abortOnFail: abortOnFail, delayAbortEval: delay.map { .seconds($0) })
        let outcome = ThresholdOutcome(source: "rate<0.01", observed: passed ? 0 : 1, passed: passed)
        #expect(threshold.shouldAbort(outcome, elapsed: .seconds(elapsed)) == expected)
    }

    @Test func validationAgainstMetricTypes() throws {
        let thresholds = MetricThresholds(
            selector: MetricSelector(name: "http_reqs"),
            thresholds: [try Threshold(parsing: "count>1"), try Threshold(parsing: "p(95)<1")])
        #expect(throws: ThresholdError.unsupportedAggregation(expression: "p(95)<1", aggregation: .percentile(95), metric: "http_reqs", type: .counter)) {
            try thresholds.validate(metricType: .counter)
        }
        let rate = MetricThresholds(selector: MetricSelector(name: "checks"), thresholds: [try Threshold(parsing: "rate>0.9")])
        try rate.validate(metricType: .rate)
        #expect(throws: ThresholdError.self) { try rate.validate(metricType: .gauge) }
        let gauge = MetricThresholds(selector: MetricSelector(name: "vus"), thresholds: [try Threshold(parsing: "value<10")])
        try gauge.validate(metricType: .gauge)
        #expect(throws: ThresholdError.self) { try gauge.validate(metricType: .trend) }
    }

    @Test func evaluatesEveryThresholdInOrder() throws {
        let group = MetricThresholds(
            selector: MetricSelector(name: "my_trend"),
            thresholds: [try Threshold(parsing: "p(90)<19"), try Threshold(parsing: "p(95)<20")])
        #expect(group.evaluate(values: trend).map(\.passed) == [false, true])
    }
}
