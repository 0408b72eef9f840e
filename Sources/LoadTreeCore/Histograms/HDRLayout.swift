import Foundation
import Histogram

/// The bucket layout of an HdrHistogram: which counts-array index holds which value.
///
/// The V2 wire format carries counts by array index, and hdrhistogram-swift keeps its counts
/// array internal, so the codec needs the standard index maths itself. It is the same maths
/// as the Java, C and Python implementations (and as hdrhistogram-swift), so indices written
/// by any of them mean the same values here.
public struct HDRLayout: Sendable, Hashable {
    /// Values below this are not distinguished from 0 (rounded down to a power of two).
    public let lowestDiscernibleValue: UInt64
    /// The largest value the histogram was built to track.
    public let highestTrackableValue: UInt64
    /// Decimal digits of resolution kept at every magnitude (0...5).
    public let significantDigits: Int

    let unitMagnitude: Int
    let subBucketHalfCountMagnitude: Int
    let subBucketHalfCount: Int
    let subBucketMask: UInt64
    let leadingZeroCountBase: Int
    /// Number of slots in the counts array; valid indices are `0..<countsLength`.
    public let countsLength: Int

    /// Builds the layout, or explains which parameter makes it impossible.
    ///
    /// The checks are those of hdrhistogram-swift's initialiser (which traps instead of
    /// throwing), so a layout that builds here can always be turned into a `Histogram`.
    public init(
        lowestDiscernibleValue: UInt64,
        highestTrackableValue: UInt64,
        significantDigits: Int
    ) throws(HDRCodecError) {
        guard (0...5).contains(significantDigits) else {
            throw .invalidConfiguration("significant digits must be 0 to 5, found \(significantDigits)")
        }
        guard lowestDiscernibleValue >= 1 else {
            throw .invalidConfiguration("lowest discernible value must be at least 1, found 0")
        }
        guard lowestDiscernibleValue <= UInt64(Int64.max) / 2,
            highestTrackableValue <= UInt64(Int64.max)
        else {
            throw .invalidConfiguration("trackable values must fit in a signed 64-bit integer")
        }
        guard lowestDiscernibleValue * 2 <= highestTrackableValue else {
            throw .invalidConfiguration(
                "highest trackable value \(highestTrackableValue) must be at least twice "
                    + "the lowest discernible value \(lowestDiscernibleValue)")
        }
        self.lowestDiscernibleValue = lowestDiscernibleValue
        self.highestTrackableValue = highestTrackableValue
        self.significantDigits = significantDigits

        // Same formulas (including the floating-point log2) as hdrhistogram-swift, so that
        // both agree on every index.
        var largestSingleUnit: UInt64 = 2
        for _ in 0..<significantDigits { largestSingleUnit *= 10 }
        let unitMagnitude = Int(log2(Double(lowestDiscernibleValue)))
        let subBucketCountMagnitude = Int(log2(Double(largestSingleUnit)).rounded(.up))
        let halfMagnitude = (subBucketCountMagnitude > 1 ? subBucketCountMagnitude : 1) - 1
        guard unitMagnitude + halfMagnitude <= 61 else {
            throw .invalidConfiguration(
                "\(significantDigits) significant digits cannot be kept above a lowest value of \(lowestDiscernibleValue)")
        }
        let subBucketCount = 1 << subBucketCountMagnitude
        self.unitMagnitude = unitMagnitude
        self.subBucketHalfCountMagnitude = halfMagnitude
        self.subBucketHalfCount = subBucketCount / 2
        self.subBucketMask = UInt64(subBucketCount - 1) << UInt64(unitMagnitude)
        self.leadingZeroCountBase = 64 - unitMagnitude - subBucketCountMagnitude

        var smallestUntrackable = UInt64(subBucketCount) << UInt64(unitMagnitude)
        var bucketsNeeded = 1
        while smallestUntrackable <= highestTrackableValue {
            if smallestUntrackable > UInt64.max / 2 {
                bucketsNeeded += 1
                break
            }
            smallestUntrackable <<= 1
            bucketsNeeded += 1
        }
        self.countsLength = (bucketsNeeded + 1) * (subBucketCount / 2)
    }

