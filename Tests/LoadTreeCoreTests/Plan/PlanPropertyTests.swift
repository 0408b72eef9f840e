import Testing
import PropertyBased
import LoadTreeCore

@Suite struct PlanPropertyTests {
    /// Any valid constant-arrival-rate scenario loads with exactly the numbers written, and its
    /// JSON spelling loads to the same plan.
    @Test func arrivalRateNumbersSurviveLoadingInBothSyntaxes() async {
        await propertyCheck(count: 200, input: Gen.int(in: 1...100_000), Gen.int(in: 1...7200), Gen.int(in: 0...500), Gen.int(in: 0...500)) { rate, seconds, preAllocated, extra in
            let yaml = PlanTestSupport.defaultFlow + """
                scenarios:
                  s:
                    executor: constant-arrival-rate
                    rate: \(rate)
                    duration: \(seconds)s
                    preAllocatedVUs: \(preAllocated)
                    maxVUs: \(preAllocated + extra + 1)
                """
            let json = """
                {"flows": {"default": [{"request": {"url": "http://127.0.0.1:8080/"}}]},
                 "scenarios": {"s": {"executor": "constant-arrival-rate", "rate": \(rate), "duration": "\(seconds)s",
                   "preAllocatedVUs": \(preAllocated), "maxVUs": \(preAllocated + extra + 1)}}}
                """
            let expected = ExecutorConfig.constantArrivalRate(ConstantArrivalRate(
                rate: Int64(rate), duration: .seconds(seconds), preAllocatedVUs: Int64(preAllocated),
                maxVUs: Int64(preAllocated + extra + 1)))
            let fromYAML = try? PlanLoader.load(text: yaml, fileName: "p.yaml")
            let fromJSON = try? PlanLoader.load(text: json, fileName: "p.json")
            #expect(fromYAML?.scenarios.first?.executor == expected)
            #expect(fromYAML == fromJSON)
        }
    }

    /// Dropping one letter from a top-level key yields an error suggesting that key.
    @Test func oneLetterTyposAreSuggested() async {
        let keys = ["scenarios", "thresholds", "metrics", "flows", "setup", "teardown", "executionSegment", "iterations"]
        await propertyCheck(count: 200, input: Gen.int(in: 0..<keys.count), Gen.int(in: 0...20)) { keyIndex, position in
            let key = keys[keyIndex]
            var letters = Array(key)
            letters.remove(at: position % letters.count)
            let typo = String(letters)
            let errors = PlanTestSupport.errors(PlanTestSupport.defaultFlow + "\(typo): {}\n")
            #expect(errors.first == "plan.yaml:4:1: error: unknown key \"\(typo)\" in the plan; did you mean \"\(key)\"?")
        }
    }

    /// Sub-metric selectors read the same whatever spaces and quotes surround keys and values.
    @Test func selectorPaddingDoesNotMatter() async {
        let paddings = ["", " ", "  ", "\"", "'", " \"", "' "]
        await propertyCheck(count: 200, input: Gen.int(in: 0...999), Gen.int(in: 0..<7), Gen.int(in: 0..<7)) { value, left, right in
            let text = "http_reqs{\(paddings[left])status\(paddings[right]):\(paddings[right])\(value)\(paddings[left]),method:GET}"
            let selector = try? MetricSelector.parse(text)
            #expect(selector == MetricSelector(name: "http_reqs", tags: ["status": "\(value)", "method": "GET"]))
        }
    }
}
