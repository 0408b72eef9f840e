import Foundation
import PropertyBased
import Testing
@testable import LoadTreeCore

@Suite struct ProgressionScheduleTests {
    private static func rar(_ startRate: Int64, _ stages: [Stage], maxVUs: Int64 = 1) -> Scenario {
        Fixture.scenario(.rampingArrivalRate(RampingArrivalRate(startRate: startRate, stages: stages, preAllocatedVUs: 1, maxVUs: maxVUs)))
    }

    private static func rvu(_ startVUs: Int64, _ stages: [Stage]) -> Scenario {
        Fixture.scenario(.rampingVUs(RampingVUs(startVUs: startVUs, stages: stages)))
    }

    /// The raw steps of a ramping-vus plan, without the final step to 0.
    private static func steps(_ startVUs: Int64, _ stages: [Stage], tuple: ExecutionTuple = .full) -> [VUStep] {
        RampingVUsSteps.raw(RampingVUs(startVUs: startVUs, stages: stages), tuple: tuple, zeroEnd: false)
    }

    private static func expression(_ text: String) -> StageProgression {
        do {
            return try StageProgression(parsing: text)
        } catch {
            Issue.record("\(text): \(error)")
            return .linear
        }
    }

    // MARK: - linear

    /// `.linear` set explicitly is the default, and the schedules are identical.
    @Test func explicitLinearIsTheDefault() async {
        await propertyCheck(
            count: 100,
            input: Gen.int(in: 0...40).array(of: 1...4), Gen.int(in: 0...3000).array(of: 1...4), Gen.int(in: 0...20)
        ) { targets, millis, start in
            let plain = zip(targets, millis).map { Stage(duration: .milliseconds($1), target: Int64($0)) }
            let explicit = zip(targets, millis).map { Stage(duration: .milliseconds($1), target: Int64($0), progression: .linear) }
            #expect(Fixture.starts(ExecutorSchedule(scenario: Self.rar(Int64(start), explicit), tuple: .full))
                == Fixture.starts(ExecutorSchedule(scenario: Self.rar(Int64(start), plain), tuple: .full)))
            #expect(ExecutorSchedule(scenario: Self.rvu(Int64(start), explicit), tuple: .full).vuSteps
                == ExecutorSchedule(scenario: Self.rvu(Int64(start), plain), tuple: .full).vuSteps)
        }
    }

    /// The generic machinery (tabulated expression, root finding) reproduces `linear` within 1 µs.
    @Test func expressionOfTMatchesLinear() {
        let curve = Self.expression("r = t")
        let stages = [Fixture.stage(7, 40), Fixture.stage(3, 40), Fixture.stage(5, 3)]
        let linear = Fixture.starts(ExecutorSchedule(scenario: Self.rar(2, stages), tuple: .full))
        let generic = Fixture.starts(ExecutorSchedule(scenario: Self.rar(2, stages.map {
            Stage(duration: $0.duration, target: $0.target, progression: curve)
        }), tuple: .full))
        #expect(linear.count == generic.count)
        #expect(zip(linear, generic).allSatisfy { $0.id == $1.id && abs($0.at - $1.at) <= 1000 })
        let vus = Self.steps(3, [Fixture.stage(10, 17), Fixture.stage(9, 1)])
        let genericVUs = Self.steps(3, [
            Stage(duration: .seconds(10), target: 17, progression: curve), Stage(duration: .seconds(9), target: 1, progression: curve),
        ])
        #expect(vus.map(\.vus) == genericVUs.map(\.vus))
        #expect(zip(vus, genericVUs).allSatisfy { abs($0.at - $1.at) <= 1000 })
    }

    // MARK: - quadratic ease-in, against the analytic solution

    /// Rate 0 → 100/s over 10 s along t²: area(x) = rate·D·(x/D)³/3, so event i comes at
    /// x = D·∛(3i/(rate·D)); ⌊1000/3⌋ = 333 events in all.
    @Test func easeInQuadArrivalTimesAreAnalytic() {
        let starts = Fixture.starts(ExecutorSchedule(
            scenario: Self.rar(0, [Stage(duration: .seconds(10), target: 100, progression: .easing(.easeInQuad))]), tuple: .full))
        #expect(starts.count == 333)
        for start in starts {
            let i = Double(start.id + 1)
            let exact = 10e9 * Foundation.cbrt(3 * i / (100 * 10))
            #expect(abs(Double(start.at) - exact) < 1000, "event \(i)")
        }
    }

    /// From 30/s to 90/s along t² over 4 s, then easeOutQuad down to 10/s over 2 s: start times
    /// match an independent bisection of the analytic area within 1 µs.
    @Test func easedStagesWithAStartRateMatchBisection() {
        let stages = [
            Stage(duration: .seconds(4), target: 90, progression: .easing(.easeInQuad)),
            Stage(duration: .seconds(2), target: 10, progression: .easing(.easeOutQuad)),
        ]
        // Events per second as a function of seconds since the start.
        func area(_ x: Double) -> Double {
            if x <= 4 { return 30 * x + 60 * 4 * Foundation.pow(x / 4, 3) / 3 }
            let u = (x - 4) / 2
            return area(4) + 90 * (x - 4) - 80 * 2 * (u - (1 - Foundation.pow(1 - u, 3)) / 3)
        }
        let total = area(6)
        let starts = Fixture.starts(ExecutorSchedule(scenario: Self.rar(30, stages), tuple: .full))
        #expect(starts.count == Int(total.rounded(.down)))
        for start in starts {
            let i = Double(start.id + 1)
            var (lo, hi) = (0.0, 6.0)
            for _ in 0..<80 { let m = (lo + hi) / 2; if area(m) < i { lo = m } else { hi = m } }
            #expect(abs(Double(start.at) - lo * 1e9) < 1000, "event \(i)")
        }
    }

    /// An hour-long ramp keeps the 1 µs bound: easeInQuad against the cube root, and two
    /// expressions (a smooth one equal to easeOutSine, and one with a kink) against their
    /// analytic areas.
    @Test func longRampsStayWithinAMicrosecond() throws {
        let hour = 3600e9
        func starts(_ progression: StageProgression) -> [IterationStart] {
            Fixture.starts(ExecutorSchedule(
                scenario: Self.rar(0, [Stage(duration: .seconds(3600), target: 20, progression: progression)]), tuple: .full))
        }
        func check(_ progression: StageProgression, count: Int, exact: (Double) -> Double) {
            let all = starts(progression)
            #expect(all.count == count, "\(progression)")
            var worst = 0.0
            for start in all { worst = max(worst, abs(Double(start.at) - exact(Double(start.id + 1)))) }
            #expect(worst < 1000, "\(progression): worst \(worst) ns")
        }
        // Area after a fraction u of the hour: 20·3600·R(u) iterations.
        let full = 20.0 * 3600
        check(.easing(.easeInQuad), count: 24_000) { i in hour * Foundation.cbrt(3 * i / full) }
        check(try StageProgression(parsing: "r = sin(pi/2*t)"), count: Int(full * 2 / .pi)) { i in
            hour * Foundation.acos(1 - i * .pi / (2 * full)) * 2 / .pi
        }
        check(try StageProgression(parsing: "r = min(1, 7*t)"), count: 66_857) { i in
            let a = i / full
            return hour * (a <= 1.0 / 14 ? (2 * a / 7).squareRoot() : a + 1.0 / 14)
        }
    }

    /// VU k of a 0 → 10 ease-in ramp over 10 s starts when 10·u² reaches k: at 10·√(k/10) s.
    @Test func easeInQuadVUsStartWhereTheCurveReachesThem() {
        let steps = Self.steps(0, [Stage(duration: .seconds(10), target: 10, progression: .easing(.easeInQuad))])
        #expect(steps.map(\.vus) == Array(0...10))
        for step in steps.dropFirst() {
            let exact = 10e9 * (Double(step.vus) / 10).squareRoot()
            #expect(step.at >= Int64(exact.rounded(.down)) && Double(step.at) - exact <= 1, "VU \(step.vus)")
        }
        // Ramping down 10 → 0 along easeOutQuad: VU k stops when 10·(1 − r) reaches k − 1.
        let down = Self.steps(10, [Stage(duration: .seconds(10), target: 0, progression: .easing(.easeOutQuad))])
        #expect(down.map(\.vus) == Array((0...10).reversed()))
        for step in down.dropFirst() {
            let f = Double(10 - step.vus) / 10
            let exact = 10e9 * (1 - (1 - f).squareRoot())
            #expect(abs(Double(step.at) - exact) <= 1, "stop of VU \(step.vus + 1)")
        }
    }

    /// The description shows the highest rate the curve reaches, not just the highest target.
    @Test func descriptionShowsTheCurvesPeak() throws {
        let overshoot = Self.rar(0, [Stage(duration: .seconds(10), target: 10, progression: try StageProgression(parsing: "r = t + sin(pi*t)"))])
        #expect(ExecutorSchedule(scenario: overshoot, tuple: .full).description.hasPrefix("Up to 15.51 iterations/s for 10s over 1 stages"))
        let eased = Self.rar(4, [Stage(duration: .seconds(10), target: 10, progression: .easing(.easeInOutCubic))])
        #expect(ExecutorSchedule(scenario: eased, tuple: .full).description.hasPrefix("Up to 10.00 iterations/s"))
    }

    // MARK: - instant and steps

    @Test func instantJumpsAtTheStageStart() throws {
        let instant = Fixture.starts(ExecutorSchedule(
            scenario: Self.rar(0, [Fixture.stage(1, 4), Stage(duration: .seconds(10), target: 10, progression: .instant)]), tuple: .full))
        let jump = Fixture.starts(ExecutorSchedule(
            scenario: Self.rar(0, [Fixture.stage(1, 4), Fixture.stage(0, 10), Fixture.stage(10, 10)]), tuple: .full))
        #expect(instant == jump)
        #expect(instant.count == 102)
        let steps = Self.steps(2, [Fixture.stage(2, 4), Stage(duration: .seconds(3), target: 9, progression: .instant),
                                   Stage(duration: .seconds(3), target: 1, progression: .instant)])
        #expect(steps.map { [$0.at / 1_000_000_000, $0.vus] } == [[0, 2], [1, 3], [2, 9], [5, 1]])
        let halves = try Fixture.all("0,1/2,1").map {
            Self.steps(0, [Stage(duration: .seconds(3), target: 5, progression: .instant)], tuple: $0).map { [$0.at, $0.vus] }
        }
        #expect(halves == [[[0, 3]], [[0, 2]]])
        // A ramp that reaches its target only at its end, then an instant drop: the drop
        // replaces the steps of that instant.
        let drop = Self.steps(0, [Stage(duration: .seconds(10), target: 8, progression: .steps(4)),
                                  Stage(duration: .seconds(5), target: 0, progression: .instant)])
        #expect(drop.map { [$0.at / 500_000_000, $0.vus] } == [[0, 0], [5, 1], [5, 2], [10, 3], [10, 4], [15, 5], [15, 6], [20, 0]])
    }

    /// steps(2), 0 → 10 over 10 s: nothing for 5 s, then half the target, then the target at
    /// the end.
    @Test func stepsHoldEachStair() {
        let vus = Self.steps(0, [Stage(duration: .seconds(10), target: 10, progression: .steps(2))])
        #expect(vus.map { [$0.at, $0.vus] } == [[0, 0]] + (1...5).map { [5_000_000_000, $0] } + (6...10).map { [10_000_000_000, $0] })
        let starts = Fixture.starts(ExecutorSchedule(
            scenario: Self.rar(0, [Stage(duration: .seconds(10), target: 10, progression: .steps(2))]), tuple: .full))
        #expect(starts.count == 25)
        #expect(zip(starts, 1...25).allSatisfy { abs($0.at - (5_000_000_000 + Int64($1) * 200_000_000)) <= 1 })
        // steps(3) going down 9 → 0: stairs 9, 6, 3 for 1 s each; VUs 9..7 stop at 1 s, 6..4 at 2 s.
        let down = Self.steps(9, [Stage(duration: .seconds(3), target: 0, progression: .steps(3))])
        #expect(down.map { [$0.at / 1_000_000_000, $0.vus] }
            == [[0, 9], [1, 8], [1, 7], [1, 6], [2, 5], [2, 4], [2, 3], [3, 2], [3, 1], [3, 0]])
    }

    // MARK: - random curves under segmentation

    /// Curves a user might write, each finite, ending at 1 and never below 0.
    static func randomProgression(_ kind: Int, _ parameter: Int) -> StageProgression {
        let p = Double(parameter)
        switch kind {
        case 0: return .linear
        case 1: return .instant
        case 2: return .easing(Easing.allCases[parameter % Easing.allCases.count])
        case 3: return .steps(1 + parameter % 7)
        case 4: return expression("r = t^\(0.5 + p / 4)")
        case 5: return expression("r = (exp(\(1 + p / 3) * t) - 1) / (exp(\(1 + p / 3)) - 1)")
        case 6: return expression("r = t + \(p / 40 - 0.15) * sin(pi * t)")
        case 7: return expression("r = min(1, \(1 + p / 3) * t)")
        case 8: return expression("r = abs(2*t - 1)")
        default: return expression("r = sqrt(t) * cos(pi/2 * (1 - t))^\(1 + parameter % 3)")
        }
    }

    /// Random stages with random curves and a random sequence: monotone start times per
    /// segment, and the union of all segments is the unsegmented schedule, exactly.
    @Test func randomCurvesUnionOfSegmentsIsTheWhole() async {
        await propertyCheck(
            count: 150,
            input: Gen.int(in: 0...40).array(of: 1...4), Gen.int(in: 1...3000).array(of: 1...4),
            Gen.int(in: 0...9).array(of: 4), Gen.int(in: 0...12).array(of: 4),
            Gen.int(in: 0...100).array(of: 0...5), Gen.int(in: 2...10)
        ) { targets, millis, kinds, parameters, cuts, denominator in
            let stages = zip(targets, millis).enumerated().map { index, pair in
                Stage(duration: .milliseconds(pair.1), target: Int64(pair.0),
                      progression: Self.randomProgression(kinds[index], parameters[index]))
            }
            let scenario = Self.rar(Int64(targets.last ?? 0), stages, maxVUs: 7)
            let sequence = ExecutionTupleTests.randomSequence(cuts, denominator: denominator)
            guard let tuples = try? Fixture.all(sequence) else {
                Issue.record("bad sequence \(sequence)")
                return
            }
            let whole = Fixture.starts(ExecutorSchedule(scenario: scenario, tuple: .full))
            #expect(zip(whole, whole.dropFirst()).allSatisfy { $0.at <= $1.at })
            var union: [IterationStart] = []
            for tuple in tuples {
                let schedule = ExecutorSchedule(scenario: scenario, tuple: tuple)
                let starts = Fixture.starts(schedule)
                #expect(zip(starts, starts.dropFirst()).allSatisfy { $0.at <= $1.at && $0.id < $1.id })
                #expect(Int64(starts.count) == schedule.iterations)
                union += starts
            }
            #expect(union.sorted { $0.id < $1.id } == whole, "\(sequence) \(stages.map(\.progression))")
        }
    }

    /// The same random curves for ramping-vus: segments add up to the whole at every instant.
    @Test func randomCurvesVUsSumToTheWhole() async {
        await propertyCheck(
            count: 150,
            input: Gen.int(in: 0...25).array(of: 1...4), Gen.int(in: 0...3000).array(of: 1...4),
            Gen.int(in: 0...9).array(of: 4), Gen.int(in: 0...12).array(of: 4),
            Gen.int(in: 0...100).array(of: 0...5), Gen.int(in: 2...10)
        ) { targets, millis, kinds, parameters, cuts, denominator in
            let stages = zip(targets, millis).enumerated().map { index, pair in
                Stage(duration: .milliseconds(pair.1), target: Int64(pair.0),
                      progression: Self.randomProgression(kinds[index], parameters[index]))
            }
            let scenario = Self.rvu(3, stages)
            let sequence = ExecutionTupleTests.randomSequence(cuts, denominator: denominator)
            guard let tuples = try? Fixture.all(sequence) else {
                Issue.record("bad sequence \(sequence)")
                return
            }
            let whole = ExecutorSchedule(scenario: scenario, tuple: .full).vuSteps ?? []
            #expect(zip(whole, whole.dropFirst()).allSatisfy { $0.at <= $1.at })
            let parts = tuples.map { ExecutorSchedule(scenario: scenario, tuple: $0).vuSteps ?? [] }
            func value(_ steps: [VUStep], at t: Int64) -> Int64 { steps.last { $0.at <= t }?.vus ?? 0 }
            for t in Set((parts.flatMap { $0 } + whole).map(\.at)) {
                #expect(parts.map { value($0, at: t) }.reduce(0, +) == value(whole, at: t), "\(sequence) at \(t)")
            }
        }
    }
}