    /// The layout of an existing histogram.
    public init(of histogram: Histogram<UInt64>) throws(HDRCodecError) {
        try self.init(
            lowestDiscernibleValue: histogram.lowestDiscernibleValue,
            highestTrackableValue: histogram.highestTrackableValue,
            significantDigits: Int(histogram.numberOfSignificantValueDigits.rawValue))
    }

    /// The counts-array index of the slot that holds `value` (may be ≥ ``countsLength`` for a
    /// value above the trackable range).
    public func countsIndex(for value: UInt64) -> Int {
        let bucketIndex = leadingZeroCountBase - (value | subBucketMask).leadingZeroBitCount
        let subBucketIndex = Int(value >> UInt64(bucketIndex + unitMagnitude))
        return ((bucketIndex + 1) << subBucketHalfCountMagnitude) + subBucketIndex - subBucketHalfCount
    }

    /// The lowest value held by the slot at `index` (`0 ≤ index < countsLength`).
    public func value(atIndex index: Int) -> UInt64 {
        var bucketIndex = (index >> subBucketHalfCountMagnitude) - 1
        var subBucketIndex = (index & (subBucketHalfCount - 1)) + subBucketHalfCount
        if bucketIndex < 0 {
            subBucketIndex -= subBucketHalfCount
            bucketIndex = 0
        }
        return UInt64(subBucketIndex) << UInt64(bucketIndex + unitMagnitude)
    }

    /// The middle of the slot at `index` (`0 ≤ index < countsLength`): its lowest value plus
    /// half its width, as `Histogram.medianEquivalentForValue` gives for any value in it.
    public func medianValue(atIndex index: Int) -> UInt64 {
        let bucketIndex = Swift.max((index >> subBucketHalfCountMagnitude) - 1, 0)
        let width = UInt64(1) << UInt64(bucketIndex + unitMagnitude)
        return value(atIndex: index) + (width >> 1)
    }

    /// Adds every slot of `counts` (indices below ``countsLength``) to `histogram`, which
    /// must have this layout: the cost of the slots present, not of the whole counts array.
    ///
    /// - Returns: false when a slot does not fit `histogram` (nothing past it is added).
    public func add(_ counts: SparseCounts, to histogram: inout Histogram<UInt64>) -> Bool {
        for slot in counts.slots {
            guard slot.index < countsLength, histogram.record(value(atIndex: slot.index), count: slot.count) else {
                return false
            }
        }
        return true
    }

    /// Calls `body` with the index, lowest value and count of every non-empty slot of
    /// `histogram` (which must have this layout), in increasing order, until `body` returns
    /// false.
    ///
    /// This deliberately avoids hdrhistogram-swift's `recordedValues()`: its iterator keeps a
    /// running Σ count·value in a `UInt64` and traps when that overflows, which counts received
    /// from another node can make happen. Reading slot by slot with `countForValue` cannot trap.
    public func forEachNonEmptySlot<E: Error>(
        of histogram: Histogram<UInt64>, _ body: (_ index: Int, _ lowestValue: UInt64, _ count: UInt64) throws(E) -> Bool
    ) throws(E) {
        guard histogram.totalCount > 0 else { return }
        let lastIndex = Swift.min(countsIndex(for: histogram.maxRecorded), countsLength - 1)
        // `min` is 0 when slot 0 holds samples, else the smallest recorded non-zero value:
        // the walk covers only the recorded range, not the whole counts array.
        let firstIndex = Swift.max(Swift.min(countsIndex(for: histogram.min), lastIndex), 0)
        guard lastIndex >= 0 else { return }
        for index in firstIndex...lastIndex {
            let value = value(atIndex: index)
            let count = histogram.countForValue(value)
            if count != 0, try !body(index, value, count) { return }
        }
    }

    /// A new, empty histogram with this layout.
    public func makeHistogram() -> Histogram<UInt64> {
        // `significantDigits` was checked to be 0...5 in init, so the enum always exists.
        let digits = SignificantDigits(rawValue: Int8(significantDigits)) ?? .three
        return Histogram<UInt64>(
            lowestDiscernibleValue: lowestDiscernibleValue,
            highestTrackableValue: highestTrackableValue,
            numberOfSignificantValueDigits: digits)
    }
}
