import Testing
import PropertyBased
import LoadTreeCore

@Suite struct ThresholdExpressionTests {
    @Test(arguments: [
        ("p(95)<300", MetricAggregation.percentile(95), ThresholdOperator.less, 300.0),
        ("p(99.9) <= 250", .percentile(99.9), .lessOrEqual, 250),
        ("  rate >= 0.95  ", .rate, .greaterOrEqual, 0.95),
        ("count>10", .count, .greater, 10),
        ("value===3", .value, .equal, 3),
        ("value == 3", .value, .equal, 3),
        ("avg!=0", .avg, .notEqual, 0),
        ("med<1e3", .med, .less, 1000),
        ("min>=-5", .min, .greaterOrEqual, -5),
        ("max<0.5", .max, .less, 0.5),
        ("p(0)>1", .percentile(0), .greater, 1),
        ("p(100)<1", .percentile(100), .less, 1),
    ])
    func parses(text: String, aggregation: MetricAggregation, op: ThresholdOperator, limit: Double) throws {
        let expression = try ThresholdExpression.parse(text)
        #expect(expression == ThresholdExpression(aggregation: aggregation, op: op, limit: limit))
    }

    @Test(arguments: [
        ("p()<1", ThresholdError.invalidPercentile(expression: "p()<1", argument: "")),
        ("p(101)<1", .invalidPercentile(expression: "p(101)<1", argument: "101")),
        ("p(-1)<1", .invalidPercentile(expression: "p(-1)<1", argument: "-1")),
        ("p(NaN)<1", .invalidPercentile(expression: "p(NaN)<1", argument: "NaN")),
        ("p95<1", .unknownAggregation(expression: "p95<1", aggregation: "p95")),
        ("average<1", .unknownAggregation(expression: "average<1", aggregation: "average")),
        ("<1", .unknownAggregation(expression: "<1", aggregation: "")),
        ("p(95)", .malformedExpression("p(95)")),
        ("p(95) = 3", .malformedExpression("p(95) = 3")),
        ("p(95)<abc", .invalidLimit(expression: "p(95)<abc", limit: "abc")),
        ("p(95)<", .invalidLimit(expression: "p(95)<", limit: "")),
    ])
    func rejects(text: String, error: ThresholdError) {
        #expect(throws: error) { try ThresholdExpression.parse(text) }
    }

    @Test func errorMessagesNameTheExpression() {
        #expect(ThresholdError.invalidPercentile(expression: "p(101)<1", argument: "101").description
            == "failed parsing threshold expression \"p(101)<1\": the percentile in p(101) must be a number between 0 and 100, such as p(95) or p(99.9)")
        #expect(ThresholdError.unknownAggregation(expression: "avgg<1", aggregation: "avgg").description
            == "failed parsing threshold expression \"avgg<1\": unknown aggregation \"avgg\"; use count, rate, value, avg, min, max, med or p(N)")
        #expect(ThresholdError.unsupportedAggregation(expression: "p(95)<1", aggregation: .percentile(95), metric: "http_reqs", type: .counter).description
            == "threshold \"p(95)<1\" on metric \"http_reqs\" uses \"p(95)\", which a counter metric does not have; use count, rate")
    }

    /// Operators are scanned `<=` before `<`, and `>=` before `>`: the scan order matters.
    @Test func scanOrderPrefersTwoCharacterOperators() throws {
        #expect(try ThresholdExpression.parse("rate<=1").op == .lessOrEqual)
        #expect(try ThresholdExpression.parse("rate>=1").op == .greaterOrEqual)
        // `<` is scanned before `!=`, so the split happens at `<`, leaving "rate!=1" on the left.
        #expect(throws: ThresholdError.unknownAggregation(expression: "rate!=1<2", aggregation: "rate!=1")) {
            _ = try ThresholdExpression.parse("rate!=1<2")
        }
    }

    @Test(arguments: [
        (ThresholdOperator.less, 1.0, 2.0, true), (.less, 2, 2, false),
        (.lessOrEqual, 2, 2, true), (.lessOrEqual, 3, 2, false),
        (.greater, 3, 2, true), (.greater, 2, 2, false),
        (.greaterOrEqual, 2, 2, true), (.greaterOrEqual, 1, 2, false),
        (.equal, 2, 2, true), (.equal, 2.5, 2, false),
        (.notEqual, 2.5, 2, true), (.notEqual, 2, 2, false),
    ])
    func operatorsCompare(op: ThresholdOperator, observed: Double, limit: Double, expected: Bool) {
        #expect(ThresholdExpression(aggregation: .avg, op: op, limit: limit).passes(observed) == expected)
    }

    @Test func canonicalTextRoundTrips() async {
        await propertyCheck(count: 200, input: Gen.int(in: 0...1000), Gen.int(in: 0...5), Gen.int(in: -100...100_000)) { tenths, opIndex, limit in
            let ops = ThresholdOperator.allCases
            let expression = ThresholdExpression(
                aggregation: .percentile(Double(tenths) / 10), op: ops[opIndex], limit: Double(limit))
            #expect((try? ThresholdExpression.parse(expression.description)) == expression)
        }
    }
}
