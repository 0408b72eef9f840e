import Histogram
import LoadTreeCore
import LoadTreeTestSupport
import PropertyBased
import Testing

@Suite struct HDRLayoutTests {
    /// The trend layout: 2048 sub-buckets, 22 buckets, (22 + 1) · 1024 slots.
    @Test func trendLayoutSize() throws {
        let layout = try HDRLayout(lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, significantDigits: 3)
        #expect(layout.countsLength == 23_552)
        #expect(layout.countsIndex(for: 0) == 0)
        #expect(layout.countsIndex(for: 2047) == 2047)
        #expect(layout.countsIndex(for: 2048) == 2048)
        #expect(layout.countsIndex(for: 2049) == 2048)  // slots are 2 wide from 2048
        #expect(layout.countsIndex(for: 4096) == 3072)
        #expect(layout.value(atIndex: 3072) == 4096)
        #expect(layout.value(atIndex: 2048) == 2048)
        #expect(layout.value(atIndex: 2049) == 2050)
        #expect(layout.countsIndex(for: 3_600_000_000) < layout.countsLength)
    }

    @Test func invalidConfigurationsAreTypedErrors() {
        #expect(throws: HDRCodecError.self) { try HDRLayout(lowestDiscernibleValue: 0, highestTrackableValue: 10, significantDigits: 3) }
        #expect(throws: HDRCodecError.self) { try HDRLayout(lowestDiscernibleValue: 10, highestTrackableValue: 19, significantDigits: 3) }
        #expect(throws: HDRCodecError.self) { try HDRLayout(lowestDiscernibleValue: 1, highestTrackableValue: 10, significantDigits: 6) }
        #expect(throws: HDRCodecError.self) { try HDRLayout(lowestDiscernibleValue: 1, highestTrackableValue: 10, significantDigits: -1) }
        #expect(throws: HDRCodecError.self) {
            try HDRLayout(lowestDiscernibleValue: 1 << 60, highestTrackableValue: UInt64(Int64.max), significantDigits: 5)
        }
        #expect(throws: HDRCodecError.self) { try HDRLayout(lowestDiscernibleValue: 1, highestTrackableValue: .max, significantDigits: 3) }
    }

    /// Our index maths agrees with hdrhistogram-swift's for any layout: the lowest value of the
    /// slot we compute for a value is the library's lowest equivalent value, and walking our
    /// slots finds exactly the library's counts.
    @Test func indexMathsAgreesWithTheLibrary() async {
        await propertyCheck(count: 150, input: Gen.uint64()) { seed in
            var rng = SplitMix64(seed: seed)
            let digits = Int.random(in: 0...5, using: &rng)
            let lowest = UInt64.random(in: 1...(1 << UInt64.random(in: 0...20, using: &rng)), using: &rng)
            let highest = Swift.max(lowest * 2, UInt64.random(in: 2...(1 << UInt64.random(in: 2...40, using: &rng)), using: &rng))
            let layout = try HDRLayout(lowestDiscernibleValue: lowest, highestTrackableValue: highest, significantDigits: digits)
            var histogram = layout.makeHistogram()
            for _ in 0..<20 {
                let value = UInt64.random(in: 0...highest, using: &rng)
                let recorded = histogram.record(value)
                #expect(recorded)
                let index = layout.countsIndex(for: value)
                #expect(index < layout.countsLength)
                #expect(layout.value(atIndex: index) == histogram.lowestEquivalentForValue(value))
            }
            var slots = 0
            layout.forEachNonEmptySlot(of: histogram) { index, value, count in
                #expect(layout.countsIndex(for: value) == index)
                #expect(histogram.countForValue(value) == count)
                slots += 1
                return true
            }
            #expect(slots >= 1 && slots <= 20)
        }
    }
}
