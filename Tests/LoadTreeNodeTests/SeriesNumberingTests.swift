import Foundation
import LoadTreeCore
import LoadTreeWire
import SwiftProtobuf
import Testing
@testable import LoadTreeNode

/// Series named once per stream and referred to by number afterwards, against untrusted peers.
@Suite struct SeriesNumberingTests {
    static func interval(_ seed: Int) -> IntervalAggregate {
        MetricBatchCodingTests.aggregate((0..<40).map { ($0 + seed, $0 * 7 + seed, $0 * 13 + seed) })
    }

    static func roundTrip(_ batch: Loadtree_V1_MetricBatch, _ directory: inout SeriesDirectory) throws -> IntervalAggregate {
        let bytes: [UInt8] = try batch.serializedBytes()
        return try MetricBatchCoding.decode(try Loadtree_V1_MetricBatch(serializedBytes: bytes), directory: &directory)
    }

    @Test func laterBatchesReferToTheirSeriesByNumber() throws {
        var numbering = SeriesNumbering()
        var directory = SeriesDirectory()
        let first = try MetricBatchCoding.encode(Self.interval(0), sender: "a", sequence: 1, numbering: &numbering)
        let second = try MetricBatchCoding.encode(Self.interval(1), sender: "a", sequence: 2, numbering: &numbering)
        #expect(first.series.count == first.entries.count)
        #expect(first.entries.allSatisfy { $0.seriesID != 0 && $0.name.isEmpty && $0.tags.isEmpty })
        // The same series again: nothing to define, no strings.
        #expect(Set(Self.interval(1).series.keys).isSubset(of: Set(Self.interval(0).series.keys)))
        #expect(second.series.isEmpty)
        #expect(try Self.roundTrip(first, &directory) == Self.interval(0))
        #expect(try Self.roundTrip(second, &directory) == Self.interval(1))
        let numbered: [UInt8] = try second.serializedBytes()
        let standalone: [UInt8] = try MetricBatchCoding.encode(Self.interval(1), sender: "a", sequence: 2).serializedBytes()
        #expect(numbered.count < standalone.count)
    }

    @Test func aBatchResentOnANewStreamDefinesItsSeriesAgain() throws {
        var numbering = SeriesNumbering()
        _ = try MetricBatchCoding.encode(Self.interval(0), sender: "a", sequence: 1, numbering: &numbering)
        // The stream broke; batch 2 goes again on a new stream with a new numbering.
        var fresh = SeriesNumbering()
        var directory = SeriesDirectory()
        let resent = try MetricBatchCoding.encode(Self.interval(1), sender: "a", sequence: 2, numbering: &fresh)
        #expect(!resent.series.isEmpty)
        #expect(try Self.roundTrip(resent, &directory) == Self.interval(1))
    }

