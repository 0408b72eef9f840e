import Foundation
import PropertyBased
import Testing
@testable import LoadTreeCore

/// The fast inverse of named easings (a per-stage table plus one Newton step) against
/// independent references: bisection of the closed-form area, and the generic expression path.
@Suite struct EasedArrivalTests {
    private static func starts(_ startRate: Int64, _ stages: [Stage]) -> [IterationStart] {
        Fixture.starts(ExecutorSchedule(
            scenario: Fixture.scenario(.rampingArrivalRate(RampingArrivalRate(
                startRate: startRate, stages: stages, preAllocatedVUs: 1, maxVUs: 1))),
            tuple: .full))
    }

    /// Event i of one stage (rates per second, duration in ns) by bisection of
    /// from·x + Δ·D·R(x/D) = i over the stage: no table, no Newton.
    private static func bisected(_ easing: Easing, from: Double, to: Double, duration: Double, event: Double) -> Double {
        let seconds = duration / 1e9
        func area(_ u: Double) -> Double { seconds * (from * u + (to - from) * easing.area(upTo: u)) }
        var (lo, hi) = (0.0, 1.0)
        for _ in 0..<60 {
            let mid = (lo + hi) / 2
            if area(mid) < event { lo = mid } else { hi = mid }
        }
        return hi * duration
    }

    /// For every named easing, random start rates, targets (ramping up, down, from and to zero)
    /// and durations: every start is within 1 µs of the bisected root, the count is the area's
    /// floor, and start times never go back.
    @Test func everyEasingMatchesBisectionAndIsMonotone() async {
        await propertyCheck(
            count: 25,
            input: Gen.int(in: 0...60), Gen.int(in: 0...60), Gen.int(in: 1...8000)
        ) { startRate, target, millis in
            for easing in Easing.allCases {
                let stage = Stage(duration: .milliseconds(Int64(millis)), target: Int64(target), progression: .easing(easing))
                let all = Self.starts(Int64(startRate), [stage])
                let duration = Double(millis) * 1e6
                let total = duration / 1e9 * (Double(startRate) + Double(target - startRate) * easing.area(upTo: 1))
                #expect(abs(Double(all.count) - total.rounded(.down)) <= 1, "\(easing) \(startRate)→\(target) over \(millis) ms")
                #expect(zip(all, all.dropFirst()).allSatisfy { $0.at <= $1.at }, "\(easing) not monotone")
                var worst = 0.0
                for start in all {
                    let exact = Self.bisected(
                        easing, from: Double(startRate), to: Double(target), duration: duration, event: Double(start.id + 1))
                    worst = max(worst, abs(Double(start.at) - exact))
                }
                #expect(worst <= 1000, "\(easing) \(startRate)→\(target) over \(millis) ms: worst \(worst) ns")
            }
        }
    }

    /// The same curves written as expressions go through the generic path (tabulated area and a
    /// safeguarded root finder): both give the same iterations within 1 µs, over an hour.
    @Test func easingsAgreeWithTheirExpressions() throws {
        let twins: [(Easing, String)] = [
            (.easeInQuad, "r = t^2"),
            (.easeOutCubic, "r = 1 - (1 - t)^3"),
            (.easeInOutQuad, "r = 0.5 + 0.5 * (2*t - 1) * (2 - abs(2*t - 1))"),
            (.easeInSine, "r = 1 - cos(pi/2 * t)"),
            (.easeInOutSine, "r = (1 - cos(pi * t)) / 2"),
            (.easeInExpo, "r = 2^(10*t - 10)"),
        ]
        for (easing, text) in twins {
            let expression = try StageProgression(parsing: text)
            for (start, target) in [(0, 30), (12, 40), (25, 3)] as [(Int64, Int64)] {
                let fast = Self.starts(start, [Stage(duration: .seconds(3600), target: target, progression: .easing(easing))])
                let generic = Self.starts(start, [Stage(duration: .seconds(3600), target: target, progression: expression)])
                #expect(abs(fast.count - generic.count) <= 1, "\(easing) \(start)→\(target)")
                var worst: Int64 = 0
                for (a, b) in zip(fast, generic) {
                    #expect(a.id == b.id)
                    worst = max(worst, abs(a.at - b.at))
                }
                #expect(worst <= 1000, "\(easing) \(start)→\(target): worst \(worst) ns")
            }
        }
    }

    /// The answer for an iteration does not depend on which others were computed: every third
    /// iteration on its own segment gets exactly the whole schedule's times.
    @Test func segmentsComputeTheSameTimes() throws {
        let stages = [
            Stage(duration: .seconds(600), target: 50, progression: .easing(.easeInCubic)),
            Stage(duration: .seconds(600), target: 0, progression: .easing(.easeOutExpo)),
        ]
        let scenario = Fixture.scenario(.rampingArrivalRate(RampingArrivalRate(
            startRate: 0, stages: stages, preAllocatedVUs: 1, maxVUs: 3)))
        let whole = Fixture.starts(ExecutorSchedule(scenario: scenario, tuple: .full))
        var union: [IterationStart] = []
        for tuple in try Fixture.all("0,1/3,2/3,1") {
            union += Fixture.starts(ExecutorSchedule(scenario: scenario, tuple: tuple))
        }
        #expect(whole.count > 10_000)
        #expect(union.sorted { $0.id < $1.id } == whole)
    }
}
