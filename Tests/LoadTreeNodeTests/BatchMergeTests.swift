import LoadTreeCore
import LoadTreeTestSupport
import LoadTreeWire
import PropertyBased
import SwiftProtobuf
import Testing
@testable import LoadTreeNode

/// Children's batches merged straight from their wire form into a node's accumulator (what a
/// relay does with every batch): exactly what decoding and merging intervals gives, all or
/// nothing, and with each stream's series resolved to the right slots.
@Suite struct BatchMergeTests {
    /// `children` streams, each sending `batches` numbered batches of its own random samples.
    private static func streams(children: Int, batches: Int, rng: inout SplitMix64) throws -> (wire: [[Loadtree_V1_MetricBatch]], intervals: [[IntervalAggregate]]) {
        var wire: [[Loadtree_V1_MetricBatch]] = []
        var intervals: [[IntervalAggregate]] = []
        for child in 0..<children {
            var numbering = SeriesNumbering()
            var sent: [Loadtree_V1_MetricBatch] = []
            var recorded: [IntervalAggregate] = []
            for sequence in 1...batches {
                let samples = (0..<Int.random(in: 0...30, using: &rng)).map { _ in
                    (Int.random(in: 0..<5, using: &rng), Int.random(in: 0..<4, using: &rng), Int.random(in: 0...4_000, using: &rng))
                }
                let interval = MetricBatchCodingTests.aggregate(samples)
                let batch = try MetricBatchCoding.encode(interval, sender: "c\(child)", sequence: UInt64(sequence), numbering: &numbering)
                // Through bytes, as a stream carries it.
                sent.append(try Loadtree_V1_MetricBatch(serializedBytes: batch.serializedBytes() as [UInt8]))
                recorded.append(interval)
            }
            wire.append(sent)
            intervals.append(recorded)
        }
        return (wire, intervals)
    }

    /// Batches of several streams, interleaved at random, merged from the wire into one
    /// accumulator, equal the same intervals merged as intervals; so do the slots a stream
    /// cached when it is used again after a drain.
    @Test func wireMergeEqualsIntervalMerge() async {
        await propertyCheck(count: 60, input: Gen.uint64()) { seed in
            var rng = SplitMix64(seed: seed)
            let children = Int.random(in: 1...5, using: &rng)
            let batches = Int.random(in: 1...4, using: &rng)
            let (wire, intervals) = try Self.streams(children: children, batches: batches, rng: &rng)
            var accumulator = SeriesAccumulator(start: 0)
            var expected = IntervalAggregate(start: 0)
            var directories = (0..<children).map { _ in SeriesDirectory() }
            var next = [Int](repeating: 0, count: children)
            while let child = (0..<children).filter({ next[$0] < batches }).randomElement(using: &rng) {
                let batch = wire[child][next[child]]
                try MetricBatchCoding.define(batch, directory: &directories[child])
                try MetricBatchCoding.merge(batch, directory: &directories[child], into: &accumulator)
                try expected.merge(intervals[child][next[child]])
                next[child] += 1
                if Int.random(in: 0..<4, using: &rng) == 0 {
                    #expect(accumulator.drain(at: 0).series == expected.drain(at: 0).series, "seed \(seed)")
                }
            }
            #expect(accumulator.drain(at: 0).series == expected.series, "seed \(seed)")
        }
    }

    /// A stream's table filled for one accumulator still merges right into another (its cached
    /// slots are of the first).
    @Test func aStreamsSlotsAreResolvedAgainForAnotherAccumulator() throws {
        var numbering = SeriesNumbering()
        var directory = SeriesDirectory()
        let one = MetricBatchCodingTests.aggregate([(0, 0, 5), (3, 1, 40), (2, 2, 1)])
        let two = MetricBatchCodingTests.aggregate([(3, 1, 70), (0, 0, 2)])
        let first = try MetricBatchCoding.encode(one, sender: "a", sequence: 1, numbering: &numbering)
        let second = try MetricBatchCoding.encode(two, sender: "a", sequence: 2, numbering: &numbering)
        var elsewhere = SeriesAccumulator(start: 0)
        // Another stream's series first, so that the slots of the two accumulators differ.
        try elsewhere.merge(MetricBatchCodingTests.aggregate([(1, 0, 3), (4, 2, 9)]))
        try MetricBatchCoding.define(first, directory: &directory)
        var accumulator = SeriesAccumulator(start: 0)
        try MetricBatchCoding.merge(first, directory: &directory, into: &accumulator)
        try MetricBatchCoding.merge(second, directory: &directory, into: &elsewhere)
        #expect(accumulator.drain(at: 0).series == one.series)
        var want = MetricBatchCodingTests.aggregate([(1, 0, 3), (4, 2, 9)])
        try want.merge(two)
        #expect(elsewhere.drain(at: 0).series == want.series)
    }

    /// A batch whose series clash with what other children sent, or that names a series twice,
    /// is refused whole: nothing of it is merged.
    @Test func aBatchThatCannotBeCountedChangesNothing() throws {
        var accumulator = SeriesAccumulator(start: 0)
        let reqs = try SeriesKey("http_reqs", tags: ["zone": "z0"])
        var counter = IntervalAggregate(start: 0)
        try counter.add(4, to: reqs, type: .counter, at: 0)
        try accumulator.merge(counter)
        var clash = IntervalAggregate(start: 0)
        try clash.add(1, to: try SeriesKey("vus"), type: .gauge, at: 0)
        try clash.add(1, to: reqs, type: .rate, at: 0)
        let clashing = try MetricBatchCoding.encode(clash.drain(at: 10), sender: "b", sequence: 1)
        var directory = SeriesDirectory()
        #expect {
            try MetricBatchCoding.merge(clashing, directory: &directory, into: &accumulator)
        } throws: { error in
            guard case .conflicting(let reason) = error as? MetricBatchError else { return false }
            return reason.contains("http_reqs")
        }
        var twice = try MetricBatchCoding.encode(counter, sender: "c", sequence: 1)
        twice.entries.append(twice.entries[0])
        #expect(throws: MetricBatchError.malformed("series http_reqs{zone:z0} appears twice")) {
            try MetricBatchCoding.merge(twice, directory: &directory, into: &accumulator)
        }
        let drained = accumulator.drain(at: 0)
        #expect(drained.series == counter.series, "only the first counter was merged")
        #expect(drained.end == 0)
    }
}