    @Test func undefinedNumbersAreRefused() throws {
        var numbering = SeriesNumbering()
        _ = try MetricBatchCoding.encode(Self.interval(0), sender: "a", sequence: 1, numbering: &numbering)
        let second = try MetricBatchCoding.encode(Self.interval(1), sender: "a", sequence: 2, numbering: &numbering)
        // A receiver that did not see the definitions (another stream).
        var directory = SeriesDirectory()
        #expect {
            try Self.roundTrip(second, &directory)
        } throws: { error in
            "\(error)".contains("is not defined on this stream")
        }
        #expect(throws: MetricBatchError.self) { try MetricBatchCoding.decode(second) }
    }

    @Test func brokenDefinitionsAreRefusedWithAReason() throws {
        var numbering = SeriesNumbering()
        let batch = try MetricBatchCoding.encode(Self.interval(0), sender: "a", sequence: 1, numbering: &numbering)
        #expect(batch.series.count >= 2)

        var skipped = batch
        skipped.series[1].id = 7
        var directory = SeriesDirectory()
        #expect { try MetricBatchCoding.decode(skipped, directory: &directory) } throws: { "\($0)".contains("series number 7 defined where 2 was next") }
        #expect(directory.count == 0)

        var twice = batch
        twice.series[1].name = twice.series[0].name
        twice.series[1].tags = twice.series[0].tags
        #expect { try MetricBatchCoding.decode(twice, directory: &directory) } throws: { "\($0)".contains("defined twice") }

        // A definition for a series the stream already numbered.
        _ = try MetricBatchCoding.decode(batch, directory: &directory)
        var again = batch
        again.series = [batch.series[0]]
        again.series[0].id = UInt32(directory.count + 1)
        #expect { try MetricBatchCoding.decode(again, directory: &directory) } throws: { "\($0)".contains("defined twice") }

        // One series twice in a batch, once by number and once by name.
        var duplicate = try MetricBatchCoding.encode(Self.interval(0), sender: "a", sequence: 1, numbering: &numbering)
        var named = duplicate.entries[0]
        named.seriesID = 0
        named.name = batch.series[0].name
        named.tags = batch.series[0].tags
        duplicate.entries.append(named)
        #expect { try MetricBatchCoding.decode(duplicate, directory: &directory) } throws: { "\($0)".contains("appears twice") }

        var both = duplicate
        both.entries[0].name = "vus"
        #expect { try MetricBatchCoding.decode(both, directory: &directory) } throws: { "\($0)".contains("both names") }
    }

    @Test func gaugeStepsFromAPeerAreChecked() throws {
        var interval = IntervalAggregate(start: 0)
        try interval.add(4, to: SeriesKey("vus"), type: .gauge, at: 10)
        var source = GaugeSource(interval: .seconds(1))
        let totals = source.totals(of: interval.drain(at: 20))
        let batch = try MetricBatchCoding.encode(totals, sender: "a", sequence: 1)
        #expect(batch.entries[0].gauge.stepAtNs == [1_000_000_000])
        #expect(try MetricBatchCoding.decode(batch) == totals)

        var uneven = batch
        uneven.entries[0].gauge.stepChange.append(1)
        #expect { try MetricBatchCoding.decode(uneven) } throws: { "\($0)".contains("1 step boundaries but 2 changes") }
        var backwards = batch
        backwards.entries[0].gauge.stepAtNs = [5, 5]
        backwards.entries[0].gauge.stepChange = [1, 1]
        #expect { try MetricBatchCoding.decode(backwards) } throws: { "\($0)".contains("strictly increasing") }
        var mixed = batch
        mixed.entries[0].gauge.value = 3
        #expect { try MetricBatchCoding.decode(mixed) } throws: { "\($0)".contains("mixes steps") }
        var endless = batch
        endless.entries[0].gauge.stepAtNs = Array(0..<Int64(MetricBatchCoding.gaugeStepLimit + 1))
        endless.entries[0].gauge.stepChange = endless.entries[0].gauge.stepAtNs.map { _ in 1 }
        #expect { try MetricBatchCoding.decode(endless) } throws: { "\($0)".contains("at most") }
    }

    @Test func smallTrendsTravelUncompressedAndLargeOnesCompressed() throws {
        var small = IntervalAggregate(start: 0)
        let key = try SeriesKey("http_req_duration")
        for ms in 1...50 { try small.add(Double(ms), to: key, type: .trend, kind: .time, at: 1) }
        let smallEntry = try MetricBatchCoding.encode(small, sender: "a", sequence: 1).entries[0].trend
        #expect(!smallEntry.hdrV2.isEmpty && smallEntry.hdrV2Compressed.isEmpty)
        var large = IntervalAggregate(start: 0)
        for us in stride(from: 1, to: 3_000_000, by: 997) { try large.add(Double(us) / 1000, to: key, type: .trend, kind: .time, at: 1) }
        let largeBatch = try MetricBatchCoding.encode(large, sender: "a", sequence: 1)
        #expect(largeBatch.entries[0].trend.hdrV2.isEmpty && !largeBatch.entries[0].trend.hdrV2Compressed.isEmpty)
        #expect(try MetricBatchCoding.decode(largeBatch) == large)
        var both = try MetricBatchCoding.encode(small, sender: "a", sequence: 1)
        both.entries[0].trend.hdrV2Compressed = largeBatch.entries[0].trend.hdrV2Compressed
        #expect { try MetricBatchCoding.decode(both) } throws: { "\($0)".contains("both hdr_v2 and hdr_v2_compressed") }
    }
}
