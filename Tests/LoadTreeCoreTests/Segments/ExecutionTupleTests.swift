import PropertyBased
import Testing
@testable import LoadTreeCore

@Suite struct ExecutionTupleTests {
    private func tuple(_ segment: String?, _ sequence: String?) throws -> ExecutionTuple {
        try ExecutionTuple(
            segment: segment.map { try ExecutionSegment(parsing: $0) },
            sequence: sequence.map { try ExecutionSegmentSequence(parsing: $0) })
    }

    @Test func aLoneSegmentFillsToThreePointsNotThirds() throws {
        let t = try tuple("0:1/3", nil)
        #expect(t.sequence.description == "0,1/3,1")
        #expect(t.index == 0)
        #expect(t.lcd == 3)
    }

    @Test func sequencesNeedTwoIncreasingPoints() throws {
        #expect(throws: SegmentError.tooFewPoints(sequence: "0.5")) { try ExecutionSegmentSequence(parsing: "0.5") }
        #expect(throws: SegmentError.self) { try ExecutionSegmentSequence(parsing: "0,1/2,1/3,1") }
        #expect(try ExecutionSegmentSequence(parsing: "1/3,2/3").segments.count == 1)
        #expect(try ExecutionSegmentSequence(parsing: "").segments.isEmpty)
        #expect(try tuple("1/3:2/3", "1/3,2/3").sequence.description == "0,1/3,2/3,1")
    }

    @Test func segmentMustBeInTheSequence() {
        #expect(throws: SegmentError.self) { try tuple("0:1/4", "0,1/3,2/3,1") }
    }

    @Test func lcdOfLengths() throws {
        #expect(try tuple("0:1/3", "0,1/3,4/7").lcd == 21)
        #expect(try tuple("0:3/10", "0,0.3,0.5,0.6,0.7,0.8,0.9,1").lcd == 10)
    }

    @Test func stripesFromTheReferenceTests() throws {
        let seq = "0,0.3,0.5,0.6,0.7,0.8,0.9,1"
        #expect(try tuple("0:0.3", seq).stripe == Stripe(start: 0, offsets: [4, 3, 3], lcd: 10))
        #expect(try tuple("0.5:0.6", seq).stripe == Stripe(start: 2, offsets: [10], lcd: 10))
        #expect(try tuple("1/10:5/10", nil).stripe == Stripe(start: 1, offsets: [2, 2, 4, 2], lcd: 10))
        let halves = "0,1/2,3/4,1"
        #expect(try tuple("0:1/2", halves).stripe == Stripe(start: 0, offsets: [2, 2], lcd: 4))
        #expect(try tuple("1/2:3/4", halves).stripe == Stripe(start: 1, offsets: [4], lcd: 4))
        #expect(try tuple("3/4:1", halves).stripe == Stripe(start: 3, offsets: [4], lcd: 4))
    }

    @Test func scalesIntegersByStriping() throws {
        let thirds = "0,1/3,2/3,1"
        let all = try ["0:1/3", "1/3:2/3", "2/3:1"].map { try tuple($0, thirds) }
        #expect(all.map { $0.scale(50) } == [17, 17, 16])
        #expect(all.map { $0.scale(1) } == [1, 0, 0])
        #expect(all.map { $0.scale(2) } == [1, 1, 0])
        #expect(try tuple("0:7/20", "0,7/20,7/10,1").scale(50) == 18)
        #expect(try tuple(nil, nil).scale(12345) == 12345)
    }

    @Test func resegmentsByValue() throws {
        let t = try tuple("1/3:2/3", "0,1/3,2/3,1")
        let r = try t.resegmented(byValue: 20)
        #expect(r.sequence.description == "0,7/20,7/10,1")
        #expect(r.segment.description == "7/20:7/10")
        #expect(try t.resegmented(byValue: 21) == t)
        #expect(throws: SegmentError.invalidResegmentValue(0)) { try t.resegmented(byValue: 0) }
        // With 1 VU, only the first third gets it; the others are dropped.
        #expect(throws: SegmentError.droppedByResegmentation(segment: "1/3:2/3", value: 1)) { try t.resegmented(byValue: 1) }
        #expect(try tuple("0:1/3", "0,1/3,2/3,1").resegmented(byValue: 1).sequence.description == "0,1")
    }

    @Test func segmentedIndexWalksTheStripe() {
        var index = Stripe(start: 1, offsets: [4, 3], lcd: 7).makeIndex()
        #expect(index.next() == (1, 2))
        #expect(index.next() == (2, 6))
        #expect(index.next() == (3, 9))
        #expect(index.prev() == (2, 6))
        #expect(index.goTo(5) == (1, 2))
        for v in Int64(6)...8 { #expect(index.goTo(v) == (2, 6)) }
        #expect(index.goTo(9) == (3, 9))
        #expect(index.goTo(1) == (0, 0))
        #expect(index.prev() == (0, 0))
    }

    /// A random full sequence of 1...6 segments with denominators up to 12.
    static func randomSequence(_ cuts: [Int], denominator: Int) -> String {
        let points = Set(cuts.map { $0 % denominator }.filter { $0 > 0 }).sorted()
        return (["0"] + points.map { "\($0)/\(denominator)" } + ["1"]).joined(separator: ",")
    }

    @Test func sharesOfEverySegmentSumToTheWhole() async {
        await propertyCheck(
            count: 300,
            input: Gen.int(in: 0...100).array(of: 0...6), Gen.int(in: 2...12), Gen.int(in: 0...5000)
        ) { cuts, denominator, value in
            let sequence = ExecutionTupleTests.randomSequence(cuts, denominator: denominator)
            guard let parsed = try? ExecutionSegmentSequence(parsing: sequence) else {
                Issue.record("sequence \(sequence) did not parse")
                return
            }
            let tuples = parsed.segments.compactMap { try? ExecutionTuple(segment: $0, sequence: parsed) }
            #expect(tuples.count == parsed.segments.count)
            let v = Int64(value)
            #expect(tuples.map { $0.scale(v) }.reduce(0, +) == v, "\(sequence) of \(v)")
            // Monotone: one more element never takes a share away.
            for t in tuples { #expect(t.scale(v + 1) >= t.scale(v)) }
            // Stripes are disjoint and cover every global element exactly once.
            var owners = [Int64: Int]()
            for t in tuples {
                var index = t.makeIndex()
                for _ in 0..<t.scale(v) {
                    let (_, g) = index.next()
                    owners[g - 1, default: 0] += 1
                }
            }
            #expect(owners.count == Int(v) && owners.values.allSatisfy { $0 == 1 })
            // Re-segmented shares also sum to the whole, for every segment that keeps work.
            if v >= 1 {
                let kept = tuples.compactMap { try? $0.resegmented(byValue: v) }
                #expect(!kept.isEmpty)
                let r = kept[0]
                let resegmentedTotal = r.sequence.segments.indices.map { r.scale(v, segment: $0) }.reduce(0, +)
                #expect(resegmentedTotal == v)
            }
        }
    }
}
